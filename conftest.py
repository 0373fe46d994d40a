"""Shared by every test: the reference data, a real SMTP sink, and the named personas.

Personas: an NCB administrator and officer; Delhi Police's ILO, a UO under that ILO, a Delhi
station officer and the district officer (SP office) of that station's district; Maharashtra
Police's ILO (another state, who must see nothing of Delhi's); an analyst, a citizen and a
system administrator.
"""

import json
import os
import socket
import threading
import time
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache
from django.core.management import call_command
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, User
from accounts.signin import NOTICE_SESSION_KEY
from directory.models import Agency, District, PoliceStation, UnitOffice

PASSWORD = "Correct-Horse-Battery-42"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database holds the real reference data (states, districts, agencies, countries)."""
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)
    yield
    with django_db_blocker.unblock():
        _end_other_sessions()


def _end_other_sessions() -> None:
    """PostgreSQL: end the sessions still open on the test database, so that it can be dropped: the alert stream's
    account reader keeps one connection per process (alerts.asgi), and the tests' in-process servers leave theirs."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


# --- E-mail: a real SMTP server on loopback, used through Django's SMTP backend -----------------


class _Sink:
    def __init__(self):
        self.messages: list[Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = message_from_bytes(envelope.original_content or envelope.content)
        message.envelope_to = sorted(envelope.rcpt_tos)  # who it went to, Bcc included (Bcc never reaches the wire)
        with self.lock:
            self.messages.append(message)
        return "250 OK"


@pytest.fixture(scope="session")
def smtp_sink():
    sink = _Sink()
    with socket.socket() as probe:  # aiosmtpd cannot pick a free port itself
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    yield sink, controller.port
    controller.stop()


class Mailbox:
    def __init__(self, sink: _Sink):
        self._sink = sink

    @property
    def messages(self) -> list[Message]:
        return list(self._sink.messages)

    def wait_for(self, count: int = 1, timeout: float = 5.0) -> list[Message]:
        deadline = time.monotonic() + timeout
        while len(self._sink.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages

    @staticmethod
    def body(message: Message) -> str:
        part = message.get_payload(decode=True) if not message.is_multipart() else message.get_payload(0).get_payload(decode=True)
        return part.decode()


# --- SMS: a fake gateway, a real HTTP server on loopback that takes what notify.sms.GatewayBackend posts ------------


class FakeGateway:
    """Takes JSON posts as an Indian SMS gateway would: 202 with an id; 400 for a message without a DLT template id;
    `fail_next(n)` answers the next n with 503, as a gateway in an outage."""

    def __init__(self):
        self.received: list[dict] = []
        self.tokens: list[str] = []
        self.failures = 0
        self.lock = threading.Lock()

    def fail_next(self, n: int) -> None:
        self.failures = n

    def wait_for(self, count: int = 1, timeout: float = 5.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.received)


@pytest.fixture(scope="session")
def _sms_gateway_server():
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    gateway = FakeGateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's hook name
            payload = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            with gateway.lock:
                if gateway.failures:
                    gateway.failures -= 1
                    status, answer = 503, {"error": "try later"}
                elif not payload.get("dlt_template_id"):
                    status, answer = 400, {"error": "template not registered"}
                else:
                    gateway.received.append(payload)
                    gateway.tokens.append(self.headers.get("Authorization", ""))
                    status, answer = 202, {"id": f"fake-{len(gateway.received)}"}
            body = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield gateway, f"http://127.0.0.1:{server.server_address[1]}/v1/sms"
    server.shutdown()


@pytest.fixture
def sms_gateway(_sms_gateway_server) -> FakeGateway:
    gateway, _url = _sms_gateway_server
    with gateway.lock:
        gateway.received.clear()
        gateway.tokens.clear()
        gateway.failures = 0
    return gateway


@pytest.fixture(scope="session", autouse=True)
def _tasks_run_when_their_transaction_ends():
    """Tasks run in process as soon as the transaction that enqueued them ends (JOBS_RUN_ON_COMMIT), as a worker
    would run them, so that a test sees a task's effect (its mail) without a worker beside it."""
    from jobs.testing import run_tasks_when_transactions_end

    run_tasks_when_transactions_end()


@pytest.fixture(autouse=True)
def _test_settings(settings, smtp_sink, _sms_gateway_server):
    """Real SMTP delivery to the sink and SMS to the fake gateway; tasks run when their transaction ends; a fast
    password hasher (Argon2 itself is tested on its own)."""
    _sink, port = smtp_sink
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.JOBS_RUN_ON_COMMIT = True
    settings.SMS_BACKEND = "notify.sms.GatewayBackend"
    settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_TOKEN = _sms_gateway_server[1], "test-token"
    settings.SMS_DLT_TEMPLATES = {key: f"1107{n:015d}" for n, key in enumerate(sorted(_catalogue_keys()), 1)}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "django.contrib.auth.hashers.Argon2PasswordHasher"]
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    cache.clear()


def _catalogue_keys():
    from notify.catalogue import MESSAGES

    return MESSAGES


@pytest.fixture
def mailbox(smtp_sink) -> Mailbox:
    sink, _port = smtp_sink
    sink.messages.clear()
    return Mailbox(sink)


# --- Files: uploads are checked by their whole structure, so tests send real ones -----------------


def pdf_bytes(text: str = "A statement (test).") -> bytes:
    """A small, whole PDF of one page with a line of text."""
    from io import BytesIO

    from reportlab.pdfgen import canvas

    buffer = BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


# --- Places and offices -------------------------------------------------------------------


@pytest.fixture
def delhi_police(db) -> Agency:
    return Agency.objects.get(code="PS-DL")


@pytest.fixture
def maharashtra_police(db) -> Agency:
    return Agency.objects.get(code="PS-MH")


@pytest.fixture
def ncb(db) -> Agency:
    return Agency.objects.get(kind=Agency.Kind.NCB)


@pytest.fixture
def delhi_crime_branch(delhi_police) -> UnitOffice:
    return UnitOffice.objects.create(agency=delhi_police, code="T-DL-CB", name="Crime Branch")


@pytest.fixture
def delhi_cyber_cell(delhi_police) -> UnitOffice:
    return UnitOffice.objects.create(agency=delhi_police, code="T-DL-CY", name="Cyber Crime Cell")


@pytest.fixture
def delhi_station(delhi_police) -> PoliceStation:
    district = District.objects.filter(state=delhi_police.state).order_by("lgd_code").first()
    return PoliceStation.objects.create(
        code="T-DL-PS1", name="Connaught Place", district=district, agency=delhi_police, lat=28.63, lon=77.22
    )


@pytest.fixture
def mumbai_station(maharashtra_police) -> PoliceStation:
    district = District.objects.filter(state=maharashtra_police.state).order_by("lgd_code").first()
    return PoliceStation.objects.create(code="T-MH-PS1", name="Colaba", district=district, agency=maharashtra_police, lat=18.91, lon=72.82)


# --- Personas -------------------------------------------------------------------------------


def fir_registration(number: int, *, year: int = 2025, sections=(("BNS", "303(2)"),), persons=(), vehicles=(), **fir) -> dict:
    """What records.services.fir_register takes for a plain FIR (a theft at Janpath in January 2025), with overrides."""
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    return {
        "fir": {
            "number": number,
            "year": year,
            "registered_on": date(year, 1, 11),
            "occurred_from": datetime(year, 1, 10, 18, 30, tzinfo=ZoneInfo("Asia/Kolkata")),
            "place": "Janpath market",
            "narrative": "The complainant's scooter was stolen from the market's parking (test).",
            **fir,
        },
        "complainant": {"name": "Asha Verma", "father_name": "Mohan Verma", "address": "12 Test Lane, New Delhi"},
        "sections": [{"law": law, "section": section} for law, section in sections],
        "persons": list(persons),
        "vehicles": list(vehicles),
    }


def make_user(username: str, role: str, **fields) -> User:
    user = User(username=username, role=role, email=f"{username}@example.invalid", first_name=username.split("_")[0].title(), **fields)
    user.set_password(PASSWORD)
    user.save()
    if user.is_police:
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


@pytest.fixture
def ncb_admin(ncb) -> User:
    return make_user("ncb_admin", Role.NCB_ADMIN, agency=ncb)


@pytest.fixture
def ncb_officer(ncb) -> User:
    return make_user("ncb_officer", Role.NCB_OFFICER, agency=ncb)


@pytest.fixture
def delhi_ilo(delhi_police) -> User:
    return make_user("delhi_ilo", Role.ILO, agency=delhi_police)


@pytest.fixture
def delhi_uo(delhi_ilo, delhi_crime_branch) -> User:
    return make_user("delhi_uo", Role.UO, agency=delhi_crime_branch.agency, unit=delhi_crime_branch, supervisor=delhi_ilo)


@pytest.fixture
def delhi_station_officer(delhi_station) -> User:
    return make_user("delhi_sho", Role.STATION_OFFICER, agency=delhi_station.agency, station=delhi_station)


@pytest.fixture
def delhi_district_officer(delhi_station) -> User:
    return make_user("delhi_sp", Role.DISTRICT_OFFICER, agency=delhi_station.agency, district=delhi_station.district)


@pytest.fixture
def mumbai_ilo(maharashtra_police) -> User:
    return make_user("mumbai_ilo", Role.ILO, agency=maharashtra_police)


@pytest.fixture
def analyst(db) -> User:
    return make_user("analyst", Role.ANALYST)


@pytest.fixture
def citizen(db) -> User:
    return make_user("citizen", Role.CITIZEN)


@pytest.fixture
def sysadmin(db) -> User:
    return make_user("sysadmin", Role.SYSADMIN)


# --- Signing in -----------------------------------------------------------------------------


def current_code(user: User, offset_steps: int | None = None) -> str:
    """A code the user's authenticator app would show: now, or the next one if now's was already used.

    TOTP refuses a code twice; an app shows the next code 30 seconds later, which the device's
    one-step tolerance also accepts, so tests need not wait.
    """
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if offset_steps is None:
        offset_steps = 1 if device.last_t >= totp.t() else 0
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():06d}"


def sign_in(client, user: User) -> None:
    """A session past every sign-in step (password, second factor, notice)."""
    client.force_login(user)
    session = client.session
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[NOTICE_SESSION_KEY] = True
    session.save()


@pytest.fixture
def signed_in(client):
    """signed_in(user) gives a test client signed in as that user."""

    def _sign_in(user: User):
        sign_in(client, user)
        return client

    return _sign_in


# --- Browser tests: Debian's chromium driven by Playwright ----------------------------------

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def chromium():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium is required for browser tests but {CHROMIUM} is missing (apt-get install chromium).")
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium); CI installs it.")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield browser
        browser.close()


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests flush the database after each test: load the reference data again when it is gone."""
    from directory.models import State
    from directory.services import reference_data_load

    if not State.objects.exists():
        reference_data_load()


@pytest.fixture
def page(chromium, live_server, transactional_db):
    """A fresh browser tab; the reference data is reloaded because transactional tests flush it."""
    from directory.models import State
    from directory.services import reference_data_load

    if not State.objects.exists():
        reference_data_load()
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-IN")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


@pytest.fixture
def phone_page(chromium, live_server, transactional_db):
    """A tab the size of a small phone."""
    from directory.models import State
    from directory.services import reference_data_load

    if not State.objects.exists():
        reference_data_load()
    context = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="en-IN")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def browser_sign_in(page, base_url: str, user: User) -> None:
    """Sign in through the real pages: password, TOTP code, system-use notice."""
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(current_code(user))
    page.get_by_role("button", name="Verify").click()
    page.get_by_label("I have read the notice").check()
    page.get_by_role("button", name="Continue").click()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    path = Path(__file__).resolve().parent / "var" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def run_async(coroutine):
    """Run a coroutine to completion on a fresh event loop in its own thread.

    Playwright's sync API keeps an event loop running in the main thread once a browser test has run,
    and `asyncio.run` refuses to start inside it.
    """
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()

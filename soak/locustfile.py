"""Simulated OpenPol users for locust: every kind of officer, analysts, citizens, API clients and alert-stream holders.

Run by soak/run.py (`make soak`), which sets SOAK_CREDENTIALS (written by soak/prepare.py) and SOAK_SUMMARY (where
the per-kind statistics go at the end). Each simulated user takes an account of its own from its pool, sends its own
X-Forwarded-For address from the 198.18.0.0/15 benchmark range (the server trusts it from loopback, so rate limits
count per simulated client) and signs in through the real pages: password, TOTP code, system-use notice. Requests
are named by kind of page, so percentiles are per kind. Every request has a timeout and every stream a hold time.
"""

import json
import os
import random
import re
import threading
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from itertools import count

import gevent
from locust import HttpUser, between, events, task

from soak import totp

CREDENTIALS = json.loads(open(os.environ["SOAK_CREDENTIALS"]).read())  # noqa: SIM115
TIMEOUT = (10, 60)  # connect, read: no request waits for ever
STREAM_HOLD = (float(os.environ.get("SOAK_STREAM_MIN_S", 45)), float(os.environ.get("SOAK_STREAM_MAX_S", 150)))
# SOAK_PAGE_STREAMS=0: alert pages are opened but their session stream is not held (to measure the rest without it).
PAGE_STREAMS = os.environ.get("SOAK_PAGE_STREAMS", "1") != "0"
# Seconds a person spends on a page before the next action: officers read what they open.
THINK = tuple(float(x) for x in os.environ.get("SOAK_THINK_S", "5,30").split(","))
PURPOSES = (
    "Verification of a suspect arrested in FIR {n}/2026",
    "Tracing an accused person absconding in case {n}/2026",
    "Checking antecedents before a bail hearing, case {n}/2026",
    "Identifying a person named in complaint {n}/2026",
)
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION_RE = re.compile(r'name="version" value="(\d+)"')

# --- Accounts, addresses, codes -------------------------------------------------------------------


class Pool:
    """The accounts of one kind; each simulated user takes the next, so no two share a TOTP device."""

    def __init__(self, name: str):
        self.accounts = CREDENTIALS["pools"][name]
        self.next = count()
        self.lock = threading.Lock()

    def claim(self) -> dict:
        with self.lock:
            return self.accounts[next(self.next) % len(self.accounts)]


POOLS = {name: Pool(name) for name in CREDENTIALS["pools"]}
ADDRESSES = count()


def client_address() -> str:
    """A distinct address in 198.18.0.0/15 (RFC 2544 benchmarking), only ever sent as a header."""
    n = next(ADDRESSES)
    return f"198.{18 + (n // 65000) % 2}.{(n // 250) % 256}.{n % 250 + 1}"


def links(html: str, pattern: str) -> list[str]:
    return sorted(set(re.findall(pattern, html)))


# --- Statistics by status, written at the end ------------------------------------------------------

STATUSES: dict[str, Counter] = defaultdict(Counter)
STREAMS = Counter()


@events.request.add_listener
def _count_status(request_type, name, response_time, response_length, response=None, exception=None, **kwargs):
    status = getattr(response, "status_code", None)
    STATUSES[name][str(status if status is not None else "no-response")] += 1


@events.quitting.add_listener
def _write_summary(environment, **kwargs):
    path = os.environ.get("SOAK_SUMMARY")
    if not path:
        return
    kinds = {}
    for (name, method), entry in sorted(environment.stats.entries.items()):
        if not entry.num_requests:
            continue
        kinds[name] = {
            "method": method,
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "p50_ms": entry.get_response_time_percentile(0.5),
            "p95_ms": entry.get_response_time_percentile(0.95),
            "p99_ms": entry.get_response_time_percentile(0.99),
            "max_ms": round(entry.max_response_time or 0),
            "statuses": dict(STATUSES.get(name, {})),
        }
    total = environment.stats.total
    failures = [
        {"name": f.name, "method": f.method, "error": str(f.error)[:300], "occurrences": f.occurrences}
        for f in sorted(environment.stats.errors.values(), key=lambda f: -f.occurrences)[:30]
    ]
    summary = {
        "requests": total.num_requests,
        "failures": total.num_failures,
        "p50_ms": total.get_response_time_percentile(0.5),
        "p95_ms": total.get_response_time_percentile(0.95),
        "p99_ms": total.get_response_time_percentile(0.99),
        "kinds": kinds,
        "streams": dict(STREAMS),
        "failure_samples": failures,
    }
    with open(path, "w") as handle:
        json.dump(summary, handle)


# --- The users ----------------------------------------------------------------------------------------


class PortalUser(HttpUser):
    """A person using the portal in a browser: signs in through every step, then works through pages."""

    abstract = True
    pool = ""
    wait_time = between(*THINK)

    def on_start(self):
        self.account = POOLS[self.pool].claim()
        self.client.headers["X-Forwarded-For"] = client_address()
        self.client.headers["Accept-Language"] = random.choice(["en-IN,en;q=0.9", "hi-IN,hi;q=0.9,en;q=0.5"])
        self.signed_in = False
        self.sign_in()

    # Requests ------------------------------------------------------------------------------------
    def get(self, path: str, name: str, **kwargs):
        return self.client.get(path, name=name, timeout=TIMEOUT, **kwargs)

    def post(self, path: str, name: str, data: dict, **kwargs):
        data = {"csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""), **data}
        return self.client.post(path, data=data, name=name, timeout=TIMEOUT, allow_redirects=False, **kwargs)

    def page(self, path: str, name: str) -> str:
        """A page's HTML ('' when it did not answer 200)."""
        response = self.get(path, name)
        return response.text if response.status_code == 200 else ""

    # Signing in -----------------------------------------------------------------------------------
    def sign_in(self) -> bool:
        """Password, then (police) a TOTP code and the system-use notice, each through its page."""
        self.client.cookies.clear()
        self.signed_in = False
        form = self.page("/accounts/login/", "sign-in: page")
        if not form:
            return False
        with self.client.post(
            "/accounts/login/",
            data={"csrfmiddlewaretoken": _csrf(form), "username": self.account["username"], "password": CREDENTIALS["password"]},
            name="sign-in: password",
            timeout=TIMEOUT,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"password step answered {response.status_code}")
                return False
            target = response.headers.get("Location", "")
        if "totp_key" in self.account:
            if "/signin/code/" not in target:
                return False
            if not self.enter_code():
                return False
            notice = self.page("/accounts/signin/notice/", "sign-in: notice page")
            if not notice:
                return False
            with self.client.post(
                "/accounts/signin/notice/",
                data={"csrfmiddlewaretoken": _csrf(notice), "acknowledge": "on"},
                name="sign-in: notice",
                timeout=TIMEOUT,
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code != 302:
                    response.failure(f"notice step answered {response.status_code}")
                    return False
        self.signed_in = True
        self.page("/dashboard/", "dashboard")
        return True

    def enter_code(self) -> bool:
        """Type the code the app shows now; wait for the next one if this account's last code was of this step."""
        last = self.account.get("last_step", -1)
        if totp.step_at() <= last:
            gevent.sleep(max(0.0, (last + 1) * totp.STEP - time.time()) + 0.5)
        step = totp.step_at()
        self.account["last_step"] = step
        form = self.page("/accounts/signin/code/", "sign-in: code page")
        if not form:
            return False
        with self.client.post(
            "/accounts/signin/code/",
            data={"csrfmiddlewaretoken": _csrf(form), "code": totp.code(self.account["totp_key"], step)},
            name="sign-in: code",
            timeout=TIMEOUT,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"code step answered {response.status_code}")
                return False
        return True

    def ensure_signed_in(self) -> bool:
        return self.signed_in or self.sign_in()

    @task(1)
    def sign_out_and_in(self):
        """People come and go (about every 20 minutes): sign out, and in again once the app shows a code not yet used."""
        if random.random() > 0.3 or ("totp_key" in self.account and totp.step_at() <= self.account.get("last_step", -1)):
            return
        self.post("/accounts/logout/", "sign-out", {})
        self.sign_in()

    # Pages every officer uses --------------------------------------------------------------------
    def browse(self, list_path: str, kind: str, pattern: str, detail_kind: str | None = None) -> str:
        """A list, then one of its items, as someone scanning their work would."""
        html = self.page(list_path, f"{kind}: list")
        found = links(html, pattern)
        if found:
            return self.page(random.choice(found), detail_kind or f"{kind}: detail")
        return ""

    def records_search(self):
        person = random.choice(CREDENTIALS["search"])
        query = {"purpose": random.choice(PURPOSES).format(n=random.randint(1, 999)), "name": person["name"]}
        if random.random() < 0.7:
            query["father_name"] = person["father_name"]
        if person.get("year") and random.random() < 0.7:
            query["dob"] = str(person["year"])
        self.get("/records/", "records: person search", params=query)

    def alerts_inbox(self):
        html = self.browse("/alerts/", "alerts", r'href="(/alerts/\d+/)"')
        if html and "/acknowledge/" in html and random.random() < 0.3:
            match = re.search(r'action="(/alerts/\d+/acknowledge/)"', html)
            if match:
                self.post(match.group(1), "alerts: acknowledge", {"action_taken": "Pickets informed (soak)."})

    def watch_alerts(self):
        """Keep the alert inbox open for a while: the page's own EventSource on /alerts/stream (session)."""
        self.page("/alerts/", "alerts: list")
        if PAGE_STREAMS:
            hold(self, "/alerts/stream", "alerts: page stream", random.uniform(20, 60))


class NcbUser(PortalUser):
    """NCB officers and administrators at CBI (NCB-New Delhi)."""

    pool = "ncb"
    weight = 6

    @task(3)
    def dashboard(self):
        self.ensure_signed_in() and self.page("/dashboard/", "dashboard")

    @task(4)
    def inbox(self):
        self.ensure_signed_in() and self.page("/work/inbox/", "inbox")

    @task(4)
    def notices(self):
        self.ensure_signed_in() and self.browse("/notices/", "notices", r'href="(/notices/\d+/)"')

    @task(2)
    def references(self):
        self.ensure_signed_in() and self.browse("/references/", "references", r'href="(/references/\d+/)"')

    @task(3)
    def broadcasts(self):
        if self.ensure_signed_in():
            html = self.browse("/broadcasts/", "broadcasts", r'href="(/broadcasts/\d+/)"')
            match = re.search(r'hx-get="(/broadcasts/\d+/status/)"', html)
            if match:
                self.page(match.group(1), "broadcasts: status (poll)")

    @task(1)
    def outbound(self):
        self.ensure_signed_in() and self.page("/work/outbound/", "outbound queue")

    @task(2)
    def alerts(self):
        self.ensure_signed_in() and self.alerts_inbox()

    @task(1)
    def alert_dashboard(self):
        self.ensure_signed_in() and self.page("/alerts/dashboard/", "alerts: dashboard")

    @task(2)
    def connect(self):
        if self.ensure_signed_in():
            html = self.browse("/connect/", "connect", r'href="(/connect/\d+/)"')
            match = re.search(r'hx-get="(/connect/\d+/messages/\?after=\d+)"', html)
            if match:
                self.page(match.group(1), "connect: poll")

    @task(2)
    def records(self):
        self.ensure_signed_in() and self.records_search()

    @task(1)
    def resources(self):
        self.ensure_signed_in() and self.page("/resources/", "resources: list")

    @task(1)
    def admin_pages(self):
        if self.ensure_signed_in() and self.account["role"] == "ncb_admin":
            self.page("/audit/", "audit: list")
            self.page("/accounts/users/", "users: list")


class IloUser(PortalUser):
    """INTERPOL Liaison Officers of the state police forces and central agencies."""

    pool = "ilo"
    weight = 6

    @task(3)
    def dashboard(self):
        self.ensure_signed_in() and self.page("/dashboard/", "dashboard")

    @task(4)
    def inbox(self):
        self.ensure_signed_in() and self.page("/work/inbox/", "inbox")

    @task(3)
    def notices(self):
        self.ensure_signed_in() and self.browse("/notices/", "notices", r'href="(/notices/\d+/)"')

    @task(2)
    def references(self):
        self.ensure_signed_in() and self.browse("/references/", "references", r'href="(/references/\d+/)"')

    @task(2)
    def broadcasts(self):
        self.ensure_signed_in() and self.browse("/broadcasts/", "broadcasts", r'href="(/broadcasts/\d+/)"')

    @task(2)
    def connect(self):
        self.ensure_signed_in() and self.browse("/connect/", "connect", r'href="(/connect/\d+/)"')

    @task(2)
    def citizen_requests(self):
        self.ensure_signed_in() and self.page("/station/", "station: inbox")

    @task(2)
    def alerts(self):
        self.ensure_signed_in() and self.alerts_inbox()

    @task(2)
    def records(self):
        self.ensure_signed_in() and self.records_search()

    @task(1)
    def users(self):
        self.ensure_signed_in() and self.page("/accounts/users/", "users: list")

    @task(1)
    def directory(self):
        self.ensure_signed_in() and self.page("/directory/agencies/", "directory: agencies")


class UoUser(PortalUser):
    """Unit Officers: draft notices and references, talk with their ILO, search the records."""

    pool = "uo"
    weight = 8

    @task(3)
    def dashboard(self):
        self.ensure_signed_in() and self.page("/dashboard/", "dashboard")

    @task(3)
    def inbox(self):
        self.ensure_signed_in() and self.page("/work/inbox/", "inbox")

    @task(3)
    def notices(self):
        self.ensure_signed_in() and self.browse("/notices/", "notices", r'href="(/notices/\d+/)"')

    @task(2)
    def references(self):
        self.ensure_signed_in() and self.browse("/references/", "references", r'href="(/references/\d+/)"')

    @task(2)
    def broadcasts(self):
        self.ensure_signed_in() and self.browse("/broadcasts/", "broadcasts", r'href="(/broadcasts/\d+/)"')

    @task(3)
    def connect(self):
        """Open a conversation, poll it as the page does, and sometimes write."""
        if not self.ensure_signed_in():
            return
        html = self.browse("/connect/", "connect", r'href="(/connect/\d+/)"')
        match = re.search(r'hx-get="(/connect/(\d+)/messages/\?after=\d+)"', html)
        if match:
            for _ in range(random.randint(1, 3)):
                self.page(match.group(1), "connect: poll")
                gevent.sleep(4)
            if random.random() < 0.3:
                self.post(f"/connect/{match.group(2)}/messages/new/", "connect: post message", {"body": "Checked, nothing new (soak)."})

    @task(3)
    def records(self):
        self.ensure_signed_in() and self.records_search()

    @task(1)
    def resources(self):
        self.ensure_signed_in() and self.page("/resources/", "resources: list")

    @task(1)
    def alerts(self):
        self.ensure_signed_in() and self.alerts_inbox()


class DistrictUser(PortalUser):
    """District officers (SP offices): follow what waits at their stations."""

    pool = "district"
    weight = 4

    @task(2)
    def dashboard(self):
        self.ensure_signed_in() and self.page("/dashboard/", "dashboard")

    @task(4)
    def citizen_requests(self):
        if self.ensure_signed_in():
            html = self.page("/station/", "station: inbox")
            found = links(html, r'href="(/station/r/[A-Z0-9-]+/)"')
            if found:
                self.page(random.choice(found), "station: request detail")

    @task(2)
    def inbox(self):
        self.ensure_signed_in() and self.page("/work/inbox/", "inbox")

    @task(3)
    def alerts(self):
        self.ensure_signed_in() and self.alerts_inbox()

    @task(2)
    def records(self):
        self.ensure_signed_in() and self.records_search()

    @task(1)
    def watch(self):
        self.ensure_signed_in() and self.watch_alerts()


class StationUser(PortalUser):
    """Station officers: the station's inbox of citizen requests, crime alerts, records."""

    pool = "station"
    weight = 12

    @task(2)
    def dashboard(self):
        self.ensure_signed_in() and self.page("/dashboard/", "dashboard")

    @task(5)
    def citizen_requests(self):
        """Open the inbox, read a request, and accept a new one."""
        if not self.ensure_signed_in():
            return
        html = self.page("/station/", "station: inbox")
        found = links(html, r'href="(/station/r/([A-Z0-9-]+)/)"')
        if not found:
            return
        path, _reference = random.choice(found)
        detail = self.page(path, "station: request detail")
        if "steps/accept/" in detail and random.random() < 0.5:
            version = VERSION_RE.search(detail)
            with self.client.post(
                f"{path}steps/accept/",
                data={
                    "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
                    "note": "Enquiry officer assigned (soak).",
                    "version": version.group(1) if version else "",
                },
                name="station: accept request",
                timeout=TIMEOUT,
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code == 409:  # another officer of the station acted first: the page says so
                    response.success()

    @task(3)
    def alerts(self):
        self.ensure_signed_in() and self.alerts_inbox()

    @task(2)
    def watch(self):
        self.ensure_signed_in() and self.watch_alerts()

    @task(2)
    def records(self):
        self.ensure_signed_in() and self.records_search()

    @task(1)
    def vehicles(self):
        if self.ensure_signed_in():
            query = {"purpose": "Checking a vehicle stopped at a picket (soak)", "registration": f"DL 3S AB {random.randint(1000, 1011)}"}
            self.get("/records/vehicles/", "records: vehicle search", params=query)


class AnalystUser(PortalUser):
    """Analysts: statistics only."""

    pool = "analyst"
    weight = 2

    @task(3)
    def dashboard(self):
        self.ensure_signed_in() and self.page("/dashboard/", "dashboard")

    @task(3)
    def alert_statistics(self):
        self.ensure_signed_in() and self.page("/alerts/dashboard/", "alerts: dashboard")


class CitizenUser(PortalUser):
    """Citizens: file a complaint with their police station and follow it."""

    pool = "citizen"
    weight = 20

    @task(2)
    def services(self):
        self.page("/services/", "citizen: services")

    @task(3)
    def my_requests(self):
        if self.ensure_signed_in():
            html = self.page("/services/mine/", "citizen: my requests")
            found = links(html, r'href="(/services/r/[A-Z0-9-]+/)"')
            if found:
                self.page(random.choice(found), "citizen: request detail")

    @task(2)
    def file_complaint(self):
        if not self.ensure_signed_in():
            return
        self.page("/services/new/complaint/", "citizen: request form")
        data = {
            "station": str(random.choice(CREDENTIALS["stations"])),
            "category": random.choice(["theft", "cyber", "cheating", "threat"]),
            "occurred_on": (datetime.now(UTC).date() - timedelta(days=random.randint(1, 20))).isoformat(),
            "place": "Near the bus stand (soak, fake)",
            "description": "My phone was taken from my bag on the bus (soak test, fake).",
        }
        response = self.post("/services/new/complaint/", "citizen: file request", data)
        if response.status_code == 302 and "/services/r/" in response.headers.get("Location", ""):
            self.page(response.headers["Location"], "citizen: request detail")

    @task(1)
    def find_station(self):
        self.get("/services/stations/", "citizen: find station", params={"place": random.choice(["Sadar", "City", "Rural"])})


class ApiClient(HttpUser):
    """A machine client with a bearer token: reads inboxes and alerts, searches the records, publishes now and then."""

    weight = 6
    wait_time = between(2, 8)

    def on_start(self):
        self.account = POOLS["api"].claim()
        self.client.headers["X-Forwarded-For"] = client_address()
        self.client.headers["Authorization"] = f"Bearer {self.account['token']}"

    def get(self, path, name, **kwargs):
        return self.client.get(path, name=name, timeout=TIMEOUT, **kwargs)

    @task(2)
    def me(self):
        self.get("/api/v1/accounts/me", "api: me")

    @task(3)
    def inbox(self):
        self.get("/api/v1/workflow/inbox", "api: inbox")

    @task(4)
    def alerts(self):
        response = self.get("/api/v1/alerts/", "api: alerts")
        items = response.json().get("items", []) if response.status_code == 200 else []
        if items:
            self.get(f"/api/v1/alerts/{random.choice(items)['id']}", "api: alert")

    @task(2)
    def stations(self):
        self.get("/api/v1/directory/stations", "api: stations", params={"page": random.randint(1, 5)})

    @task(2)
    def person_search(self):
        person = random.choice(CREDENTIALS["search"])
        payload = {"purpose": random.choice(PURPOSES).format(n=random.randint(1, 999)), "name": person["name"]}
        payload["father_name"] = person["father_name"]
        self.client.post("/api/v1/records/persons/search", json=payload, name="api: person search", timeout=TIMEOUT)

    @task(1)
    def citizen_requests(self):
        if self.account["role"] == "station_officer":
            self.get("/api/v1/citizen/station/requests", "api: station requests")

    @task(1)
    def publish(self):
        """An alert now and then (one every ~10 s from 40 clients), which every open stream of its area receives. From
        the station officers' side: a station's alert is about its own district, which the server fills in; a unit's
        publisher would have to say where (it has no district of its own), and that client is not this one."""
        if self.account["role"] != "station_officer" or random.random() > 0.33:
            return
        payload = {
            "category": random.choice(["stolen_vehicle", "kidnapping", "dacoity"]),
            "headline": "Soak alert (fake): white car seen leaving the scene",
            "description": "Invented soak-test alert.",
            "expires_at": (datetime.now(UTC) + timedelta(hours=6)).isoformat(),
            "vehicles": [{"registration": f"DL 1C {random.randint(1000, 9999)}"}],
        }
        self.client.post("/api/v1/alerts/", json=payload, name="api: publish alert", timeout=TIMEOUT)


class AlertStreamHolder(HttpUser):
    """A control-room screen or app: a stream ticket, then /api/v1/alerts/stream held open, then a reconnect."""

    weight = 6
    wait_time = between(1, 5)

    def on_start(self):
        self.account = POOLS["stream"].claim()
        self.client.headers["X-Forwarded-For"] = client_address()
        self.client.headers["Authorization"] = f"Bearer {self.account['token']}"

    @task
    def stream(self):
        response = self.client.get("/api/v1/alerts/stream-ticket", name="api: stream ticket", timeout=TIMEOUT)
        if response.status_code != 200:
            return
        hold(self, response.json()["stream_url"], "alerts: stream (ticket)", random.uniform(*STREAM_HOLD))


def hold(user: HttpUser, path: str, name: str, seconds: float) -> None:
    """Read a server-sent event stream for `seconds` (heartbeats come every ~15 s), then hang up."""
    with user.client.get(path, name=name, stream=True, timeout=(10, 40), catch_response=True, headers={"Accept": "text/event-stream"}) as r:
        if r.status_code != 200:
            r.failure(f"stream answered {r.status_code}")
            return
        STREAMS["opened"] += 1
        deadline = time.monotonic() + seconds
        try:
            for line in r.iter_lines(chunk_size=None):
                if line.startswith(b"id:"):
                    STREAMS["events"] += 1
                if time.monotonic() > deadline:
                    break
            else:
                STREAMS["closed_by_server"] += 1
        except Exception as error:  # noqa: BLE001 - a dropped stream is counted, then the holder reconnects
            STREAMS[f"broken: {error.__class__.__name__}"] += 1
        finally:
            r.close()


def _csrf(html: str) -> str:
    match = CSRF_RE.search(html)
    return match.group(1) if match else ""

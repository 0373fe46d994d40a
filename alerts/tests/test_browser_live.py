"""In a real browser, live: one Delhi station publishes an alert; the inbox another Delhi station already has open
shows it without a reload; that station acknowledges it, and the publisher's open alert page shows the
acknowledgement without a reload either.

The pages are served by uvicorn (openpol.asgi's application, run in a thread of this process), not by
pytest-django's `live_server`: `live_server` is a threaded WSGI server, and under WSGI Django consumes a
StreamingHttpResponse's async iterator to its end before sending anything, so an endless event stream never
reaches the page there. In a thread of this process uvicorn shares the test database (SQLite's shared-cache
in-memory test database, or any file or PostgreSQL database) with the test.
"""

import socket
import threading
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from alerts import realtime
from conftest import browser_sign_in, make_user
from directory.models import Agency, District, PoliceStation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def asgi_server(page, settings):
    """The project's ASGI application (with the static files) under uvicorn on a free port; yields its base URL."""
    import uvicorn
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
    from django.core.asgi import get_asgi_application

    from alerts.asgi import with_alert_stream

    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    settings.ALERTS_SSE_HEARTBEAT_SECONDS = 1  # a closed page is noticed quickly, so the server stops promptly
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = with_alert_stream(ASGIStaticFilesHandler(get_asgi_application()))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    realtime.broker.loop = None  # uvicorn's loop is gone; the next stream makes a new one
    realtime.broker.subscribers.clear()


def test_a_published_alert_and_its_acknowledgement_appear_live(asgi_server, page, chromium, screenshots):
    base = asgi_server
    delhi = Agency.objects.get(code="PS-DL")
    district = District.objects.filter(state=delhi.state).order_by("lgd_code").first()
    connaught = PoliceStation.objects.create(code="T-DL-PS1", name="Connaught Place", district=district, agency=delhi, lat=28.63, lon=77.22)
    parliament = PoliceStation.objects.create(
        code="T-DL-PS2", name="Parliament Street", district=district, agency=delhi, lat=28.62, lon=77.21
    )
    recipient = make_user("sho_connaught", Role.STATION_OFFICER, agency=delhi, station=connaught)
    publisher = make_user("sho_parliament", Role.STATION_OFFICER, agency=delhi, station=parliament)
    headline = "Armed robbers fled towards Karol Bagh in a white van"

    # The recipient opens the inbox, which connects to the stream.
    browser_sign_in(page, base, recipient)
    page.goto(f"{base}/alerts/")
    inbox_url = page.url
    expect(page.locator("#live-status")).to_have_text("Live: new alerts appear at the top.")
    expect(page.locator("#alert-list .empty")).to_be_visible()
    page.evaluate("window.__notReloaded = true")  # gone if the page navigates or reloads

    # The publisher, in a browser context of their own, publishes through the form.
    publisher_context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-IN")
    try:
        desk = publisher_context.new_page()
        desk.set_default_timeout(10_000)
        browser_sign_in(desk, base, publisher)
        desk.goto(f"{base}/alerts/new/")
        desk.get_by_label("Category").select_option("dacoity")
        desk.get_by_label("Headline").fill(headline)
        desk.get_by_label("Description").fill("Three men robbed a jeweller at gunpoint at 21:40 and fled north.")
        desk.get_by_label("Expires").fill((timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"))
        desk.get_by_role("button", name="Publish", exact=True).click()
        expect(desk.get_by_role("heading", level=1)).to_contain_text(headline)
        reference = desk.get_by_role("heading", level=1).inner_text().split(":")[0]
        alert_url = desk.url
        desk.evaluate("window.__notReloaded = true")
        expect(desk.locator("#ack-count")).to_have_text("0")
        expect(desk.locator("#acks tbody tr")).to_have_count(0)

        # The recipient's open inbox shows it at the top, without a reload.
        fresh = page.locator("#alert-list li.alert-item.fresh").first
        expect(fresh).to_be_visible(timeout=5000)
        expect(fresh).to_contain_text(headline)
        expect(fresh).to_contain_text(reference)
        expect(page.locator("#live-status")).to_contain_text(f"New alert: {reference} {headline}")
        assert page.url == inbox_url
        assert page.evaluate("window.__notReloaded") is True
        page.screenshot(path=str(screenshots / "alerts-live-inbox.png"), full_page=True)

        # The recipient acknowledges it on the alert's page.
        fresh.get_by_role("link").click()
        page.get_by_label("Action taken").fill("Pickets set up on Pusa Road; van not yet seen.")
        page.get_by_role("button", name="Acknowledge").click()
        expect(page.get_by_text("Acknowledged by")).to_be_visible()

        # The publisher's page, open all along, shows the acknowledgement without a reload.
        row = desk.locator("#acks tbody tr").filter(has_text="Connaught Place")
        expect(row).to_be_visible(timeout=5000)
        expect(row).to_contain_text("Pusa Road")
        expect(desk.locator("#acks tbody tr")).to_have_count(1)
        expect(desk.locator("#ack-count")).to_have_text("1")
        assert desk.url == alert_url
        assert desk.evaluate("window.__notReloaded") is True
        desk.screenshot(path=str(screenshots / "alerts-live-acknowledged.png"), full_page=True)
    finally:
        publisher_context.close()

"""The server-sent events stream, tested through its async generator: replay after reconnect, live delivery, heartbeats."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from django.db import connections

from accounts.offices import Office
from alerts import realtime, services
from alerts.models import AlertEvent
from alerts.tests.conftest import alert_data
from conftest import run_async

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    from directory.models import State
    from directory.services import reference_data_load

    if not State.objects.exists():
        reference_data_load()


def _db(fn):
    """Runs a service in asgiref's worker thread and closes that thread's connection (PostgreSQL can then drop the test database)."""

    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        finally:
            connections.close_all()

    return sync_to_async(run)


async def _next(stream, timeout=5.0) -> str:
    return (await asyncio.wait_for(stream.__anext__(), timeout)).decode()


async def _next_event(stream, timeout=5.0) -> str:
    """The next chunk that is not a heartbeat, or '' if only heartbeats came within the timeout."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while (left := deadline - loop.time()) > 0:
        try:
            chunk = await _next(stream, left)
        except TimeoutError:
            return ""
        if not chunk.startswith(":"):
            return chunk
    return ""


def test_a_page_that_reconnects_with_last_event_id_receives_what_it_missed(delhi_station_officer, mumbai_station):
    first = services.alert_publish(by=delhi_station_officer, data=alert_data(headline="First"))
    seen = AlertEvent.objects.get(alert=first).pk
    second = services.alert_publish(by=delhi_station_officer, data=alert_data(headline="Second"))
    services.alert_publish(by=delhi_station_officer, data=alert_data(headline="Third"))
    viewer = realtime.Viewer.of(delhi_station_officer)
    mumbai = realtime.Viewer(999, Office.of_station(mumbai_station))

    async def run():
        stream = realtime.event_stream(viewer, last_event_id=seen, hub=realtime.Broker(heartbeat=0.05))
        assert (await _next(stream)).startswith("retry: 3000")
        replayed = [await _next(stream), await _next(stream)]
        heartbeat = await _next(stream)
        await stream.aclose()
        far = realtime.event_stream(mumbai, last_event_id=0, hub=realtime.Broker(heartbeat=0.05))
        await _next(far)
        nothing = await _next(far)
        await far.aclose()
        return replayed, heartbeat, nothing

    replayed, heartbeat, nothing = run_async(run())
    assert replayed[0].startswith(f"id: {seen + 1}\n") and '"headline": "Second"' in replayed[0]
    assert f'"alert": {second.pk}' in replayed[0]
    assert '"headline": "Third"' in replayed[1]
    assert heartbeat == ": heartbeat\n\n"
    assert nothing == ": heartbeat\n\n"  # Mumbai is outside the targeting: it replays nothing


def test_an_open_page_receives_a_new_alert_at_once_and_the_originator_its_acknowledgement(delhi_station_officer, delhi_ilo, mumbai_ilo):
    station = realtime.Viewer.of(delhi_station_officer)
    ilo = realtime.Viewer.of(delhi_ilo)
    other_state = realtime.Viewer.of(mumbai_ilo)
    hub = realtime.broker

    async def run():
        streams = [realtime.event_stream(v, hub=hub) for v in (station, ilo, other_state)]
        for stream in streams:
            await _next(stream)  # subscribed
        alert = await _db(services.alert_publish)(
            by=delhi_ilo, data=alert_data(headline="Live one", area_districts=[delhi_station_officer.station.district.lgd_code])
        )
        got_station, got_ilo = await _next_event(streams[0]), await _next_event(streams[1])
        got_other = await _next_event(streams[2], timeout=1.0)
        delivery = await _db(lambda: alert.deliveries.get(station=delhi_station_officer.station))()
        await _db(services.delivery_acknowledge)(delivery=delivery, by=delhi_station_officer, action_taken="Nakabandi")
        ack = await _next_event(streams[1])
        for stream in streams:
            await stream.aclose()
        return got_station, got_ilo, got_other, ack

    got_station, got_ilo, got_other, ack = run_async(run())
    assert '"headline": "Live one"' in got_station and got_station.startswith("id: ")
    assert '"headline": "Live one"' in got_ilo
    assert got_other == ""  # another state's ILO gets only heartbeats
    assert '"kind": "acknowledged"' in ack and "Nakabandi" in ack
    assert not realtime.broker.subscribers


def test_a_page_that_reconnects_before_the_inbox_rows_are_written_still_replays_the_alert(delhi_station_officer, mumbai_station):
    alert, _version = services._publish(by=delhi_station_officer, data=alert_data(headline="Just published"), photos=None)
    event = AlertEvent.objects.get(alert=alert)
    here = realtime.replay_for(realtime.Viewer.of(delhi_station_officer), event.pk - 1)
    mumbai = realtime.Viewer(999, Office.of_station(mumbai_station))
    assert [info.id for info in here] == [event.pk]
    assert realtime.replay_for(mumbai, event.pk - 1) == []


def test_a_district_officer_receives_the_alerts_that_reach_the_stations_of_its_district(
    delhi_station_officer, delhi_district_officer, mumbai_station
):
    alert = services.alert_publish(by=delhi_station_officer, data=alert_data(headline="In the district"))
    event = AlertEvent.objects.get(alert=alert)
    info = realtime.load_events_after(event.pk - 1)[0]
    district = realtime.Viewer.of(delhi_district_officer)
    elsewhere = realtime.Viewer(998, Office.district(mumbai_station.district_id, mumbai_station.agency_id))
    assert info.reaches(district) and not info.reaches(elsewhere)
    assert [replayed.id for replayed in realtime.replay_for(district, event.pk - 1)] == [event.pk]
    assert realtime.replay_for(elsewhere, event.pk - 1) == []


def test_inbox_rows_wait_for_the_pages_of_this_process_but_no_longer_than_the_bound(delhi_station_officer):
    assert realtime.Broker().wait_served(10**9, timeout=5)  # a process that serves no pages does not wait
    hub = realtime.broker

    async def run():
        stream = realtime.event_stream(realtime.Viewer.of(delhi_station_officer), hub=hub)
        await _next(stream)  # the page is open
        alert = await _db(services.alert_publish)(by=delhi_station_officer, data=alert_data(headline="Pages first"))
        event = await _db(lambda: AlertEvent.objects.get(alert=alert).pk)()
        served = await asyncio.to_thread(hub.wait_served, event, 5)
        rows = await _db(lambda: alert.deliveries.count())()
        late = await asyncio.to_thread(hub.wait_served, event + 1000, 0.1)  # never sent: gives up after the bound
        received = await _next_event(stream)
        await stream.aclose()
        return served, rows, late, received

    served, rows, late, received = run_async(run())
    assert served and rows >= 1 and late is False
    assert '"headline": "Pages first"' in received
    assert not hub.subscribers

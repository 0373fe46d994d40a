"""The server-sent events stream, tested through its async generator: replay after reconnect, live delivery, heartbeats."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from django.db import connections

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
    return await asyncio.wait_for(stream.__anext__(), timeout)


async def _next_event(stream, timeout=5.0) -> str:
    """The next chunk that is not a heartbeat, or '' if only heartbeats came within the timeout."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        chunk = await _next(stream, timeout)
        if not chunk.startswith(":"):
            return chunk
    return ""


def test_a_page_that_reconnects_with_last_event_id_receives_what_it_missed(delhi_station_officer, mumbai_station):
    first = services.alert_publish(by=delhi_station_officer, data=alert_data(headline="First"))
    seen = AlertEvent.objects.get(alert=first).pk
    second = services.alert_publish(by=delhi_station_officer, data=alert_data(headline="Second"))
    services.alert_publish(by=delhi_station_officer, data=alert_data(headline="Third"))
    viewer = realtime.Viewer.of(delhi_station_officer)
    mumbai = realtime.Viewer(user_id=999, role="station_officer", station_id=mumbai_station.pk)

    async def run():
        stream = realtime.event_stream(viewer, last_event_id=seen, heartbeat=0.05, hub=realtime.Broker())
        assert (await _next(stream)).startswith("retry: 3000")
        replayed = [await _next(stream), await _next(stream)]
        heartbeat = await _next(stream)
        await stream.aclose()
        far = realtime.event_stream(mumbai, last_event_id=0, heartbeat=0.05, hub=realtime.Broker())
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
        streams = [realtime.event_stream(v, heartbeat=0.2, hub=hub) for v in (station, ilo, other_state)]
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

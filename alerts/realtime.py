"""Pushing alert events to open pages (server-sent events), behind one small interface.

- Writers call `announce(event_id)` inside their transaction.
- Each server process has one `Broker`. A transport only *wakes* it; the broker then reads every event newer
  than the last it dispatched from the database, in id order, and hands them to its subscribers. So a lost
  or reordered wake-up costs nothing but latency, and the payload is just the event id.
  * SQLite (one process): an in-process wake-up on commit (`loop.call_soon_threadsafe`).
  * PostgreSQL: `NOTIFY openpol_alerts, '<event id>'` inside the writing transaction (delivered on commit), and
    one `LISTEN` connection per process (psycopg's AsyncConnection, autocommit) feeding the broker.
- `event_stream(viewer, last_event_id)` is the async generator behind the SSE views: it replays what the page
  missed (Last-Event-ID) from the database, then streams live events the viewer's office may see, with a
  heartbeat comment every ~15 s.
"""

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import cached_property

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import Q

from accounts.models import Role

log = logging.getLogger(__name__)
CHANNEL = "openpol_alerts"
PUBLISH_KINDS = ("published", "updated", "cancelled")
NATIONAL_ROLES = (Role.NCB_ADMIN, Role.NCB_OFFICER)


def _in_worker(fn):
    """Runs a database read in the loop's worker threads, closing that thread's connection afterwards (none leaks)."""

    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        finally:
            connections.close_all()

    return sync_to_async(run, thread_sensitive=False)


def heartbeat_seconds() -> float:
    return float(getattr(settings, "ALERTS_SSE_HEARTBEAT_SECONDS", 15))


@dataclass(frozen=True)
class Viewer:
    """Who holds the page open: what the filter needs to know of the user, without touching the database."""

    user_id: int
    role: str
    station_id: int | None = None
    unit_id: int | None = None
    agency_id: int | None = None

    @classmethod
    def of(cls, user) -> "Viewer":
        return cls(user.pk, user.role, user.station_id, user.unit_id, user.agency_id)


@dataclass(frozen=True)
class EventInfo:
    """One event with its audience, loaded once per process and checked in memory for every open page."""

    id: int
    data: dict
    station_ids: frozenset = frozenset()
    unit_ids: frozenset = frozenset()
    agency_ids: frozenset = frozenset()
    user_ids: frozenset = frozenset()
    national: bool = True

    def reaches(self, viewer: Viewer) -> bool:
        if viewer.user_id in self.user_ids:
            return True
        if viewer.role in NATIONAL_ROLES:
            return self.national
        if viewer.role == Role.STATION_OFFICER:
            return viewer.station_id in self.station_ids
        if viewer.role == Role.UO:
            return viewer.unit_id in self.unit_ids
        if viewer.role == Role.ILO:
            return viewer.agency_id in self.agency_ids
        return False

    @cached_property
    def text(self) -> str:
        """The SSE frame, encoded once per process however many pages receive it."""
        return f"id: {self.id}\ndata: {json.dumps(self.data, ensure_ascii=False)}\n\n"

    def sse(self) -> str:
        return self.text


# --- Writers ----------------------------------------------------------------------------------------------


def announce(event_id: int) -> None:
    """Wakes every server process once the calling transaction commits."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, str(event_id)])  # NOTIFY is transactional: sent on commit
    else:
        transaction.on_commit(lambda: broker.wake(event_id))


# --- Reading events ------------------------------------------------------------------------------------------


def _payload(event) -> dict:
    alert = event.alert
    data = {
        "event": event.pk,
        "kind": event.kind,
        "alert": alert.pk,
        "reference": alert.reference,
        "headline": alert.headline,
        "category": alert.get_category_display(),
        "severity": alert.severity,
        "urgency": alert.urgency,
        "status": alert.status,
        "version": event.version.number,
        "url": alert.get_absolute_url(),
        "at": event.created_at.isoformat(),
    }
    if event.delivery_id:
        delivery = event.delivery
        data["office"] = delivery.office_label
        data["acknowledged_by"] = str(delivery.acknowledged_by) if delivery.acknowledged_by_id else ""
        data["action_taken"] = delivery.action_taken
    return data


def _events(qs):
    return qs.select_related(
        "alert", "version", "delivery__station__district", "delivery__unit__agency", "delivery__acknowledged_by"
    ).order_by("pk")


AUDIENCE_SQL = """
    SELECT
        coalesce(array_agg(d.station_id) FILTER (WHERE d.station_id IS NOT NULL), '{}'),
        coalesce(array_agg(d.unit_id) FILTER (WHERE d.unit_id IS NOT NULL), '{}'),
        coalesce(array_agg(DISTINCT s.agency_id) FILTER (WHERE s.agency_id IS NOT NULL), '{}')
    FROM alerts_delivery d LEFT JOIN directory_policestation s ON s.id = d.station_id
    WHERE d.version_id = %s
"""


def _audience(version_id: int) -> tuple[list, list, list]:
    """The stations, units and agencies a version reached: three arrays in one row on PostgreSQL."""
    from alerts.models import Delivery

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(AUDIENCE_SQL, [version_id])
            return cursor.fetchone()
    rows = list(Delivery.objects.filter(version_id=version_id).values_list("station_id", "unit_id", "station__agency_id"))
    return [s for s, _u, _a in rows if s], [u for _s, u, _a in rows if u], [a for _s, _u, a in rows if a]


def load_events_after(last_id: int, limit: int = 500) -> list[EventInfo]:
    """Every event after `last_id` with its audience (one query for the recipients of each published version)."""
    from alerts.models import AlertEvent

    infos = []
    for event in _events(AlertEvent.objects.filter(pk__gt=last_id))[:limit]:
        alert = event.alert
        if event.kind in PUBLISH_KINDS:
            stations, units, agencies = _audience(event.version_id)
            infos.append(
                EventInfo(
                    id=event.pk,
                    data=_payload(event),
                    station_ids=frozenset(stations) | {alert.origin_station_id},
                    unit_ids=frozenset(units) | {alert.origin_unit_id},
                    agency_ids=frozenset(agencies) | {alert.origin_agency_id},
                    user_ids=frozenset({alert.created_by_id}),
                )
            )
        else:  # an acknowledgement reaches the originator's office only
            infos.append(
                EventInfo(
                    id=event.pk,
                    data=_payload(event),
                    station_ids=frozenset({alert.origin_station_id}) - {None},
                    unit_ids=frozenset({alert.origin_unit_id}) - {None},
                    user_ids=frozenset({alert.created_by_id}),
                    national=False,
                )
            )
    return infos


def replay_for(viewer: Viewer, last_id: int, limit: int = 500) -> list[EventInfo]:
    """What this viewer missed after `last_id`, filtered in the database (used when a page reconnects)."""
    from alerts.models import AlertEvent

    events = AlertEvent.objects.filter(pk__gt=last_id)
    mine = Q(alert__created_by_id=viewer.user_id)
    if viewer.role in NATIONAL_ROLES:
        audience = Q(kind__in=PUBLISH_KINDS)
    elif viewer.role == Role.STATION_OFFICER:
        audience = Q(kind__in=PUBLISH_KINDS, version__deliveries__station_id=viewer.station_id) | Q(
            alert__origin_station_id=viewer.station_id
        )
    elif viewer.role == Role.UO:
        audience = Q(kind__in=PUBLISH_KINDS, version__deliveries__unit_id=viewer.unit_id) | Q(alert__origin_unit_id=viewer.unit_id)
    elif viewer.role == Role.ILO:
        audience = Q(kind__in=PUBLISH_KINDS) & (
            Q(version__deliveries__station__agency_id=viewer.agency_id) | Q(alert__origin_agency_id=viewer.agency_id)
        )
    else:
        return []
    ids = list(events.filter(mine | audience).values_list("pk", flat=True).distinct().order_by("pk")[:limit])
    return [EventInfo(id=e.pk, data=_payload(e)) for e in _events(AlertEvent.objects.filter(pk__in=ids))]


def latest_event_id() -> int:
    from alerts.models import AlertEvent

    return AlertEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def pg_conninfo() -> str:
    """The default database as a libpq connection string, for the process's own async connections."""
    import psycopg

    settings_dict = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        dbname=settings_dict["NAME"],
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
    )


# --- The per-process broker -------------------------------------------------------------------------------------


class Broker:
    """Fans events out to the open pages of this process."""

    def __init__(self) -> None:
        self.subscribers: set[asyncio.Queue] = set()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.last_id: int | None = None
        self._fetching: asyncio.Lock | None = None
        self._pending = False
        self._listener: asyncio.Task | None = None

    async def subscribe(self) -> asyncio.Queue:
        loop = asyncio.get_running_loop()
        if self.loop is not loop:  # first page of this process (or a new loop, in tests)
            self.loop, self._fetching, self._listener = loop, asyncio.Lock(), None
            self.last_id = await _in_worker(latest_event_id)()
        if self._listener is None and connection.vendor == "postgresql":
            self._listener = loop.create_task(self._listen())
        queue: asyncio.Queue = asyncio.Queue(maxsize=1000)
        self.subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue) -> None:
        self.subscribers.discard(queue)

    def wake(self, event_id: int | None = None) -> None:
        """Thread-safe: ask the loop to fetch and dispatch new events."""
        loop = self.loop
        if loop is None or loop.is_closed() or not self.subscribers:
            return
        loop.call_soon_threadsafe(self._schedule)

    def _schedule(self) -> None:
        if self._pending:
            return
        self._pending = True
        asyncio.ensure_future(self.dispatch())

    async def dispatch(self) -> int:
        """Reads every event newer than the last dispatched and queues it for each open page; returns how many."""
        async with self._fetching:
            self._pending = False
            infos = await _in_worker(load_events_after)(self.last_id or 0)
            for info in infos:
                self.last_id = max(self.last_id or 0, info.id)
                for queue in list(self.subscribers):
                    with contextlib.suppress(asyncio.QueueFull):  # a page too slow to read reconnects and replays
                        queue.put_nowait(info)
            return len(infos)

    async def _listen(self) -> None:
        """One LISTEN connection per process; reconnects with back-off, and catches up after each reconnect."""
        import psycopg

        conninfo = pg_conninfo()
        delay = 0.5
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    delay = 0.5
                    self._schedule()  # anything committed while we were not listening
                    async for _notify in conn.notifies():
                        self._schedule()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the listener must outlive a database restart
                log.exception("alerts: LISTEN connection lost; reconnecting in %.1fs", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10)


broker = Broker()


async def event_stream(
    viewer: Viewer, last_event_id: int | None = None, *, heartbeat: float | None = None, hub: Broker | None = None
) -> AsyncIterator[str]:
    """The server-sent events of one open page: replay after `last_event_id`, then live events, with heartbeats."""
    hub = hub or broker
    heartbeat = heartbeat or heartbeat_seconds()
    queue = await hub.subscribe()  # subscribe before replaying, so nothing falls between the two
    # Fixed at subscription time: events dispatched from now on are new to this page.
    sent = last_event_id if last_event_id is not None else (hub.last_id or 0)
    try:
        yield f"retry: 3000\n: connected to {CHANNEL}\n\n"
        if last_event_id is not None:
            for info in await _in_worker(replay_for)(viewer, last_event_id):
                sent = max(sent, info.id)
                yield info.sse()
        while True:
            try:
                # asyncio.timeout arms one timer; wait_for would wrap every wait in a new Task (thousands per event).
                async with asyncio.timeout(heartbeat):
                    info = await queue.get()
            except TimeoutError:
                yield ": heartbeat\n\n"
                continue
            if info.id > sent and info.reaches(viewer):
                sent = info.id
                yield info.sse()
    finally:
        hub.unsubscribe(queue)

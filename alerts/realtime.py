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
  heartbeat comment every ~15 s (one timer per process, not one per page).
"""

import asyncio
import json
import logging
import threading
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator
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
    district_id: int | None = None

    @classmethod
    def of(cls, user) -> "Viewer":
        return cls(user.pk, user.role, user.station_id, user.unit_id, user.agency_id, user.district_id)

    def keys(self) -> tuple:
        """The audience keys this page listens on: its own user, and its office as its role defines it."""
        keys = [("user", self.user_id)]
        if self.role in NATIONAL_ROLES:
            keys.append(("national", None))
        elif self.role == Role.STATION_OFFICER and self.station_id:
            keys.append(("station", self.station_id))
        elif self.role == Role.UO and self.unit_id:
            keys.append(("unit", self.unit_id))
        elif self.role == Role.ILO and self.agency_id:
            keys.append(("agency", self.agency_id))
        elif self.role == Role.DISTRICT_OFFICER and self.district_id:
            keys.append(("district", self.district_id))
        return tuple(keys)


@dataclass(frozen=True)
class EventInfo:
    """One event with its audience, loaded once per process and handed to the open pages its audience keys select."""

    id: int
    data: dict
    station_ids: frozenset = frozenset()
    unit_ids: frozenset = frozenset()
    agency_ids: frozenset = frozenset()
    district_ids: frozenset = frozenset()
    user_ids: frozenset = frozenset()
    national: bool = True

    def keys(self) -> Iterator[tuple]:
        """Every audience key this event reaches (see `Viewer.keys`)."""
        for kind, ids in (
            ("user", self.user_ids),
            ("station", self.station_ids),
            ("unit", self.unit_ids),
            ("agency", self.agency_ids),
            ("district", self.district_ids),
        ):
            for pk in ids:
                yield (kind, pk)
        if self.national:
            yield ("national", None)

    def reaches(self, viewer: Viewer) -> bool:
        return not set(viewer.keys()).isdisjoint(self.keys())

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


def _info(event) -> EventInfo:
    """An event with its audience: a publication reaches the offices of its version's audience (and its originator);
    an acknowledgement reaches the originating office only."""
    alert = event.alert
    if event.kind in PUBLISH_KINDS:
        audience = event.version.audience
        return EventInfo(
            id=event.pk,
            data=_payload(event),
            station_ids=frozenset(audience.get("stations", ())) | {alert.origin_station_id},
            unit_ids=frozenset(audience.get("units", ())) | {alert.origin_unit_id},
            agency_ids=frozenset(audience.get("agencies", ())) | {alert.origin_agency_id},
            district_ids=frozenset(audience.get("districts", ())) | {alert.origin_district_id},
            user_ids=frozenset({alert.created_by_id}),
        )
    return EventInfo(
        id=event.pk,
        data=_payload(event),
        station_ids=frozenset({alert.origin_station_id}) - {None},
        unit_ids=frozenset({alert.origin_unit_id}) - {None},
        user_ids=frozenset({alert.created_by_id}),
        national=False,
    )


def load_events_after(last_id: int, limit: int = 500) -> list[EventInfo]:
    """Every event after `last_id` with its audience, in one query."""
    from alerts.models import AlertEvent

    return [_info(event) for event in _events(AlertEvent.objects.filter(pk__gt=last_id))[:limit]]


def replay_for(viewer: Viewer, last_id: int, limit: int = 500) -> list[EventInfo]:
    """What this viewer missed after `last_id`, filtered in the database (used when a page reconnects).

    The inbox rows of a version are written just after it is published; a page that reconnects in between is
    matched against the version's stored audience instead.
    """
    from alerts.models import AlertEvent

    events = AlertEvent.objects.filter(pk__gt=last_id)
    mine = Q(alert__created_by_id=viewer.user_id)
    pending = Q(kind__in=PUBLISH_KINDS, version__deliveries_written=False)
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
    elif viewer.role == Role.DISTRICT_OFFICER:
        audience = Q(kind__in=PUBLISH_KINDS) & (
            Q(version__deliveries__station__district_id=viewer.district_id) | Q(alert__origin_district_id=viewer.district_id)
        )
    else:
        return []
    ids = list(events.filter(mine | audience | pending).values_list("pk", flat=True).distinct().order_by("pk")[:limit])
    found = []
    for event in _events(AlertEvent.objects.filter(pk__in=ids)).defer("version__audience"):  # read only where needed
        if event.kind in PUBLISH_KINDS and not event.version.deliveries_written and not _info(event).reaches(viewer):
            continue
        found.append(EventInfo(id=event.pk, data=_payload(event)))
    return found


def latest_event_id() -> int:
    from alerts.models import AlertEvent

    return AlertEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def pg_conninfo() -> str:
    """The default database as a libpq connection string, for the process's own async connections (LISTEN needs a
    session of its own: behind a transaction-mode PgBouncer, DATABASE_DIRECT_URL points at PostgreSQL itself)."""
    import psycopg

    if settings.DATABASE_DIRECT_URL:
        return psycopg.conninfo.make_conninfo(settings.DATABASE_DIRECT_URL.replace("postgres://", "postgresql://", 1))

    settings_dict = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        dbname=settings_dict["NAME"],
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
    )


# --- The per-process broker -------------------------------------------------------------------------------------

HEARTBEAT = ": heartbeat\n\n"
MAX_BACKLOG = 200  # frames a page may fall behind before it is closed (it reconnects and replays from the database)


class Subscriber:
    """One open page: the frames waiting for it, and the future its stream sleeps on until there are some."""

    __slots__ = ("viewer", "keys", "frames", "waiter", "pushed", "overflowed")

    def __init__(self, viewer: Viewer, pushed: int) -> None:
        self.viewer = viewer
        self.keys = viewer.keys()
        self.frames: list[tuple[int, str]] = []
        self.waiter: asyncio.Future | None = None
        self.pushed = pushed  # the last event id handed to this page (events reach a page once)
        self.overflowed = False

    def push(self, event_id: int, text: str) -> None:
        if len(self.frames) >= MAX_BACKLOG:
            self.overflowed = True
        else:
            self.frames.append((event_id, text))
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def take(self) -> list[tuple[int, str]]:
        """Everything queued for this page, waiting for the next push if there is nothing yet."""
        while not self.frames and not self.overflowed:
            self.waiter = asyncio.get_running_loop().create_future()
            try:
                await self.waiter
            finally:
                self.waiter = None
        frames, self.frames = self.frames, []
        return frames


class Broker:
    """Fans events out to the open pages of this process.

    Pages are indexed by audience key (their station, unit, state police, national role, user), so an event costs
    one dictionary lookup per office it reaches and one wake-up per page that receives it; pages it does not reach
    are never woken. One timer per process sends every page its heartbeat.
    """

    def __init__(self, heartbeat: float | None = None) -> None:
        self.heartbeat = heartbeat
        self.subscribers: set[Subscriber] = set()
        self.index: defaultdict[tuple, set[Subscriber]] = defaultdict(set)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.last_id: int | None = None
        self._fetching: asyncio.Lock | None = None
        self._pending = False
        self._listener: asyncio.Task | None = None
        self._beating: asyncio.Task | None = None
        self.served_id = 0  # the last event this process's pages have been handed and written
        self._served = threading.Condition()

    async def subscribe(self, viewer: Viewer) -> Subscriber:
        loop = asyncio.get_running_loop()
        if self.loop is not loop:  # first page of this process (or a new loop, in tests)
            last_id = await _in_worker(latest_event_id)()
            if self.loop is not loop:  # other pages may have arrived meanwhile: the first to get here starts the broker
                self.loop, self._fetching, self._listener, self._beating = loop, asyncio.Lock(), None, None
                self.last_id = last_id
        if self._listener is None and connection.vendor == "postgresql":
            self._listener = loop.create_task(self._listen())
        if self._beating is None:
            self._beating = loop.create_task(self._beat())
        subscriber = Subscriber(viewer, self.last_id or 0)
        self.subscribers.add(subscriber)
        for key in subscriber.keys:
            self.index[key].add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self.subscribers.discard(subscriber)
        for key in subscriber.keys:
            pages = self.index.get(key)
            if pages is not None:
                pages.discard(subscriber)
                if not pages:
                    del self.index[key]

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
        """Reads every event newer than the last dispatched and hands it to each open page it reaches; returns how many."""
        async with self._fetching:
            self._pending = False
            infos = await _in_worker(load_events_after)(self.last_id or 0)
            for info in infos:
                self.last_id = max(self.last_id or 0, info.id)
                self.fan_out(info)
            if infos:  # runs after the wake-ups just scheduled, that is once every page has written the events
                asyncio.get_running_loop().call_soon(self._mark_served, infos[-1].id)
            return len(infos)

    def _mark_served(self, event_id: int) -> None:
        with self._served:
            self.served_id = max(self.served_id, event_id)
            self._served.notify_all()

    def wait_served(self, event_id: int, timeout: float) -> bool:
        """From a thread other than the loop's: waits until this process's open pages have been handed `event_id`
        (at most `timeout` seconds); at once when this process serves no pages. True if they have."""
        loop = self.loop
        if loop is None or loop.is_closed() or not self.subscribers:
            return True
        with self._served:
            return self._served.wait_for(lambda: self.served_id >= event_id, timeout=timeout)

    def fan_out(self, info: EventInfo) -> int:
        """Hands one event to every open page in its audience, once each; returns how many pages."""
        text, event_id, reached = info.text, info.id, 0
        index = self.index
        for key in info.keys():
            pages = index.get(key)
            if not pages:
                continue
            for page in pages:
                if page.pushed < event_id:
                    page.pushed = event_id
                    page.push(event_id, text)
                    reached += 1
        return reached

    async def _beat(self) -> None:
        """One timer for all pages: a comment line keeps proxies and browsers from closing an idle stream."""
        while True:
            await asyncio.sleep(self.heartbeat or heartbeat_seconds())
            for page in list(self.subscribers):
                page.push(0, HEARTBEAT)

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


async def event_stream(viewer: Viewer, last_event_id: int | None = None, *, hub: Broker | None = None) -> AsyncIterator[str]:
    """The server-sent events of one open page: replay after `last_event_id`, then live events and heartbeats.

    Each chunk it yields holds whatever arrived since the last one (several frames in one write when a page falls
    behind). A page that falls too far behind is closed: the browser reconnects with Last-Event-ID and replays.
    """
    hub = hub or broker
    page = await hub.subscribe(viewer)  # subscribe before replaying, so nothing falls between the two
    # Fixed at subscription time: events dispatched from now on are new to this page.
    sent = last_event_id if last_event_id is not None else page.pushed
    try:
        yield f"retry: 3000\n: connected to {CHANNEL}\n\n"
        if last_event_id is not None:
            for info in await _in_worker(replay_for)(viewer, last_event_id):
                sent = max(sent, info.id)
                yield info.sse()
        while not page.overflowed:
            chunk = []
            for event_id, text in await page.take():
                if event_id == 0 or event_id > sent:
                    sent = max(sent, event_id)
                    chunk.append(text)
            if chunk:
                yield "".join(chunk)
    finally:
        hub.unsubscribe(page)

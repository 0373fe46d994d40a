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
- Who receives what is `alerts.audience`: an event carries the audience keys of the offices it reaches, a page
  listens on its user's and its office's keys (`Office.key`), and the replay filters with the same rule in SQL.
- Per event, each process encodes its frame once; the bare ASGI app then writes it to each idle page's socket from
  the broker's loop (`Subscriber.write_now`), without waking a task per page.
"""

import asyncio
import json
import logging
import threading
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import OperationalError, connection, connections, transaction
from django.db.models import Q

from accounts.offices import Office
from alerts import audience

log = logging.getLogger(__name__)
CHANNEL = "openpol_alerts"
PUBLISH_KINDS = audience.PUBLISH_KINDS


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
    """Who holds the page open: the user and the office whose alerts they see (None: no alert at all), held for
    hours without touching the database."""

    user_id: int
    office: Office | None

    @classmethod
    def of(cls, user) -> "Viewer":
        return cls(user.pk, audience.office_of(user))

    def keys(self) -> tuple[str, ...]:
        """The audience keys this page listens on: its own user, and its office (`alerts.audience.viewer_keys`)."""
        return audience.viewer_keys(self.user_id, self.office)


@dataclass(frozen=True)
class EventInfo:
    """One event with its audience keys, loaded once per process and handed to the open pages its keys select."""

    id: int
    data: dict
    keys: frozenset[str] = frozenset({"national"})

    def reaches(self, viewer: Viewer) -> bool:
        return not self.keys.isdisjoint(viewer.keys())

    def __post_init__(self) -> None:
        # The SSE frame, encoded once per process however many pages receive it.
        object.__setattr__(self, "frame", f"id: {self.id}\ndata: {json.dumps(self.data, ensure_ascii=False)}\n\n".encode())

    def sse(self) -> bytes:
        return self.frame


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
        "alert__origin_station", "version", "delivery__station__district", "delivery__unit__agency", "delivery__acknowledged_by"
    ).order_by("pk")


def _info(event) -> EventInfo:
    """An event with its audience keys (`alerts.audience.event_keys`): a publication reaches the owners of its alert
    and the offices of its version's audience; an acknowledgement the owners only."""
    stored = event.version.audience if event.kind in PUBLISH_KINDS else {}
    return EventInfo(id=event.pk, data=_payload(event), keys=audience.event_keys(event.kind, event.alert, stored))


def load_events_after(last_id: int, limit: int = 500) -> list[EventInfo]:
    """Every event after `last_id` with its audience, in one query."""
    from alerts.models import AlertEvent

    return [_info(event) for event in _events(AlertEvent.objects.filter(pk__gt=last_id))[:limit]]


def replay_for(viewer: Viewer, last_id: int, limit: int = 500) -> list[EventInfo]:
    """What this viewer missed after `last_id`, filtered in the database (used when a page reconnects).

    The inbox rows of a version are written just after it is published; a page that reconnects in between is
    matched against the version's stored audience instead (the same rule, as keys).
    """
    from alerts.models import AlertEvent

    if viewer.office is None:
        return []
    visible = audience.event_filter(viewer.office, viewer.user_id)
    pending = Q(kind__in=PUBLISH_KINDS, version__deliveries_written=False)
    events = AlertEvent.objects.filter(visible | pending, pk__gt=last_id)
    ids = list(events.values_list("pk", flat=True).order_by("pk")[:limit])
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

HEARTBEAT = b": heartbeat\n\n"
MAX_BACKLOG = 200  # frames a page may fall behind before it is closed (it reconnects and replays from the database)


class Subscriber:
    """One open page: the frames waiting for it, and the future its stream sleeps on until there are some.

    A page served by the bare ASGI app (`alerts.asgi`) also has `write_now`: while its stream is idle, a frame is
    handed to the server at once from the broker's loop, without waking the page's task (the cost of an event is
    then one socket write per page). When the server must wait for the socket to drain, the write is left unfinished
    for the page's task (`stalled`) and every later frame queues behind it, so frames never overtake each other.
    """

    __slots__ = ("viewer", "keys", "frames", "waiter", "pushed", "sent", "overflowed", "closed", "stalled", "write_now")

    def __init__(self, viewer: Viewer, pushed: int) -> None:
        self.viewer = viewer
        self.keys = viewer.keys()
        self.frames: list[tuple[int, bytes]] = []
        self.waiter: asyncio.Future | None = None
        self.pushed = pushed  # the last event id handed to this page (events reach a page once)
        self.sent = pushed  # the last event id written to it (replayed or live)
        self.overflowed = False
        self.closed = False
        self.stalled = False
        self.write_now = None

    def push(self, event_id: int, frame: bytes) -> None:
        waiter = self.waiter
        idle = waiter is not None and not waiter.done() and not self.frames
        if event_id and event_id <= self.sent:
            return
        if idle and self.write_now is not None:
            if event_id:
                self.sent = event_id
            if self.write_now(frame):
                return
            self.stalled = True
        elif len(self.frames) >= MAX_BACKLOG:
            self.overflowed = True
        else:
            self.frames.append((event_id, frame))
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def close(self) -> None:
        self.closed = True
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    async def take(self) -> list[tuple[int, bytes]]:
        """Everything queued for this page, waiting for the next push if there is nothing yet (nothing when the
        page is closed, or a direct write is left for the caller to finish: `stalled`)."""
        while not (self.frames or self.overflowed or self.closed or self.stalled):
            self.waiter = asyncio.get_running_loop().create_future()
            try:
                await self.waiter
            finally:
                self.waiter = None
        frames, self.frames = self.frames, []
        return frames


class Broker:
    """Fans events out to the open pages of this process.

    Pages are indexed by audience key (their office's key and their user's), so an event costs one dictionary
    lookup per office it reaches and one socket write (or wake-up) per page that receives it; pages it does not
    reach are never touched. One timer per process sends every page its heartbeat.
    """

    def __init__(self, heartbeat: float | None = None) -> None:
        self.heartbeat = heartbeat
        self.subscribers: set[Subscriber] = set()
        self.index: defaultdict[str, set[Subscriber]] = defaultdict(set)
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
            infos = await self._load_after(self.last_id or 0)
            for info in infos:
                self.last_id = max(self.last_id or 0, info.id)
                self.fan_out(info)
            if infos:  # runs after the wake-ups just scheduled, that is once every page has written the events
                asyncio.get_running_loop().call_soon(self._mark_served, infos[-1].id)
            return len(infos)

    async def _load_after(self, last_id: int, attempts: int = 40) -> list[EventInfo]:
        """The events after `last_id`. SQLite's shared-cache database (the tests', where tasks run in process right
        after the commit that woke us) answers "locked" at once instead of waiting while another thread writes:
        read again shortly, rather than leave the pages without the event."""
        for attempt in range(attempts):
            try:
                return await _in_worker(load_events_after)(last_id)
            except OperationalError as error:
                if connection.vendor != "sqlite" or "locked" not in str(error) or attempt == attempts - 1:
                    raise
                await asyncio.sleep(0.025)
        return []

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
        frame, event_id, reached = info.frame, info.id, 0
        index, keys = self.index, info.keys
        # A nationwide event names every station of the country: walk whichever of the two is shorter.
        pairs = ((key, index.get(key)) for key in keys) if len(keys) <= len(index) else ((k, p) for k, p in index.items() if k in keys)
        for _key, pages in pairs:
            if not pages:
                continue
            for page in pages:
                if page.pushed < event_id:
                    page.pushed = event_id
                    page.push(event_id, frame)
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


async def event_stream(
    viewer: Viewer,
    last_event_id: int | None = None,
    *,
    hub: Broker | None = None,
    write_now=None,
    closed: asyncio.Future | None = None,
) -> AsyncIterator[bytes]:
    """The server-sent events of one open page: replay after `last_event_id`, then live events and heartbeats.

    Each chunk it yields holds whatever arrived since the last one (several frames in one write when a page falls
    behind). A page that falls too far behind is closed: the browser reconnects with Last-Event-ID and replays.
    With `write_now` (see `Subscriber`), live frames are mostly written by the broker itself; an empty chunk then
    asks the caller to finish the write the server could not take at once. `closed` ends the stream when done.
    """
    hub = hub or broker
    page = await hub.subscribe(viewer)  # subscribe before replaying, so nothing falls between the two
    if closed is not None:
        closed.add_done_callback(lambda _done: page.close())
    # Fixed at subscription time: events dispatched from now on are new to this page.
    if last_event_id is not None:
        page.sent = last_event_id
    try:
        yield f"retry: 3000\n: connected to {CHANNEL}\n\n".encode()
        if last_event_id is not None:
            for info in await _in_worker(replay_for)(viewer, last_event_id):
                if info.id > page.sent:
                    page.sent = info.id
                    yield info.sse()
        page.write_now = write_now
        while not (page.overflowed or page.closed):
            chunk = []
            for event_id, frame in await page.take():
                if event_id == 0 or event_id > page.sent:
                    page.sent = max(page.sent, event_id)
                    chunk.append(frame)
            if page.stalled:
                page.stalled = False
                yield b""
            if chunk:
                yield chunk[0] if len(chunk) == 1 else b"".join(chunk)
    finally:
        hub.unsubscribe(page)

"""The ticket-authenticated alert stream as a bare ASGI app, in front of Django.

Thousands of pages hold `/api/v1/alerts/stream?ticket=…` open at once. Passing each through Django's
request machinery (sessions, CSRF, locale, messages: all synchronous middleware) costs a thread hop per
request and keeps per-request state alive for hours. This app serves exactly what the Django view serves
(same ticket, same `Last-Event-ID` replay, same events from `alerts.realtime`), with one database read per
connection to check the account, and nothing per event but a queue and a socket write.
"""

import asyncio
import json
from types import SimpleNamespace
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from django.core import signing

from alerts import realtime

STREAM_PATH = "/api/v1/alerts/stream"


def _ticket_user_id(ticket: str) -> int | None:
    from alerts.api import TICKET_MAX_AGE, TICKET_SALT

    try:
        return int(signing.loads(ticket, salt=TICKET_SALT, max_age=TICKET_MAX_AGE).get("u"))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def _viewer_of(row) -> realtime.Viewer | None:
    """The viewer of an active account that may receive alerts, from its row (see ACCOUNT_SQL): the row stands in for
    the user, so its office is found by the same `Office.of` as everywhere else."""
    if row is None:
        return None
    pk, role, station_id, unit_id, agency_id, district_id, station_district_id = row
    account = SimpleNamespace(
        pk=pk,
        is_authenticated=True,
        is_active=True,
        role=role,
        station_id=station_id,
        unit_id=unit_id,
        agency_id=agency_id,
        district_id=district_id,
        station=SimpleNamespace(district_id=station_district_id),
    )
    viewer = realtime.Viewer.of(account)
    return viewer if viewer.office is not None else None


ACCOUNT_SQL = """
    SELECT u.id, u.role, u.station_id, u.unit_id, u.agency_id, u.district_id, s.district_id
      FROM accounts_user u LEFT JOIN directory_policestation s ON s.id = u.station_id WHERE u.id = %s AND u.is_active
"""


def _viewer_sync(user_id: int) -> realtime.Viewer | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(ACCOUNT_SQL, [user_id])
        return _viewer_of(cursor.fetchone())


class _AccountReader:
    """On PostgreSQL, one async connection per process answers the account check of every page that connects.

    Thousands of pages reconnect at once after a restart; a thread and an ORM query each would queue them
    behind the GIL. On SQLite (one process, small installations) the check runs in a worker thread.
    """

    def __init__(self) -> None:
        self.conn = None
        self.lock: asyncio.Lock | None = None

    async def viewer(self, user_id: int) -> realtime.Viewer | None:
        from django.db import connection

        if connection.vendor != "postgresql":
            return await sync_to_async(_viewer_sync, thread_sensitive=False)(user_id)
        import psycopg

        if self.lock is None:
            self.lock = asyncio.Lock()
        async with self.lock:  # one query at a time on the shared connection
            for attempt in range(2):
                try:
                    if self.conn is None or self.conn.closed:
                        self.conn = await psycopg.AsyncConnection.connect(realtime.pg_conninfo(), autocommit=True)
                    cursor = await self.conn.execute(ACCOUNT_SQL, [user_id])
                    return _viewer_of(await cursor.fetchone())
                except psycopg.OperationalError:
                    self.conn = None
                    if attempt:
                        raise
        return None


accounts = _AccountReader()


async def _check_ticket(ticket: str) -> realtime.Viewer | None:
    user_id = _ticket_user_id(ticket)
    return await accounts.viewer(user_id) if user_id is not None else None


async def _refuse(send, status: int, message: str) -> None:
    body = json.dumps({"detail": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def stream_app(scope, receive, send) -> None:
    query = parse_qs(scope.get("query_string", b"").decode())
    ticket = (query.get("ticket") or [""])[0]
    viewer = await _check_ticket(ticket) if ticket else None
    if viewer is None:
        await _refuse(send, 403, "The stream ticket is invalid or expired.")
        return
    headers = {key.decode().lower(): value.decode() for key, value in scope.get("headers", [])}
    raw_last = headers.get("last-event-id") or (query.get("last_event_id") or [""])[0]
    last_event_id = int(raw_last) if raw_last.isdigit() else None

    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"text/event-stream"),
                (b"cache-control", b"no-cache, no-transform"),
                (b"x-accel-buffering", b"no"),
            ],
        }
    )
    disconnected = asyncio.ensure_future(_wait_for_disconnect(receive))
    socket = _Socket(send)
    stream = realtime.event_stream(viewer, last_event_id, write_now=socket.write_now, closed=disconnected)
    try:
        async for chunk in stream:
            await socket.finish()
            if disconnected.done():
                break
            if chunk:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
    except OSError:
        pass  # the client went away mid-write
    finally:
        disconnected.cancel()
        await stream.aclose()


class _Socket:
    """Writes live frames through the server's `send` from the broker's loop, without a task switch per page.

    uvicorn's `send` writes to the socket at once unless its buffer is full, when it first waits for it to drain. So
    `write_now` starts the send and, when it completes without waiting, the frame is written; otherwise the unfinished
    send is kept for the page's own task to complete (`finish`), awaiting what it waits for as a task would.
    """

    __slots__ = ("send", "unfinished", "error")

    def __init__(self, send) -> None:
        self.send = send
        self.unfinished = None
        self.error: BaseException | None = None

    def write_now(self, frame: bytes) -> bool:
        step = self.send({"type": "http.response.body", "body": frame, "more_body": True})
        try:
            waiting = step.send(None)
        except StopIteration:
            return True
        except Exception as error:  # noqa: BLE001 - raised in the page's own task (finish), never in the broker's fan-out
            self.error = error
            return False
        self.unfinished = (step, waiting)
        return False

    async def finish(self) -> None:
        if self.error is not None:
            raise self.error
        if self.unfinished is None:
            return
        (step, waiting), self.unfinished = self.unfinished, None
        while True:
            if waiting is None:
                await asyncio.sleep(0)
            else:
                waiting._asyncio_future_blocking = False  # taken over from the send, as a task takes a future it yields
                await waiting
            try:
                waiting = step.send(None)
            except StopIteration:
                return


async def _wait_for_disconnect(receive) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return


def with_alert_stream(django_app):
    """Wrap Django's ASGI app so the stream path skips the middleware stack."""

    async def application(scope, receive, send):
        if scope["type"] == "http" and scope["path"] == STREAM_PATH:
            await stream_app(scope, receive, send)
        else:
            await django_app(scope, receive, send)

    return application

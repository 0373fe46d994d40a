"""The ticket-authenticated alert stream as a bare ASGI app, in front of Django.

Thousands of pages hold `/api/v1/alerts/stream?ticket=…` open at once. Passing each through Django's
request machinery (sessions, CSRF, locale, messages: all synchronous middleware) costs a thread hop per
request and keeps per-request state alive for hours. This app serves exactly what the Django view serves
(same ticket, same `Last-Event-ID` replay, same events from `alerts.realtime`), with one database read per
connection to check the account, and nothing per event but a queue and a socket write.
"""

import asyncio
import json
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
    """The viewer of an active account whose role may receive alerts, from (id, role, station, unit, agency, district)."""
    from accounts import access

    if row is None or "alerts.view" not in access.CAPABILITIES.get(row[1], frozenset()):
        return None
    return realtime.Viewer(*row)


ACCOUNT_SQL = "SELECT id, role, station_id, unit_id, agency_id, district_id FROM accounts_user WHERE id = %s AND is_active"


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
    stream = realtime.event_stream(viewer, last_event_id)
    disconnected = asyncio.ensure_future(_wait_for_disconnect(receive))
    try:
        async for chunk in stream:
            if disconnected.done():
                break
            await send({"type": "http.response.body", "body": chunk.encode(), "more_body": True})
    except OSError:
        pass  # the client went away mid-write
    finally:
        disconnected.cancel()
        await stream.aclose()


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

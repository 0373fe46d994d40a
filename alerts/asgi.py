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

from django.core import signing

from alerts import realtime

STREAM_PATH = "/api/v1/alerts/stream"


def _viewer_for_ticket(ticket: str) -> realtime.Viewer | None:
    from accounts import access
    from accounts.models import User
    from alerts.api import TICKET_MAX_AGE, TICKET_SALT

    try:
        data = signing.loads(ticket, salt=TICKET_SALT, max_age=TICKET_MAX_AGE)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or not access.can(user, "alerts.view"):
        return None
    return realtime.Viewer.of(user)


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
    viewer = await realtime._in_worker(_viewer_for_ticket)(ticket) if ticket else None
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

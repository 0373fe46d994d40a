"""The stream endpoint in front of Django: a ticket opens it, anything else is refused, events arrive."""

import asyncio

import pytest
from django.core import signing

from alerts import realtime
from alerts.api import TICKET_SALT
from alerts.asgi import STREAM_PATH, with_alert_stream
from conftest import run_async

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


async def _call(app, query: bytes, *, chunks: int = 1, headers=()):
    sent, disconnect = [], asyncio.Event()

    async def receive():
        await disconnect.wait()
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)
        if message.get("more_body") and sum(1 for m in sent if m["type"] == "http.response.body") >= chunks:
            disconnect.set()
            raise OSError("client closed")  # what uvicorn raises once the client has gone

    scope = {"type": "http", "path": STREAM_PATH, "query_string": query, "headers": list(headers)}
    await asyncio.wait_for(app(scope, receive, send), timeout=5)
    return sent


def test_a_bad_ticket_is_refused_without_reaching_django():
    async def django(scope, receive, send):  # pragma: no cover - must not be reached
        raise AssertionError("Django was called")

    sent = run_async(_call(with_alert_stream(django), b"ticket=forged"))
    assert sent[0]["status"] == 403


def test_a_valid_ticket_opens_the_stream_and_other_paths_go_to_django(delhi_station_officer):
    called = []

    async def django(scope, receive, send):
        called.append(scope["path"])

    app = with_alert_stream(django)
    ticket = signing.dumps({"u": delhi_station_officer.pk}, salt=TICKET_SALT, compress=True)
    sent = run_async(_call(app, f"ticket={ticket}".encode()))
    assert sent[0]["status"] == 200
    assert (b"content-type", b"text/event-stream") in sent[0]["headers"]
    assert sent[1]["body"].startswith(b"retry:")
    run_async(app({"type": "http", "path": "/healthz"}, None, None))
    assert called == ["/healthz"]
    realtime.broker.loop = None  # the test's loop is gone; the next page makes a new one

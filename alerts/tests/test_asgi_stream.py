"""The stream endpoint in front of Django: a ticket opens it, anything else is refused, events arrive."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from django.core import signing
from django.db import connections

from alerts import realtime, services
from alerts.api import TICKET_SALT
from alerts.asgi import STREAM_PATH, with_alert_stream
from alerts.tests.conftest import alert_data
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


def _db(fn):
    def run(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        finally:
            connections.close_all()

    return sync_to_async(run)


async def _open_page(user, send):
    """Opens the stream as the ASGI server would, returning the page's task and the event that disconnects it."""
    gone = asyncio.Event()

    async def receive():
        await gone.wait()
        return {"type": "http.disconnect"}

    ticket = signing.dumps({"u": user.pk}, salt=TICKET_SALT, compress=True)
    scope = {"type": "http", "path": STREAM_PATH, "query_string": f"ticket={ticket}".encode(), "headers": []}
    task = asyncio.ensure_future(with_alert_stream(None)(scope, receive, send))
    return task, gone


async def _until(condition, timeout=5.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "what the test waits for did not come"
        await asyncio.sleep(0.01)


def test_live_alerts_are_written_in_order_even_when_the_server_must_wait_for_the_socket(delhi_station_officer):
    """The broker writes a frame at once when the server takes it without waiting; when the server waits (a full
    socket buffer), the page's task finishes that write and the frames after it follow in order."""
    bodies, full = [], asyncio.Event()

    async def send(message):
        if message.get("more_body") and b"First" in message.get("body", b""):
            await full.wait()  # the socket's buffer is full until the test drains it
        bodies.append(message.get("body", b""))

    async def run():
        task, gone = await _open_page(delhi_station_officer, send)
        await _until(lambda: any(body.startswith(b"retry:") for body in bodies))
        for headline in ("First", "Second"):
            await _db(services.alert_publish)(by=delhi_station_officer, data=alert_data(headline=headline))
        await asyncio.sleep(0.2)
        assert not any(b"Second" in body for body in bodies)  # queued behind the write the server is waiting on
        full.set()
        await _until(lambda: any(b"Second" in body for body in bodies))
        third = await _db(services.alert_publish)(by=delhi_station_officer, data=alert_data(headline="Third"))
        await _until(lambda: any(f'"alert": {third.pk}'.encode() in body for body in bodies))
        gone.set()
        await asyncio.wait_for(task, 5)
        return [headline for body in bodies for headline in ("First", "Second", "Third") if f'"headline": "{headline}"'.encode() in body]

    assert run_async(run()) == ["First", "Second", "Third"]
    assert not realtime.broker.subscribers  # the page left when its client went away
    realtime.broker.loop = None

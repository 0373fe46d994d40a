"""kill -9 in the middle of many writes: no answered write is lost, nothing is half-written, retries make no copies.

The real server (uvicorn, as in production) runs against the test database. Threads send drafts, each with its
own Idempotency-Key; the server is killed with SIGKILL while requests are in flight, started again, and every
request whose answer was lost is sent again with its key, as a client would.
"""

import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from accounts import services as account_services
from audit.models import AuditEntry
from audit.services import verify_chain
from conftest import make_user
from directory.models import Agency, UnitOffice
from idempotency.models import IdempotencyKey
from notices.models import NoticeRequest
from workflow.models import Transition

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
REQUESTS, SENDERS, UNREAD = 48, 8, 4
START_SECONDS, ANSWER_SECONDS, RUN_SECONDS = 60, 30, 120


def _nothing() -> None:
    pass


def _answered_keys() -> int:
    return IdempotencyKey.objects.count()


@dataclass
class SharedDatabase:
    url: str
    push: Callable[[], None] = _nothing  # makes what this test wrote visible to the server
    pull: Callable[[], None] = _nothing  # makes what the server wrote visible to this test
    answered_keys: Callable[[], int] = _answered_keys  # read while the server runs


@pytest.fixture
def shared_database(reference_data, tmp_path) -> SharedDatabase:
    """The test database, as a URL the server process can open.

    PostgreSQL and a file SQLite database (TEST_DATABASE_NAME) are shared as they are. SQLite's usual in-memory
    test database lives in this process only: it is copied to a file for the server and copied back at the end.
    """
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        credentials = quote(settings["USER"] or "postgres") + (f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else "")
        url = f"postgres://{credentials}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{quote(settings['NAME'])}"
        yield SharedDatabase(url)
        return
    if not connection.is_in_memory_db():
        yield SharedDatabase(f"sqlite:///{Path(settings['NAME']).resolve()}")
        return
    path = tmp_path / "server.sqlite3"
    connection.ensure_connection()

    def push():
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)

    def pull():
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()

    def answered_keys():
        with sqlite3.connect(path) as reader:
            return reader.execute("SELECT COUNT(*) FROM idempotency_idempotencykey").fetchone()[0]

    yield SharedDatabase(f"sqlite:///{path}", push, pull, answered_keys)


class Server:
    """`uvicorn openpol.asgi:application` on a free loopback port, its output kept in a file."""

    def __init__(self, database_url: str, log: Path):
        self.database_url, self.log, self.process, self.port = database_url, log, None, 0

    def start(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = {name: value for name, value in os.environ.items() if name not in {"TEST_DATABASE_NAME", "REDIS_URL", "WEB_CONCURRENCY"}}
        env.update(DATABASE_URL=self.database_url, RATELIMIT_ENABLE="0", DJANGO_SETTINGS_MODULE="openpol.settings", PYTHONUNBUFFERED="1")
        command = [sys.executable, "-m", "uvicorn", "openpol.asgi:application", "--host", "127.0.0.1", "--port", str(self.port)]
        with open(self.log, "ab") as output:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the server exited with {self.process.returncode}:\n{self.tail()}")
            if self.healthy():
                return
            time.sleep(0.1)
        self.stop()
        pytest.fail(f"the server did not answer /healthz within {START_SECONDS} s:\n{self.tail()}")

    def healthy(self) -> bool:
        client = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            client.request("GET", "/healthz")
            return client.getresponse().status == 200
        except (OSError, http.client.HTTPException):
            return False
        finally:
            client.close()

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        assert self.process.wait(10) == -signal.SIGKILL

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


@pytest.fixture
def server(shared_database, tmp_path):
    server = Server(shared_database.url, tmp_path / "server.log")
    yield server
    server.stop()


@dataclass
class Sent:
    index: int
    key: str
    status: int | None = None  # None: no answer came (refused, cut off, or timed out)
    body: dict | None = None
    replayed: bool = False


def post(server: Server, token: str, sent: Sent) -> http.client.HTTPConnection:
    payload = {"kind": "red", "family_name": "Verma", "forenames": f"Crash {sent.index}", "case_reference": f"crash-{sent.index:03d}"}
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": sent.key, "Content-Type": "application/json"}
    client = http.client.HTTPConnection("127.0.0.1", server.port, timeout=ANSWER_SECONDS)
    client.request("POST", "/api/v1/notices/", body=json.dumps(payload).encode(), headers=headers)
    return client


def send(server: Server, token: str, sent: Sent) -> Sent:
    client = None
    try:
        client = post(server, token, sent)
        response = client.getresponse()
        body = response.read()
        sent.status, sent.body = response.status, json.loads(body) if body else None
        sent.replayed = response.getheader("Idempotent-Replayed") == "true"
    except (OSError, http.client.HTTPException, ValueError):
        sent.status = sent.body = None
    finally:
        if client is not None:
            client.close()
    return sent


def test_a_server_killed_mid_request_loses_no_answered_write_and_leaves_nothing_half_written(shared_database, server):
    delhi = Agency.objects.get(code="PS-DL")
    uo = make_user("crash_uo", "uo", agency=delhi, unit=UnitOffice.objects.create(agency=delhi, code="T-DL-CB", name="Crime Branch"))
    token = account_services.api_token_create(user=uo, name="crash test", scopes=["notices:read", "notices:write"])
    shared_database.push()
    server.start()

    sent = [Sent(index, str(uuid.uuid4())) for index in range(REQUESTS)]
    # The first few answers are never read, as when a connection breaks just after the server committed.
    unread = [post(server, token, item) for item in sent[:UNREAD]]
    deadline = time.monotonic() + RUN_SECONDS
    while shared_database.answered_keys() < UNREAD:
        assert time.monotonic() < deadline, f"the first {UNREAD} requests were not committed in {RUN_SECONDS} s:\n{server.tail()}"
        time.sleep(0.02)
    lock, in_flight, answered = threading.Lock(), [0], [0]

    def tracked(item: Sent) -> Sent:
        with lock:
            in_flight[0] += 1
        try:
            return send(server, token, item)
        finally:
            with lock:
                in_flight[0] -= 1
                answered[0] += item.status is not None

    with ThreadPoolExecutor(SENDERS) as pool:
        futures = [pool.submit(tracked, item) for item in sent[UNREAD:]]
        deadline = time.monotonic() + RUN_SECONDS
        while True:  # kill once a third was answered and, at that instant, requests are being served
            with lock:
                if answered[0] >= REQUESTS // 3 and in_flight[0] > 0:
                    cut_off = in_flight[0]
                    server.kill()
                    break
            assert time.monotonic() < deadline, f"only {answered[0]} of {REQUESTS} answers came in {RUN_SECONDS} s:\n{server.tail()}"
            time.sleep(0.005)
        for future in futures:
            future.result(timeout=ANSWER_SECONDS + 5)
    for client in unread:
        client.close()

    answered_before = [item for item in sent if item.status is not None]
    lost = [item for item in sent if item.status is None]
    assert all(item.status == 201 for item in answered_before), [(item.index, item.status, item.body) for item in answered_before]
    assert lost, "the kill came after every request was answered"

    server.start()
    retried = [send(server, token, Sent(item.index, item.key)) for item in lost]
    again = [send(server, token, Sent(item.index, item.key)) for item in answered_before[:5]]  # answered ones: replayed, not redone
    server.stop()
    shared_database.pull()

    assert all(item.status == 201 for item in retried + again), [(item.index, item.status, item.body) for item in retried + again]
    assert all(item.replayed for item in again + retried[:UNREAD]), "an answer committed before the kill was not replayed"
    by_case = {}
    for notice in NoticeRequest.objects.filter(case_reference__startswith="crash-"):
        by_case.setdefault(notice.case_reference, []).append(notice)
    assert sorted(by_case) == [f"crash-{index:03d}" for index in range(REQUESTS)], "a request is missing"
    assert all(len(copies) == 1 for copies in by_case.values()), "a retry made a second copy"
    for item in answered_before + retried + again:
        assert item.body["id"] == by_case[f"crash-{item.index:03d}"][0].pk, "an answer names another object than the one stored"

    # Nothing half-written: each draft has its reference (a second write), its history row and its audit entry.
    notice_type = ContentType.objects.get_for_model(NoticeRequest)
    year = timezone.localdate().year
    for (notice,) in by_case.values():
        assert notice.reference == f"NR/{year}/{notice.pk:06d}"
        assert Transition.objects.filter(content_type=notice_type, object_id=notice.pk, action="create").count() == 1
        assert AuditEntry.objects.filter(action="notice.create", target_id=str(notice.pk)).count() == 1
    assert NoticeRequest.objects.count() == REQUESTS
    assert IdempotencyKey.objects.filter(status=201).count() == REQUESTS == IdempotencyKey.objects.count()
    report = verify_chain()
    assert report.ok, report.problem
    replayed = sum(item.replayed for item in retried[UNREAD:])
    print(  # noqa: T201 - the numbers of this run, for `pytest -s`
        f"\n{UNREAD} committed but never read, then {len(answered_before)} answered before the kill, {cut_off} in flight when it came, "
        f"{len(lost) - UNREAD} more lost and retried: {replayed} of them had committed (answer replayed), "
        f"{len(lost) - UNREAD - replayed} had not (run again)"
    )

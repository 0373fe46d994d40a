"""The database under the production server: bounded, pooled connections that are given back, and a clear 503
(never a 500 or a hang) when none is free."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from accounts.services import api_token_create

ROOT = Path(__file__).resolve().parents[2]
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="connection pooling is PostgreSQL's")


@postgresql_only
def test_health_check_reports_the_connection_pool_on_postgresql(client, settings, db):
    pool = client.get("/healthz").json()["pool"]
    assert pool["max_size"] == settings.DATABASES["default"]["OPTIONS"]["pool"]["max_size"]
    assert 0 <= pool["available"] <= pool["size"] <= pool["max_size"]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_request_that_finds_no_free_connection_answers_503_with_retry_after(reference_data):
    pool = connection.pool
    held, timeout = [], pool.timeout
    pool.timeout = 0.3
    try:
        while True:  # take every connection the pool can lend
            try:
                held.append(pool.getconn(timeout=0.3))
            except Exception:  # noqa: BLE001 - PoolTimeout: the pool is exhausted
                break
        answers = {}

        def call():  # a thread of its own borrows from the pool, as a server's request does
            from django.db import connections

            answers["api"] = Client(raise_request_exception=False).get("/api/v1/alerts/feed/no-such-office.xml")
            answers["page"] = Client(raise_request_exception=False).get("/services/verify/NO-SUCH-CODE")
            connections.close_all()

        thread = threading.Thread(target=call)
        thread.start()
        thread.join(timeout=30)
        assert not thread.is_alive()
    finally:
        pool.timeout = timeout
        for conn in held:
            pool.putconn(conn)
    assert answers["api"].status_code == 503
    assert answers["api"]["Retry-After"]
    assert "busy" in answers["api"].json()["detail"]
    assert answers["page"].status_code == 503
    assert "busy" in answers["page"].content.decode()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _connections_of(application: str) -> int:
    import psycopg

    params = connection.settings_dict
    with psycopg.connect(host=params["HOST"] or None, port=params["PORT"] or None, user=params["USER"], dbname="postgres") as conn:
        return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [application]).fetchone()[0]


@contextmanager
def _production_server(**settings_env: str):
    """uvicorn serving the test database with DEBUG=0, as the README runs it, on a free port; yields its base URL and
    stops it afterwards (killed if it does not stop within 20 s)."""
    params = connection.settings_dict
    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": "test-only-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}",
        "RATELIMIT_ENABLE": "0",
        **settings_env,
    }
    env.pop("TEST_DATABASE_NAME", None)
    if "REDIS_URL" not in settings_env:
        env.pop("REDIS_URL", None)
    command = [sys.executable, "-m", "uvicorn", "openpol.asgi:application", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--timeout-graceful-shutdown", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, server.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, "the server did not answer /healthz within 30 s"
            try:
                if urllib.request.urlopen(base + "/healthz", timeout=2).status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_production_server_holds_a_bounded_number_of_connections_under_traffic(reference_data, ncb_officer):
    """uvicorn with two workers and DEBUG=0, as the README runs it: 1,200 requests from 12 clients, and the
    database never sees more than workers x (pool + the alert stream's 2) connections, and every answer is 200."""
    pool_size, workers = 3, 2
    application = f"openpol-traffic-{_free_port()}"
    token = api_token_create(user=ncb_officer, name="traffic", scopes=["directory:read"])
    with _production_server(
        DB_POOL_MIN_SIZE="1",
        DB_POOL_MAX_SIZE=str(pool_size),
        REDIS_URL=os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9"),
        WEB_CONCURRENCY=str(workers),
        PGAPPNAME=application,  # libpq names the server's connections, to count them apart from the test's
    ) as base:
        paths = ["/healthz", "/api/v1/directory/states", "/api/v1/directory/agencies", "/api/v1/directory/countries"]
        peak = [0]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], _connections_of(application))
                time.sleep(0.1)

        def fetch(i: int) -> int:
            request = urllib.request.Request(base + paths[i % len(paths)], headers={"Authorization": f"Bearer {token}"})
            try:
                return urllib.request.urlopen(request, timeout=30).status
            except urllib.error.HTTPError as error:
                return error.code

        sampler = threading.Thread(target=sample)
        sampler.start()
        with ThreadPoolExecutor(12) as clients:
            statuses = list(clients.map(fetch, range(1200)))
        done.set()
        sampler.join()
    bound = workers * (pool_size + 2)
    assert peak[0] <= bound, f"{peak[0]} connections, more than {bound}"
    assert statuses == [200] * 1200


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_alert_pages_held_open_do_not_hold_the_pools_connections(reference_data, delhi_station_officer, ncb_officer, settings):
    """Eight alert streams open on a server whose pool has two connections: every other page still answers at once."""
    from conftest import sign_in

    browser = Client()
    sign_in(browser, delhi_station_officer)
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in browser.cookies.items())
    token = api_token_create(user=ncb_officer, name="pool", scopes=["directory:read"])
    streams = []
    with _production_server(
        SECRET_KEY=settings.SECRET_KEY,  # the server reads the session the test signed in
        DB_POOL_MIN_SIZE="1",
        DB_POOL_MAX_SIZE="2",
        DB_POOL_TIMEOUT="3",
        WEB_CONCURRENCY="1",
    ) as base:
        try:
            for _ in range(8):
                request = urllib.request.Request(base + "/alerts/stream", headers={"Cookie": cookie, "Accept": "text/event-stream"})
                stream = urllib.request.urlopen(request, timeout=10)
                assert stream.status == 200 and stream.headers["Content-Type"].startswith("text/event-stream")
                streams.append(stream)
            started = time.monotonic()
            statuses = []
            for _ in range(10):
                request = urllib.request.Request(base + "/api/v1/directory/states", headers={"Authorization": f"Bearer {token}"})
                try:
                    statuses.append(urllib.request.urlopen(request, timeout=10).status)
                except urllib.error.HTTPError as error:
                    statuses.append(error.code)
            waited = time.monotonic() - started
        finally:
            for stream in streams:
                stream.close()
    assert statuses == [200] * 10
    assert waited < 3, "pages waited for a connection the open streams held"

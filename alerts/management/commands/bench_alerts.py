"""Benchmark: N concurrent SSE clients (spread over several processes) receive M alerts; prints one JSON line.

    manage.py bench_alerts --subscribers 1000 --alerts 5 [--url http://127.0.0.1:8000] [--processes 4]

Without --url it starts uvicorn on a free port (one worker on SQLite, whose fan-out is in-process; on
PostgreSQL LISTEN/NOTIFY lets one worker per core share the load: --server-workers). It creates N demo stations,
each with one station officer, authenticates each client with a signed stream ticket (no session, no
database query per client beyond loading its user), publishes M nationwide alerts through the JSON API and
measures publish-to-receipt latency: from just before the publishing POST to the moment each client read the
event. It waits until every client is connected, and three warm-up alerts before the measured ones are not counted.
"""

import asyncio
import contextlib
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Role, User
from accounts.services import api_token_create
from alerts.api import TICKET_SALT
from directory.models import Agency, District, PoliceStation

PREFIX = "BENCH-"


class _Page(asyncio.Protocol):
    """One SSE client as a bare protocol: each read is handled in the callback that receives it, with no task to wake
    and no line parsing, so that the clients cost less than the server they measure."""

    def __init__(self, request: bytes, marker: bytes, received: list, connected) -> None:
        self.request, self.marker, self.received, self.connected = request, marker, received, connected
        self.head, self.pending, self.ready = b"", b"", False
        self.closed = asyncio.get_running_loop().create_future()

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        at = time.time()
        if not self.ready:  # the status line and headers, then the first event
            self.head += data
            if b"retry:" not in self.head:
                return
            if b" 200 " not in self.head.split(b"\r\n", 1)[0]:
                self.transport.close()
                return
            self.ready, data = True, self.head[self.head.index(b"retry:") :]
            self.connected()
        data, start, marker = self.pending + data, 0, self.marker
        while (found := data.find(marker, start)) >= 0:
            end = data.find(b" ", found + len(marker))
            if end < 0:  # the alert number was cut by the read: keep it for the next one
                break
            self.received.append((int(data[found + len(marker) : end]), at))
            start = end
        else:
            found = max(start, len(data) - len(marker))  # a marker cut by the read
        self.pending = data[found:]

    def connection_lost(self, exc) -> None:
        if not self.closed.done():
            self.closed.set_result(None)


def _client_process(
    host: str, port: int, tickets: list[str], alerts: int, ready, results, go, timeout: float, connect_timeout: float, run: str
) -> None:
    """One client process: opens its share of SSE connections and records when each bench alert arrived."""
    received: list[tuple[int, float]] = []
    marker = f'"headline": "{run}#'.encode()
    count = [0]
    all_connected = asyncio.Event()

    def connected():
        count[0] += 1
        if count[0] == len(tickets):
            all_connected.set()

    async def main():
        opening = asyncio.Semaphore(64)  # connections being opened at once: the server's accept queue never overflows
        loop = asyncio.get_running_loop()
        pages = []

        async def one(ticket: str):
            request = f"GET /api/v1/alerts/stream?ticket={ticket} HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
            async with opening:
                for attempt in range(5):
                    try:
                        _transport, page = await loop.create_connection(
                            lambda: _Page(request.encode(), marker, received, connected), host, port
                        )
                        pages.append(page)
                        return
                    except OSError:
                        if attempt == 4:
                            raise
                        await asyncio.sleep(0.5 * (attempt + 1))

        opened = [asyncio.create_task(one(ticket)) for ticket in tickets]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(all_connected.wait(), timeout=connect_timeout)
        ready.put(count[0])
        await loop.run_in_executor(None, go.wait)
        deadline = loop.time() + timeout
        while len(received) < alerts * count[0] and loop.time() < deadline:
            await asyncio.sleep(0.1)
        for page in pages:
            page.transport.close()
        for task in opened:
            task.cancel()

    try:
        import uvloop  # the clients must not be the bottleneck being measured

        uvloop.run(main())
    except ImportError:
        asyncio.run(main())
    results.put(received)


def _percentile(ordered: list[float], fraction: float) -> float | None:
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * fraction))], 1) if ordered else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Command(BaseCommand):
    help = "Measure publish-to-receipt latency of the alert stream with N concurrent SSE clients."

    def add_arguments(self, parser):
        parser.add_argument("--subscribers", type=int, default=1000)
        parser.add_argument("--alerts", type=int, default=5)
        parser.add_argument("--url", default="")
        parser.add_argument("--processes", type=int, default=0, help="client processes (default: one per 4,000 clients, at least 2)")
        parser.add_argument(
            "--server-workers", type=int, default=0, help="server processes (default: one per core on PostgreSQL, one on SQLite)"
        )
        parser.add_argument("--gap", type=float, default=1.0, help="seconds between alerts")
        parser.add_argument("--timeout", type=float, default=60.0)
        parser.add_argument("--connect-timeout", type=float, default=600.0, help="seconds to wait for every client to connect")

    def handle(self, *args, subscribers, alerts, url, processes, server_workers, gap, timeout, connect_timeout, **options):
        load_before = round(os.getloadavg()[0], 2)
        users = self._setup(subscribers)
        publisher = self._publisher()
        token = api_token_create(user=publisher, name="bench", scopes=["alerts:read", "alerts:write"], days=1)
        tickets = [signing.dumps({"u": pk}, salt=TICKET_SALT, compress=True) for pk in users]
        server = None
        if not server_workers:  # SQLite's fan-out is in-process; PostgreSQL's LISTEN/NOTIFY lets every core serve pages
            server_workers = (os.cpu_count() or 1) if connection.vendor == "postgresql" else 1
        if not url:
            port = _free_port()
            # Production settings (no debug query log), with this process's key so the tickets it signs are valid there.
            env = {
                **os.environ,
                "RATELIMIT_ENABLE": "0",
                "DEBUG": "0",
                "SECRET_KEY": settings.SECRET_KEY,
                "SECURE_SSL_REDIRECT": "0",
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
            }
            server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "openpol.asgi:application",
                    "--port",
                    str(port),
                    "--workers",
                    str(server_workers),
                    "--log-level",
                    "warning",
                    "--backlog",
                    "4096",
                ],
                env=env,
            )
            url = f"http://127.0.0.1:{port}"
            self._wait_for(url)
        run = f"bench#{os.getpid()}-{int(time.time())}"  # only this run's alerts count, whatever earlier runs left behind
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port or 80
        try:
            processes = processes or max(2, -(-subscribers // 4000))
            ready, results, go = multiprocessing.Queue(), multiprocessing.Queue(), multiprocessing.Event()
            shares = [tickets[i::processes] for i in range(processes)]
            workers = [
                multiprocessing.Process(
                    target=_client_process, args=(host, port, share, alerts, ready, results, go, timeout, connect_timeout, run)
                )
                for share in shares
            ]
            for worker in workers:
                worker.start()
            connected = sum(ready.get(timeout=connect_timeout + 60) for _ in workers)
            self.stderr.write(f"{connected} of {subscribers} clients connected")
            for _ in range(3):  # each server process's first requests pay for lazy imports and cold caches: not measured
                self._publish(url, token, f"{run}-warm-up")
                time.sleep(gap)
            sent_at, publish_ms = {}, []
            for index in range(alerts):
                sent_at[index] = time.time()
                self._publish(url, token, f"{run}#{index}")
                publish_ms.append((time.time() - sent_at[index]) * 1000)
                time.sleep(gap)
            go.set()
            received = []
            for _ in workers:
                received += results.get(timeout=timeout + 120)
            for worker in workers:
                worker.join(timeout=30)
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
        latencies = sorted((at - sent_at[index]) * 1000 for index, at in received if index in sent_at)
        first = {}  # per alert, when its first page had it: the time before the fan-out (publishing, NOTIFY, reading the event)
        for index, at in received:
            if index in sent_at:
                first[index] = min(first.get(index, at), at)
        line = {
            "subscribers": subscribers,
            "alerts": alerts,
            "expected": subscribers * alerts,
            "delivered": len(latencies),
            "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
            "p95_ms": _percentile(latencies, 0.95),
            "p99_ms": _percentile(latencies, 0.99),
            "max_ms": round(latencies[-1], 1) if latencies else None,
            "first_page_ms": round(statistics.median((at - sent_at[i]) * 1000 for i, at in first.items()), 1) if first else None,
            "connected": connected,
            "publish_ms": round(statistics.median(publish_ms), 1),
            "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
            "load_before": load_before,
            "load_after": round(os.getloadavg()[0], 2),
        }
        self.stdout.write(json.dumps(line))

    def _setup(self, count: int) -> list[int]:
        """N demo stations, each with one station officer (created once, reused by later runs)."""
        agency = Agency.objects.get(code="PS-DL")
        district = District.objects.filter(state=agency.state).order_by("lgd_code").first()
        with transaction.atomic():
            have = PoliceStation.objects.filter(code__startswith=PREFIX).count()
            PoliceStation.objects.bulk_create(
                [
                    PoliceStation(
                        code=f"{PREFIX}{i}", name=f"Bench station {i}", district=district, agency=agency, lat=28.6, lon=77.2, is_demo=True
                    )
                    for i in range(have, count)
                ],
                batch_size=2000,
            )
            stations = list(PoliceStation.objects.filter(code__startswith=PREFIX).order_by("pk").values_list("pk", flat=True)[:count])
            existing = set(User.objects.filter(username__startswith="bench_sho_").values_list("station_id", flat=True))
            User.objects.bulk_create(
                [
                    User(username=f"bench_sho_{pk}", role=Role.STATION_OFFICER, agency=agency, station_id=pk, password="!", email="")
                    for pk in stations
                    if pk not in existing
                ],
                batch_size=2000,
            )
        return list(User.objects.filter(username__startswith="bench_sho_", station_id__in=stations).values_list("pk", flat=True))

    def _publisher(self) -> User:
        user, _created = User.objects.get_or_create(
            username="bench_ncb", defaults={"role": Role.NCB_OFFICER, "agency": Agency.objects.get(kind=Agency.Kind.NCB), "password": "!"}
        )
        return user

    def _publish(self, url: str, token: str, tag: str) -> None:
        body = json.dumps(
            {
                "category": "terror",
                "severity": "Moderate",
                "headline": f"{tag} nationwide test alert",
                "description": "Benchmark alert; ignore.",
                "expires_at": (timezone.now() + timedelta(days=1)).isoformat(),
            }
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - our own server
            f"{url}/api/v1/alerts/",
            data=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            if response.status != 201:
                raise RuntimeError(f"publish failed: {response.status}")

    def _wait_for(self, url: str) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the server did not start")

"""Audited requests per second: concurrent writers, each request a transaction that reads its user and records an entry.

Runs in a scratch database of its own on DATABASE_URL's server (created from the migrations, dropped at the end), so
the real trail is never touched. Several processes (as web server workers) each run several requests at a time (as
their threads would), sealing every second as workflow_tick would; then it seals the rest, verifies the whole chain,
and prints one JSON line.
"""

import json
import os
import statistics
import tempfile
import threading
import time
from multiprocessing import get_context

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def _worker(name: str, user_ids: list[int], threads: int, seconds: float, audited: bool, ready, start, results) -> None:
    """One server process, as a web worker would be: `threads` requests at a time, each on a connection of its own."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections, transaction

    settings.DEBUG = False  # as in production: no query log
    database = connections.settings["default"]  # shared by every thread's connection
    database["NAME"] = name
    database.get("OPTIONS", {}).pop("pool", None)  # a connection per thread, kept for the run, as a pool would lend one

    from accounts.models import User
    from audit import services
    from audit.context import client_ip

    def requests(offset: int, out: list) -> None:
        try:
            User.objects.filter(pk=user_ids[0]).exists()  # connect before the clock starts
            client_ip.set("127.0.0.1")
            barrier.wait(timeout=120)
            start.wait()
            count, timings, deadline = 0, [], time.monotonic() + seconds
            while time.monotonic() < deadline:
                with transaction.atomic():
                    user = User.objects.get(pk=user_ids[(offset + count) % len(user_ids)])  # as the authentication middleware does
                    if audited:
                        began = time.perf_counter()
                        services.read(actor=user, target=user, shown_as="page", purpose="bench_audit", data={"request": count})
                        timings.append(time.perf_counter() - began)
                count += 1
            out.append((count, timings))
        finally:
            connections.close_all()

    services.keys.current_hmac_key()
    barrier = threading.Barrier(threads + 1)
    outcomes: list = []
    pool = [threading.Thread(target=requests, args=(n * 7, outcomes)) for n in range(threads)]
    for thread in pool:
        thread.start()
    barrier.wait(timeout=120)
    ready.put(os.getpid())
    for thread in pool:
        thread.join()
    results.put((sum(count for count, _ in outcomes), [t for _, times in outcomes for t in times]))


class Command(BaseCommand):
    help = (
        "Measure audited requests per second in a scratch database on DATABASE_URL's server (created, then dropped), "
        "sealing as they are written; then seal the rest and verify the chain. Prints one JSON line."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=4, help="Writer processes, as web server workers (default 4).")
        parser.add_argument("--threads", type=int, default=8, help="Requests at a time in each process (default 8).")
        parser.add_argument("--seconds", type=float, default=10.0, help="How long they write (default 10).")
        parser.add_argument(
            "--seal-every", type=float, default=1.0, help="Seal every this many seconds meanwhile, as workflow_tick would (0: not)."
        )
        parser.add_argument(
            "--without-audit",
            action="store_true",
            help="The same requests without their entry, to compare (read-only: no commit to wait for).",
        )
        parser.add_argument("--keepdb", action="store_true", help="Keep the scratch database for the next run.")

    def handle(self, *args, **options):
        from django.conf import settings

        if connection.vendor != "postgresql":  # SQLite has one writer at a time: nothing to measure about concurrent writers
            raise CommandError("bench_audit measures PostgreSQL: set DATABASE_URL=postgres://USER@HOST:5432/NAME (NAME need not exist).")
        settings.DEBUG = False  # no query log in this process either
        original = connection.settings_dict["NAME"]
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{original}_bench_audit"
        name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=options["keepdb"])
        try:
            with tempfile.TemporaryDirectory() as checkpoints:
                settings.AUDIT_CHECKPOINT_DIR = checkpoints
                result = self._run(name, options)
        finally:
            if not options["keepdb"]:
                connection.close()
                with connection.creation._nodb_cursor() as cursor:  # a writer that did not exit must not keep it alive
                    cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
            connection.creation.destroy_test_db(original, verbosity=0, keepdb=options["keepdb"])
        self.stdout.write(json.dumps(result))

    @staticmethod
    def _one_at_a_time(User, services, user_ids: list[int], count: int = 500) -> float:
        """The mean time of `record` in requests made one after the other, before the writers start."""
        from django.db import transaction

        timings = []
        for n in range(count):
            with transaction.atomic():
                user = User.objects.get(pk=user_ids[n % len(user_ids)])
                began = time.perf_counter()
                services.read(actor=user, target=user, shown_as="page", purpose="bench_audit", data={"request": n})
                timings.append(time.perf_counter() - began)
        return statistics.fmean(timings)

    def _run(self, name: str, options) -> dict:
        from accounts.models import Role, User
        from audit import services

        users = [User(username=f"bench{i}", role=Role.ANALYST, email=f"bench{i}@example.invalid") for i in range(200)]
        for user in users:
            user.set_unusable_password()
        User.objects.bulk_create(users, ignore_conflicts=True)  # --keepdb: already there
        user_ids = list(User.objects.filter(username__startswith="bench").values_list("pk", flat=True))
        services.seal()  # start from a sealed, checkpointed trail, as a running installation would
        alone = self._one_at_a_time(User, services, user_ids)
        before = services.AuditEntry.objects.count()
        context = get_context("spawn")  # a fresh interpreter per writer: no connection or lock inherited
        ready, results, start = context.Queue(), context.Queue(), context.Event()
        processes = [
            context.Process(
                target=_worker,
                args=(name, user_ids, options["threads"], options["seconds"], not options["without_audit"], ready, start, results),
            )
            for _ in range(options["workers"])
        ]
        for process in processes:
            process.start()
        try:
            for _ in processes:
                ready.get(timeout=120)
            load = os.getloadavg()[0]
            started = time.monotonic()
            start.set()
            seals = []  # (entries, seconds) of each seal while the writers write
            while time.monotonic() < started + options["seconds"]:
                time.sleep(min(options["seal_every"] or options["seconds"], max(0.0, started + options["seconds"] - time.monotonic())))
                if options["seal_every"] and time.monotonic() < started + options["seconds"]:
                    report = services.seal()
                    seals.append((report.sealed, report.seconds))
            outcomes = [results.get(timeout=120) for _ in processes]
            elapsed = time.monotonic() - started
        finally:
            for process in processes:
                process.join(30)
                if process.is_alive():
                    process.terminate()
        requests = sum(count for count, _ in outcomes)
        timings = sorted(t for _, times in outcomes for t in times)
        last = services.seal()
        seals.append((last.sealed, last.seconds))
        sealed, seal_seconds = sum(n for n, _ in seals), sum(t for _, t in seals)
        began = time.monotonic()
        report = services.verify_chain()
        verify_seconds = time.monotonic() - began
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            version = cursor.fetchone()[0].split(" on ")[0]
        return {
            "database": version,
            "processes": options["workers"],
            "threads": options["threads"],
            "cores": os.cpu_count(),
            "load_before": round(load, 2),
            "seconds": round(elapsed, 2),
            "requests": requests,
            "entries_written": services.AuditEntry.objects.count() - before,
            "audited_requests_per_second": round(requests / elapsed) if not options["without_audit"] else None,
            "requests_per_second": round(requests / elapsed),
            "record_ms_alone": round(alone * 1000, 3),  # one request at a time: what an entry costs, without waiting for a core
            "record_ms_mean": round(statistics.fmean(timings) * 1000, 3) if timings else None,
            "record_ms_p99": round(timings[int(len(timings) * 0.99)] * 1000, 3) if timings else None,
            "seals_during_run": len(seals) - 1,
            "sealed": sealed,
            "seal_entries_per_second": round(sealed / seal_seconds) if seal_seconds else None,
            "last_seal_entries": last.sealed,
            "last_seal_seconds": round(last.seconds, 3),
            "verified_entries": report.checked,
            "verify_seconds": round(verify_seconds, 3),
            "verified": report.ok,
            "problem": report.problem,
        }

"""What an officer waits for when a change sends mail, and whether mail survives an SMTP outage.

In a scratch database of its own (SQLite file or `<name>_bench_notify` on DATABASE_URL's PostgreSQL; dropped at the
end), a UO submits Red notice requests through the portal's own page (the test client, every middleware) for a person
wanted in another state's FIR, so that each submission screens the person and mails the record's owner and the
drafter. An SMTP server on loopback takes `--smtp-delay` seconds to answer each message.

- before: tasks run on the request's own thread when its transaction commits (as `transaction.on_commit` did);
- after: a real `manage.py worker` process runs them, as `make run` and production do;
- outage: the SMTP server is down while `--outage` more requests are submitted, and up again a few seconds later:
  every mail must arrive exactly once (counted by Message-ID).

Prints one JSON line.
"""

import asyncio
import io
import json
import logging
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date
from email import message_from_bytes
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection


class SlowSmtp:
    """An SMTP server on loopback that takes `delay` seconds to accept each message, and keeps what it accepted."""

    def __init__(self, delay: float):
        self.delay, self.received, self.lock = delay, [], threading.Lock()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        await asyncio.sleep(self.delay)
        with self.lock:
            self.received.append(message_from_bytes(envelope.original_content or envelope.content)["Message-ID"])
        return "250 OK"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def count(self) -> int:
        with self.lock:
            return len(self.received)


def _percentiles(timings: list[float]) -> dict:
    ordered = sorted(timings)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


class Command(BaseCommand):
    help = (
        "Measure how long submitting a notice request takes while an SMTP server takes --smtp-delay s per message, with "
        "mail on the request thread and with a worker; then whether every mail arrives once across an SMTP outage."
    )

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=20, help="Submissions timed in each of before and after (default 20).")
        parser.add_argument("--smtp-delay", type=float, default=2.0, help="Seconds the SMTP server takes per message (default 2).")
        parser.add_argument("--outage", type=int, default=20, help="Submissions made while the SMTP server is down (default 20).")
        parser.add_argument("--outage-seconds", type=float, default=5.0, help="How long the SMTP server stays down (default 5).")
        parser.add_argument("--timeout", type=float, default=300.0, help="Give up waiting for the mail after this (default 300 s).")

    def handle(self, *args, **options):
        settings.DEBUG = False
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO
        original = connection.settings_dict["NAME"]
        scratch_dir = tempfile.mkdtemp(prefix="bench_notify-")
        test_name = str(Path(scratch_dir) / "bench_notify.sqlite3") if connection.vendor == "sqlite" else f"{original}_bench_notify"
        connection.settings_dict.setdefault("TEST", {})["NAME"] = test_name
        name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            result = self._run(name, options)
        finally:
            connection.close()
            if connection.vendor == "postgresql":
                with connection.creation._nodb_cursor() as cursor:
                    cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
            connection.creation.destroy_test_db(original, verbosity=0)
        self.stdout.write(json.dumps(result))

    # --- The world: a UO in Delhi, the person wanted in a Mumbai FIR -----------------------------------------

    def _world(self):
        from accounts.models import Role, User
        from directory.models import Agency, District, PoliceStation, UnitOffice
        from records import services as records
        from records.matching import resolve_state_id

        call_command("load_reference", verbosity=0, stdout=io.StringIO())  # stdout carries only the JSON line
        delhi, mumbai = Agency.objects.get(code="PS-DL"), Agency.objects.get(code="PS-MH")
        unit = UnitOffice.objects.create(agency=delhi, code="B-DL-CB", name="Crime Branch (bench)")

        def officer(username, role, **fields):
            user = User(username=username, role=role, email=f"{username}@example.invalid", **fields)
            user.set_unusable_password()
            user.save()
            return user

        ilo = officer("bench_ilo", Role.ILO, agency=delhi)
        uo = officer("bench_uo", Role.UO, agency=delhi, unit=unit, supervisor=ilo)
        officer("bench_mumbai_ilo", Role.ILO, agency=mumbai)
        district = District.objects.filter(state=mumbai.state).order_by("lgd_code").first()
        station = PoliceStation.objects.create(code="B-MH-PS1", name="Colaba (bench)", district=district, agency=mumbai, lat=18.9, lon=72.8)
        fir = records.fir_create(
            data={"station": station, "district": district, "year": 2025, "number": 77, "registered_on": date(2025, 5, 2)},
            sections=[{"law": "BNS", "section": "103(1)"}],
        )
        person = records.person_save(
            data={
                "external_id": "BENCH-1",
                "source": "bench",
                "name": "Rakesh Kumar Verma",
                "father_name": "Mahesh Verma",
                "dob": "1984-03-14",
                "birth_year": 1984,
                "sex": "M",
                "state_id": resolve_state_id("Maharashtra"),
                "roles": ["accused", "wanted"],
            }
        )
        from records.models import Involvement

        Involvement.objects.create(person=person, fir=fir, role="accused")
        return uo

    @staticmethod
    def _draft(uo, n: int):
        from notices import services as notices
        from notices.models import NoticeKind

        return notices.notice_draft_create(
            by=uo,
            kind=NoticeKind.RED,
            data={
                "case_reference": f"FIR {100 + n}/2025 PS Connaught Place (bench)",
                "family_name": "Verma",
                "forenames": "Rakesh Kumar",
                "sex": "M",
                "date_of_birth": date(1984, 3, 14),
                "year_of_birth": 1984,
                "place_of_birth": "Meerut",
                "nationalities": ["IN"],
                "identity_documents": [{"type": "Passport", "number": "Z0000001", "country": "IN"}],
                "offence": "Murder",
                "law": "BNS",
                "sections": "103(1)",
                "max_penalty_life": True,
                "purpose": "prosecution",
                "warrant_kind": "arrest_warrant",
                "warrant_number": f"NBW {n}/2025",
                "warrant_date": date(2025, 6, 2),
                "issuing_court": "Chief Judicial Magistrate, New Delhi",
                "facts_summary": "A fictitious case for a benchmark: the subject fled abroad after a robbery in which a shopkeeper died.",
                "extradition_intended": True,
                "facts": {"offence_category": "murder"},
            },
        )

    @staticmethod
    def _client(uo):
        from django.test import Client
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts.signin import NOTICE_SESSION_KEY

        device = TOTPDevice.objects.create(user=uo, name="bench", confirmed=True)
        client = Client(HTTP_HOST="127.0.0.1", secure=True)
        client.force_login(uo)
        session = client.session
        session[DEVICE_ID_SESSION_KEY], session[NOTICE_SESSION_KEY] = device.persistent_id, True
        session.save()
        return client

    def _submit(self, client, uo, n: int) -> float:
        notice = self._draft(uo, n)
        began = time.perf_counter()
        response = client.post(f"/notices/{notice.pk}/steps/submit/", {"version": notice.version})
        elapsed = time.perf_counter() - began
        if response.status_code not in (200, 302):
            raise RuntimeError(f"submitting {notice.reference} answered {response.status_code}")
        return elapsed

    @staticmethod
    def _mails_enqueued() -> int:
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.filter(task_path="notify.tasks.email_deliver").count()

    @staticmethod
    def _wait(condition, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.1)
        return condition()

    def _worker(self, name: str, smtp: SlowSmtp):
        if connection.vendor == "sqlite":
            url = f"sqlite:///{name}"
        else:
            db = connection.settings_dict
            auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
            url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "JOBS_BACKOFF_SECONDS": "1",
            "DB_POOL_MIN_SIZE": "1",
        }
        return subprocess.Popen(  # noqa: S603 - this interpreter and this project's manage.py
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "worker", "--no-tick", "--interval", "0.1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def _run(self, name: str, options) -> dict:
        from django_tasks_db.models import DBTaskResult

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        smtp = SlowSmtp(options["smtp_delay"])
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
        smtp.start()
        uo = self._world()
        client = self._client(uo)
        count, timeout = options["requests"], options["timeout"]

        settings.JOBS_RUN_ON_COMMIT = True  # before: the request runs the screening and its mail when it commits
        before = [self._submit(client, uo, n) for n in range(count)]
        before_mails = self._mails_enqueued()
        settings.JOBS_RUN_ON_COMMIT = False

        worker = self._worker(name, smtp)
        try:
            began = time.monotonic()
            after = [self._submit(client, uo, count + n) for n in range(count)]
            expected = self._mails_enqueued  # the worker's screening enqueues them as it goes
            arrived = self._wait(lambda: not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists(), timeout)
            after_drained_s = time.monotonic() - began
            after_mails = expected() - before_mails

            smtp.stop()  # the outage
            down_at = time.monotonic()
            for n in range(options["outage"]):
                self._submit(client, uo, 2 * count + n)
            time.sleep(max(0.0, options["outage_seconds"] - (time.monotonic() - down_at)))
            failed_attempts = DBTaskResult.objects.filter(exception_class_path__contains="Connection").count()
            smtp.start()
            total = expected()
            drained = self._wait(
                lambda: smtp.count() >= total and not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists(), timeout
            )
            time.sleep(1.0)  # anything sent twice would arrive now
        finally:
            worker.terminate()
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
            smtp.stop()
        ids = Counter(smtp.received)
        outage_mails = total - before_mails - after_mails
        return {
            "database": connection.vendor,
            "smtp_delay_s": options["smtp_delay"],
            "requests": count,
            "before": {**_percentiles(before), "mails": before_mails},
            "after": {**_percentiles(after), "mails": after_mails, "all_delivered_s": round(after_drained_s, 1), "delivered": arrived},
            "outage": {
                "requests": options["outage"],
                "mails": outage_mails,
                "down_s": options["outage_seconds"],
                "tasks_that_met_the_outage": failed_attempts,
                "all_delivered": drained,
            },
            "mails_enqueued": total,
            "mails_arrived": len(ids),
            "duplicates": sum(n - 1 for n in ids.values()),
            "missing": total - len(ids),
            "failed_tasks": DBTaskResult.objects.filter(status="FAILED").count(),
        }

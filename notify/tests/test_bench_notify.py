"""`manage.py bench_notify`, as a user runs it: one JSON line, and every mail of the outage phase arrives exactly once."""

import json
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_the_notify_benchmark_prints_one_json_line_and_every_mail_arrives_once_across_the_outage():
    run = subprocess.run(  # noqa: S603 - this interpreter and this project's manage.py
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "bench_notify", "--requests", "2", "--outage", "2"]
        + ["--smtp-delay", "0.2", "--outage-seconds", "1", "--timeout", "60"],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.strip().splitlines()
    assert len(lines) == 1, run.stdout
    result = json.loads(lines[0])
    assert result["before"]["mails"] == result["after"]["mails"] == result["outage"]["mails"] == 4  # owner and drafter, twice
    assert result["outage"]["tasks_that_met_the_outage"] > 0  # the SMTP server really was down for some of them
    assert result["mails_arrived"] == result["mails_enqueued"] == 12
    assert result["duplicates"] == 0 and result["missing"] == 0 and result["failed_tasks"] == 0
    assert result["before"]["p50_ms"] >= 400  # two mails on the request's thread at 0.2 s each

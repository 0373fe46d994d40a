"""The task queue: a task exists exactly when its transaction commits, a failure is retried after a back-off, a task
that keeps failing ends FAILED where the system administrator can retry it, and the worker command runs them."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from audit.models import AuditEntry
from jobs import services
from jobs.tasks import task

FAILURES_LEFT: dict[str, int] = {}
RUNS: list[str] = []


@task(attempts=3)
def flaky(label: str) -> str:
    """Raises while FAILURES_LEFT[label] > 0, as a mail server that is down would."""
    RUNS.append(label)
    if FAILURES_LEFT.get(label, 0) > 0:
        FAILURES_LEFT[label] -= 1
        raise ConnectionRefusedError("the server is down")
    return f"done {label}"


class Refusal(Exception):
    pass


@task(attempts=5, give_up_on=(Refusal,))
def refused(label: str) -> None:
    RUNS.append(label)
    raise Refusal("the number is not a mobile")


@pytest.fixture(autouse=True)
def _fresh():
    FAILURES_LEFT.clear()
    RUNS.clear()


def _row(label: str) -> DBTaskResult:
    return DBTaskResult.objects.get(args_kwargs__args=[label])


@pytest.mark.django_db
def test_a_task_runs_when_the_transaction_that_enqueued_it_commits_and_not_if_it_rolls_back():
    with transaction.atomic():
        flaky.enqueue("kept")
        assert RUNS == []  # not while the change is still being made
    assert RUNS == ["kept"]
    assert _row("kept").status == "SUCCESSFUL"

    with pytest.raises(RuntimeError), transaction.atomic():
        flaky.enqueue("rolled back")
        raise RuntimeError("the change fails")
    assert not DBTaskResult.objects.filter(args_kwargs__args=["rolled back"]).exists()
    assert RUNS == ["kept"]


@pytest.mark.django_db
def test_a_task_that_fails_waits_for_its_back_off_then_succeeds_once(settings):
    settings.JOBS_BACKOFF_SECONDS = 30
    FAILURES_LEFT["mail"] = 1
    flaky.enqueue("mail")
    row = _row("mail")
    assert row.status == "READY" and row.exception_class_path == "builtins.ConnectionRefusedError"
    assert timedelta(seconds=29) < row.run_after - timezone.now() <= timedelta(seconds=30)

    assert services.run_ready() == 0  # not before its time
    assert services.run_ready(now=timezone.now() + timedelta(seconds=31)) == 1
    assert _row("mail").status == "SUCCESSFUL" and _row("mail").return_value == "done mail"
    assert services.run_ready(now=timezone.now() + timedelta(hours=2)) == 0
    assert RUNS == ["mail", "mail"]


@pytest.mark.django_db
def test_the_back_off_doubles_and_is_at_most_an_hour(settings):
    settings.JOBS_BACKOFF_SECONDS = 30
    assert [services.backoff(n).total_seconds() for n in (1, 2, 3, 10)] == [30, 60, 120, 3600]


@pytest.mark.django_db
def test_a_task_that_fails_every_attempt_ends_failed_with_its_error():
    FAILURES_LEFT["mail"] = 10
    flaky.enqueue("mail")
    later = timezone.now() + timedelta(days=1)
    services.run_ready(now=later)
    services.run_ready(now=later + timedelta(days=1))
    row = _row("mail")
    assert row.status == "FAILED" and len(row.worker_ids) == 3 and RUNS == ["mail"] * 3
    assert "the server is down" in row.traceback


@pytest.mark.django_db
def test_a_refusal_is_final_at_once():
    refused.enqueue("sms")
    assert _row("sms").status == "FAILED" and RUNS == ["sms"]


@pytest.mark.django_db
def test_the_system_administrator_sees_a_failed_task_and_retries_it(client, signed_in, sysadmin, settings):
    FAILURES_LEFT["mail"] = 3
    flaky.enqueue("mail")
    later = timezone.now() + timedelta(days=1)
    services.run_ready(now=later)
    services.run_ready(now=later + timedelta(days=1))
    row = _row("mail")
    assert row.status == "FAILED"

    signed_in(sysadmin)
    page = client.get("/jobs/")
    assert page.status_code == 200
    assert str(row.id).encode() in page.content and b"ConnectionRefusedError" in page.content
    response = client.post(f"/jobs/{row.id}/retry/")
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == "READY" and row.worker_ids == []  # a fresh count of attempts, for the next worker to take
    assert services.run_ready() == 1
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL" and RUNS == ["mail"] * 4
    entry = AuditEntry.objects.filter(action="jobs.retry").get()
    assert entry.actor == sysadmin and entry.data["task"] == str(row.id)


@pytest.mark.django_db
def test_retrying_a_task_that_has_not_failed_answers_404(client, signed_in, sysadmin):
    flaky.enqueue("ok")
    signed_in(sysadmin)
    assert client.post(f"/jobs/{_row('ok').id}/retry/").status_code == 404
    assert client.post("/jobs/00000000-0000-4000-8000-000000000000/retry/").status_code == 404
    assert not AuditEntry.objects.filter(action="jobs.retry").exists()


@pytest.mark.django_db
def test_no_one_but_the_system_administrator_sees_or_retries_the_background_work(client, signed_in, ncb_admin):
    FAILURES_LEFT["mail"] = 1
    with override_settings(JOBS_RUN_ON_COMMIT=False):
        flaky.enqueue("mail")
    signed_in(ncb_admin)
    assert client.get("/jobs/").status_code == 403
    assert client.post(f"/jobs/{_row('mail').id}/retry/").status_code == 403
    assert RUNS == []


@pytest.mark.django_db
def test_the_worker_command_runs_what_is_ready_and_says_so():
    with override_settings(JOBS_RUN_ON_COMMIT=False):
        flaky.enqueue("one")
        flaky.enqueue("two")
    assert RUNS == []
    out = StringIO()
    with override_settings(PERIODIC_JOBS={}):
        call_command("worker", "--batch", stdout=out)
    assert json.loads(out.getvalue()) == {"enqueued": [], "ran": 2}
    assert sorted(RUNS) == ["one", "two"]


@pytest.mark.django_db
def test_healthz_counts_the_tasks_waiting_and_failed(client):
    refused.enqueue("failed")
    with override_settings(JOBS_RUN_ON_COMMIT=False):
        flaky.enqueue("waiting")
    tasks = client.get("/healthz").json()["tasks"]
    assert tasks["waiting"] == 1 and tasks["failed"] == 1 and tasks["oldest_waiting_s"] >= 0

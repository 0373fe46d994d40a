"""Running the background work: claiming a task, running it once, retrying it with back-off, giving up, and the
periodic jobs' tick. The worker (`manage.py worker`) loops over these; the tests run the same functions in process."""

import dataclasses
import json
import logging
import os
import socket
import threading
from datetime import datetime, timedelta
from traceback import format_exception

from django.conf import settings
from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks.signals import task_enqueued
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from audit import services as audit
from jobs.models import PeriodicJob
from jobs.tasks import attempts_of, periodic_run

logger = logging.getLogger("openpol.jobs")

READY, RUNNING, FAILED, SUCCESSFUL = "READY", "RUNNING", "FAILED", "SUCCESSFUL"


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:64]


def backoff(attempt: int) -> timedelta:
    """How long to wait after the `attempt`-th failure: JOBS_BACKOFF_SECONDS, doubled each time, at most an hour."""
    return timedelta(seconds=min(settings.JOBS_BACKOFF_SECONDS * 2 ** (attempt - 1), 3600))


def claim_next(worker: str, now: datetime | None = None) -> DBTaskResult | None:
    """The next ready task, marked RUNNING for this worker; None when there is none (or SQLite is busy: try again).
    Rows are locked with SKIP LOCKED on PostgreSQL, so that several workers never take the same task."""
    now = now or timezone.now()
    ready = DBTaskResult.objects.filter(status=READY).filter(Q(run_after=get_date_max()) | Q(run_after__lte=now))
    try:
        with exclusive_transaction():
            row = ready.select_for_update(skip_locked=True).first()
            if row is not None:
                row.claim(worker)
            return row
    except OperationalError as error:
        if is_locked_database_exception(error):
            return None
        raise


def run_one(row: DBTaskResult, now: datetime | None = None) -> str:
    """Run a claimed task: SUCCESSFUL with its return value; when it raises, READY again after the back-off while
    attempts remain (the error kept on the row), else FAILED. Returns the status it ended in."""
    func = None
    try:
        task = row.task
        func = task.func
        result = task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
    except Exception as error:  # noqa: BLE001 - a task's failure is recorded on its row, never the worker's end
        attempt = len(row.worker_ids)
        final = func is None or attempt >= attempts_of(func) or isinstance(error, getattr(func, "job_give_up_on", ()))
        row.exception_class_path = f"{type(error).__module__}.{type(error).__qualname__}"
        row.traceback = "".join(format_exception(error))[-20_000:]
        if final:
            logger.error("Task %s (%s) failed after %s attempt(s): %s", row.id, row.task_path, attempt, error)
            row.status, row.finished_at = FAILED, timezone.now()
        else:
            logger.warning("Task %s (%s) failed (attempt %s), retrying: %s", row.id, row.task_path, attempt, error)
            row.status, row.run_after = READY, (now or timezone.now()) + backoff(attempt)
        row.save(update_fields=["status", "finished_at", "run_after", "exception_class_path", "traceback"])
        return row.status
    row.set_successful(result)
    return SUCCESSFUL


_running = threading.local()


def run_ready(limit: int | None = None, now: datetime | None = None) -> int:
    """Run the tasks that are ready now, one after another, until none is left (or `limit` have run); the number run.
    A call made while this thread already runs tasks returns at once: the outer loop takes the new ones."""
    if getattr(_running, "active", False):
        return 0
    _running.active, done, me = True, 0, worker_id()
    try:
        while limit is None or done < limit:
            row = claim_next(me, now)
            if row is None:
                break
            run_one(row, now)
            done += 1
    finally:
        _running.active = False
    return done


def tick(now: datetime | None = None) -> list[str]:
    """Enqueue every periodic job that is due (settings.PERIODIC_JOBS), once however many workers tick: a job is
    taken by moving its due time forward only where it still holds the value read. Returns the paths enqueued."""
    now = now or timezone.now()
    jobs = {job.path: job for job in PeriodicJob.objects.all()}
    enqueued = []
    for path, every in settings.PERIODIC_JOBS.items():
        job = jobs.get(path)
        if job is None:
            job, _created = PeriodicJob.objects.get_or_create(path=path, defaults={"every_seconds": every, "due_at": now})
        if job.due_at > now and job.every_seconds == every:
            continue
        with transaction.atomic():
            taken = PeriodicJob.objects.filter(pk=job.pk, due_at=job.due_at).update(
                due_at=now + timedelta(seconds=every), every_seconds=every, last_enqueued_at=now
            )
            if taken:
                periodic_run.enqueue(path)
                enqueued.append(path)
    return enqueued


def periodic_job_run(path: str, func) -> object:
    """Run one periodic job and keep how it ended on its row; an exception is recorded there and raised again, so that
    its task shows it failed too."""
    PeriodicJob.objects.filter(path=path).update(last_started_at=timezone.now(), last_outcome=PeriodicJob.Outcome.RUNNING)
    try:
        result = func()
    except Exception as error:
        PeriodicJob.objects.filter(path=path).update(
            last_finished_at=timezone.now(), last_outcome=PeriodicJob.Outcome.FAILED, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        result = dataclasses.asdict(result)
    result = json.loads(json.dumps(result, default=str))  # what the row (and the task's result) can hold
    PeriodicJob.objects.filter(path=path).update(
        last_finished_at=timezone.now(), last_outcome=PeriodicJob.Outcome.OK, last_result=result, last_error=""
    )
    return result


@transaction.atomic
def task_retry(*, result_id, by) -> DBTaskResult:
    """A system administrator runs a failed task again: READY now, with a fresh count of attempts; audited."""
    row = DBTaskResult.objects.select_for_update().get(pk=result_id, status=FAILED)
    audit.record(
        actor=by,
        action="jobs.retry",
        target=None,
        data={"task": str(row.pk), "path": row.task_path, "attempts": len(row.worker_ids), "error": row.exception_class_path},
    )
    row.status, row.run_after, row.worker_ids, row.finished_at = READY, timezone.now(), [], None
    row.save(update_fields=["status", "run_after", "worker_ids", "finished_at"])
    return row


def results_prune(now: datetime | None = None) -> int:
    """Forget successful tasks older than JOBS_KEEP_DAYS (failed ones stay until retried or pruned by hand)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.JOBS_KEEP_DAYS)
    deleted, _ = DBTaskResult.objects.filter(status=SUCCESSFUL, finished_at__lt=cutoff).delete()
    return deleted


# --- Tests and `JOBS_RUN_ON_COMMIT`: run what was enqueued as soon as its transaction ends ---------------------


def _run_when_committed(sender, task_result, **kwargs) -> None:
    """With JOBS_RUN_ON_COMMIT (the test suite), a task runs in process right after the transaction that enqueued it
    commits, as the worker would pick it up, so that a test sees its mail without a worker beside it."""
    if not settings.JOBS_RUN_ON_COMMIT:
        return
    connection = transaction.get_connection()
    if all(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks):
        run_ready()  # nothing of the application's own is open: the row is as good as committed
    else:
        connection.jobs_pending = True  # jobs.testing runs them when the outermost application transaction ends
        transaction.on_commit(run_ready)  # a real commit (transactional tests, live servers)


def connect_signals() -> None:
    task_enqueued.connect(_run_when_committed, dispatch_uid="jobs.run_when_committed")

"""How a side effect becomes a task: `@task` marks a function that the worker runs after the transaction that
enqueued it has committed, retried with a doubling back-off when it raises.

    @task(attempts=8)
    def email_deliver(message: dict) -> None: ...

    email_deliver.enqueue(message)  # inside the change's transaction: the row commits or rolls back with it

Arguments must be JSON (ids, not model instances): a task runs later, in another process, on what the database holds
then.
"""

from collections.abc import Callable

from django.conf import settings
from django.utils.module_loading import import_string
from django_tasks import task as _django_task


def task(*, attempts: int | None = None, give_up_on: tuple[type[BaseException], ...] = (), priority: int = 0):
    """A django-tasks task that the worker retries up to `attempts` times (settings.JOBS_ATTEMPTS by default), after
    JOBS_BACKOFF_SECONDS, doubled each time (at most an hour); an exception in `give_up_on` is final at once."""

    def wrap(func: Callable):
        func.job_attempts = attempts
        func.job_give_up_on = give_up_on
        return _django_task(priority=priority)(func)

    return wrap


def attempts_of(func: Callable) -> int:
    return getattr(func, "job_attempts", None) or settings.JOBS_ATTEMPTS


@task(attempts=1)
def periodic_run(path: str) -> object:
    """Run one periodic job (settings.PERIODIC_JOBS) on its own: its outcome is kept on its PeriodicJob row, and an
    exception in it fails only this task, never the other jobs."""
    from jobs import services

    return services.periodic_job_run(path, import_string(path))

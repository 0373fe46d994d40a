"""For the test suite: inside a test's own transaction nothing ever commits, so `JOBS_RUN_ON_COMMIT` treats the end of
the outermost transaction the application opened as its commit (Django's TestCase wraps each test in one that is
rolled back); see `jobs.services._run_when_committed`."""

from django.db import transaction

_original_exit = transaction.Atomic.__exit__


def _exit(self, exc_type, exc_value, traceback):
    result = _original_exit(self, exc_type, exc_value, traceback)
    connection = transaction.get_connection(self.using)
    if getattr(connection, "jobs_pending", False) and all(getattr(b, "_from_testcase", False) for b in connection.atomic_blocks):
        connection.jobs_pending = False
        if exc_type is None and connection.atomic_blocks:  # outside any block, on_commit has run them already
            from jobs.services import run_ready

            run_ready()
    return result


def run_tasks_when_transactions_end() -> None:
    transaction.Atomic.__exit__ = _exit

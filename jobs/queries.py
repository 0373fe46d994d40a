"""What the system administrator sees of the background work."""

from django.db.models import Count, Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from accounts import access
from audit import services as audit
from jobs.models import PeriodicJob


def overview_for_user(user) -> dict:
    """Counts by status, the failed tasks (newest first) and every periodic job's last run; the read audited."""
    access.require(user, "jobs.manage")
    counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    failed = list(
        DBTaskResult.objects.filter(status="FAILED")
        .order_by("-finished_at")
        .only("id", "task_path", "finished_at", "enqueued_at", "worker_ids", "exception_class_path", "traceback")[:100]
    )
    audit.read(actor=user, target=DBTaskResult, shown_as="overview", data={"failed": len(failed)})
    return {"counts": counts, "failed": failed, "periodic": list(PeriodicJob.objects.all())}


def health(now=None) -> dict:
    """For /healthz: tasks due and not yet run (and how long the oldest has waited), and tasks that gave up. Many
    waiting, or an old one, mean no worker runs or the workers cannot keep up."""
    now = now or timezone.now()
    due = DBTaskResult.objects.filter(status="READY").filter(Q(run_after=get_date_max()) | Q(run_after__lte=now))
    oldest = due.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return {
        "waiting": due.count(),
        "oldest_waiting_s": round((now - oldest).total_seconds(), 1) if oldest else 0,
        "failed": DBTaskResult.objects.filter(status="FAILED").count(),
    }

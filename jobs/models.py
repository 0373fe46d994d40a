"""The periodic jobs: when each was last enqueued and how its last run ended (the tasks themselves are
django_tasks_db's rows)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicJob(models.Model):
    """One job of settings.PERIODIC_JOBS: `jobs.services.tick` enqueues it when it is due, its task records the run."""

    class Outcome(models.TextChoices):
        NEVER = "never", _("never run")
        RUNNING = "running", _("running")
        OK = "ok", _("succeeded")
        FAILED = "failed", _("failed")

    path = models.CharField(max_length=200, unique=True)
    every_seconds = models.PositiveIntegerField()
    due_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.NEVER)
    last_result = models.JSONField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["path"]

    def __str__(self):
        return self.path

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]

"""Escalate overdue work by e-mail (run it every few minutes from cron or a systemd timer)."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from workflow.services import escalate_overdue


class Command(BaseCommand):
    help = "E-mail the next level about every open task past its deadline (each task once)."

    def handle(self, *args, **options):
        report = escalate_overdue()
        periodic = {path: import_string(path)() for path in settings.WORKFLOW_PERIODIC}
        self.stdout.write(
            json.dumps({"escalated": report.escalated, "emails": report.emails, "references": report.references, "periodic": periodic})
        )

"""Enqueue the periodic jobs that are due (settings.PERIODIC_JOBS), for a deployment that schedules them from cron or a
systemd timer rather than by the worker's own tick; the worker runs them, each as a task of its own."""

import json

from django.core.management.base import BaseCommand

from jobs import services as jobs


class Command(BaseCommand):
    help = "Enqueue every periodic job that is due (settings.PERIODIC_JOBS); print one JSON line naming them."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps({"enqueued": jobs.tick()}))

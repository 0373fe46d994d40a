"""python manage.py rescreen_records: screen every open notice, reference, broadcast and active alert against all records."""

import json

from django.core.management.base import BaseCommand

from records import crossmatch


class Command(BaseCommand):
    help = (
        "Re-screen the persons and vehicles of open notice requests, references, broadcasts and active alerts against all "
        "records; new hits are recorded and their owners told (once). Prints one JSON line of totals."
    )

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(crossmatch.rescreen(), ensure_ascii=False))

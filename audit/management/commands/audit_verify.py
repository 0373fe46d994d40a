"""Exit 0 when the audit chain is intact; otherwise name the first bad entry and exit 1."""

import json

from django.core.management.base import BaseCommand, CommandError

from audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the audit trail."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the result as one JSON line.")

    def handle(self, *args, **options):
        report = verify_chain()
        if options["json"]:
            self.stdout.write(
                json.dumps({"ok": report.ok, "checked": report.checked, "first_bad_seq": report.first_bad_seq, "problem": report.problem})
            )
        if not report.ok:
            raise CommandError(f"Audit chain broken: {report.problem} (checked {report.checked} entries intact before it).")
        if not options["json"]:
            self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.checked} entries."))

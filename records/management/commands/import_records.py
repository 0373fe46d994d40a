"""python manage.py import_records FILE: import persons, FIRs and vehicles from JSON Lines or CSV (see records/README.md)."""

import json

from django.core.management.base import BaseCommand

from records.importer import import_file


class Command(BaseCommand):
    help = "Import records from a JSON Lines (.jsonl) or CSV file: validated, idempotent by external_id, resumable."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", default="import", help="The source system; external_id is unique per source.")
        parser.add_argument("--batch-size", type=int, default=50_000, help="Rows read and checked at a time.")
        parser.add_argument(
            "--commit-every", type=int, default=1_000_000, help="Rows per transaction: an interrupted import resumes after the last."
        )
        parser.add_argument("--report", help="Where rejected rows go (default: under VAR_DIR/imports/, named in the output).")
        parser.add_argument(
            "--checkpoint",
            help="The checkpoint file (default: under VAR_DIR/imports/, one per database and file); it is obeyed only for the file's "
            "content and the database it was made for.",
        )
        parser.add_argument("--restart", action="store_true", help="Ignore the checkpoint and read the file from the start.")
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument("--workers", type=int, default=None, help="Processes reading the file (default: one per core for big files).")
        parser.add_argument("--no-compact", action="store_true", help="Leave merging the name index's small segments for later.")

    def handle(self, *args, **options):
        report = import_file(
            options["file"],
            source=options["source"],
            batch_size=options["batch_size"],
            commit_every=options["commit_every"],
            report_path=options["report"],
            checkpoint_path=options["checkpoint"],
            resume=not options["restart"],
            progress=not options["no_progress"],
            workers=options["workers"],
            compact=not options["no_compact"],
            notice=lambda text: self.stderr.write(text, style_func=self.style.WARNING),  # stdout carries only the JSON line
        )
        self.stdout.write(json.dumps(report.as_dict()))

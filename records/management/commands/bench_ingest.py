"""python manage.py bench_ingest --records N: time the import path on synthetic persons.

What is timed is `import_records` on a JSON Lines file: reading, validation, the name keys and the name index with
its statistics, the writes and their commit; writing the file beforehand is not.
"""

import json
import random
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection

from records import synthetic
from records.importer import import_file


class Command(BaseCommand):
    help = "Generate N synthetic persons as JSON Lines, import them, print one JSON line with records_per_s."

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, default=100_000)
        parser.add_argument("--batch-size", type=int, default=200_000)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--offset", type=int, default=0, help="First synthetic number, to add to an existing set.")
        parser.add_argument("--workers", type=int, default=None, help="Worker processes reading the file (default: by its size).")
        parser.add_argument("--no-compact", action="store_true", help="Leave the name index's segments unmerged at the end.")

    def handle(self, *args, **options):
        rng = random.Random(f"{options['seed']}:{options['offset']}")  # a set topped up later gets new persons, not repeats
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "persons.jsonl"
            with path.open("w", encoding="utf-8") as handle:
                for n in range(options["offset"], options["offset"] + options["records"]):
                    handle.write(json.dumps(synthetic.person(rng, n), ensure_ascii=False) + "\n")
            started = time.monotonic()
            report = import_file(
                path,
                source="synthetic",
                batch_size=options["batch_size"],
                progress=False,
                workers=options["workers"],
                compact=not options["no_compact"],
            )
            seconds = time.monotonic() - started
        self.stdout.write(
            json.dumps(
                {
                    "records": options["records"],
                    "imported": report.imported,
                    "rejected": report.rejected,
                    "seconds": round(seconds, 2),
                    "records_per_s": round(options["records"] / seconds),
                    "database": connection.vendor,
                    "batch_size": options["batch_size"],
                    "compacted": not options["no_compact"],
                }
            )
        )

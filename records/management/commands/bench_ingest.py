"""python manage.py bench_ingest --records N: time the import path on synthetic persons.

What is timed is `import_records` on a JSON Lines file: reading, validation, the name keys and the name index with
its statistics, the writes and their commit; writing the file beforehand is not. The states the persons live in must
be in the directory (`manage.py load_reference`); a run that imports fewer persons than asked prints its JSON line
and fails, so that a rate of nothing imported is never taken for a measurement.
"""

import json
import random
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from records import synthetic
from records.importer import Report, import_file
from records.models import Person


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
        missing = synthetic.states_missing()
        if missing:
            lacking = "no states" if len(missing) == len(synthetic.STATES) else f"no state named {', '.join(missing)}"
            raise CommandError(
                f"bench_ingest needs the reference data: the directory has {lacking}, where the synthetic persons live, so "
                "every one of them would be rejected. Run `python manage.py load_reference` first."
            )
        rng = random.Random(f"{options['seed']}:{options['offset']}")  # a set topped up later gets new persons, not repeats
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "persons.jsonl"  # its checkpoint and report go with it: the file is gone after the run
            with path.open("w", encoding="utf-8") as handle:
                for n in range(options["offset"], options["offset"] + options["records"]):
                    handle.write(json.dumps(synthetic.person(rng, n), ensure_ascii=False) + "\n")
            started = time.monotonic()
            report = import_file(
                path,
                source="synthetic",
                batch_size=options["batch_size"],
                report_path=Path(tmp) / "rejected.jsonl",
                checkpoint_path=Path(tmp) / "checkpoint",
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
        if report.imported != options["records"]:
            raise CommandError(self.shortfall(report, options["records"]))

    @staticmethod
    def shortfall(report: Report, records: int) -> str:
        """Why fewer persons were imported than asked, in words."""
        why = []
        if report.rejected:
            reasons = ", ".join(f"{reason}: {count:,}" for reason, count in report.reasons.most_common(3))
            why.append(f"{report.rejected:,} were rejected ({reasons})")
        if report.unchanged:
            have = Person.objects.filter(source="synthetic").count()
            why.append(f"{report.unchanged:,} were there already (add new ones with --offset {have})")
        why_words = "; ".join(why) or f"{report.read:,} were read"
        return (
            f"Only {report.imported:,} of {records:,} synthetic persons were imported: {why_words}. The rate above measures no such import."
        )

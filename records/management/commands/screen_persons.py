"""python manage.py screen_persons [FILE]: screen JSON Lines queries against the records, one JSON line of results each."""

import json
import sys

from django.core.management.base import BaseCommand

from records.matching import screen_person


class Command(BaseCommand):
    help = "Read queries {id, name, father_name?, dob?, sex?, state?} as JSON Lines (FILE or stdin); write {id, results} per query."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?")
        parser.add_argument("--limit", type=int, default=10)

    def handle(self, *args, **options):
        handle = open(options["file"], encoding="utf-8") if options["file"] else sys.stdin  # noqa: SIM115 - stdin is not ours to close
        try:
            for line in handle:
                if not line.strip():
                    continue
                try:
                    query = json.loads(line)
                    matches = screen_person(
                        query["name"],
                        query.get("father_name"),
                        query.get("dob"),
                        query.get("sex"),
                        query.get("state"),
                        limit=options["limit"],
                    )
                    out = {"id": query.get("id"), "results": [m.as_dict() for m in matches]}
                except (ValueError, KeyError, TypeError) as error:
                    out = {"id": query.get("id") if isinstance(query, dict) else None, "error": str(error)}
                self.stdout.write(json.dumps(out, ensure_ascii=False))
        finally:
            if handle is not sys.stdin:
                handle.close()

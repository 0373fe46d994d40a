"""python manage.py bench_search --records N --queries Q: recall and latency of person search on spelling variants."""

import json
import random
import statistics
import time
from collections import defaultdict

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from records import synthetic
from records.matching import screen_person
from records.models import Person


class Command(BaseCommand):
    help = "Load N synthetic persons if fewer are there, run Q variant queries with a known answer, print one JSON line."

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, default=100_000)
        parser.add_argument("--queries", type=int, default=500)
        parser.add_argument("--seed", type=int, default=11)
        parser.add_argument("--name-only", action="store_true", help="Query by name alone, without father's name and year of birth.")

    def handle(self, *args, **options):
        have = Person.objects.filter(source="synthetic").count()
        if have < options["records"]:
            call_command("bench_ingest", records=options["records"] - have, offset=have, stdout=open("/dev/null", "w"))  # noqa: SIM115
        total = options["records"]
        rng = random.Random(options["seed"])
        gen = random.Random(7)
        people = [synthetic.person(gen, n) for n in range(total)]  # the same stream bench_ingest wrote
        latencies, ranks, per_kind = [], [], defaultdict(lambda: [0, 0])
        asked = 0
        while asked < options["queries"]:
            target = people[rng.randrange(total)]
            kind = synthetic.KINDS[asked % len(synthetic.KINDS)]
            name = synthetic.variant(rng, target["name"], kind)
            if name is None:
                continue
            extra = {} if options["name_only"] else {"father_name": target["father_name"], "dob": target["dob"][:4]}
            started = time.perf_counter()
            results = screen_person(name, limit=10, **extra)
            latencies.append((time.perf_counter() - started) * 1000)
            found = [m.external_id for m in results]
            rank = found.index(target["external_id"]) + 1 if target["external_id"] in found else None
            ranks.append(rank)
            per_kind[kind][0] += 1
            per_kind[kind][1] += rank is not None
            asked += 1
        latencies.sort()
        result = {
            "records": Person.objects.filter(source="synthetic").count(),
            "queries": asked,
            "database": connection.vendor,
            "with_father_and_year": not options["name_only"],
            "p50_ms": round(statistics.median(latencies), 1),
            "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1),
            "recall_at_1": round(sum(r == 1 for r in ranks) / asked, 3),
            "recall_at_10": round(sum(r is not None for r in ranks) / asked, 3),
        }
        result.update({f"recall_{kind}": round(hit / n, 3) for kind, (n, hit) in per_kind.items()})
        self.stdout.write(json.dumps(result))

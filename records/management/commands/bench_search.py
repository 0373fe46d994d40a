"""python manage.py bench_search --records N --queries Q: recall and latency of person search on spelling variants.

The persons searched for are drawn at random from the synthetic persons in the database (so any loaded set works,
however it was loaded); each query is a variant of one kind (synthetic.KINDS) of the person's name, with the father's
name (itself misspelt in about half the queries, in Devanagari when the name is) and the year of birth, or with the
name alone (--name-only). A query counts as found at k when the person is among the first k results;
recall_at_10_where_distinguishable leaves out the queries that ten other persons fit at least as well as the person
sought (with a name alone, a million synthetic persons hold each full name about ten times over).

Then `--script-queries` queries per Indian script: the person's name written in Devanagari (synthetic's table), and
from it in each other script by aksharamukha, with the year of birth only (recall_at_10_by_script); and as many
Latin spelling variants with the year only, no father's name (recall_at_10_name_and_year).
"""

import json
import random
import statistics
import time
from collections import defaultdict

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from records import names, synthetic
from records.matching import CANDIDATE_FIELDS, PersonQuery, score_candidate, screen_person
from records.models import Person

FATHER_KINDS = ["transliteration", "v_b", "th_t", "sh_s", "doubled", "typo"]
SCRIPT_TARGETS = {
    "devanagari": "Devanagari", "bengali-assamese": "Bengali", "gurmukhi": "Gurmukhi", "gujarati": "Gujarati", "odia": "Oriya",
    "tamil": "Tamil", "telugu": "Telugu", "kannada": "Kannada", "malayalam": "Malayalam", "urdu": "Urdu",
}  # fmt: skip


class Command(BaseCommand):
    help = "Load N synthetic persons if fewer are there, run Q variant queries with a known answer, print one JSON line."

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, default=100_000)
        parser.add_argument("--queries", type=int, default=500)
        parser.add_argument("--seed", type=int, default=11)
        parser.add_argument("--name-only", action="store_true", help="Query by name alone, without father's name and year of birth.")
        parser.add_argument("--exact-father", action="store_true", help="Give the father's name exactly as recorded.")
        parser.add_argument(
            "--script-queries", type=int, default=30, help="Per Indian script: queries written in it, with the year of birth (0: none)."
        )

    def handle(self, *args, **options):
        have = Person.objects.filter(source="synthetic").count()
        if have < options["records"]:
            try:
                call_command("bench_ingest", records=options["records"] - have, offset=have, stdout=open("/dev/null", "w"))  # noqa: SIM115
            except CommandError as error:
                raise CommandError(f"bench_search could not load the synthetic persons it searches for. {error}") from error
            have = options["records"]
        rng = random.Random(options["seed"])
        targets = self.targets(rng, have, options["queries"] * 3 + options["script_queries"] * 40)
        if not targets:
            raise CommandError(
                f"bench_search drew none of the {have:,} synthetic persons it expected (numbered SYN-000000000 on, as bench_ingest "
                "numbers them) from the database. Load them with `python manage.py bench_ingest --records N` first."
            )
        drawn, latencies, ranks, per_kind = len(targets), [], [], defaultdict(lambda: [0, 0])
        asked = ambiguous = 0
        while asked < options["queries"] and targets:
            target = targets.pop()
            kind = synthetic.KINDS[asked % len(synthetic.KINDS)]
            name = synthetic.variant(rng, target["name"], kind)
            if name is None:
                continue
            extra = (
                {}
                if options["name_only"]
                else {"father_name": self.father(rng, target["father_name"], kind, options), "dob": target["year"]}
            )
            started = time.perf_counter()
            results = screen_person(name, limit=10, **extra)
            latencies.append((time.perf_counter() - started) * 1000)
            found = [m.person_id for m in results]
            rank = found.index(target["pk"]) + 1 if target["pk"] in found else None
            ranks.append(rank)
            if rank is None and len(results) == 10 and results[-1].score >= self.own_score(name, extra, target["pk"]):
                ambiguous += 1  # ten others fit the query at least as well as the person sought: no search can tell
            per_kind[kind][0] += 1
            per_kind[kind][1] += rank is not None
            asked += 1
        if not asked:
            raise CommandError(f"bench_search could make no spelling variant of the names of the {drawn:,} persons it drew.")
        latencies.sort()
        result = {
            "records": Person.objects.count(),
            "queries": asked,
            "database": connection.vendor,
            "with_father_and_year": not options["name_only"],
            "p50_ms": round(statistics.median(latencies), 1),
            "p95_ms": round(latencies[max(int(len(latencies) * 0.95) - 1, 0)], 1),
            "recall_at_1": round(sum(r == 1 for r in ranks) / asked, 3),
            "recall_at_10": round(sum(r is not None for r in ranks) / asked, 3),
            "recall_at_10_where_distinguishable": round(sum(r is not None for r in ranks) / max(asked - ambiguous, 1), 3),
        }
        result.update({f"recall_{kind}": round(hit / n, 3) for kind, (n, hit) in per_kind.items()})
        if options["script_queries"]:
            result.update(self.by_script(rng, targets, options["script_queries"]))
        self.stdout.write(json.dumps(result))

    def by_script(self, rng: random.Random, targets: list[dict], per_script: int) -> dict:
        """Recall at 10 of queries written in each Indian script (the name in Devanagari from synthetic's table, then in
        each script by aksharamukha) with the year of birth only, and of Latin queries with the year only."""
        from aksharamukha import transliterate

        found: dict[str, list[bool]] = defaultdict(list)
        for target in targets:
            native = [synthetic.DEVANAGARI.get(token) for token in target["name"].split()]
            if not all(native):
                continue
            script = min(
                (s for s in [*SCRIPT_TARGETS, "latin, name and year"] if len(found[s]) < per_script),
                key=lambda s: len(found[s]),
                default=None,
            )
            if script is None:
                break
            if script == "latin, name and year":
                query = synthetic.variant(rng, target["name"], rng.choice(synthetic.KINDS[:-1])) or target["name"]
            else:
                query = (
                    " ".join(native)
                    if script == "devanagari"
                    else transliterate.process("Devanagari", SCRIPT_TARGETS[script], " ".join(native))
                )
            results = screen_person(query, dob=target["year"], limit=10)
            hit = target["pk"] in [m.person_id for m in results]
            if not hit and len(results) == 10 and results[-1].score >= self.own_score(query, {"dob": target["year"]}, target["pk"]):
                hit = None  # ten others fit the name and year at least as well: no search can tell
            found[script].append(hit)
        recall = {script: round(sum(h is True for h in hits) / len(hits), 3) for script, hits in found.items() if hits}
        told = {
            script: round(sum(h is True for h in hits) / max(sum(h is not None for h in hits), 1), 3)
            for script, hits in found.items()
            if hits
        }
        return {
            "recall_at_10_name_and_year": recall.pop("latin, name and year", None),
            "recall_at_10_name_and_year_where_distinguishable": told.pop("latin, name and year", None),
            "recall_at_10_by_script": recall,
            "recall_at_10_by_script_where_distinguishable": told,
            "queries_per_script": per_script,
        }

    @staticmethod
    def own_score(name: str, extra: dict, pk: int) -> float:
        """The score the person sought gets for this query."""
        query = PersonQuery.build(name, extra.get("father_name"), extra.get("dob"))
        q_father = names.normalise(query.father_name) if query.father_name else ()
        row = Person.objects.filter(pk=pk).values(*CANDIDATE_FIELDS).get()
        return score_candidate(query, names.normalise(name), q_father, row, common=False).score

    @staticmethod
    def targets(rng: random.Random, have: int, count: int) -> list[dict]:
        """Synthetic persons picked at random by their number (bench_ingest numbers them SYN-000000000 on)."""
        numbers = {f"SYN-{rng.randrange(have):09d}" for _ in range(count)}
        rows = Person.objects.filter(source="synthetic", external_id__in=numbers).values("pk", "name", "father_name", "dob", "birth_year")
        out = [{**row, "year": str(row["dob"].year if row["dob"] else row["birth_year"] or "")} for row in rows]
        out.sort(key=lambda row: row["pk"])
        rng.shuffle(out)
        return out

    @staticmethod
    def father(rng: random.Random, father: str, kind: str, options) -> str:
        """The father's name as the query gives it: in Devanagari with a Devanagari name, else misspelt half the time."""
        if kind == "devanagari":
            return synthetic.variant(rng, father, "devanagari") or father
        if options["exact_father"] or rng.random() < 0.5:
            return father
        return synthetic.variant(rng, father, rng.choice(FATHER_KINDS)) or father

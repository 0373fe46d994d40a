"""Finding a person or a vehicle in the records: candidate retrieval by rare name keys, then scoring in Python.

Retrieval looks up the query's keys (records.names.query_keys) in PersonNameKey, rarest first, until about
ROW_BUDGET key rows would be read; persons sharing the most keys come first, at most CANDIDATE_CAP of them.
Scoring combines the name score with father's name, date of birth, sex, state and identity numbers.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q

from records import names, vehicles
from records.models import NameKeyStat, Person, PersonNameKey, Vehicle

CANDIDATE_CAP = 2000
SCORE_CAP = 400  # only the persons sharing the most keys are scored in Python
ROW_BUDGET = 40_000
COMMON_NAME = 25  # a name (pair of parts) carried by more persons than this is "common"
STRONG = 0.8


@dataclass
class PersonQuery:
    name: str
    father_name: str = ""
    dob: date | None = None
    birth_year: int | None = None
    age: int | None = None
    sex: str = ""
    state_id: int | None = None
    id_numbers: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, name: str, father_name=None, dob=None, sex=None, state=None, age=None, id_numbers=None) -> "PersonQuery":
        """Accepts dob as a date, 'YYYY-MM-DD' or 'YYYY'; state as a State, its pk, LGD code or name."""
        birth_date, year = parse_dob(dob)
        return cls(
            name=name or "",
            father_name=father_name or "",
            dob=birth_date,
            birth_year=year,
            age=int(age) if age not in (None, "") else None,
            sex=(sex or "").upper()[:1],
            state_id=resolve_state_id(state),
            id_numbers=[normalise_id(n) for n in (id_numbers or []) if n],
        )


@dataclass
class Match:
    person_id: int
    external_id: str
    source: str
    name: str
    score: float
    weak: bool
    explanation: list[str]
    name_score: float = 0.0
    roles: list = field(default_factory=list)
    state_id: int | None = None

    def as_dict(self) -> dict:
        return {
            "external_id": self.external_id,
            "source": self.source,
            "name": self.name,
            "score": round(self.score, 3),
            "weak": self.weak,
            "explanation": self.explanation,
        }


def parse_dob(value) -> tuple[date | None, int | None]:
    if value in (None, ""):
        return None, None
    if isinstance(value, date):
        return value, value.year
    if isinstance(value, int):
        return None, value
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text):
        return None, int(text)
    parsed = date.fromisoformat(text)
    return parsed, parsed.year


def resolve_state_id(state) -> int | None:
    from directory.models import State

    if state in (None, ""):
        return None
    if isinstance(state, State):
        return state.pk
    text = str(state).strip()
    found = State.objects.filter(Q(name__iexact=text) | Q(iso_code__iexact=text) | Q(name_hi=text))
    if text.isdigit():
        found = State.objects.filter(Q(lgd_code=int(text)) | Q(pk=int(text)))
    found = found.values_list("pk", flat=True).first()
    return found


def normalise_id(number: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", str(number).upper())


def person_keys(name_tokens: tuple[str, ...], father_tokens: tuple[str, ...], aliases: list[str], id_numbers: list) -> set[str]:
    """Every key a person is retrieved by: the name's, each alias's, and each identity number's."""
    keys = names.index_keys(name_tokens, father_tokens)
    for alias in aliases:
        keys |= names.index_keys(names.normalise(alias))
    for doc in id_numbers:
        number = doc.get("number") if isinstance(doc, dict) else doc
        if number:
            keys.add(f"d:{normalise_id(number)}"[:48])
    return {k[:48] for k in keys}


def _birth_year(row: dict) -> int | None:
    if row["dob"]:
        return row["dob"].year
    if row["birth_year"]:
        return row["birth_year"]
    if row["age"] and row["age_recorded_on"]:
        return row["age_recorded_on"].year - row["age"]
    return None


def score_candidate(query: PersonQuery, q_tokens: tuple[str, ...], q_father: tuple[str, ...], row: dict, common: bool) -> Match:
    """Score one candidate: the best of its name and aliases, then each other fact that agrees or disagrees."""
    best = names.name_score(q_tokens, tuple(row["name_norm"].split()))
    for alias in row["aliases"] or ():
        alt = names.name_score(q_tokens, names.normalise(alias))
        if alt.score > best.score:
            best = names.NameScore(alt.score, [*alt.explanation, f"alias {alias}"])
    score = best.score
    why = [f"name {best.score:.2f}: " + ", ".join(best.explanation)]
    corroborated = False
    if query.id_numbers:
        theirs = {normalise_id(d.get("number") if isinstance(d, dict) else d) for d in row["id_numbers"] or ()}
        if theirs & set(query.id_numbers):
            score = max(score, 0.99)
            corroborated = True
            why.append("identity number agrees")
    if q_father and row["father_norm"]:
        father = names.name_score(q_father, tuple(row["father_norm"].split()))
        if father.score >= 0.85:
            score += (1 - score) * 0.6
            corroborated = True
            why.append(f"father's name agrees ({father.score:.2f})")
        elif father.score < 0.6:
            score *= 0.7
            why.append("father's name differs")
    q_year = query.birth_year or (date.today().year - query.age if query.age else None)
    their_year = _birth_year(row)
    if query.dob and row["dob"]:
        if query.dob == row["dob"]:
            score += (1 - score) * 0.6
            corroborated = True
            why.append("date of birth agrees")
        elif abs(query.dob.year - row["dob"].year) <= 1 and (query.dob.month, query.dob.day) in ((row["dob"].day, row["dob"].month),):
            score += (1 - score) * 0.3
            corroborated = True
            why.append("date of birth agrees with day and month swapped")
        elif abs(query.dob.year - row["dob"].year) > 3:
            score *= 0.7
            why.append("date of birth differs")
    elif q_year and their_year:
        gap = abs(q_year - their_year)
        if gap == 0:
            score += (1 - score) * 0.35
            corroborated = True
            why.append("year of birth agrees")
        elif gap <= 3:
            why.append(f"year of birth within {gap} years")
        elif gap > 5:
            score *= 0.75
            why.append(f"year of birth {gap} years apart")
    if query.sex in ("M", "F") and row["sex"] in ("M", "F") and query.sex != row["sex"]:
        score *= 0.6
        why.append("sex differs")
    if query.state_id and row["state_id"]:
        if query.state_id == row["state_id"]:
            score += (1 - score) * 0.1
            why.append("same state")
    weak = not corroborated and (common or best.score < 0.9)
    if weak:
        why.append("weak: only the name agrees" + (" and it is a common one" if common else ""))
    return Match(
        person_id=row["id"],
        external_id=row["external_id"],
        source=row["source"],
        name=row["name"],
        score=round(min(score, 1.0), 4),
        weak=weak,
        explanation=why,
        name_score=best.score,
        roles=row["roles"],
        state_id=row["state_id"],
    )


CANDIDATE_FIELDS = (
    "id external_id source name name_norm aliases father_norm sex dob birth_year age age_recorded_on state_id id_numbers roles"
).split()


def candidate_ids(keys: set[str], cap: int = CANDIDATE_CAP) -> tuple[list[int], int]:
    """Persons sharing the query's rarest keys, most keys shared first; and the count of the rarest name pair (commonness)."""
    stats = dict(NameKeyStat.objects.filter(key__in=keys).values_list("key", "count"))
    present = sorted((count, key) for key, count in stats.items() if count > 0)
    chosen, total = [], 0
    for count, key in present:
        if chosen and total + count > ROW_BUDGET:
            break
        chosen.append(key)
        total += count
    name_pairs = [count for count, key in present if key[:2] in ("p:", "f:")] or [count for count, key in present if key[:2] == "t:"]
    commonness = min(name_pairs) if name_pairs else 0
    if not chosen:
        return [], commonness
    rows = PersonNameKey.objects.filter(key__in=chosen).values("person_id").annotate(n=Count("id")).order_by("-n")[:cap]
    return [r["person_id"] for r in rows], commonness


def screen_person(
    name: str,
    father_name=None,
    dob=None,
    sex=None,
    state=None,
    limit: int = 10,
    *,
    age=None,
    id_numbers=None,
    visible: Q | None = None,
) -> list[Match]:
    """The persons in the records most like this one, best first; for other modules (notices, alerts) and for search.

    `visible` narrows to what a user may see (Person.visible_q); module-to-module screening passes None.
    """
    query = PersonQuery.build(name, father_name, dob, sex, state, age=age, id_numbers=id_numbers)
    return screen(query, limit=limit, visible=visible)


def screen(query: PersonQuery, *, limit: int = 10, visible: Q | None = None) -> list[Match]:
    q_tokens = names.normalise(query.name)
    q_father = names.normalise(query.father_name) if query.father_name else ()
    if not q_tokens:
        return []
    keys = names.query_keys(q_tokens, q_father) | {f"d:{n}"[:48] for n in query.id_numbers}
    ids, commonness = candidate_ids(keys)
    ids = ids[:SCORE_CAP]
    if not ids:
        return []
    persons = Person.objects.filter(pk__in=ids)
    if visible is not None:
        persons = persons.filter(visible)
    common = commonness > COMMON_NAME or len([t for t in q_tokens if len(t) > 1]) < 2
    matches = [score_candidate(query, q_tokens, q_father, row, common) for row in persons.values(*CANDIDATE_FIELDS)]
    matches = [m for m in matches if m.name_score > 0 or m.score >= 0.99]
    matches.sort(key=lambda m: (-m.score, m.weak, m.person_id))
    return matches[:limit]


@dataclass
class VehicleMatch:
    vehicle_id: int
    external_id: str
    registration: str
    chassis: str
    engine: str
    status: str
    matched_on: list[str]
    score: float

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("external_id", "registration", "chassis", "engine", "status", "matched_on", "score")}


def screen_vehicle(
    registration: str | None = None, chassis: str | None = None, engine: str | None = None, limit: int = 20
) -> list[VehicleMatch]:
    """Vehicles whose registration, chassis or engine number equals the given one once both are normalised."""
    wanted = {
        "registration": vehicles.normalise_registration(registration or ""),
        "chassis": vehicles.normalise_chassis(chassis or ""),
        "engine": vehicles.normalise_engine(engine or ""),
    }
    condition = Q(pk__in=[])
    for field_name, value in wanted.items():
        if value:
            condition |= Q(**{field_name: value})
    results = []
    for vehicle in Vehicle.objects.filter(condition).order_by("-reported_on", "pk")[:limit]:
        matched = [f for f, v in wanted.items() if v and getattr(vehicle, f) == v]
        results.append(
            VehicleMatch(
                vehicle.pk,
                vehicle.external_id,
                vehicle.registration,
                vehicle.chassis,
                vehicle.engine,
                vehicle.status,
                matched,
                round(min(1.0, 0.6 + 0.2 * len(matched)), 2),
            )
        )
    results.sort(key=lambda r: -r.score)
    return results

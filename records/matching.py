"""Finding a person or a vehicle in the records: candidate retrieval by rare name keys, then scoring in Python.

Retrieval takes the query's keys (records.names.query_keys: the name's sounds, pairs, initials, and the name tied to
the father's name and to the year of birth), reads those carried by the fewest persons from the name index
(records.name_index), rarest first, until about ROW_BUDGET person ids are read, and weighs each key by how rare it
is (log N / count); the SCORE_CAP persons with the most weight are fetched in one query and scored in Python.
Scoring combines the name score with father's name, date of birth, sex, state and identity numbers.
"""

import heapq
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from records import name_index, names, vehicles
from records.models import Person, Vehicle

CANDIDATE_CAP = 2000  # persons returned by candidate_ids at most
SCORE_CAP = 300  # only the persons sharing the most key weight are fetched and scored in Python
ROW_BUDGET = 60_000  # person ids read from the index per search
COMMON_NAME = 25  # a name (pair of parts) carried by more persons than this is "common"
STRONG = 0.8
AGE_SLACK = 1  # an age given in years fits two years of birth, and is often a guess: one more each side
NAME_CAP = 0.97  # a name alone, however well it agrees, is not proof: other facts must still count
YEAR_GAP = {1: 1.3, 2: 2, 3: 3, 4: 5, 5: 6}  # how much less likely a recorded year this far off makes the same person


def _odds(p: float) -> float:
    return p / (1 - p) if p < 1 else float("inf")


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


def birth_year_of(dob, birth_year, age, age_recorded_on) -> int | None:
    """A person's year of birth from what is recorded: the date, the year, or the age on a day (dates as dates or
    ISO text, as a model instance holds them before it is read back)."""
    if dob:
        return dob.year if isinstance(dob, date) else int(str(dob)[:4])
    if birth_year:
        return int(birth_year)
    if age not in (None, "") and age_recorded_on:
        recorded = age_recorded_on.year if isinstance(age_recorded_on, date) else int(str(age_recorded_on)[:4])
        return recorded - int(age)
    return None


def person_keys(
    name_tokens: tuple[str, ...], father_tokens: tuple[str, ...], aliases: list[str], id_numbers: list, birth_year: int | None = None
) -> set[str]:
    """Every key a person is retrieved by: the name's (with father's name and year of birth), each alias's, and each
    identity number's."""
    keys = names.index_keys(name_tokens, father_tokens, birth_year)
    for alias in aliases:
        keys.update(names.name_keys(names.normalise(alias)))
    for doc in id_numbers:
        number = doc.get("number") if isinstance(doc, dict) else doc
        if number:
            keys.add(f"d:{normalise_id(number)}"[:48])
    return keys if max(map(len, keys), default=0) <= 48 else {k[:48] for k in keys}


def _birth_year(row: dict) -> int | None:
    return birth_year_of(row["dob"], row["birth_year"], row["age"], row["age_recorded_on"])


def query_years(query: PersonQuery) -> list[int]:
    """The years of birth the query's keys are tied to: the one given, or those an age fits."""
    if query.birth_year:
        return [query.birth_year]
    if query.age is not None:
        born = date.today().year - query.age
        return list(range(born - 1 - AGE_SLACK, born + 1 + AGE_SLACK))
    return []


def score_candidate(
    query: PersonQuery, q_tokens: tuple[str, ...], q_father: tuple[str, ...], row: dict, common: bool, loose: bool = False
) -> Match:
    """Score one candidate: the best of its name and aliases, then each other fact that agrees or disagrees. `loose`:
    the query or the record is written in Tamil, and voicing does not count (names.token_similarity)."""
    best = names.name_score(q_tokens, tuple(row["name_norm"].split()), loose=loose)
    for alias in row["aliases"] or ():
        alt = names.name_score(q_tokens, names.normalise(alias), loose=loose)
        if alt.score > best.score:
            best = names.NameScore(alt.score, [*alt.explanation, f"alias {alias}"])
    # Evidence is combined as odds: the name's score (never taken as certain: at most NAME_CAP) is multiplied by how much
    # more likely each agreeing fact makes it the same person, and divided for each disagreeing one; so a year that
    # agrees still counts after a perfect name and the father's name, and a near year counts less than an equal one.
    odds = _odds(min(best.score, NAME_CAP))
    why = [f"name {best.score:.2f}: " + ", ".join(best.explanation)]
    corroborated, proven = False, False
    if query.id_numbers:
        theirs = {normalise_id(d.get("number") if isinstance(d, dict) else d) for d in row["id_numbers"] or ()}
        if theirs & set(query.id_numbers):
            proven = corroborated = True
            why.append("identity number agrees")
    if q_father and row["father_norm"]:
        father = names.name_score(q_father, tuple(row["father_norm"].split()), loose=loose)
        if father.score >= 0.85:
            odds *= 6
            corroborated = True
            why.append(f"father's name agrees ({father.score:.2f})")
        elif father.score < 0.6:
            odds /= 15
            why.append("father's name differs")
    slack = AGE_SLACK + 1 if query.age is not None and not query.birth_year else 0  # an age fits more than one year
    q_year = query.birth_year or (date.today().year - query.age if query.age is not None else None)
    their_year = _birth_year(row)
    if query.dob and row["dob"]:
        if query.dob == row["dob"]:
            odds *= 10
            corroborated = True
            why.append("date of birth agrees")
        elif abs(query.dob.year - row["dob"].year) <= 1 and (query.dob.month, query.dob.day) == (row["dob"].day, row["dob"].month):
            odds *= 3
            corroborated = True
            why.append("date of birth agrees with day and month swapped")
        elif abs(query.dob.year - row["dob"].year) > 3:
            odds /= 15
            why.append("date of birth differs")
        else:
            odds /= 1.5
            why.append(f"date of birth differs, {abs(query.dob.year - row['dob'].year)} years or less apart")
    elif q_year and their_year:
        gap = max(abs(q_year - their_year) - slack, 0)
        if gap == 0:
            odds *= 3
            corroborated = True
            why.append("year of birth agrees" if not slack else "age agrees")
        elif gap <= 5:
            odds /= YEAR_GAP[gap]
            why.append(f"year of birth {gap} {'year' if gap == 1 else 'years'} apart")
        else:
            odds /= 12
            why.append(f"year of birth {gap} years apart")
    if query.sex in ("M", "F") and row["sex"] in ("M", "F") and query.sex != row["sex"]:
        odds /= 25
        why.append("sex differs")
    if query.state_id and row["state_id"] and query.state_id == row["state_id"]:
        odds *= 1.3
        why.append("same state")
    score = max(odds / (1 + odds), 0.99) if proven else odds / (1 + odds)
    weak = not corroborated and (common or best.score < 0.9)
    if weak:
        why.append("weak: only the name agrees" + (" and it is a common one" if common else ""))
    return Match(
        person_id=row["id"],
        external_id=row["external_id"],
        source=row["source"],
        name=row["name"],
        score=round(min(score, 1.0), 5),
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
    """Persons sharing the query's rarest keys, the most (rarity-weighted) shared first; and how many persons carry the
    query's rarest pair of name parts (its commonness)."""
    stats = name_index.counts(keys)
    everyone = name_index.total()
    present = sorted((count, key) for key, count in stats.items())
    chosen, read = [], 0
    for count, key in present:
        if chosen and read + count > ROW_BUDGET:
            break
        chosen.append(key)
        read += count
    name_pairs = [count for count, key in present if key[:2] in ("p:", "n:")] or [count for count, key in present if key[:2] == "t:"]
    commonness = min(name_pairs) if name_pairs else 0
    if not chosen:
        return [], commonness
    weight = {key: math.log(1 + max(everyone, read) / stats[key]) for key in chosen}
    shared: dict[int, float] = defaultdict(float)
    for key, segments in name_index.persons_of(chosen).items():
        w = weight[key]
        for ids in segments:
            for pk in ids:
                shared[pk] += w
    return heapq.nlargest(cap, shared, key=shared.__getitem__), commonness


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
    years = query_years(query)
    keys = {f"d:{n}"[:48] for n in query.id_numbers}
    for tokens in names.readings(query.name):  # a name in Tamil may be filed under other Latin spellings
        keys |= names.query_keys(tokens, q_father, years)
    for father in names.readings(query.father_name)[1:] if query.father_name else ():
        keys |= names.query_keys(q_tokens, father, years)
    ids, commonness = candidate_ids(keys, cap=SCORE_CAP)
    ids = ids[:SCORE_CAP]
    if not ids:
        return []
    persons = Person.objects.filter(pk__in=ids)
    if visible is not None:
        persons = persons.filter(visible)
    common = commonness > COMMON_NAME or len([t for t in q_tokens if len(t) > 1]) < 2
    tamil = names.is_tamil(query.name) or names.is_tamil(query.father_name)
    matches = [
        score_candidate(query, q_tokens, q_father, row, common, loose=tamil or names.is_tamil(row["name"]))
        for row in persons.values(*CANDIDATE_FIELDS)
    ]
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

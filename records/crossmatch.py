"""Cross-matching: the persons and vehicles of incoming notices, references, broadcasts and crime alerts, screened
against the records as they arrive and again every night.

This is system screening: no user and no search purpose; it is audited as such (`records.screen` for an item on
arrival, `records.rescreen` for a batch, `records.hit_create` for each new hit). A match scoring at least
RECORDS_HIT_THRESHOLD becomes a `Hit` (once per item and record). A strong hit notifies the office that owns the
record and the officer handling the item, and waits in the owner's inbox. A weak hit (only the name agrees, and it
is a common one or a loose spelling) is kept, marked weak, and notifies nobody: it is never presented as certain.

Screening is a task (records.tasks.screen), enqueued by `screen_enqueue` inside the transaction in which the item
arrives: it runs after that commits, in the worker, and never breaks or delays the item. A failure is logged and
tried again; the nightly run (`rescreen_nightly`, in settings.PERIODIC_JOBS) catches whatever was still missed.
"""

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from audit import services as audit
from directory.models import Agency
from records import matching, services, tasks, vehicles
from records.models import Hit, Involvement, Person, ScreeningRun, Vehicle

logger = logging.getLogger(__name__)

MAX_NAMES = 4  # a person's own name and at most three aliases or native-script spellings are screened


def threshold() -> float:
    return float(getattr(settings, "RECORDS_HIT_THRESHOLD", matching.STRONG))


def hits_per_subject() -> int:
    return int(getattr(settings, "RECORDS_HITS_PER_SUBJECT", 5))


# --- What an item says about its persons and vehicles ------------------------------------------------------


@dataclass(frozen=True)
class PersonSubject:
    """A person as an item describes them."""

    name: str
    other_names: tuple[str, ...] = ()
    father_name: str = ""
    dob: date | int | str | None = None
    sex: str = ""
    id_numbers: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "other_names": list(self.other_names),
            "father_name": self.father_name,
            "dob": str(self.dob or ""),
            "sex": self.sex,
            "id_numbers": list(self.id_numbers),
        }


@dataclass(frozen=True)
class VehicleSubject:
    """A vehicle as an item describes it."""

    registration: str = ""
    chassis: str = ""
    engine: str = ""
    description: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _text(value) -> str:
    return str(value or "").strip()


def person_subject(name, *, others=(), father="", dob=None, sex="", numbers=()) -> PersonSubject | None:
    names = [n for n in (_text(name), *(_text(o) for o in others)) if n]
    if not names:
        return None
    unique = list(dict.fromkeys(names))
    return PersonSubject(
        name=unique[0],
        other_names=tuple(unique[1:MAX_NAMES]),
        father_name=_text(father),
        dob=dob or None,
        sex=_text(sex)[:1].upper(),
        id_numbers=tuple(n for n in (_text(x) for x in numbers) if n),
    )


def alias_list(value) -> list[str]:
    if isinstance(value, str):
        return [a.strip() for a in value.split(",") if a.strip()]
    return [str(a.get("name", "") if isinstance(a, dict) else a) for a in value or ()]


def document_numbers(documents) -> list[str]:
    return [str(d.get("number", "") if isinstance(d, dict) else d) for d in documents or ()]


def vehicle_subjects(rows) -> list[VehicleSubject]:
    out = []
    for row in rows or ():
        row = {"registration": row} if isinstance(row, str) else row
        if not isinstance(row, dict):
            continue
        subject = VehicleSubject(
            registration=_text(row.get("registration")),
            chassis=_text(row.get("chassis")),
            engine=_text(row.get("engine")),
            description=_text(row.get("description") or row.get("model")),
        )
        if subject.registration or subject.chassis or subject.engine:
            out.append(subject)
    return out


def row_dicts(rows) -> list[dict]:
    return [{"name": row} if isinstance(row, str) else row for row in rows or () if isinstance(row, dict | str)]


@dataclass(frozen=True)
class SourceKind:
    """How to read one kind of item: its persons, its vehicles, who handles it, and which items are still open."""

    key: str
    model: type[Model]
    persons: Callable[[Model], list[PersonSubject]]
    vehicles: Callable[[Model], list[VehicleSubject]]
    handler: Callable[[Model], tuple[int | None, int | None]]
    open_items: Callable[[], QuerySet]


_KINDS: dict[str, SourceKind] = {}


def register(kind: SourceKind) -> None:
    """An app whose items are screened against the records registers how to read them (in its AppConfig.ready);
    the records know none of those models."""
    _KINDS[kind.key] = kind


def source_kinds() -> tuple[SourceKind, ...]:
    return tuple(_KINDS.values())


def kind_of(source: Model) -> SourceKind:
    for kind in _KINDS.values():
        if isinstance(source, kind.model):
            return kind
    raise ValueError(f"{source._meta.label} is not screened against the records.")


# --- Matching -------------------------------------------------------------------------------------------


def person_matches(subject: PersonSubject) -> list[matching.Match]:
    """The records above the threshold for this person, by their name and each other name, best first."""
    try:
        matching.parse_dob(subject.dob)
        dob = subject.dob
    except ValueError:
        dob = None  # a date the item got wrong is left out rather than failing the screening
    best: dict[int, matching.Match] = {}
    for index, name in enumerate((subject.name, *subject.other_names)):
        try:
            found = matching.screen_person(
                name, subject.father_name or None, dob, subject.sex, None, limit=hits_per_subject(), id_numbers=list(subject.id_numbers)
            )
        except ValueError as error:
            logger.warning("Screening %r: %s", name, error)
            continue
        for match in found:
            if index:
                match.explanation = [f"as {name}", *match.explanation]
            if match.person_id not in best or match.score > best[match.person_id].score:
                best[match.person_id] = match
    kept = sorted((m for m in best.values() if m.score >= threshold()), key=lambda m: (-m.score, m.weak, m.person_id))
    return kept[: hits_per_subject()]


def vehicle_explanation(subject: VehicleSubject, vehicle: matching.VehicleMatch) -> list[str]:
    """Each number given on both sides, agreeing or not, and what the records say of the vehicle."""
    wanted = {
        "registration": vehicles.normalise_registration(subject.registration),
        "chassis": vehicles.normalise_chassis(subject.chassis),
        "engine": vehicles.normalise_engine(subject.engine),
    }
    why = []
    for name, value in wanted.items():
        theirs = getattr(vehicle, name)
        if value and theirs:
            why.append(f"{name} agrees ({value})" if value == theirs else f"{name} differs ({value} here, {theirs} in the records)")
    why.append(f"recorded as {vehicle.status}")
    return why


def vehicle_matches(subject: VehicleSubject) -> list[matching.VehicleMatch]:
    found = matching.screen_vehicle(subject.registration, subject.chassis, subject.engine, limit=hits_per_subject())
    return [v for v in found if v.score >= threshold()]


# --- Whose record it is ------------------------------------------------------------------------------------


def person_owner_id(person_id: int) -> int | None:
    """The agency of the station of the person's latest FIR; else the police of the person's state; else none (the NCB)."""
    agency_id = (
        Involvement.objects.filter(person_id=person_id)
        .order_by("-fir__registered_on", "-pk")
        .values_list("fir__station__agency_id", flat=True)
        .first()
    )
    if agency_id:
        return agency_id
    state_id = Person.objects.filter(pk=person_id).values_list("state_id", flat=True).first()
    return Agency.objects.filter(state_id=state_id).values_list("pk", flat=True).first() if state_id else None


def vehicle_owner_id(vehicle_id: int) -> int | None:
    """The agency of the station of the vehicle's FIR; else none (the NCB)."""
    return Vehicle.objects.filter(pk=vehicle_id).values_list("fir__station__agency_id", flat=True).first()


# --- Screening one item --------------------------------------------------------------------------------------


@dataclass
class Summary:
    items: int = 0
    persons: int = 0
    vehicles: int = 0
    hits: int = 0
    new: int = 0
    notified: int = 0
    errors: int = 0
    by_kind: dict = field(default_factory=dict)

    def add(self, other: "Summary") -> None:
        for name in ("items", "persons", "vehicles", "hits", "new", "notified", "errors"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def screen_source(source: Model, *, trigger: str = "arrival") -> Summary:
    """Screen every person and vehicle of one item against all records; record the hits; tell the owners of strong ones."""
    kind = kind_of(source)
    persons, cars = kind.persons(source), kind.vehicles(source)
    found_persons = [(subject, person_matches(subject)) for subject in persons]
    found_vehicles = [(subject, vehicle_matches(subject)) for subject in cars]
    handler_agency_id, handled_by_id = kind.handler(source)
    summary = Summary(items=1, persons=len(persons), vehicles=len(cars))
    hits_of_source = Hit.objects.filter(source_type=ContentType.objects.get_for_model(source), source_id=str(source.pk))
    with transaction.atomic():
        before = hits_of_source.count()
        hits = []
        for subject, matches in found_persons:
            for match in matches:
                hits.append(
                    services.hit_create(
                        source=source,
                        match=match,
                        owner_agency=person_owner_id(match.person_id),
                        handler_agency=handler_agency_id,
                        handled_by=handled_by_id,
                        screened=subject.as_dict(),
                    )
                )
        for subject, matches in found_vehicles:
            for match in matches:
                hits.append(
                    services.hit_create(
                        source=source,
                        vehicle_match=match,
                        owner_agency=vehicle_owner_id(match.vehicle_id),
                        handler_agency=handler_agency_id,
                        handled_by=handled_by_id,
                        screened=subject.as_dict(),
                        explanation=vehicle_explanation(subject, match),
                    )
                )
        summary.hits = len(hits)
        summary.new = hits_of_source.count() - before
        summary.notified = sum(services.hit_notify(hit=hit) for hit in hits)
        if trigger == "arrival":
            audit.record(
                action="records.screen",
                target=source,
                username="system",
                data={"trigger": trigger, **{k: v for k, v in asdict(summary).items() if k != "by_kind"}},
            )
    return summary


def kind_by_key(key: str) -> SourceKind:
    if key in _KINDS:
        return _KINDS[key]
    raise LookupError(f"{key!r} is not a kind of item screened against the records.")


def screen_enqueue(source: Model) -> None:
    """Screen an item against the records once it has arrived: call it inside the transaction that creates or changes
    the item (a notice request or reference submitted, a broadcast registered, an alert published or updated).

    It enqueues `records.tasks.screen(kind, pk)`, which runs after that transaction commits (nothing if it rolls
    back), is retried when it fails, and reads the item as committed; the item's user never waits for it.
    """
    tasks.screen.enqueue(kind_of(source).key, source.pk)


def screen_on_commit(source: Model) -> None:
    """The former name of `screen_enqueue`, kept for callers not moved yet; it enqueues the same task."""
    screen_enqueue(source)


def screen_queued(kind_key: str, pk) -> dict:
    """The screening task's work: screen one item as committed (nothing if it is gone); a failure is logged and
    raised again, so that the task is tried again."""
    kind = kind_by_key(kind_key)
    source = kind.model._default_manager.filter(pk=pk).first()
    if source is None:
        return {"items": 0}
    try:
        summary = screen_source(source)
    except Exception:
        logger.exception("Screening %s %s against the records failed; it is tried again, and the nightly run will retry it.", kind_key, pk)
        raise
    return {k: v for k, v in asdict(summary).items() if k != "by_kind"}


# --- Re-screening every open item ------------------------------------------------------------------------------


def _open_items() -> Iterable[tuple[SourceKind, Model]]:
    for kind in _KINDS.values():
        for item in kind.open_items().order_by("pk").iterator(chunk_size=200):
            yield kind, item


def rescreen(*, run: ScreeningRun | None = None) -> dict:
    """Screen every open notice request, reference, broadcast and active alert against all records again.

    Idempotent: a hit exists once per item and record, and an owner is told of it once.
    """
    run = run or ScreeningRun.objects.create(trigger=ScreeningRun.Trigger.MANUAL)
    started = time.perf_counter()
    total = Summary()
    for kind, item in _open_items():
        try:
            one = screen_source(item, trigger="rescreen")
        except Exception:
            logger.exception("Re-screening %s %s failed.", kind.key, item.pk)
            one = Summary(items=1, errors=1)
        total.add(one)
        total.by_kind[kind.key] = total.by_kind.get(kind.key, 0) + 1
    result = {
        "run": run.pk,
        "trigger": run.trigger,
        **asdict(total),
        "threshold": threshold(),
        "seconds": round(time.perf_counter() - started, 3),
    }
    ScreeningRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), summary=result)
    audit.record(action="records.rescreen", target=run, username="system", data=result)
    return result


def rescreen_nightly(now: datetime | None = None) -> dict:
    """Re-screen once a night, at the first run after RECORDS_RESCREEN_HOUR (local time); says whether it ran tonight's
    screening and how many new hits it found ({"ran": True, "new": 2}).

    Listed in settings.PERIODIC_JOBS, enqueued every few minutes by the worker's tick (or `manage.py workflow_tick`):
    the night's run is claimed by a row unique per night, so two runs at once cannot both do it.
    """
    local = timezone.localtime(now or timezone.now())
    if local.hour < int(getattr(settings, "RECORDS_RESCREEN_HOUR", 1)):
        return {"ran": False, "new": 0}
    try:
        with transaction.atomic():
            run = ScreeningRun.objects.create(trigger=ScreeningRun.Trigger.NIGHTLY, night=local.date())
    except IntegrityError:
        return {"ran": False, "new": 0}
    return {"ran": True, "new": rescreen(run=run)["new"]}

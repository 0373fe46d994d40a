"""Every write on the records, and the audited searches: persons and their name keys, FIRs, vehicles, hits."""

import secrets
from collections import Counter
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import access
from accounts.offices import Office
from audit import services as audit
from records import ipc_bns, matching, name_index, names, notify, vehicles
from records.models import Arrest, Fir, Hit, Involvement, Law, Person, ProclaimedOffender, Section, Vehicle, police_agency_id
from workflow import services as workflow

MIN_PURPOSE = 10


def normalised_fields(name: str, father_name: str = "") -> dict:
    return {"name_norm": " ".join(names.normalise(name))[:200], "father_norm": " ".join(names.normalise(father_name))[:200]}


def keys_for(person: Person) -> set[str]:
    """The name-index keys of a person as stored (see records.names.index_keys)."""
    return matching.person_keys(
        tuple(person.name_norm.split()),
        tuple(person.father_norm.split()),
        person.aliases or [],
        person.id_numbers or [],
        birth_year=matching.birth_year_of(person.dob, person.birth_year, person.age, person.age_recorded_on),
    )


def key_stats_add(delta: Counter) -> None:
    """Add (or, with negative counts, take away) persons per key."""
    name_index.stats_add(delta)


def person_keys_replace(persons: list[Person], *, fresh: bool = False, old_keys: dict[int, set[str]] | None = None) -> None:
    """(Re)index these persons under their name keys, keeping the key statistics in step. For persons already indexed,
    `old_keys` (person id → the keys they had) saves looking them up in the index."""
    new = {person.pk: keys_for(person) for person in persons}
    if fresh:
        name_index.add(new)
        return
    old = old_keys if old_keys is not None else name_index.keys_held(list(new))
    name_index.remove({pk: old.get(pk, set()) - keys for pk, keys in new.items()}, persons_gone=0)
    name_index.add({pk: keys - old.get(pk, set()) for pk, keys in new.items()}, persons_new=sum(pk not in old for pk in new))


@transaction.atomic
def person_save(*, data: dict, by=None) -> Person:
    """Create or update a person (by source and external_id) with normalised names and retrieval keys."""
    check_name(data.get("name", ""), "name")
    if data.get("father_name"):
        check_name(data["father_name"], "father_name")
    fields = {**data, **normalised_fields(data["name"], data.get("father_name", ""))}
    source, external_id = fields.pop("source", "manual"), fields.pop("external_id")
    before = Person.objects.filter(source=source, external_id=external_id).first()
    person, created = Person.objects.update_or_create(source=source, external_id=external_id, defaults=fields)
    person_keys_replace([person], fresh=created, old_keys=None if created else {person.pk: keys_for(before)})
    if by is not None:
        audit.record(actor=by, action="records.person_save", target=person)
    return person


NAME_FIELDS = {"name": "The name", "father_name": "The father's name", "name_native": "The native-script name"}


def check_name(name: str, field: str = "name") -> None:
    """Refuse empty names, names mixing scripts and names in a script the records cannot read (names.SCRIPTS);
    nothing is silently altered."""
    label = NAME_FIELDS.get(field, f"The {field.replace('_', ' ')}")
    scripts = names.scripts_in(name or "")
    if len(scripts) > 1:
        raise ValidationError({field: f"{label} mixes scripts ({', '.join(sorted(scripts))})."})
    unknown = scripts - set(names.SCRIPTS)
    if unknown:
        readable = ", ".join(names.SCRIPTS[1:])
        raise ValidationError(
            {
                field: f"{label} is written in a script the records cannot read ({', '.join(sorted(unknown))}): use Latin or one of {readable}."
            }
        )
    if not name or not names.normalise(name):
        raise ValidationError({field: f"{label} is empty."})


@transaction.atomic
def fir_create(*, data: dict, sections: list[dict], by=None) -> Fir:
    """Register an FIR with its acts and sections; sexual offences, POCSO and terrorism make it sensitive."""
    if Fir.objects.filter(station=data["station"], year=data["year"], number=data["number"]).exists():
        raise ValidationError({"number": f"FIR {data['number']}/{data['year']} already exists at this station."})
    sensitive = data.pop("sensitive", False) or any(ipc_bns.is_sensitive(s["law"], s["section"], s.get("act", "")) for s in sections)
    fir = Fir.objects.create(**data, sensitive=sensitive)
    Section.objects.bulk_create(
        Section(fir=fir, law=s["law"], act=s.get("act", ""), section=ipc_bns.clean_section(s["section"])) for s in sections
    )
    if by is not None:
        audit.record(actor=by, action="records.fir_create", target=fir)
    return fir


def vehicle_fields(data: dict) -> dict:
    return {
        **data,
        "registration": vehicles.normalise_registration(data.get("registration", "")),
        "chassis": vehicles.normalise_chassis(data.get("chassis", "")),
        "engine": vehicles.normalise_engine(data.get("engine", "")),
    }


@transaction.atomic
def vehicle_save(*, data: dict, by=None) -> Vehicle:
    """Create or update a vehicle (by source and external_id), its numbers normalised."""
    fields = vehicle_fields(data)
    if not (fields["registration"] or fields["chassis"] or fields["engine"]):
        raise ValidationError({"registration": "A vehicle needs a registration, chassis or engine number."})
    source, external_id = fields.pop("source", "manual"), fields.pop("external_id")
    vehicle, _ = Vehicle.objects.update_or_create(source=source, external_id=external_id, defaults=fields)
    if by is not None:
        audit.record(actor=by, action="records.vehicle_save", target=vehicle)
    return vehicle


# --- Searches: police only, with a stated purpose, audited -------------------------------------------


class PurposeMissing(ValidationError):
    """Every search of the records, and every opening of a person's or an FIR's details, must say why it is made."""


PURPOSE_HELP = gettext_lazy("State the purpose (case, FIR or diary reference and why, at least %(n)s characters).")


def purpose_checked(purpose: str) -> str:
    """The purpose as recorded, or PurposeMissing when it is missing or too short to say anything."""
    purpose = (purpose or "").strip()
    if len(purpose) < MIN_PURPOSE:
        raise PurposeMissing({"purpose": [PURPOSE_HELP % {"n": MIN_PURPOSE}]})
    return purpose


def search_refused(*, user, search: str, query: dict, reason: str, **data) -> None:
    """Record a refused search with what was asked and why it was refused, from the web form as from the API."""
    audit.record(actor=user, action="records.search_refused", data={"search": search, "query": query, "reason": reason, **data})


def search_check(user, purpose: str, *, search: str = "persons", query: dict | None = None) -> str:
    """May this user search, and why? A refusal is audited (the caller runs this outside the search's transaction)."""
    if not access.can(user, "records.search"):
        search_refused(user=user, search=search, query=query or {}, reason="no capability", capability="records.search")
        raise PermissionDenied
    try:
        return purpose_checked(purpose)
    except PurposeMissing:
        search_refused(user=user, search=search, query=query or {}, reason="no purpose")
        raise


def person_query(name="", father_name="", dob=None, sex="", state=None) -> dict:
    """A person search's query as the audit trail records it."""
    return {"name": name, "father_name": father_name, "dob": str(dob or ""), "sex": sex, "state": str(state or "")}


def vehicle_query(registration="", chassis="", engine="") -> dict:
    return {"registration": registration, "chassis": chassis, "engine": engine}


@dataclass
class PersonResult:
    match: matching.Match
    person: Person

    @property
    def strong(self) -> bool:
        return not self.match.weak and self.match.score >= matching.STRONG


def person_search(*, user, purpose: str, name: str, father_name="", dob=None, sex="", state=None, limit: int = 10) -> list[PersonResult]:
    """Ranked persons like the one described, within what the user may see; refused without a purpose; audited."""
    query = person_query(name, father_name, dob, sex, state)
    purpose = search_check(user, purpose, query=query)  # a refusal is audited outside the search's transaction, so it stays
    try:
        with transaction.atomic():
            return _person_search(user, purpose, query, name, father_name, dob, sex, state, limit)
    except ValueError as error:
        search_refused(user=user, search="persons", query=query, reason="invalid query", error=str(error))
        raise


def _person_search(user, purpose, query, name, father_name, dob, sex, state, limit) -> list[PersonResult]:
    matches = matching.screen_person(name, father_name, dob, sex, state, limit=limit, visible=Person.visible_q(user))
    persons = Person.objects.in_bulk([m.person_id for m in matches])
    results = [PersonResult(m, persons[m.person_id]) for m in matches]
    audit.record(
        actor=user,
        action="records.person_search",
        purpose=purpose,
        data={"query": query, "results": len(results), "strong": sum(r.strong for r in results)},
    )
    return results


def vehicle_search(*, user, purpose: str, registration="", chassis="", engine="") -> list[matching.VehicleMatch]:
    """Vehicles by registration, chassis or engine number; refused without a purpose; audited."""
    query = vehicle_query(registration, chassis, engine)
    purpose = search_check(user, purpose, search="vehicles", query=query)
    if not (registration or chassis or engine):
        search_refused(user=user, search="vehicles", query=query, reason="invalid query")
        raise ValidationError({"registration": "Give a registration, chassis or engine number."})
    results = matching.screen_vehicle(registration, chassis, engine)
    audit.record(actor=user, action="records.vehicle_search", purpose=purpose, data={"query": query, "results": len(results)})
    return results


def firs_of(person: Person, user) -> list[dict]:
    """The FIRs a person is linked to, details withheld from a sensitive FIR the user may not read."""
    readable = set(Fir.objects.filter(involvements__person=person).filter(Fir.details_q(user)).values_list("pk", flat=True))
    out = []
    for inv in person.involvements.select_related("fir__station__agency__state"):
        fir = inv.fir
        if fir.pk in readable:
            out.append(
                {
                    "role": inv.role,
                    "role_label": inv.get_role_display(),
                    "fir": str(fir),
                    "pk": fir.pk,
                    "status": fir.status,
                    "sensitive": fir.sensitive,
                    "restricted": False,
                }
            )
        else:
            state = fir.station.agency.state.name if fir.station.agency.state else fir.station.agency.name
            out.append(
                {
                    "role": inv.role,
                    "role_label": inv.get_role_display(),
                    "fir": _("A restricted FIR held by the police of %(state)s") % {"state": state},
                    "restricted": True,
                }
            )
    return out


# --- Hits: possible matches for a human to confirm or reject ---------------------------------------


@transaction.atomic
def hit_create(
    *,
    source,
    match: matching.Match | None = None,
    vehicle_match: matching.VehicleMatch | None = None,
    owner_agency=None,
    handler_agency=None,
    handled_by=None,
    screened: dict | None = None,
    explanation: list[str] | None = None,
) -> Hit:
    """Record a possible match between another module's object and a person or vehicle (once per pair).

    Screening the same pair again refreshes a pending hit's score and explanation; a decided hit stays as decided.
    """
    if match is None and vehicle_match is None:
        raise ValueError("A hit needs a person or a vehicle match.")
    content_type = ContentType.objects.get_for_model(source)
    lookup = {"source_type": content_type, "source_id": str(source.pk)}
    if match is not None:
        lookup["person_id"] = match.person_id
        found = {"score": match.score, "explanation": explanation or match.explanation, "weak": match.weak}
    else:
        lookup["vehicle_id"] = vehicle_match.vehicle_id
        found = {"score": vehicle_match.score, "explanation": explanation or vehicle_match.matched_on, "weak": False}
    context = {
        "owner_agency_id": _pk(owner_agency),
        "handler_agency_id": _pk(handler_agency),
        "handled_by_id": _pk(handled_by),
        "source_label": str(source)[:300],
        "source_url": source.get_absolute_url() if hasattr(source, "get_absolute_url") else "",
        "screened": screened or {},
    }
    hit, created = Hit.objects.get_or_create(**lookup, defaults={**found, **context})
    if created:
        audit.record(
            action="records.hit_create",
            target=hit,
            username="system",
            data={"source": hit.source_label, "score": hit.score, "weak": hit.weak},
        )
    elif hit.status == Hit.Status.PENDING and any(getattr(hit, k) != v for k, v in found.items()):
        for name, value in found.items():
            setattr(hit, name, value)
        hit.save(update_fields=list(found))
    return hit


def _pk(value):
    return getattr(value, "pk", value)


@transaction.atomic
def hit_notify(*, hit: Hit) -> bool:
    """Tell the owner office and the handler of a strong pending hit, once, and put it in the owner's inbox.

    A weak hit (only a common name agrees) is never notified: it is kept for the record, marked weak.
    """
    if hit.weak or hit.status != Hit.Status.PENDING or hit.notified_at is not None:
        return False
    now = timezone.now()
    if not Hit.objects.filter(pk=hit.pk, notified_at__isnull=True).update(notified_at=now):
        return False
    hit.notified_at = now
    owner = Office.agency(hit.owner_agency_id) if hit.owner_agency_id is not None else Office.national()
    workflow.task_open(hit, owner, now=now)
    notify.hit_found(hit)  # enqueued here: it goes when this transaction commits, and not if it rolls back
    return True


class AlreadyDecided(ValidationError):
    """A hit is decided once."""


def may_decide(hit: Hit, user) -> bool:
    """The owner office of the record decides a hit; the NCB decides any, and alone those on records without an owner."""
    if not access.can(user, "records.search"):
        return False
    if access.is_national(user):
        return True
    return hit.owner_agency_id is not None and hit.owner_agency_id == police_agency_id(user)


@transaction.atomic
def hit_decide(*, hit: Hit, by, confirmed: bool, note: str = "") -> Hit:
    """Confirm or reject a pending hit: the owner office or the NCB decides, once, saying why."""
    access.require(by, "records.search")
    locked = Hit.objects.select_for_update().get(pk=hit.pk)
    if locked.status != Hit.Status.PENDING:
        raise AlreadyDecided(_("This hit was already decided."))
    if not may_decide(locked, by):
        raise PermissionDenied(_("Only the office that owns the record, or the NCB, decides this hit."))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("Say why: what made you confirm or reject it.")]})
    locked.status = Hit.Status.CONFIRMED if confirmed else Hit.Status.REJECTED
    locked.decided_by, locked.decided_at, locked.decision_note = by, timezone.now(), note
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    workflow.tasks_close(locked, now=locked.decided_at)
    audit.record(actor=by, action=f"records.hit_{locked.status}", target=locked, data={"note": note})
    notify.hit_decided(locked)
    for name in ("status", "decided_by", "decided_at", "decision_note"):
        setattr(hit, name, getattr(locked, name))
    return locked


# --- A station registers an FIR: the national record at once ------------------------------------------

FIR_PERSON_ROLES = (Person.Role.ACCUSED, Person.Role.WANTED, Person.Role.VICTIM)  # beside the complainant
# What fir_register takes of the FIR itself, from the web form and the API alike ("property" and "property_value":
# other property than vehicles, as the FIR's property_details).
FIR_FIELDS = (
    "number", "year", "registered_on", "information_received_at", "occurred_from", "occurred_to", "place", "narrative",
    "sensitive", "property", "property_value",
)  # fmt: skip
CHILD_AGE = 18


def may_register_at(user, station) -> bool:
    """A station officer registers FIRs at their own station; an SP office at the stations of its district (an e-FIR
    escalated to it)."""
    office = Office.of(user)
    return access.can(user, "records.register") and office is not None and office.covers(Office.of_station(station))


def sections_checked(sections: list[dict], occurred_on) -> list[dict]:
    """The acts and sections as stored, or a ValidationError naming each wrong line in plain words. Offences from
    1 July 2024 are under the BNS; an IPC section then says its BNS equivalent (records.ipc_bns), when the table has one."""
    cleaned, problems = [], []
    for n, line in enumerate(sections, start=1):
        law, act, section = line.get("law", ""), (line.get("act") or "").strip(), ipc_bns.clean_section(line.get("section") or "")
        if not section:
            continue
        if law not in Law.values:
            problems.append(_("Line %(n)s: choose the law.") % {"n": n})
            continue
        if law == Law.SLL and not act:
            problems.append(_("Line %(n)s: name the special or local act, e.g. NDPS Act 1985.") % {"n": n})
            continue
        if occurred_on is not None and law != Law.SLL and law != ipc_bns.law_for_date(occurred_on):
            if law == Law.IPC:
                equivalent = ipc_bns.bns_for_ipc(section)
                hint = _(" IPC %(ipc)s is BNS %(bns)s.") % {"ipc": section, "bns": equivalent.bns} if equivalent else ""
                problems.append(_("Line %(n)s: offences committed from 1 July 2024 are under the BNS.") % {"n": n} + hint)
            else:
                problems.append(_("Line %(n)s: offences committed before 1 July 2024 are under the IPC.") % {"n": n})
            continue
        cleaned.append({"law": law, "act": act if law == Law.SLL else "", "section": section})
    if problems:
        raise ValidationError({"sections": problems})
    if not cleaned:
        raise ValidationError({"sections": [_("Give at least one act and section.")]})
    return cleaned


@transaction.atomic
def fir_register(
    *,
    by,
    station,
    fir: dict,
    sections: list[dict],
    complainant: dict,
    persons: list[dict] = (),
    vehicles: list[dict] = (),
    source_reference: str = "",
) -> Fir:
    """A station registers an FIR (the core of IIF-1): the records FIR with its sections, its complainant, accused,
    wanted persons and victims as persons of the records, and its vehicles, all at once, so that the FIR is found by
    searches, screened against what arrives, and a stolen vehicle is refused an NOC from this moment."""
    if not may_register_at(by, station):
        raise PermissionDenied
    occurred_from = fir.get("occurred_from")
    occurred_on = timezone.localtime(occurred_from).date() if occurred_from else None
    sections = sections_checked(list(sections), occurred_on)
    if not (complainant.get("name") or "").strip():
        raise ValidationError({"complainant_name": [_("Give the complainant's name.")]})
    state_id = station.district.state_id
    fir = {k: fir.get(k) for k in FIR_FIELDS if k in fir}
    described, value = (fir.pop("property", None) or "").strip(), fir.pop("property_value", None)
    data = {
        **fir,
        "property_details": [{"description": described, "value_inr": value}] if described else [],
        "source": "station",
        "external_id": f"{station.pk}/{fir['year']}/{fir['number']}",
        "station": station,
        "district": station.district,
        "registered_by": by,
        "place_district": fir.get("place_district") or station.district,
        "complainant_name": complainant["name"].strip(),
        "complainant_details": {k: v for k, v in complainant.items() if k != "name" and v},
        "accused_details": [{"name": p["name"], "role": p["role"]} for p in persons if p["role"] != Person.Role.VICTIM],
    }
    registered = fir_create(data=data, sections=sections)
    people = [{**complainant, "role": Person.Role.COMPLAINANT}, *persons]
    for n, person in enumerate(people):
        _fir_person_add(registered, person, n=n, state_id=state_id)
    for n, vehicle in enumerate(vehicles):
        vehicle_save(
            data={
                **{k: (vehicle.get(k) or "").strip() for k in ("registration", "chassis", "engine", "make", "model", "colour", "kind")},
                "status": vehicle.get("status") or Vehicle.Status.STOLEN,
                "source": "station",
                "external_id": f"{data['external_id']}/v{n}",
                "fir": registered,
                "reported_on": registered.registered_on,
            }
        )
    audit.record(
        actor=by,
        action="records.fir_register",
        target=registered,
        data={
            "sections": [f"{s['law']} {s['act']} {s['section']}".replace("  ", " ") for s in sections],
            "persons": len(people),
            "vehicles": len(vehicles),
            "from": source_reference,
        },
    )
    return registered


def _fir_person_add(fir: Fir, person: dict, *, n: int, state_id: int | None) -> Person:
    """One person named in the FIR, filed in the records in their role; a child, and a victim or complainant of a
    sensitive FIR, is a sensitive person."""
    role = person["role"]
    age = person.get("age")
    sensitive = (age is not None and age < CHILD_AGE) or (fir.sensitive and role in (Person.Role.VICTIM, Person.Role.COMPLAINANT))
    try:
        saved = person_save(
            data={
                "source": "station",
                "external_id": f"{fir.external_id}/p{n}",
                "name": person["name"].strip(),
                "father_name": (person.get("father_name") or "").strip(),
                "sex": person.get("sex") or Person.Sex.UNKNOWN,
                "age": age,
                "age_recorded_on": fir.registered_on if age is not None else None,
                "state_id": state_id,
                "district_id": fir.district_id,
                "addresses": [a for a in [(person.get("address") or "").strip()] if a],
                "roles": [role],
                "sensitive": sensitive,
            }
        )
    except ValidationError as error:
        field = "complainant_name" if role == Person.Role.COMPLAINANT else "persons"
        raise ValidationError(
            {field: [_("%(name)s: %(problem)s") % {"name": person["name"], "problem": " ".join(error.messages)}]}
        ) from error
    Involvement.objects.create(person=saved, fir=fir, role=role)
    return saved


# --- What else a station records: arrests, proclamations, missing persons, unidentified persons and bodies ------


def _roles_add(person: Person, role: str) -> None:
    if role not in (person.roles or []):
        person.roles = [*(person.roles or []), role]
        Person.objects.filter(pk=person.pk).update(roles=person.roles)


def _accused_of(fir: Fir, person: Person) -> None:
    if not Involvement.objects.filter(fir=fir, person=person, role__in=FIR_PERSON_ROLES[:2]).exists():
        raise ValidationError({"person": [_("Choose a person accused or wanted in this FIR.")]})


@transaction.atomic
def arrest_record(*, by, fir: Fir, person: Person, arrested_at, place: str, arrested_by: str, informed_person: str = "") -> Arrest:
    """The station records an arrest in an FIR of its own; the district list of arrested persons (BNSS s.37) shows it."""
    if not may_register_at(by, fir.station):
        raise PermissionDenied
    _accused_of(fir, person)
    if arrested_at > timezone.now():
        raise ValidationError({"arrested_at": [_("This is in the future. Give when the arrest was made.")]})
    if not arrested_by.strip():
        raise ValidationError({"arrested_by": [_("Give the name and rank of the arresting officer.")]})
    arrest = Arrest.objects.create(
        source="station",
        external_id=f"{fir.external_id}/arrest/{person.pk}/{arrested_at:%Y%m%d%H%M}",
        person=person,
        fir=fir,
        arrested_at=arrested_at,
        place=place.strip(),
        arrested_by=arrested_by.strip(),
        station=fir.station,
        informed_person=informed_person.strip(),
    )
    _roles_add(person, Person.Role.ARRESTED)
    audit.record(actor=by, action="records.arrest_record", target=arrest, data={"fir": fir.pk, "person": person.pk})
    return arrest


@transaction.atomic
def proclamation_record(*, by, fir: Fir, person: Person, court: str, proclaimed_on, reward_inr: int | None = None) -> ProclaimedOffender:
    """The station records a court's proclamation (BNSS s.84) against an absconding accused of its FIR."""
    if not may_register_at(by, fir.station):
        raise PermissionDenied
    _accused_of(fir, person)
    if proclaimed_on > timezone.localdate():
        raise ValidationError({"proclaimed_on": [_("This date is in the future.")]})
    if not court.strip():
        raise ValidationError({"court": [_("Name the court that made the proclamation.")]})
    proclamation = ProclaimedOffender.objects.create(
        source="station",
        external_id=f"{fir.external_id}/po/{person.pk}/{proclaimed_on:%Y%m%d}",
        person=person,
        fir=fir,
        court=court.strip(),
        proclaimed_on=proclaimed_on,
        reward_inr=reward_inr,
    )
    _roles_add(person, Person.Role.PROCLAIMED_OFFENDER)
    audit.record(actor=by, action="records.proclamation_record", target=proclamation, data={"fir": fir.pk, "person": person.pk})
    return proclamation


@transaction.atomic
def person_report(
    *,
    by,
    station,
    role: str,
    name: str = "",
    father_name: str = "",
    sex: str = "",
    age: int | None = None,
    seen_on,
    place: str,
    description: str = "",
) -> Person:
    """The station records a missing person, or an unidentified person or body found: in the records at once, so that
    the missing-persons search finds the one for the other and incoming notices (a Yellow notice) are screened."""
    if not may_register_at(by, station):
        raise PermissionDenied
    if role not in (Person.Role.MISSING, Person.Role.UNIDENTIFIED_PERSON, Person.Role.UNIDENTIFIED_BODY):
        raise ValidationError({"role": [_("Choose what is reported.")]})
    if role == Person.Role.MISSING and not name.strip():
        raise ValidationError({"name": [_("Give the missing person's name.")]})
    if seen_on > timezone.localdate():
        raise ValidationError({"seen_on": [_("This date is in the future.")]})
    person = person_save(
        data={
            "source": "station",
            "external_id": f"{station.pk}/{role}/{secrets.token_hex(6)}",
            "name": name.strip() or "Unknown",
            "father_name": father_name.strip(),
            "sex": sex or Person.Sex.UNKNOWN,
            "age": age,
            "age_recorded_on": seen_on,
            "state_id": station.district.state_id,
            "district_id": station.district_id,
            "addresses": [a for a in [f"{place.strip()} ({station.name} PS)".strip()] if a],
            "roles": [role],
            "description": description.strip(),
        }
    )
    audit.record(actor=by, action="records.person_report", target=person, data={"role": role, "station": station.pk})
    return person

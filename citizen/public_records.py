"""What the public and citizens may learn from the national records: a vehicle NOC, the public lists, and the missing-persons search.

The records module is only read, through its models and public functions (records.matching, records.vehicles).
Every answer is built from an explicit list of harmless fields, so nothing sensitive can leak through a template.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from citizen.models import IssuedDocument
from records import matching, vehicles
from records.models import Arrest, Fir, Person, ProclaimedOffender, Vehicle

AUDIT = "citizen"
DOC_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
MISSING_LIMIT = 20
MISSING_CANDIDATES = 1000
AGE_MARGIN = 5

# --- Vehicle NOC ----------------------------------------------------------------------------------


@dataclass
class VehicleCheck:
    clear: bool
    document: IssuedDocument | None = None


def vehicle_numbers(*, registration: str = "", chassis: str = "", engine: str = "") -> dict:
    """The numbers as the records store them (spaces, dashes, case, O/0 and I/1 normalised)."""
    numbers = {
        "registration": vehicles.normalise_registration(registration or ""),
        "chassis": vehicles.normalise_chassis(chassis or ""),
        "engine": vehicles.normalise_engine(engine or ""),
    }
    return {k: v for k, v in numbers.items() if v}


@transaction.atomic
def vehicle_noc_check(*, registration: str = "", chassis: str = "", engine: str = "") -> VehicleCheck:
    """Check the vehicle against stolen-vehicle records: a clear vehicle gets an NOC at once; a stolen one, nothing but "contact your station"."""
    numbers = vehicle_numbers(registration=registration, chassis=chassis, engine=engine)
    if not numbers:
        raise ValueError("A registration, chassis or engine number is needed.")
    matches = matching.screen_vehicle(numbers.get("registration"), numbers.get("chassis"), numbers.get("engine"), limit=50)
    stolen = any(m.status == Vehicle.Status.STOLEN for m in matches)
    # Only the normalised numbers and the outcome: no record identifier, nothing about who asked.
    audit.record(action=f"{AUDIT}.vehicle_noc_check", data={**numbers, "clear": not stolen})
    if stolen:
        return VehicleCheck(clear=False)
    return VehicleCheck(clear=True, document=_vehicle_noc_issue(numbers))


def _vehicle_noc_issue(numbers: dict) -> IssuedDocument:
    from citizen import pdf, services

    code = "".join(secrets.choice(DOC_ALPHABET) for _ in range(10))
    now = timezone.localtime()
    content = {
        "document": pdf.TITLES["vehicle_noc"],
        "check_code": code,
        "registration": numbers.get("registration", ""),
        "chassis": numbers.get("chassis", ""),
        "engine": numbers.get("engine", ""),
        "statement": (
            "No report of theft of a vehicle with the number(s) above is held in the OpenPol national records at the time of this check."
        ),
        "checked_at": now.strftime("%d %b %Y %H:%M"),
    }
    pdf_bytes = pdf.render_vehicle_noc(content)
    document = IssuedDocument.objects.create(
        code=code,
        request=None,
        kind=IssuedDocument.Kind.VEHICLE_NOC,
        content=content,
        content_sha256=services.content_hash(content),
        pdf=pdf_bytes,
        pdf_sha256=hashlib.sha256(pdf_bytes).hexdigest(),
        issued_by=None,
    )
    audit.record(action=f"{AUDIT}.document_issued", data={"code": code, "kind": document.kind})
    return document


# --- Public lists (proclaimed offenders, wanted, arrested under BNSS s.37) --------------------------

LISTS = {
    "proclaimed": _("Proclaimed offenders"),
    "wanted": _("Wanted persons"),
    "arrested": _("Arrested persons (BNSS s.37)"),
}


def _role_q(role: str, prefix: str = "") -> Q:
    # JSON list of role strings; a quoted match works on SQLite and PostgreSQL alike.
    return Q(**{f"{prefix}roles__icontains": f'"{role}"'})


def _age_on(person: dict, on: date | None) -> int | None:
    on = on or timezone.localdate()
    if person.get("dob"):
        born = person["dob"]
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    if person.get("birth_year"):
        return on.year - person["birth_year"]
    if person.get("age") is not None:
        recorded = person.get("age_recorded_on")
        return person["age"] + ((on - recorded).days // 365 if recorded and on > recorded else 0)
    return None


def _fir_label(number, year) -> str:
    return f"{number}/{year}" if number and year else ""


def public_list(kind: str, *, name: str = "", station=None, date_from: date | None = None, date_to: date | None = None) -> "PublicList":
    """A public list, newest first: a queryset to paginate and `rows()` to turn one page into dicts of publishable fields only.

    Never listed: a person flagged sensitive, or anyone tied to an FIR flagged sensitive (victims' identity, POCSO, terrorism).
    """
    builders = {"proclaimed": _proclaimed, "wanted": _wanted, "arrested": _arrested}
    queryset, prefix, convert = builders[kind](station, date_from, date_to)
    from records import names

    for token in names.normalise(name) if name.strip() else ():
        queryset = queryset.filter(**{f"{prefix}name_norm__icontains": token})
    return PublicList(queryset, convert)


@dataclass
class PublicList:
    queryset: object
    convert: object

    def rows(self, values) -> list[dict]:
        return [self.convert(v) for v in values]


PERSON_FIELDS = ("name", "sex", "dob", "birth_year", "age", "age_recorded_on")


def _person_fields(prefix: str) -> list[str]:
    return [f"{prefix}{f}" for f in PERSON_FIELDS]


def _row(values: dict, prefix: str, **extra) -> dict:
    person = {f: values[f"{prefix}{f}"] for f in PERSON_FIELDS}
    return {"name": person["name"], "sex": dict(Person.Sex.choices).get(person["sex"], ""), "age": _age_on(person, None), **extra}


def _proclaimed(station, date_from, date_to):
    qs = ProclaimedOffender.objects.filter(withdrawn_on__isnull=True, person__sensitive=False).exclude(fir__sensitive=True)
    qs = qs.exclude(person__involvements__fir__sensitive=True)
    if station is not None:
        qs = qs.filter(fir__station=station)
    if date_from:
        qs = qs.filter(proclaimed_on__gte=date_from)
    if date_to:
        qs = qs.filter(proclaimed_on__lte=date_to)
    fields = [*_person_fields("person__"), "pk", "court", "proclaimed_on", "reward_inr", "fir__station__name", "fir__number", "fir__year"]

    def convert(v):
        return _row(
            v,
            "person__",
            key=f"po{v['pk']}",
            station=v["fir__station__name"] or "",
            date=v["proclaimed_on"],
            court=v["court"],
            reward=v["reward_inr"],
            fir=_fir_label(v["fir__number"], v["fir__year"]),
        )

    return qs.order_by("-proclaimed_on", "-pk").values(*fields), "person__", convert


def _wanted(station, date_from, date_to):
    qs = Person.objects.filter(_role_q("wanted"), sensitive=False).exclude(involvements__fir__sensitive=True)
    if station is not None:
        qs = qs.filter(pk__in=Person.objects.filter(involvements__fir__station=station).values("pk"))
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)

    def convert(v):
        from records.models import Involvement

        firs = list(
            Involvement.objects.filter(person_id=v["pk"], fir__sensitive=False)
            .values_list("fir__station__name", "fir__number", "fir__year")
            .distinct()
        )
        return _row(
            v,
            "",
            key=f"w{v['pk']}",
            station=", ".join(sorted({s for s, _n, _y in firs if s})),
            date=timezone.localtime(v["created_at"]).date(),
            fir=", ".join(_fir_label(n, y) for _s, n, y in firs),
        )

    return qs.order_by("-created_at", "-pk").values(*_person_fields(""), "pk", "created_at"), "", convert


def _arrested(station, date_from, date_to):
    qs = Arrest.objects.filter(person__sensitive=False).exclude(fir__sensitive=True).exclude(person__involvements__fir__sensitive=True)
    if station is not None:
        qs = qs.filter(station=station)
    if date_from:
        qs = qs.filter(arrested_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(arrested_at__date__lte=date_to)
    fields = [*_person_fields("person__"), "pk", "arrested_at", "arrested_by", "station__name", "fir__number", "fir__year"]

    def convert(v):
        return _row(
            v,
            "person__",
            key=f"a{v['pk']}",
            station=v["station__name"],
            date=timezone.localtime(v["arrested_at"]).date(),
            arrested_by=v["arrested_by"],
            fir=_fir_label(v["fir__number"], v["fir__year"]),
        )

    return qs.order_by("-arrested_at", "-pk").values(*fields), "person__", convert


# --- Missing persons search --------------------------------------------------------------------------


def _age_band(age: int | None) -> str:
    if age is None:
        return ""
    low = max(0, age - age % 5)
    return f"{low}–{low + 5}"


def missing_search(
    *, by, name: str = "", age: int | None = None, sex: str = "", district=None, missing_since: date | None = None
) -> list[dict]:
    """Unidentified persons and bodies that could be the missing person: only what a family needs to reach the police.

    Sex and district narrow; age is kept within 5 years; found on or after the day the person went missing.
    A name ranks first those whose recorded name matches (records.matching.screen_person), but is never shown.
    """
    roles = _role_q(Person.Role.UNIDENTIFIED_PERSON) | _role_q(Person.Role.UNIDENTIFIED_BODY)
    qs = Person.objects.filter(roles, sensitive=False).exclude(involvements__fir__sensitive=True)
    if sex in (Person.Sex.MALE, Person.Sex.FEMALE, Person.Sex.OTHER):
        qs = qs.filter(sex__in=[sex, Person.Sex.UNKNOWN])
    if district is not None:
        qs = qs.filter(district=district)
    if missing_since:
        qs = qs.filter(Q(age_recorded_on__gte=missing_since) | Q(age_recorded_on__isnull=True, created_at__date__gte=missing_since))
    fields = ["pk", "roles", "sex", "dob", "birth_year", "age", "age_recorded_on", "created_at", "district__name"]
    candidates = list(qs.order_by("-created_at", "-pk").values(*fields)[:MISSING_CANDIDATES])
    rank: dict[int, float] = {}
    if name.strip() and candidates:
        ids = {c["pk"] for c in candidates}
        visible = Q(pk__in=ids)
        for m in matching.screen_person(name, sex=sex or None, age=age, limit=MISSING_CANDIDATES, visible=visible):
            rank[m.person_id] = m.score
    results = []
    for c in candidates:
        found_on = c["age_recorded_on"] or timezone.localtime(c["created_at"]).date()
        approx = _age_on(c, found_on)
        if age is not None and approx is not None and abs(approx - age) > AGE_MARGIN:
            continue
        results.append((rank.get(c["pk"], 0.0), c, found_on, approx))
    results.sort(key=lambda r: (-r[0], -r[2].toordinal(), r[1]["pk"]))
    results = results[:MISSING_LIMIT]
    stations = _stations_of([r[1]["pk"] for r in results])
    answer = []
    for _score, c, found_on, approx in results:
        body = f'"{Person.Role.UNIDENTIFIED_BODY}"' in str(c["roles"]).replace("'", '"')
        station = stations.get(c["pk"])
        answer.append(
            {
                "kind": _("Unidentified dead body") if body else _("Unidentified person (alive)"),
                "is_body": body,
                "sex": dict(Person.Sex.choices).get(c["sex"], ""),
                "age_band": _age_band(approx),
                "found_on": found_on,
                "district": c["district__name"] or (station["district"] if station else ""),
                "station": station["name"] if station else "",
                "phone": station["phone"] if station else "",
            }
        )
    audit.record(
        actor=by,
        action=f"{AUDIT}.missing_search",
        data={"sex": sex, "age": age, "district": getattr(district, "pk", None), "results": len(answer)},
    )
    return answer


def _stations_of(person_ids: list[int]) -> dict[int, dict]:
    """The police station holding each person's record (the station of the FIR or report it is linked to)."""
    from records.models import Involvement

    found: dict[int, dict] = {}
    rows = Involvement.objects.filter(person_id__in=person_ids, fir__sensitive=False).order_by("fir__registered_on", "pk")
    for person_id, name, phone, district in rows.values_list(
        "person_id", "fir__station__name", "fir__station__phone", "fir__station__district__name"
    ):
        found.setdefault(person_id, {"name": name, "phone": phone, "district": district})
    return found


# --- Public FIRs (Youth Bar Association of India v. Union of India, 2016) -------------------------------------

PUBLIC_FIR_ROLES = (Person.Role.ACCUSED, Person.Role.WANTED)


def public_fir(*, station, year: int, number: int) -> dict | None:
    """A registered FIR as the public may read it, or None: the Supreme Court directed that FIRs be online within 24
    hours of registration, except those of sexual offences, offences against children, insurgency and terrorism (our
    `sensitive`). A person recorded as sensitive (a child) is never named. Every opening is counted."""
    fir = Fir.objects.filter(station=station, year=year, number=number, sensitive=False).select_related("station__district__state").first()
    if fir is None:
        return None
    Fir.objects.filter(pk=fir.pk).update(public_views=F("public_views") + 1)
    persons = list(fir.involvements.filter(role__in=PUBLIC_FIR_ROLES).select_related("person").order_by("pk"))
    withheld = _("(name withheld by law)")
    complainant = fir.involvements.filter(role=Person.Role.COMPLAINANT).select_related("person").first()
    return {
        "fir": f"{fir.number}/{fir.year}",
        "station": fir.station.name,
        "district": fir.station.district.name,
        "state": fir.station.district.state.name,
        "registered_on": fir.registered_on,
        "occurred_from": timezone.localtime(fir.occurred_from) if fir.occurred_from else None,
        "place": fir.place,
        "sections": [str(section) for section in fir.sections.all()],
        "complainant": withheld if complainant and complainant.person.sensitive else fir.complainant_name,
        "accused": [{"name": withheld if i.person.sensitive else i.person.name, "role": i.get_role_display()} for i in persons],
        "facts": fir.narrative,
        "status": fir.get_status_display(),
        "views": fir.public_views + 1,
        "station_code": fir.station.code,
        "year": fir.year,
        "number": fir.number,
    }

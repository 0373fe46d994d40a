"""JSON API of the records module: person and vehicle search, batch screening (police only, with a purpose, audited),
and the hits that cross-matching found, confirmed or rejected by the record's owner."""

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from accounts import access
from accounts.apiauth import require_scope
from openpol.pagination import PageNumberPagination
from records import queries, services
from records.matching import screen_person
from records.models import Fir, Hit, Person, Vehicle

router = Router(tags=["records"])


class PersonSearchIn(Schema):
    purpose: str = ""
    name: str
    father_name: str = ""
    dob: str = ""
    sex: str = ""
    state: str = ""
    limit: int = 10


class PersonHitOut(Schema):
    external_id: str
    source: str
    name: str
    score: float
    weak: bool
    explanation: list[str]
    roles: list[str]
    state: str | None
    dob: date | None
    birth_year: int | None


class VehicleSearchIn(Schema):
    purpose: str = ""
    registration: str = ""
    chassis: str = ""
    engine: str = ""


class ScreenQueryIn(Schema):
    id: str
    name: str
    father_name: str = ""
    dob: str = ""
    sex: str = ""
    state: str = ""


class ScreenIn(Schema):
    purpose: str = ""
    queries: list[ScreenQueryIn]
    limit: int = 10


def _invalid(error: ValidationError):
    errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return Status(422, {"detail": _("The request is not valid."), "errors": errors})


def _require_search(request, scope: str, search: str, query: dict) -> None:
    """Refuse (403) a caller who may not search, auditing the search it asked for with its query, as the web form does."""
    if not access.can(request.user, "records.search"):
        services.search_refused(user=request.user, search=search, query=query, reason="no capability", capability="records.search")
        raise PermissionDenied
    token = getattr(request, "api_token", None)
    if token is not None and scope not in token.scopes:
        services.search_refused(user=request.user, search=search, query=query, reason="no scope", scope=scope)
    require_scope(request, scope, "records.search")


@router.post("/persons/search", response={200: list[PersonHitOut], 422: dict}, summary="Persons like the one described, ranked")
def person_search(request, payload: PersonSearchIn):
    query = services.person_query(payload.name, payload.father_name, payload.dob, payload.sex, payload.state)
    _require_search(request, "records:read", "persons", query)
    try:
        results = services.person_search(
            user=request.user,
            purpose=payload.purpose,
            name=payload.name,
            father_name=payload.father_name,
            dob=payload.dob or None,
            sex=payload.sex,
            state=payload.state or None,
            limit=min(max(payload.limit, 1), 50),
        )
    except ValidationError as error:
        return _invalid(error)
    except ValueError as error:
        return Status(422, {"detail": str(error)})
    return [
        {
            **r.match.as_dict(),
            "roles": r.person.roles,
            "state": r.person.state.name if r.person.state_id else None,
            "dob": r.person.dob,
            "birth_year": r.person.birth_year,
        }
        for r in results
    ]


@router.post("/vehicles/search", response={200: list[dict], 422: dict}, summary="Vehicles by registration, chassis or engine number")
def vehicle_search(request, payload: VehicleSearchIn):
    query = services.vehicle_query(payload.registration, payload.chassis, payload.engine)
    _require_search(request, "records:read", "vehicles", query)
    try:
        results = services.vehicle_search(
            user=request.user, purpose=payload.purpose, registration=payload.registration, chassis=payload.chassis, engine=payload.engine
        )
    except ValidationError as error:
        return _invalid(error)
    return [r.as_dict() for r in results]


@router.post("/persons/screen", response={200: list[dict], 422: dict}, summary="Screen a batch of persons (at most 500)")
def person_screen(request, payload: ScreenIn):
    _require_search(request, "records:read", "screen", {"queries": len(payload.queries)})
    if len(payload.queries) > 500:
        return Status(422, {"detail": "At most 500 queries per call."})
    try:
        services.search_check(request.user, payload.purpose, search="screen", query={"queries": len(payload.queries)})
    except ValidationError as error:
        return _invalid(error)
    from audit import services as audit
    from records.models import Person

    visible = Person.visible_q(request.user)
    out = []
    for q in payload.queries:
        try:
            matches = screen_person(
                q.name, q.father_name, q.dob or None, q.sex, q.state or None, limit=min(payload.limit, 50), visible=visible
            )
            out.append({"id": q.id, "results": [m.as_dict() for m in matches]})
        except ValueError as error:
            out.append({"id": q.id, "error": str(error)})
    audit.record(
        actor=request.user,
        action="records.person_screen",
        purpose=payload.purpose,
        data={"queries": len(payload.queries), "results": sum(len(o.get("results", [])) for o in out)},
    )
    return out


# --- A person's, an FIR's, a vehicle's details: for a stated purpose, every read audited -----------------------


class PersonOut(Schema):
    id: int
    source: str
    external_id: str
    name: str
    name_native: str
    aliases: list
    father_name: str
    sex: str
    dob: date | None
    birth_year: int | None
    age: int | None
    state: str | None = Field(None, alias="state.name")
    district: str | None = Field(None, alias="district.name")
    addresses: list
    id_numbers: list
    roles: list
    sensitive: bool
    firs: list[dict] = Field(description="The FIRs the person is linked to; a restricted one is named only by its state.")


class FirOut(Schema):
    id: int
    source: str
    external_id: str
    station: str
    district: str = Field(alias="district.name")
    year: int
    number: int
    registered_on: date
    occurred_from: datetime | None
    occurred_to: datetime | None
    place: str
    complainant_name: str
    accused_details: list
    property_details: list
    narrative: str
    status: str
    is_zero_fir: bool
    sensitive: bool
    sections: list[str]
    persons: list[dict] = Field(description="The persons linked, with their roles; a restricted person is not named.")

    @staticmethod
    def resolve_station(fir: Fir) -> str:
        return str(fir.station)

    @staticmethod
    def resolve_sections(fir: Fir) -> list[str]:
        return [str(section) for section in fir.sections.all()]


class VehicleOut(Schema):
    id: int
    source: str
    external_id: str
    registration: str
    chassis: str
    engine: str
    make: str
    model: str
    colour: str
    kind: str
    status: str
    reported_on: date | None
    recovered_on: date | None


class SectionIn(Schema):
    law: Literal["BNS", "IPC", "SLL"]
    act: str = Field("", max_length=100, description="For a special or local law (SLL): the act, e.g. NDPS Act 1985.")
    section: str = Field(max_length=20, examples=["303(2)"])


class ComplainantIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    father_name: str = Field("", max_length=200)
    address: str = Field("", max_length=300)
    phone: str = Field("", max_length=20)


class FirPersonIn(Schema):
    role: Literal["accused", "wanted", "victim"]
    name: str = Field(min_length=1, max_length=200)
    father_name: str = Field("", max_length=200)
    sex: Literal["M", "F", "X", "U"] = "U"
    age: int | None = Field(None, ge=0, le=120)
    address: str = Field("", max_length=300)


class FirVehicleIn(Schema):
    registration: str = Field("", max_length=20)
    chassis: str = Field("", max_length=30)
    engine: str = Field("", max_length=30)
    make: str = Field("", max_length=60)
    model: str = Field("", max_length=60)
    colour: str = Field("", max_length=30)
    kind: str = Field("", max_length=30)
    status: Literal["stolen", "involved"] = "stolen"


class FirRegisterIn(Schema):
    """The core of IIF-1, as a station registers it."""

    number: int = Field(ge=1, le=10**7)
    year: int = Field(ge=1950, le=2100)
    registered_on: date
    information_received_at: datetime | None = None
    occurred_from: datetime
    occurred_to: datetime | None = None
    place: str = Field(min_length=1, max_length=300)
    complainant: ComplainantIn
    narrative: str = Field(min_length=1, max_length=20000, description="The brief facts.")
    property: str = Field("", max_length=2000, description="Property stolen or involved other than vehicles.")
    property_value: int | None = Field(None, ge=0)
    sensitive: bool = False
    sections: list[SectionIn] = Field(min_length=1, max_length=20)
    persons: list[FirPersonIn] = Field([], max_length=30)
    vehicles: list[FirVehicleIn] = Field([], max_length=20)

    def service_kwargs(self) -> dict:
        """What records.services.fir_register takes (the same as the web form gives)."""
        return {
            "fir": self.dict(include=set(services.FIR_FIELDS)),
            "complainant": self.complainant.dict(),
            "sections": [s.dict() for s in self.sections],
            "persons": [p.dict() for p in self.persons],
            "vehicles": [v.dict() for v in self.vehicles],  # one without any number is refused by the service
        }


PURPOSE_DOC = "Why you open this record (case, FIR or diary reference; at least 10 characters). Required, and recorded."


def _purpose_missing(error: ValidationError):
    return Status(422, {"detail": _("State the purpose of opening this record in the 'purpose' parameter."), "errors": error.message_dict})


@router.get(
    "/persons/{person_id}",
    response={200: PersonOut, 422: dict},
    summary="One person's details, for a stated purpose (404 if not yours to see)",
)
def person_detail(request, person_id: int, purpose: str = Query("", description=PURPOSE_DOC)):
    require_scope(request, "records:read", "records.search")
    try:
        person: Person = queries.get_person_for_user(request.user, person_id, purpose=purpose, shown_as="api")
    except services.PurposeMissing as error:
        return _purpose_missing(error)
    person.firs = services.firs_of(person, request.user)
    return person


@router.get(
    "/firs/{fir_id}",
    response={200: FirOut, 422: dict},
    summary="One FIR's details, for a stated purpose (404 if not yours to read)",
)
def fir_detail(request, fir_id: int, purpose: str = Query("", description=PURPOSE_DOC)):
    require_scope(request, "records:read", "records.search")
    try:
        fir: Fir = queries.get_fir_for_user(request.user, fir_id, purpose=purpose, shown_as="api")
    except services.PurposeMissing as error:
        return _purpose_missing(error)
    fir.persons = _persons_of(fir, request.user)
    return fir


def _persons_of(fir: Fir, user) -> list[dict]:
    return [
        {"role": i["role"], "id": i["person"].pk if i["person"] else None, "name": i["person"].name if i["person"] else None}
        for i in queries.involvements_of(fir, user)
    ]


@router.post(
    "/firs",
    response={201: FirOut, 403: dict, 422: dict},
    summary="Register an FIR at your station: it is in the national records at once",
)
def fir_register(request, payload: FirRegisterIn):
    require_scope(request, "records:write", "records.register")
    fir = services.fir_register(by=request.user, station=queries.registering_station_for(request.user), **payload.service_kwargs())
    fir.persons = _persons_of(fir, request.user)
    return Status(201, fir)


@router.get("/vehicles/{vehicle_id}", response=VehicleOut, summary="One vehicle of the stolen and recovered vehicle records")
def vehicle_detail(request, vehicle_id: int, purpose: str = Query("", description="Why, when you have a reason to give.")):
    require_scope(request, "records:read", "records.search")
    vehicle: Vehicle = queries.get_vehicle_for_user(request.user, vehicle_id, purpose=purpose, shown_as="api")
    return vehicle


# --- Hits: possible matches found by cross-matching ------------------------------------------------------------


class HitOut(Schema):
    id: int
    reference: str
    status: str
    score: float
    weak: bool = Field(description="Only the name agrees (a common one or loosely spelt): nobody was notified.")
    explanation: list[str]
    source_type: str = Field(description="notices.noticerequest, references.referencerequest, broadcast.broadcastitem or alerts.alert")
    source_id: str
    source_label: str
    source_url: str
    screened: dict = Field(description="What the source item said of the person or vehicle.")
    record: dict = Field(description="The person or vehicle in the records.")
    owner_agency: str | None = Field(None, alias="owner_agency.code", description="The agency that owns the record (none: the NCB).")
    created_at: datetime
    notified_at: datetime | None
    decided_by: str | None = Field(None, alias="decided_by.username")
    decided_at: datetime | None
    decision_note: str

    @staticmethod
    def resolve_source_type(hit: Hit) -> str:
        return f"{hit.source_type.app_label}.{hit.source_type.model}"

    @staticmethod
    def resolve_record(hit: Hit) -> dict:
        if hit.person_id:
            person = hit.person
            return {
                "kind": "person",
                "source": person.source,
                "external_id": person.external_id,
                "name": person.name,
                "state": person.state.name if person.state_id else None,
                "roles": person.roles,
            }
        vehicle = hit.vehicle
        return {
            "kind": "vehicle",
            "external_id": vehicle.external_id,
            "registration": vehicle.registration,
            "chassis": vehicle.chassis,
            "engine": vehicle.engine,
            "status": vehicle.status,
        }


class DecisionIn(Schema):
    note: str = Field(description="Why: what was compared (photograph, fingerprints, documents, the FIR).")


@router.get("/hits", response=list[HitOut], summary="Possible matches you may see (owner office, handler of the item, NCB)")
@paginate(PageNumberPagination, page_size=50)
def hit_list(request, status: str = "", strength: str = ""):
    require_scope(request, "records:read", "records.search")
    return queries.hits_for_user(request.user, status=status, strength=strength)


@router.get("/hits/{hit_id}", response=HitOut, summary="One possible match with its explanation (404 if not yours to see)")
def hit_detail(request, hit_id: int):
    require_scope(request, "records:read", "records.search")
    return queries.get_hit_for_user(request.user, hit_id, shown_as="api")


def _decide(request, hit_id: int, payload: DecisionIn, *, confirmed: bool):
    require_scope(request, "records:write", "records.search")
    hit = queries.get_hit_for_user(request.user, hit_id, shown_as="api")
    try:
        return services.hit_decide(hit=hit, by=request.user, confirmed=confirmed, note=payload.note)
    except services.AlreadyDecided as error:
        return Status(409, {"detail": " ".join(error.messages)})
    except PermissionDenied as error:
        return Status(403, {"detail": str(error)})


@router.post("/hits/{hit_id}/confirm", response={200: HitOut, 403: dict, 409: dict, 422: dict}, summary="Confirm a match (owner or NCB)")
def hit_confirm(request, hit_id: int, payload: DecisionIn):
    return _decide(request, hit_id, payload, confirmed=True)


@router.post("/hits/{hit_id}/reject", response={200: HitOut, 403: dict, 409: dict, 422: dict}, summary="Reject a match (owner or NCB)")
def hit_reject(request, hit_id: int, payload: DecisionIn):
    return _decide(request, hit_id, payload, confirmed=False)

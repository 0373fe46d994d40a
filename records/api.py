"""JSON API of the records module: person and vehicle search, batch screening (police only, with a purpose, audited)."""

from datetime import date

from django.core.exceptions import ValidationError
from ninja import Router, Schema, Status

from accounts.apiauth import require_scope
from records import services
from records.matching import screen_person

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
    return Status(422, {"detail": error.message_dict if hasattr(error, "error_dict") else error.messages})


@router.post("/persons/search", response={200: list[PersonHitOut], 422: dict}, summary="Persons like the one described, ranked")
def person_search(request, payload: PersonSearchIn):
    require_scope(request, "records:read", "records.search")
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
    require_scope(request, "records:read", "records.search")
    try:
        results = services.vehicle_search(
            user=request.user, purpose=payload.purpose, registration=payload.registration, chassis=payload.chassis, engine=payload.engine
        )
    except ValidationError as error:
        return _invalid(error)
    return [r.as_dict() for r in results]


@router.post("/persons/screen", response={200: list[dict], 422: dict}, summary="Screen a batch of persons (at most 500)")
def person_screen(request, payload: ScreenIn):
    require_scope(request, "records:read", "records.search")
    if len(payload.queries) > 500:
        return Status(422, {"detail": "At most 500 queries per call."})
    try:
        services._check_search(request.user, payload.purpose)
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

"""JSON API of the Interpol References module."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from accounts.apiauth import require_scope
from openpol.pagination import PageNumberPagination
from references import queries, services

router = Router(tags=["references"])


class ReferenceIn(Schema):
    countries: list[str] = Field(description="ISO 3166 alpha-2 codes of the countries asked")
    case_reference: str = ""
    subjects: list[dict] = Field(
        default_factory=list, description='[{"name": ..., "dob": "YYYY-MM-DD", "nationality": "NP", "document": ...}]'
    )
    offence: str
    law_sections: str = ""
    facts: str
    assistance: list[str]
    assistance_details: str = ""
    legal_basis: Literal["police_cooperation", "mlat", "letter_rogatory", "reciprocity", "convention"] = "police_cooperation"
    urgency: Literal["routine", "urgent", "immediate"] = "routine"
    handling_code: Literal["H0", "H1", "H2", "H3"] = "H1"


class ReferenceOut(Schema):
    id: int
    reference: str | None
    stage: str
    stage_label: str = Field(alias="get_stage_display")
    version: int
    due_at: datetime | None
    offence: str
    countries: list[str]
    handling_code: str
    outcome: str

    @staticmethod
    def resolve_countries(obj) -> list[str]:
        return list(obj.countries.values_list("iso2", flat=True))


class ReferenceStepIn(Schema):
    note: str = ""
    version: int | None = None
    outcome: Literal["received", "partial", "not_received", "not_needed", ""] = ""


class ReferenceReplyIn(Schema):
    country: str
    received_on: date
    body: str
    foreign_reference: str = ""


class ReplyOut(Schema):
    country: str = Field(alias="country_id")
    received_on: date
    body: str
    foreign_reference: str


@router.get("/", response=list[ReferenceOut], summary="References in your jurisdiction")
@paginate(PageNumberPagination, page_size=50)
def reference_list(request, stage: str = "", q: str = ""):
    require_scope(request, "references:read", "references.view")
    return queries.references_for_user(request.user, stage=stage, q=q)


@router.post("/", response={201: ReferenceOut}, summary="Create a draft (UO or ILO)")
def reference_create(request, payload: ReferenceIn):
    require_scope(request, "references:write", "references.view")
    data = payload.model_dump()
    countries = [code.upper() for code in data.pop("countries")]
    return Status(201, services.reference_draft_create(by=request.user, data=data, countries=countries))


@router.get("/{reference_id}", response=ReferenceOut, summary="One reference (404 outside your jurisdiction)")
def reference_detail(request, reference_id: int):
    require_scope(request, "references:read", "references.view")
    return queries.get_reference_for_user(request.user, reference_id, shown_as="api")


STEPS = {
    "submit": services.reference_submit,
    "return": services.reference_return,
    "forward": services.reference_forward,
    "refuse": services.reference_refuse,
    "approve": services.reference_approve,
    "close": services.reference_close,
    "withdraw": services.reference_withdraw,
}


@router.post("/{reference_id}/steps/{step}", response={200: ReferenceOut, 403: dict, 409: dict}, summary="Take a review step")
def reference_step(
    request,
    reference_id: int,
    step: Literal["submit", "return", "forward", "refuse", "approve", "close", "withdraw"],
    payload: ReferenceStepIn,
):
    require_scope(request, "references:write", "references.view")
    ref = queries.get_reference_for_user(request.user, reference_id, shown_as="api")
    kwargs = {"request": ref, "by": request.user, "expected_version": payload.version}
    if step != "submit":
        kwargs["note"] = payload.note
    if step == "close":
        kwargs["outcome"] = payload.outcome
    return STEPS[step](**kwargs)


@router.get("/{reference_id}/replies", response=list[ReplyOut], summary="Replies from abroad")
def reply_list(request, reference_id: int):
    require_scope(request, "references:read", "references.view")
    return queries.get_reference_for_user(request.user, reference_id, shown_as="api").replies.all()


@router.post("/{reference_id}/replies", response={201: ReplyOut, 403: dict}, summary="Record a foreign NCB's reply (NCB)")
def reply_create(request, reference_id: int, payload: ReferenceReplyIn):
    require_scope(request, "references:write", "references.view")
    ref = queries.get_reference_for_user(request.user, reference_id, shown_as="api")
    return Status(201, services.reference_reply_record(request=ref, by=request.user, **payload.model_dump()))

"""JSON API of the Interpol Notices module: drafts, validation, the review steps, exports."""

from datetime import date, datetime
from typing import Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from accounts.apiauth import require_scope
from notices import queries, services
from notices.interpol import from_interpol_json, to_interpol_json
from notices.models import NoticeKind
from notices.pdf import render_pdf
from openpol.pagination import PageNumberPagination
from workflow import services as workflow

router = Router(tags=["notices"])


class NoticeIn(Schema):
    case_reference: str = ""
    family_name: str = ""
    forenames: str = ""
    aliases: list[str] = []
    name_indian_script: str = ""
    sex: Literal["M", "F", "X", "U", ""] = ""
    date_of_birth: date | None = None
    year_of_birth: int | None = None
    place_of_birth: str = ""
    country_of_birth: str | None = Field(None, description="ISO 3166 alpha-2 code")
    nationalities: list[str] = []
    identity_documents: list[dict] = []
    height_cm: int | None = None
    weight_kg: int | None = None
    eye_colour: str = ""
    hair_colour: str = ""
    distinguishing_marks: str = ""
    languages: list[str] = []
    fingerprints_available: bool = False
    dna_available: bool = False
    offence: str = ""
    law: Literal["BNS", "IPC", "SLL", ""] = ""
    sections: str = ""
    max_penalty_months: int | None = None
    max_penalty_life: bool = False
    purpose: Literal["prosecution", "sentence", ""] = ""
    sentence_remaining_months: int | None = None
    warrant_kind: Literal["arrest_warrant", "court_decision", ""] = ""
    warrant_number: str = ""
    warrant_date: date | None = None
    issuing_court: str = ""
    facts_summary: str = ""
    extradition_intended: bool | None = None
    facts: dict = Field(default_factory=dict, description="The facts of kinds other than Red; keys in notices.kinds.")

    def model_data(self, *, partial: bool = False) -> dict:
        data = self.model_dump(exclude_unset=partial)
        if "country_of_birth" in data:
            data["country_of_birth_id"] = data.pop("country_of_birth")
        return data


class NoticeCreateIn(NoticeIn):
    kind: NoticeKind


class NoticeOut(Schema):
    id: int
    reference: str | None
    kind: str
    stage: str
    stage_label: str = Field(alias="get_stage_display")
    version: int
    due_at: datetime | None
    agency: str = Field(alias="agency.code")
    unit: str | None = Field(None, alias="unit.code")
    subject_name: str
    article3_flags: list[dict]
    interpol_notice_number: str
    created_at: datetime


class ProblemOut(Schema):
    field: str
    message: str
    rule: str
    blocking: bool


class NoticeStepIn(Schema):
    note: str = ""
    version: int | None = Field(None, description="The version you last saw; a stale one answers 409.")


class AnswerIn(NoticeStepIn):
    answer: Literal["published", "more_info", "refused", "cancelled"]
    notice_number: str = ""


@router.get("/", response=list[NoticeOut], summary="Notice requests in your jurisdiction")
@paginate(PageNumberPagination, page_size=50)
def notice_list(request, stage: str = "", kind: str = "", q: str = ""):
    require_scope(request, "notices:read", "notices.view")
    return queries.notices_for_user(request.user, stage=stage, kind=kind, q=q)


@router.post("/", response={201: NoticeOut}, summary="Create a draft (UO or ILO)")
def notice_create(request, payload: NoticeCreateIn):
    require_scope(request, "notices:write", "notices.view")
    data = payload.model_data()
    kind = data.pop("kind")
    return Status(201, services.notice_draft_create(by=request.user, kind=kind, data=data))


@router.post("/import", response={201: NoticeOut}, summary="Create a draft from a notice in INTERPOL's JSON shape")
def notice_import(request, kind: NoticeKind, payload: dict):
    require_scope(request, "notices:write", "notices.view")
    fields = from_interpol_json(payload)
    fields.pop("interpol_notice_number", None)
    return Status(201, services.notice_draft_create(by=request.user, kind=kind, data=fields))


@router.get("/{notice_id}", response=NoticeOut, summary="One request (404 outside your jurisdiction)")
def notice_detail(request, notice_id: int):
    require_scope(request, "notices:read", "notices.view")
    return queries.get_notice_for_user(request.user, notice_id, shown_as="api")


@router.patch("/{notice_id}", response={200: NoticeOut, 409: dict, 403: dict}, summary="Change a draft")
def notice_update(request, notice_id: int, payload: NoticeIn, version: int | None = None):
    require_scope(request, "notices:write", "notices.view")
    notice = queries.get_notice_for_user(request.user, notice_id, shown_as="api")
    return services.notice_draft_update(request=notice, by=request.user, data=payload.model_data(partial=True), expected_version=version)


@router.post("/{notice_id}/attachments", response={201: dict}, summary="Attach a photo, warrant or document")
def notice_attach(request, notice_id: int, kind: Form[str], file: File[UploadedFile]):
    require_scope(request, "notices:write", "notices.view")
    notice = queries.get_notice_for_user(request.user, notice_id, shown_as="api")
    attachment = services.notice_attach(request=notice, by=request.user, upload=file, kind=kind)
    return Status(
        201, {"id": attachment.pk, "name": attachment.original_name, "mime_type": attachment.mime_type, "sha256": attachment.sha256}
    )


@router.get("/{notice_id}/validate", response=list[ProblemOut], summary="Every problem INTERPOL's rules find, at once")
def notice_validate(request, notice_id: int):
    require_scope(request, "notices:read", "notices.view")
    return services.notice_check(queries.get_notice_for_user(request.user, notice_id, shown_as="api"))


STEPS = {
    "submit": services.notice_submit,
    "return": services.notice_return,
    "forward": services.notice_forward,
    "refuse": services.notice_refuse,
    "approve": services.notice_approve,
    "withdraw": services.notice_withdraw,
}


@router.post(
    "/{notice_id}/steps/{step}",
    response={200: NoticeOut, 403: dict, 409: dict, 422: dict},
    summary="Take a review step: submit, return, forward, refuse, approve, withdraw",
)
def notice_step(
    request, notice_id: int, step: Literal["submit", "return", "forward", "refuse", "approve", "withdraw"], payload: NoticeStepIn
):
    require_scope(request, "notices:write", "notices.view")
    notice = queries.get_notice_for_user(request.user, notice_id, shown_as="api")
    kwargs = {"request": notice, "by": request.user, "expected_version": payload.version}
    if step != "submit":
        kwargs["note"] = payload.note
    try:
        return STEPS[step](**kwargs)
    except services.RequestInvalid as invalid:
        errors: dict[str, list[str]] = {}
        for problem in invalid.problems:
            errors.setdefault(problem.field or "__all__", []).append(str(problem.message))
        detail = _("The request breaks INTERPOL's rules.")
        return Status(422, {"detail": detail, "errors": errors, "problems": [p.__dict__ for p in invalid.problems]})


@router.post("/{notice_id}/answer", response={200: NoticeOut, 403: dict, 409: dict}, summary="Record INTERPOL's answer (NCB)")
def notice_answer(request, notice_id: int, payload: AnswerIn):
    require_scope(request, "notices:write", "notices.view")
    notice = queries.get_notice_for_user(request.user, notice_id, shown_as="api")
    return services.notice_record_answer(
        request=notice,
        by=request.user,
        answer=payload.answer,
        note=payload.note,
        notice_number=payload.notice_number,
        expected_version=payload.version,
    )


@router.get("/{notice_id}/interpol.json", response=dict, summary="The request in the shape of INTERPOL's public notices API")
def notice_export(request, notice_id: int):
    require_scope(request, "notices:read", "notices.view")
    return to_interpol_json(queries.get_notice_for_user(request.user, notice_id, shown_as="json"))


@router.get(
    "/{notice_id}/pdf",
    summary="The request as a PDF in the standard layout",
    openapi_extra={"responses": {200: {"description": "A PDF", "content": {"application/pdf": {}}}}},
)
def notice_pdf(request, notice_id: int):
    require_scope(request, "notices:read", "notices.view")
    notice = queries.get_notice_for_user(request.user, notice_id, shown_as="pdf")
    return HttpResponse(render_pdf(notice, history=list(workflow.history(notice))), content_type="application/pdf")

"""JSON API of the Broadcast module."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from accounts.apiauth import require_scope
from broadcast import queries, services
from directory.models import Agency, UnitOffice
from openpol.pagination import PageNumberPagination

router = Router(tags=["broadcasts"])


class BroadcastIn(Schema):
    kind: Literal["diffusion", "notice", "assistance", "intelligence"]
    origin_country: str = Field(description="ISO 3166 alpha-2 code of the originating country")
    origin_reference: str = ""
    received_on: date | None = None
    title: str
    summary: str
    offence: str = ""
    urgency: Literal["routine", "urgent", "immediate"] = "routine"
    handling_code: Literal["H0", "H1", "H2", "H3"] = "H1"
    source_evaluation: Literal["A", "B", "C", "X"] = "X"
    information_evaluation: Literal["1", "2", "3", "4"] = "4"
    persons: list[dict] = []
    vehicles: list[dict] = []
    documents: list[dict] = []


class BroadcastOut(Schema):
    id: int
    reference: str | None
    kind: str
    origin_country: str = Field(alias="origin_country_id")
    title: str
    stage: str
    version: int
    handling_code: str
    urgency: str
    reply_sent_at: datetime | None


class RowOut(Schema):
    id: int
    addressee: str = Field(alias="recipient_label")
    agency: str = Field(alias="agency.code")
    unit: str | None = Field(None, alias="unit.code")
    purpose: str
    due_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None = Field(None, alias="acknowledged_by.username")
    reported_at: datetime | None
    findings: str
    overdue: bool = Field(alias="is_overdue")
    reminders: int


class DisseminateIn(Schema):
    agencies: list[str] = Field(description="Agency codes")
    purpose: Literal["action", "information"]
    due_at: datetime
    note: str = ""


class PassOnIn(Schema):
    units: list[str] = Field(description="Unit office codes of your agency")
    purpose: Literal["action", "information"]
    due_at: datetime
    note: str = ""


class ReportIn(Schema):
    findings: str


class BroadcastReplyIn(Schema):
    text: str
    version: int | None = None


class CloseIn(Schema):
    note: str
    version: int | None = None


@router.get("/", response=list[BroadcastOut], summary="Broadcasts that reached you (all of them for the NCB)")
@paginate(PageNumberPagination, page_size=50)
def broadcast_list(request, stage: str = "", q: str = ""):
    require_scope(request, "broadcasts:read", "broadcast.view")
    return queries.broadcasts_for_user(request.user, stage=stage, q=q)


@router.post("/", response={201: BroadcastOut, 403: dict}, summary="Register an item from abroad (NCB)")
def broadcast_register(request, payload: BroadcastIn):
    require_scope(request, "broadcasts:write", "broadcast.manage")
    data = payload.model_dump(exclude_none=True)
    data["origin_country_id"] = data.pop("origin_country").upper()
    return Status(201, services.broadcast_register(by=request.user, data=data))


@router.post("/import", response={201: BroadcastOut}, summary="Register an item from INTERPOL-format JSON (NCB)")
def broadcast_import(request, payload: dict):
    require_scope(request, "broadcasts:write", "broadcast.manage")
    return Status(201, services.broadcast_import(by=request.user, payload=payload))


@router.get("/{item_id}", response=BroadcastOut, summary="One broadcast (404 if it did not reach you)")
def broadcast_detail(request, item_id: int):
    require_scope(request, "broadcasts:read", "broadcast.view")
    return queries.get_broadcast_for_user(request.user, item_id, shown_as="api")


@router.get("/{item_id}/status", response=list[RowOut], summary="Who has acknowledged and acted, and who is overdue")
def broadcast_status(request, item_id: int):
    require_scope(request, "broadcasts:read", "broadcast.view")
    item = queries.get_broadcast_for_user(request.user, item_id, shown_as="api")
    return list(queries.status_rows(item, request.user))


@router.post("/{item_id}/disseminate", response={200: list[RowOut], 403: dict, 409: dict}, summary="Send to agencies (NCB)")
def broadcast_disseminate(request, item_id: int, payload: DisseminateIn):
    require_scope(request, "broadcasts:write", "broadcast.manage")
    item = queries.get_broadcast_for_user(request.user, item_id, shown_as="api")
    agencies = list(Agency.objects.filter(code__in=payload.agencies))
    return services.broadcast_disseminate(
        item=item, by=request.user, agencies=agencies, purpose=payload.purpose, due_at=payload.due_at, note=payload.note
    )


def _my_row(request, item_id: int, row_id: int):
    return queries.get_dissemination_for_user(request.user, item_id, row_id, shown_as="api")


@router.post(
    "/{item_id}/rows/{row_id}/pass-on", response={200: list[RowOut], 403: dict, 409: dict}, summary="Pass on to your unit offices (ILO)"
)
def broadcast_pass_on(request, item_id: int, row_id: int, payload: PassOnIn):
    require_scope(request, "broadcasts:write", "broadcast.view")
    row = _my_row(request, item_id, row_id)
    units = list(UnitOffice.objects.filter(code__in=payload.units))
    return services.dissemination_pass_on(
        row=row, by=request.user, units=units, purpose=payload.purpose, due_at=payload.due_at, note=payload.note
    )


@router.post("/{item_id}/rows/{row_id}/acknowledge", response={200: RowOut, 403: dict}, summary="Acknowledge receipt")
def broadcast_acknowledge(request, item_id: int, row_id: int):
    require_scope(request, "broadcasts:write", "broadcast.view")
    return services.dissemination_acknowledge(row=_my_row(request, item_id, row_id), by=request.user)


@router.post("/{item_id}/rows/{row_id}/report", response={200: RowOut, 403: dict, 409: dict}, summary="Report the action taken")
def broadcast_report(request, item_id: int, row_id: int, payload: ReportIn):
    require_scope(request, "broadcasts:write", "broadcast.view")
    return services.dissemination_report(row=_my_row(request, item_id, row_id), by=request.user, findings=payload.findings)


@router.get("/{item_id}/reply-draft", response=dict, summary="A draft reply gathered from the action reports (NCB)")
def broadcast_reply_draft(request, item_id: int):
    require_scope(request, "broadcasts:read", "broadcast.manage")
    return {"text": services.broadcast_reply_draft(queries.get_broadcast_for_user(request.user, item_id, shown_as="api"))}


@router.post("/{item_id}/reply", response={200: BroadcastOut, 403: dict, 409: dict}, summary="Record the reply abroad as sent (NCB)")
def broadcast_reply(request, item_id: int, payload: BroadcastReplyIn):
    require_scope(request, "broadcasts:write", "broadcast.manage")
    item = queries.get_broadcast_for_user(request.user, item_id, shown_as="api")
    return services.broadcast_reply_send(item=item, by=request.user, text=payload.text, expected_version=payload.version)


@router.post("/{item_id}/close", response={200: BroadcastOut, 403: dict, 409: dict}, summary="Close the item (NCB)")
def broadcast_close(request, item_id: int, payload: CloseIn):
    require_scope(request, "broadcasts:write", "broadcast.manage")
    item = queries.get_broadcast_for_user(request.user, item_id, shown_as="api")
    return services.broadcast_close(item=item, by=request.user, note=payload.note, expected_version=payload.version)

"""JSON API of the crime alerts module."""

from datetime import datetime
from typing import Literal

from asgiref.sync import sync_to_async
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from accounts import access
from accounts.apiauth import require_scope
from accounts.models import User
from alerts import cap, queries, realtime, services, views
from alerts.models import Category, OfficeFeed
from openpol.pagination import PageNumberPagination

router = Router(tags=["alerts"])
TICKET_SALT = "alerts.stream"
TICKET_MAX_AGE = 12 * 3600


class PersonIn(Schema):
    name: str
    aliases: list[str] = []
    dob: str = Field("", description="YYYY-MM-DD")


class VehicleIn(Schema):
    registration: str = ""
    chassis: str = ""
    engine: str = ""


class AlertIn(Schema):
    category: Literal[tuple(Category.values)]  # type: ignore[valid-type]
    urgency: Literal["Immediate", "Expected", "Future", "Past", "Unknown"] = "Immediate"
    severity: Literal["Extreme", "Severe", "Moderate", "Minor", "Unknown"] = "Severe"
    certainty: Literal["Observed", "Likely", "Possible", "Unlikely", "Unknown"] = "Likely"
    headline: str
    description: str
    instruction: str = ""
    area_states: list[int] = Field([], description="LGD codes of whole states/UTs")
    area_districts: list[int] = Field([], description="LGD codes of districts")
    area_lat: float | None = None
    area_lon: float | None = None
    area_radius_km: float | None = None
    persons: list[PersonIn] = []
    vehicles: list[VehicleIn] = []
    fir_number: str = ""
    fir_sections: str = ""
    expires_at: datetime


class AlertUpdateIn(Schema):
    category: str | None = None
    urgency: str | None = None
    severity: str | None = None
    certainty: str | None = None
    headline: str | None = None
    description: str | None = None
    instruction: str | None = None
    area_states: list[int] | None = None
    area_districts: list[int] | None = None
    area_lat: float | None = None
    area_lon: float | None = None
    area_radius_km: float | None = None
    persons: list[PersonIn] | None = None
    vehicles: list[VehicleIn] | None = None
    fir_number: str | None = None
    fir_sections: str | None = None
    expires_at: datetime | None = None
    note: str = ""


class AlertOut(Schema):
    id: int
    reference: str | None
    status: str
    version: int
    category: str
    urgency: str
    severity: str
    certainty: str
    headline: str
    description: str
    instruction: str
    area_states: list[int]
    area_districts: list[int]
    area_lat: float | None
    area_lon: float | None
    area_radius_km: float | None
    persons: list[dict]
    vehicles: list[dict]
    fir_number: str
    fir_sections: str
    expires_at: datetime
    created_at: datetime


class InboxOut(AlertOut):
    my_delivery_id: int | None = None
    my_acknowledged_at: datetime | None = None


class CancelIn(Schema):
    note: str


class AcknowledgeIn(Schema):
    action_taken: str = ""


class DeliveryOut(Schema):
    id: int
    office: str = Field(alias="office_label")
    acknowledged_at: datetime | None
    acknowledged_by: str | None = Field(None, alias="acknowledged_by.username")
    action_taken: str


class TicketOut(Schema):
    ticket: str
    stream_url: str


def _refusal(error):
    return Status(403, {"detail": str(error)})


@router.get("/", response=list[InboxOut], summary="Your inbox: alerts that reached your office (all of them for the NCB)")
@paginate(PageNumberPagination, page_size=50)
def alert_inbox(request, status: str = "", q: str = "", category: str = ""):
    require_scope(request, "alerts:read", "alerts.view")
    return queries.inbox_for_user(request.user, status=status, q=q, category=category)


@router.post(
    "/",
    response={201: AlertOut, 403: dict, 422: dict},
    summary="Publish an alert (422 names the field of a problem, such as a place beyond the publisher's lane)",
)
def alert_publish(request, payload: AlertIn):
    require_scope(request, "alerts:write", "alerts.publish")
    return Status(201, services.alert_publish(by=request.user, data=payload.model_dump()))


@router.get("/stream-ticket", response=TicketOut, summary="A signed ticket for the event stream (for clients without a session)")
def alert_stream_ticket(request):
    require_scope(request, "alerts:read", "alerts.view")
    ticket = signing.dumps({"u": request.user.pk}, salt=TICKET_SALT, compress=True)
    return {"ticket": ticket, "stream_url": f"/api/v1/alerts/stream?ticket={ticket}"}


def _ticket_user(ticket: str) -> User:
    try:
        data = signing.loads(ticket, salt=TICKET_SALT, max_age=TICKET_MAX_AGE)
    except signing.BadSignature:
        raise PermissionDenied("The stream ticket is invalid or expired.") from None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or not access.can(user, "alerts.view"):
        raise PermissionDenied("This account may not receive alerts.")
    return user


@router.get(
    "/stream",
    auth=None,
    throttle=[],
    summary="Server-sent events (text/event-stream) with a stream ticket; honours Last-Event-ID",
    openapi_extra={"responses": {200: {"description": "An endless text/event-stream", "content": {"text/event-stream": {}}}}},
)
async def alert_stream(request, ticket: str):
    viewer = await sync_to_async(lambda: realtime.Viewer.of(_ticket_user(ticket)), thread_sensitive=False)()
    return views.sse_response(viewer, request)


@router.get(
    "/feed/{token}.xml",
    auth=None,
    summary="An office's CAP feed (Atom) by its secret token",
    openapi_extra={"responses": {200: {"description": "Atom"}}},
)
def alert_feed(request, token: str):
    feed = get_object_or_404(OfficeFeed.objects.select_related("station", "unit"), token=token)
    return HttpResponse(cap.office_feed(feed), content_type="application/atom+xml; charset=utf-8")


@router.post(
    "/import",
    response={201: AlertOut, 403: dict, 422: dict},
    summary="Publish, update or cancel from a CAP 1.2 XML document (the request body); every problem is reported",
    openapi_extra={"requestBody": {"content": {"application/cap+xml": {"schema": {"type": "string"}}}, "required": True}},
)
def alert_import(request):
    require_scope(request, "alerts:write", "alerts.publish")
    try:
        return Status(201, cap.import_alert(by=request.user, xml=request.body))
    except cap.CapErrors as error:
        return Status(422, {"detail": "The CAP document is not valid.", "errors": error.problems})
    except PermissionDenied as error:
        return _refusal(error)


@router.get("/{alert_id}", response=AlertOut, summary="One alert (404 if it did not reach you)")
def alert_detail(request, alert_id: int):
    require_scope(request, "alerts:read", "alerts.view")
    return queries.get_alert_for_user(request.user, alert_id, shown_as="api")


@router.get(
    "/{alert_id}/cap.xml",
    summary="The alert's current version as OASIS CAP 1.2 XML",
    openapi_extra={"responses": {200: {"description": "CAP 1.2", "content": {"application/cap+xml": {}}}}},
)
def alert_cap(request, alert_id: int, version: int | None = None):
    require_scope(request, "alerts:read", "alerts.view")
    alert = queries.get_alert_for_user(request.user, alert_id, shown_as="cap")
    found = get_object_or_404(alert.versions, number=version or alert.version)
    return HttpResponse(cap.to_xml(found), content_type="application/cap+xml; charset=utf-8")


@router.post(
    "/{alert_id}/update", response={200: AlertOut, 403: dict, 422: dict}, summary="Publish a new version (the publishing office or the NCB)"
)
def alert_update(request, alert_id: int, payload: AlertUpdateIn):
    require_scope(request, "alerts:write", "alerts.publish")
    alert = queries.get_alert_for_user(request.user, alert_id)
    data = payload.model_dump(exclude_unset=True)
    note = data.pop("note", "")
    try:
        return services.alert_update(alert=alert, by=request.user, data=data, note=note)
    except PermissionDenied as error:
        return _refusal(error)


@router.post("/{alert_id}/cancel", response={200: AlertOut, 403: dict}, summary="Cancel the alert (the publishing office or the NCB)")
def alert_cancel(request, alert_id: int, payload: CancelIn):
    require_scope(request, "alerts:write", "alerts.publish")
    alert = queries.get_alert_for_user(request.user, alert_id)
    try:
        return services.alert_cancel(alert=alert, by=request.user, note=payload.note)
    except PermissionDenied as error:
        return _refusal(error)


@router.post(
    "/{alert_id}/acknowledge", response={200: DeliveryOut, 403: dict}, summary="Acknowledge receipt for your office, with the action taken"
)
def alert_acknowledge(request, alert_id: int, payload: AcknowledgeIn):
    require_scope(request, "alerts:write", "alerts.view")
    alert = queries.get_alert_for_user(request.user, alert_id)
    delivery = queries.my_delivery(alert, request.user)
    if delivery is None:
        raise Http404
    try:
        if delivery.acknowledged_at is not None and payload.action_taken:
            return services.delivery_report_action(delivery=delivery, by=request.user, action_taken=payload.action_taken)
        return services.delivery_acknowledge(delivery=delivery, by=request.user, action_taken=payload.action_taken)
    except PermissionDenied as error:
        return _refusal(error)


@router.get("/{alert_id}/acknowledgements", response=list[DeliveryOut], summary="Who acknowledged the current version, and when")
def alert_acknowledgements(request, alert_id: int):
    require_scope(request, "alerts:read", "alerts.view")
    alert = queries.get_alert_for_user(request.user, alert_id)
    return list(queries.acknowledgements(alert, request.user))

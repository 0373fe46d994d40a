"""JSON API of the citizen module: a citizen's own requests (session), and the station's (bearer token or session)."""

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from accounts import access
from accounts.apiauth import require_scope
from citizen import catalogue, queries, services
from citizen.models import CitizenRequest
from records.api import FirRegisterIn
from workflow import services as workflow

router = Router(tags=["citizen"])


class ServiceOut(Schema):
    code: str
    name: str
    group: str
    deadline_days: int
    working_days: bool
    output: str


class RequestOut(Schema):
    reference: str
    service: str
    stage: str
    stage_label: str = Field(alias="get_stage_display")
    station: str = Field(alias="station.name")
    level: str = Field(description="Who handles it: station, district (its SP office) or ilo (the state police's ILOs).")
    handled_by: str = Field(alias="office_label")
    due_at: datetime | None
    created_at: datetime
    fir_number: str
    version: int


class CitizenStepIn(Schema):
    note: str = ""
    fir: FirRegisterIn | None = Field(None, description="For register_fir: the FIR, as POST /records/firs takes it.")
    version: int | None = None


def _citizen(request):
    """Only citizens have requests of their own."""
    access.require(request.user, "citizen.request")


@router.get("/services", response=list[ServiceOut], auth=None, summary="The service catalogue")
def service_list(request):
    return [
        ServiceOut(
            code=s.code, name=str(s.name), group=s.group, deadline_days=s.deadline.days, working_days=s.deadline.working, output=s.output
        )
        for s in catalogue.SERVICES
    ]


@router.get("/requests", response=list[RequestOut], summary="Your own requests (citizens, signed-in session)")
def my_request_list(request):
    _citizen(request)
    return queries.requests_for_user(request.user)


@router.get("/requests/{reference}", response=RequestOut, summary="One of your own requests")
def my_request_detail(request, reference: str):
    _citizen(request)
    return queries.get_own_request(request.user, reference)


@router.get("/station/requests", response=list[RequestOut], summary="Open citizen requests handled by your office")
def station_request_list(request, stage: str = ""):
    require_scope(request, "citizen:read", "citizen.handle")
    requests = queries.requests_for_user(request.user)
    return requests.filter(stage=stage) if stage else requests.filter(stage__in=CitizenRequest.OPEN_STAGES)


@router.get("/station/requests/{reference}", response=RequestOut, summary="A citizen request handled by your office")
def station_request_detail(request, reference: str):
    require_scope(request, "citizen:read", "citizen.handle")
    return queries.get_request_for_user(request.user, reference, shown_as="api")


@router.post(
    "/station/requests/{reference}/steps/{step}",
    response={200: RequestOut, 400: dict, 409: dict},
    summary="Take a step: accept, register_fir, ask_info, issue, close or reject",
)
def station_request_step(request, reference: str, step: str, payload: CitizenStepIn):
    require_scope(request, "citizen:write", "citizen.handle")
    obj = queries.get_request_for_user(request.user, reference, shown_as="api")
    kwargs = {"request": obj, "by": request.user}
    try:
        if step == "register_fir":
            if payload.fir is None:
                return Status(
                    400, {"detail": _("Give the FIR to register (the 'fir' object)."), "errors": {"fir": [_("This field is required.")]}}
                )
            services.request_register_fir(**kwargs, registration=payload.fir.service_kwargs(), note=payload.note)
        elif step == "issue":
            services.request_issue(**kwargs, note=payload.note, expected_version=payload.version)
        elif step in ("accept", "ask_info", "close", "reject"):
            service = {
                "accept": services.request_accept,
                "ask_info": services.request_ask_info,
                "close": services.request_close,
                "reject": services.request_reject,
            }[step]
            service(**kwargs, note=payload.note, expected_version=payload.version)
        else:
            return Status(400, {"detail": "Unknown step."})
    except workflow.Conflict as error:
        return Status(409, {"detail": str(error)})
    except workflow.WorkflowError as error:
        return Status(400, {"detail": str(error)})
    obj.refresh_from_db()
    return obj

"""The station's pages under /station/ (behind the full police sign-in): inbox, request, steps, documents."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.forms import add_service_errors
from citizen import queries, services
from citizen.forms import AssignForm, RevokeForm, StepForm
from citizen.models import CitizenRequest, Feedback, IssuedDocument
from records import queries as records_queries
from records.forms import FirRegistration
from workflow import services as workflow

STEP_LABELS = {
    "accept": _("Accept and start work"),
    "register_fir": _("Register the FIR"),
    "ask_info": _("Ask the citizen for more information"),
    "issue": _("Issue the document"),
    "close": _("Close with the outcome"),
    "reject": _("Reject, with reasons"),
}


def require_handler(user) -> None:
    """Station officers handle their station's requests; district officers those sent up to their district; ILOs those
    routed above the districts of their state."""
    access.require(user, "citizen.handle")


def officers_for(obj: CitizenRequest):
    """The officers it may be assigned to: those of the office handling it."""
    return obj.handling_office().members()


def steps_for(obj: CitizenRequest, user) -> list[str]:
    """The steps the user may take now: none on a request they only follow (a district officer's view of its stations)."""
    if not CitizenRequest.objects.handled_by(user).filter(pk=obj.pk).exists():
        return []
    steps = []
    for action in obj.legal_actions():
        if not obj.FLOW[(obj.stage, action)].allows(user):
            continue
        if action == "register_fir" and not obj.definition.fir_capable:
            continue
        if action == "issue" and not obj.definition.issues_document:
            continue
        steps.append(action)
    return steps


def inbox(request):
    require_handler(request.user)
    overdue_only = request.GET.get("overdue") == "1"
    q = request.GET.get("q", "").strip()
    tasks = list(workflow.inbox_for(request.user, kind="citizen.", overdue_only=overdue_only, q=q))
    # A district officer also follows what waits at the stations of the district (the stations act on it).
    at_stations = list(workflow.station_tasks_for(request.user, kind="citizen.", overdue_only=overdue_only, q=q)[:200])
    waiting = CitizenRequest.objects.handled_by(request.user).filter(stage=CitizenRequest.Stage.MORE_INFO)
    context = {"tasks": tasks, "at_stations": at_stations, "waiting": waiting, "overdue_only": overdue_only, "q": q}
    context["registers_here"] = records_queries.registers_at_a_station(request.user)
    return render(request, "citizen/station/inbox.html", context)


def detail(request, reference: str):
    require_handler(request.user)
    return _detail(request, queries.get_request_for_user(request.user, reference))


def _detail(request, obj: CitizenRequest, *, step_form=None, error: str = "", status: int = 200):
    """The request's page, for a request already fetched (and its read audited) by the view answering."""
    if error or step_form is not None:
        obj.refresh_from_db()  # a refused step changed nothing here, but someone else may have
    context = {
        "obj": obj,
        "history": workflow.history(obj),
        "messages_list": obj.messages.select_related("author", "attachment"),
        "feedback": Feedback.objects.filter(request=obj).first(),
        "attachments": services.attachments_of(obj),
        "documents": obj.documents.all(),
        "steps": [(s, STEP_LABELS[s]) for s in steps_for(obj, request.user)],
        "step_form": step_form or StepForm(initial={"version": obj.version}),
        "assign_form": AssignForm(officers=officers_for(obj), initial={"officer": obj.assigned_to_id}),
        "revoke_form": RevokeForm(),
        "error": error,
    }
    return render(request, "citizen/station/detail.html", context, status=status)


@require_POST
def act(request, reference: str, step: str):
    require_handler(request.user)
    obj = queries.get_request_for_user(request.user, reference)
    form = StepForm(request.POST)
    if step not in STEP_LABELS or not form.is_valid():
        return _detail(request, obj, step_form=form, error=_("That step is not possible."), status=400)
    data = form.cleaned_data
    note, version = data.get("note", ""), data.get("version")
    try:
        if step == "accept":
            services.request_accept(request=obj, by=request.user, note=note, expected_version=version)
        elif step == "register_fir":  # the FIR has a form of its own
            return redirect("citizen_station:register_fir", reference=reference)
        elif step == "ask_info":
            services.request_ask_info(request=obj, by=request.user, note=note, expected_version=version)
        elif step == "issue":
            services.request_issue(request=obj, by=request.user, note=note, expected_version=version)
        elif step == "close":
            services.request_close(request=obj, by=request.user, note=note, expected_version=version)
        elif step == "reject":
            services.request_reject(request=obj, by=request.user, note=note, expected_version=version)
    except workflow.WorkflowError as error:
        return _detail(request, obj, step_form=form, error=str(error), status=409 if isinstance(error, workflow.Conflict) else 400)
    except ValidationError as error:
        add_service_errors(form, error)
        return _detail(request, obj, step_form=form, status=400)
    except PermissionDenied:
        raise
    messages.success(request, _("Done: %(step)s. The citizen was told by e-mail.") % {"step": STEP_LABELS[step]})
    return redirect("citizen_station:detail", reference=reference)


@require_POST
def assign(request, reference: str):
    require_handler(request.user)
    obj = queries.get_request_for_user(request.user, reference)
    form = AssignForm(request.POST, officers=officers_for(obj))
    if form.is_valid():
        services.request_assign(request=obj, by=request.user, officer=form.cleaned_data["officer"])
        messages.success(request, _("Assigned."))
        return redirect("citizen_station:detail", reference=reference)
    return _detail(request, obj, error=_("Choose an officer of this office."), status=400)


@require_POST
def revoke(request, reference: str, code: str):
    require_handler(request.user)
    obj = queries.get_request_for_user(request.user, reference)
    document = access.get_or_404(request.user, IssuedDocument.objects.filter(request=obj), code=code)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        return _detail(request, obj, error=_("Say why the document is revoked."), status=400)
    services.document_revoke(document=document, by=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("Revoked. The public check now says so."))
    return redirect("citizen_station:detail", reference=reference)


def attachment(request, reference: str, attachment_id: int):
    """A file the citizen uploaded (photo, identity proof, consent), for the station handling the request only."""
    require_handler(request.user)
    obj = queries.get_request_for_user(request.user, reference, shown_as="attachment", data={"attachment": attachment_id})
    upload = access.get_or_404(request.user, services.attachments_of(obj), pk=attachment_id)
    response = FileResponse(upload.file.open("rb"), content_type=upload.mime_type)
    response["Content-Disposition"] = f'inline; filename="{upload.original_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def register_fir(request, reference: str):
    """The FIR form, filled in from the request; registering it makes the FIR a record of the national records."""
    require_handler(request.user)
    obj = queries.get_request_for_user(request.user, reference)
    if "register_fir" not in steps_for(obj, request.user):
        return _detail(request, obj, error=_("An FIR cannot be registered from this request now."), status=400)
    if request.method == "POST":
        form = FirRegistration(request.POST)
        if form.is_valid():
            try:
                services.request_register_fir(request=obj, by=request.user, registration=form.service_kwargs())
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    _("FIR %(number)s is registered and in the national records. The citizen was told.") % {"number": obj.fir_number},
                )
                return redirect("citizen_station:detail", reference=reference)
    else:
        prefill = services.registration_initial(obj)
        form = FirRegistration(initial=prefill["initial"], sections=prefill["sections"], vehicles=prefill["vehicles"])
    context = {"form": form, "station": obj.station, "from_request": obj}
    return render(request, "records/fir_register.html", context, status=400 if request.method == "POST" else 200)

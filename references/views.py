"""Pages of the Interpol References module."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.forms import add_service_errors
from accounts.offices import Office
from audit import queries as audit_queries
from references import queries, services
from references.forms import ReferenceForm, ReplyForm, StepForm
from references.models import ReferenceRequest
from references.pdf import render_pdf
from workflow import services as workflow
from workflow import transmission

STEP_SERVICES = {
    "submit": services.reference_submit,
    "return": services.reference_return,
    "forward": services.reference_forward,
    "refuse": services.reference_refuse,
    "approve": services.reference_approve,
    "close": services.reference_close,
    "withdraw": services.reference_withdraw,
}
STEP_LABELS = {
    "submit": _("Submit to the ILO"),
    "return": _("Return with comments"),
    "forward": _("Forward to the NCB"),
    "refuse": _("Refuse"),
    "approve": _("Approve and send abroad"),
    "close": _("Close with an outcome"),
    "withdraw": _("Withdraw"),
}


def steps_for(ref: ReferenceRequest, user) -> list[str]:
    steps = []
    for action in ref.legal_actions():
        if action == "record_reply" or not ref.FLOW[(ref.stage, action)].allows(user):
            continue
        if action in ("submit", "withdraw") and not workflow.is_drafter(user, ref):
            continue
        steps.append(action)
    return steps


def reference_list(request):
    access.require(request.user, "references.view")
    stage, q = request.GET.get("stage", ""), request.GET.get("q", "").strip()
    page = Paginator(queries.references_for_user(request.user, stage=stage, q=q), 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "stage": stage,
        "q": q,
        "stages": ReferenceRequest.Stage.choices,
        "can_draft": services.may_draft(request.user),
    }
    return render(request, "references/list.html", context)


def reference_form(request, pk: int | None = None):
    ref = queries.get_reference_for_user(request.user, pk) if pk else None
    if not services.may_draft(request.user) or (ref and (not ref.is_editable or not workflow.is_drafter(request.user, ref))):
        raise PermissionDenied
    form = ReferenceForm(request.POST if request.method == "POST" else None, instance=ref)
    if request.method == "POST" and form.is_valid():
        data, countries = form.service_data()
        try:
            if ref is None:
                ref = services.reference_draft_create(by=request.user, data=data, countries=countries)
            else:
                services.reference_draft_update(
                    request=ref,
                    by=request.user,
                    data=data,
                    countries=countries,
                    expected_version=int(request.POST.get("version", ref.version)),
                )
        except workflow.WorkflowError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Draft %(reference)s saved.") % {"reference": ref.reference})
            return redirect(ref.get_absolute_url())
    return render(request, "references/form.html", {"form": form, "ref": ref}, status=400 if form.errors else 200)


def reference_detail(request, pk: int):
    return _detail(request, queries.get_reference_for_user(request.user, pk))


def _detail(request, ref: ReferenceRequest, *, error: str = "", problems=None, reply_form=None, status: int = 200):
    """The reference's page, for a reference already fetched (and its read audited) by the view answering."""
    if error or reply_form is not None:
        ref.refresh_from_db()  # a refused step changed nothing here, but someone else may have
    can_reply = services.acts_for_the_ncb(request.user) and ref.stage in (ref.Stage.SENT, ref.Stage.REPLIED)
    context = {
        "ref": ref,
        "history": workflow.history(ref),
        "replies": ref.replies.select_related("country", "recorded_by"),
        "steps": [(step, STEP_LABELS[step]) for step in steps_for(ref, request.user)],
        "step_form": StepForm(initial={"version": ref.version}),
        "reply_form": reply_form or (ReplyForm(request=ref) if can_reply else None),
        "problems": problems if problems is not None else (services.reference_problems(ref) if ref.is_editable else {}),
        "can_edit": ref.is_editable and workflow.is_drafter(request.user, ref),
        "outbound": transmission.messages_for(ref),
        "reads": audit_queries.reads_for_owner(request.user, ref, owner=Office.agency(ref.agency_id)),
        "error": error,
    }
    return render(request, "references/detail.html", context, status=status)


@require_POST
def reference_act(request, pk: int, step: str):
    ref = queries.get_reference_for_user(request.user, pk)
    form = StepForm(request.POST)
    service = STEP_SERVICES.get(step)
    if service is None or not form.is_valid():
        return _detail(request, ref, error=_("That step is not possible here."), status=400)
    kwargs = {"request": ref, "by": request.user, "expected_version": form.cleaned_data["version"]}
    if step != "submit":
        kwargs["note"] = form.cleaned_data["note"]
    if step == "close":
        kwargs["outcome"] = form.cleaned_data["outcome"]
    try:
        service(**kwargs)
    except workflow.Conflict as conflict:
        return _detail(request, ref, error=str(conflict), status=409)
    except (workflow.IllegalMove, PermissionDenied) as refused:
        return _detail(request, ref, error=str(refused) or _("Your role cannot take this step."), status=workflow.refused_status(refused))
    except ValidationError as invalid:
        problems = invalid.message_dict if hasattr(invalid, "error_dict") else {"__all__": invalid.messages}
        return _detail(request, ref, error=_("The request is not complete yet."), problems=problems, status=400)
    ref.refresh_from_db()
    messages.success(request, _("Done: %(reference)s is now %(stage)s.") % {"reference": ref.reference, "stage": ref.get_stage_display()})
    return redirect(ref.get_absolute_url())


def reference_pdf(request, pk: int):
    ref = queries.get_reference_for_user(request.user, pk, shown_as="pdf")
    response = HttpResponse(render_pdf(ref, history=list(workflow.history(ref))), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{ref.reference.replace("/", "-")}.pdf"'
    return response


@require_POST
def reference_reply(request, pk: int):
    ref = queries.get_reference_for_user(request.user, pk)
    form = ReplyForm(request.POST, request=ref)
    if form.is_valid():
        try:
            services.reference_reply_record(request=ref, by=request.user, **form.cleaned_data)
        except (workflow.WorkflowError, PermissionDenied) as error:
            return _detail(request, ref, error=str(error), status=403)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Reply recorded; the requesting officer is told."))
            return redirect(ref.get_absolute_url())
    return _detail(request, ref, reply_form=form, status=400)

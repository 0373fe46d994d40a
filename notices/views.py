"""Pages of the Interpol Notices module: list, draft, review, answer, PDF and INTERPOL JSON."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.forms import add_service_errors
from accounts.offices import Office
from audit import queries as audit_queries
from notices import queries, services
from notices.forms import ActionForm, AnswerForm, AttachmentForm, KindForm, NoticeForm
from notices.interpol import to_interpol_json
from notices.kinds import KIND_FACTS
from notices.models import NoticeKind, NoticeRequest
from notices.pdf import render_pdf
from workflow import services as workflow
from workflow import transmission
from workflow.models import Attachment

# The steps a page offers, and the service behind each.
STEP_SERVICES = {
    "submit": services.notice_submit,
    "return": services.notice_return,
    "forward": services.notice_forward,
    "refuse": services.notice_refuse,
    "approve": services.notice_approve,
    "withdraw": services.notice_withdraw,
    "answer": services.notice_record_answer,
}
STEP_LABELS = {
    "submit": _("Submit to the ILO"),
    "return": _("Return with comments"),
    "forward": _("Forward to the NCB"),
    "refuse": _("Refuse"),
    "approve": _("Approve and transmit to INTERPOL"),
    "withdraw": _("Withdraw"),
    "answer": _("Record INTERPOL's answer"),
}


def steps_for(request: NoticeRequest, user) -> list[str]:
    """The steps this user may take on this request now (the service checks again when they do)."""
    steps = []
    for action in request.legal_actions():
        move = request.FLOW[(request.stage, action)]
        if not move.allows(user):
            continue
        if action == "submit" or (action == "withdraw" and request.stage == request.Stage.DRAFT):
            if not workflow.is_drafter(user, request):
                continue
        if action.startswith("record_"):
            action = "answer"
        if action not in steps:
            steps.append(action)
    return steps


def notice_list(request):
    access.require(request.user, "notices.view")
    stage, kind, q = request.GET.get("stage", ""), request.GET.get("kind", ""), request.GET.get("q", "").strip()
    notices = queries.notices_for_user(request.user, stage=stage, kind=kind, q=q)
    page = Paginator(notices, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "stage": stage,
        "kind": kind,
        "q": q,
        "stages": NoticeRequest.Stage.choices,
        "kinds": NoticeKind.choices,
        "can_draft": services.may_draft(request.user),
    }
    return render(request, "notices/list.html", context)


def notice_create(request):
    if not services.may_draft(request.user):
        raise PermissionDenied
    kind = request.GET.get("kind") or request.POST.get("kind")
    if kind not in NoticeKind.values:
        return render(request, "notices/choose_kind.html", {"form": KindForm()})
    form = NoticeForm(request.POST if request.method == "POST" else None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.notice_draft_create(by=request.user, kind=kind, data=form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Draft %(reference)s saved. Add photos and documents, then submit it.") % {"reference": notice.reference}
            )
            return redirect(notice.get_absolute_url())
    return render(
        request, "notices/form.html", {"form": form, "kind": kind, "kind_label": NoticeKind(kind).label}, status=400 if form.errors else 200
    )


def notice_edit(request, pk: int):
    notice = queries.get_notice_for_user(request.user, pk)
    if not notice.is_editable or not workflow.is_drafter(request.user, notice):
        raise PermissionDenied
    form = NoticeForm(request.POST if request.method == "POST" else None, instance=notice, kind=notice.kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_draft_update(
                request=notice, by=request.user, data=form.service_data(), expected_version=int(request.POST.get("version", notice.version))
            )
        except workflow.WorkflowError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(notice.get_absolute_url())
    context = {"form": form, "kind": notice.kind, "kind_label": notice.get_kind_display(), "notice": notice}
    return render(request, "notices/form.html", context, status=400 if form.errors else 200)


def notice_detail(request, pk: int):
    return _detail(request, queries.get_notice_for_user(request.user, pk))


def _detail(request, notice: NoticeRequest, *, error: str = "", problems=None, status: int = 200):
    """The request's page, for a request already fetched (and its read audited) by the view answering."""
    if error:
        notice.refresh_from_db()  # a refused step changed nothing here, but someone else may have
    facts = [
        (fact.label, notice.facts.get(fact.key)) for fact in KIND_FACTS.get(notice.kind, ()) if notice.facts.get(fact.key) not in (None, "")
    ]
    context = {
        "notice": notice,
        "facts": facts,
        "history": workflow.history(notice),
        "attachments": services.attachments_of(notice),
        "steps": [(step, STEP_LABELS[step]) for step in steps_for(notice, request.user)],
        "can_edit": notice.is_editable and workflow.is_drafter(request.user, notice),
        "problems": problems if problems is not None else (services.notice_check(notice) if notice.is_editable else []),
        "action_form": ActionForm(initial={"version": notice.version}),
        "answer_form": AnswerForm(initial={"version": notice.version}),
        "attachment_form": AttachmentForm(),
        "outbound": transmission.messages_for(notice),
        "reads": audit_queries.reads_for_owner(request.user, notice, owner=Office.agency(notice.agency_id)),
        "error": error,
    }
    return render(request, "notices/detail.html", context, status=status)


@require_POST
def notice_act(request, pk: int, step: str):
    notice = queries.get_notice_for_user(request.user, pk)
    service = STEP_SERVICES.get(step)
    form = (AnswerForm if step == "answer" else ActionForm)(request.POST)
    if service is None or not form.is_valid():
        return _detail(request, notice, error=_("That step is not possible here."), status=400)
    kwargs = {"request": notice, "by": request.user, "expected_version": form.cleaned_data["version"]}
    if step != "submit":
        kwargs["note"] = form.cleaned_data["note"]
    if step == "answer":
        kwargs.update(answer=form.cleaned_data["answer"], notice_number=form.cleaned_data["notice_number"])
    try:
        service(**kwargs)
    except services.RequestInvalid as invalid:
        return _detail(
            request, notice, error=_("The request is not complete yet: see the problems listed."), problems=invalid.problems, status=400
        )
    except workflow.Conflict as conflict:
        return _detail(request, notice, error=str(conflict), status=409)
    except (workflow.IllegalMove, PermissionDenied) as refused:
        return _detail(
            request, notice, error=str(refused) or _("Your role cannot take this step."), status=workflow.refused_status(refused)
        )
    except ValidationError as invalid:
        return _detail(request, notice, error=" ".join(invalid.messages), status=400)
    notice.refresh_from_db()
    messages.success(
        request, _("Done: %(reference)s is now %(stage)s.") % {"reference": notice.reference, "stage": notice.get_stage_display()}
    )
    return redirect(notice.get_absolute_url())


@require_POST
def notice_attach(request, pk: int):
    notice = queries.get_notice_for_user(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, notice, error=" ".join(e for errors in form.errors.values() for e in errors), status=400)
    try:
        services.notice_attach(request=notice, by=request.user, upload=form.cleaned_data["file"], kind=form.cleaned_data["kind"])
    except (ValidationError, workflow.WorkflowError, PermissionDenied) as error:
        message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        return _detail(request, notice, error=message, status=400)
    messages.success(request, _("File attached."))
    return redirect(notice.get_absolute_url())


def attachment_download(request, pk: int, attachment_id: int):
    notice = queries.get_notice_for_user(request.user, pk, shown_as="attachment", data={"attachment": attachment_id})
    attachment = services.attachments_of(notice).filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.mime_type)
    disposition = "inline" if attachment.kind == Attachment.Kind.PHOTO else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{attachment.original_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def notice_pdf(request, pk: int):
    notice = queries.get_notice_for_user(request.user, pk, shown_as="pdf")
    response = HttpResponse(render_pdf(notice, history=list(workflow.history(notice))), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{notice.reference.replace("/", "-")}.pdf"'
    return response


def notice_interpol_json(request, pk: int):
    notice = queries.get_notice_for_user(request.user, pk, shown_as="json")
    response = JsonResponse(to_interpol_json(notice), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{notice.reference.replace("/", "-")}.json"'
    return response

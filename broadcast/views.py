"""Pages of the Broadcast module."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.forms import add_service_errors
from broadcast import queries, services
from broadcast.forms import CloseForm, DisseminateForm, ImportForm, PassOnForm, RegisterForm, ReplyForm, ReportForm
from broadcast.models import BroadcastItem
from workflow import services as workflow


def broadcast_list(request):
    access.require(request.user, "broadcast.view")
    stage, q = request.GET.get("stage", ""), request.GET.get("q", "").strip()
    page = Paginator(queries.broadcasts_for_user(request.user, stage=stage, q=q), 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "stage": stage,
        "q": q,
        "stages": BroadcastItem.Stage.choices,
        "can_register": access.can(request.user, "broadcast.manage"),
    }
    return render(request, "broadcast/list.html", context)


def broadcast_register(request):
    access.require(request.user, "broadcast.manage")
    form = RegisterForm(request.POST if request.method == "POST" else None)
    import_form = ImportForm(request.POST if request.method == "POST" and "payload" in request.POST else None)
    if request.method == "POST" and "payload" in request.POST:
        if import_form.is_valid():
            try:
                item = services.broadcast_import(by=request.user, payload=json.loads(import_form.cleaned_data["payload"]))
            except json.JSONDecodeError as error:
                import_form.add_error(
                    "payload", _("This is not valid JSON (line %(line)s, column %(col)s).") % {"line": error.lineno, "col": error.colno}
                )
            except ValidationError as error:
                import_form.add_error("payload", [f"{k}: {' '.join(v)}" for k, v in error.message_dict.items()])
            else:
                return redirect(item.get_absolute_url())
        form = RegisterForm()
    elif request.method == "POST" and form.is_valid():
        try:
            item = services.broadcast_register(by=request.user, data=form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Registered as %(reference)s. Now disseminate it.") % {"reference": item.reference})
            return redirect(item.get_absolute_url())
    status = 400 if (form.errors or import_form.errors) else 200
    return render(request, "broadcast/register.html", {"form": form, "import_form": import_form}, status=status)


def broadcast_detail(request, pk: int):
    item, rows = queries.get_broadcast_page_for_user(request.user, pk)
    return _detail(request, item, rows=rows)


def _detail(request, item: BroadcastItem, *, rows=None, forms: dict | None = None, error: str = "", status: int = 200):
    """The item's page, for an item already fetched (and its read audited) by the view answering."""
    if error or forms:
        item.refresh_from_db()  # a refused step changed nothing here, but someone else may have
    is_ncb = services.acts_for_the_ncb(request.user)
    mine = list(queries.my_rows(item, request.user))
    forms = forms or {}
    context = {
        "item": item,
        "rows": queries.status_rows(item, request.user) if rows is None else rows,
        "mine": mine,
        "is_ncb": is_ncb,
        "history": workflow.history(item),
        "error": error,
        "disseminate_form": forms.get("disseminate")
        or (DisseminateForm() if is_ncb and item.stage in ("registered", "disseminated") else None),
        "pass_on_form": forms.get("pass_on")
        or (
            PassOnForm(agency_id=mine[0].agency_id)
            if mine and services.may_pass_on(mine[0], request.user) and not item.is_restricted
            else None
        ),
        "report_form": forms.get("report") or ReportForm(),
        "reply_form": forms.get("reply")
        or (
            ReplyForm(initial={"text": services.broadcast_reply_draft(item), "version": item.version})
            if is_ncb and item.stage == "disseminated"
            else None
        ),
        "close_form": CloseForm(initial={"version": item.version}) if is_ncb and item.stage != "closed" else None,
    }
    return render(request, "broadcast/detail.html", context, status=status)


def broadcast_status(request, pk: int):
    """The live status table alone, polled by the page (audited only when it changed since the user last saw it)."""
    item, rows = queries.poll_status_for_user(request.user, pk)
    return render(request, "broadcast/_status.html", {"item": item, "rows": rows})


def _run(request, item: BroadcastItem, action):
    try:
        action()
    except (workflow.WorkflowError, PermissionDenied) as error:
        return _detail(request, item, error=str(error) or _("Your role cannot do this."), status=workflow.refused_status(error))
    except ValidationError as error:
        return _detail(request, item, error=" ".join(error.messages), status=400)
    messages.success(request, _("Done."))
    return redirect(item.get_absolute_url())


@require_POST
def broadcast_disseminate(request, pk: int):
    item = queries.get_broadcast_for_user(request.user, pk)
    form = DisseminateForm(request.POST)
    if not form.is_valid():
        return _detail(request, item, forms={"disseminate": form}, status=400)
    data = form.cleaned_data
    return _run(
        request,
        item,
        lambda: services.broadcast_disseminate(
            item=item, by=request.user, agencies=list(data["agencies"]), purpose=data["purpose"], due_at=data["due_at"], note=data["note"]
        ),
    )


@require_POST
def broadcast_pass_on(request, pk: int, row_id: int):
    row = queries.get_dissemination_for_user(request.user, pk, row_id)
    item = row.item
    form = PassOnForm(request.POST, agency_id=row.agency_id)
    if not form.is_valid():
        return _detail(request, item, forms={"pass_on": form}, status=400)
    data = form.cleaned_data
    return _run(
        request,
        item,
        lambda: services.dissemination_pass_on(
            row=row, by=request.user, units=list(data["units"]), purpose=data["purpose"], due_at=data["due_at"], note=data["note"]
        ),
    )


@require_POST
def broadcast_acknowledge(request, pk: int, row_id: int):
    row = queries.get_dissemination_for_user(request.user, pk, row_id)
    item = row.item
    return _run(request, item, lambda: services.dissemination_acknowledge(row=row, by=request.user))


@require_POST
def broadcast_report(request, pk: int, row_id: int):
    row = queries.get_dissemination_for_user(request.user, pk, row_id)
    item = row.item
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, item, forms={"report": form}, status=400)
    return _run(
        request,
        item,
        lambda: services.dissemination_report(
            row=row, by=request.user, findings=form.cleaned_data["findings"], upload=form.cleaned_data["file"]
        ),
    )


@require_POST
def broadcast_reply(request, pk: int):
    item = queries.get_broadcast_for_user(request.user, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _detail(request, item, forms={"reply": form}, status=400)
    return _run(
        request,
        item,
        lambda: services.broadcast_reply_send(
            item=item, by=request.user, text=form.cleaned_data["text"], expected_version=form.cleaned_data["version"]
        ),
    )


@require_POST
def broadcast_close(request, pk: int):
    item = queries.get_broadcast_for_user(request.user, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _detail(request, item, error=_("Say why the item is closed."), status=400)
    return _run(
        request,
        item,
        lambda: services.broadcast_close(
            item=item, by=request.user, note=form.cleaned_data["note"], expected_version=form.cleaned_data["version"]
        ),
    )

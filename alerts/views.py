"""Pages of the crime alerts module, and the server-sent events stream."""

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseForbidden, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.forms import add_service_errors
from alerts import cap, dashboard, queries, realtime, services
from alerts.forms import AcknowledgeForm, AlertForm, CancelForm, ImportForm, SubscriptionForm
from alerts.models import Alert, Category, OfficeFeed, Subscription


def alert_inbox(request):
    access.require(request.user, "alerts.view")
    status, q, category = request.GET.get("status", ""), request.GET.get("q", "").strip(), request.GET.get("category", "")
    page = Paginator(queries.inbox_for_user(request.user, status=status, q=q, category=category), 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "q": q,
        "category": category,
        "statuses": Alert.Status.choices,
        "categories": Category.choices,
        "can_publish": access.can(request.user, "alerts.publish"),
        "can_dashboard": access.can(request.user, "alerts.dashboard"),
    }
    return render(request, "alerts/inbox.html", context)


def _photos(form) -> dict | None:
    photo = form.cleaned_data.get("photo")
    return {0: [photo]} if photo else None


def alert_publish(request):
    access.require(request.user, "alerts.publish")
    form = AlertForm(request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            alert = services.alert_publish(by=request.user, data=form.service_data(), photos=_photos(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Published as %(reference)s.") % {"reference": alert.reference})
            return redirect(alert.get_absolute_url())
    return render(request, "alerts/publish.html", {"form": form, "import_form": ImportForm()}, status=400 if form.errors else 200)


def alert_detail(request, pk: int, *, error: str = "", status: int = 200, forms: dict | None = None):
    access.require(request.user, "alerts.view")
    alert = queries.get_alert_for_user(request.user, pk, shown_as="page" if request.method == "GET" else "")
    forms = forms or {}
    may_amend = services.may_amend(alert, request.user) and alert.status == Alert.Status.ACTIVE
    context = {
        "alert": alert,
        "mine": queries.my_delivery(alert, request.user),
        "summary": queries.acknowledgement_summary(alert),
        "acknowledgements": queries.acknowledgements(alert, request.user),
        "versions": alert.versions.select_related("sent_by").order_by("-number"),
        "ack_form": forms.get("ack") or AcknowledgeForm(),
        "update_form": forms.get("update") or (AlertForm(initial=AlertForm.initial_from(alert), updating=True) if may_amend else None),
        "cancel_form": forms.get("cancel") or (CancelForm() if may_amend else None),
        "error": error,
    }
    return render(request, "alerts/detail.html", context, status=status)


def _run(request, pk, action):
    try:
        action()
    except PermissionDenied as error:
        return alert_detail(request, pk, error=str(error) or _("Your role cannot do this."), status=403)
    except ValidationError as error:
        return alert_detail(request, pk, error=" ".join(error.messages), status=400)
    messages.success(request, _("Done."))
    return redirect("alerts:detail", pk=pk)


@require_POST
def alert_update(request, pk: int):
    access.require(request.user, "alerts.publish")
    alert = queries.get_alert_for_user(request.user, pk)
    form = AlertForm(request.POST, request.FILES, updating=True)
    if not form.is_valid():
        return alert_detail(request, pk, forms={"update": form}, status=400)
    try:
        services.alert_update(alert=alert, by=request.user, data=form.service_data(), note=form.cleaned_data["note"], photos=_photos(form))
    except PermissionDenied as error:
        return alert_detail(request, pk, error=str(error), status=403)
    except ValidationError as error:
        add_service_errors(form, error)
        return alert_detail(request, pk, forms={"update": form}, status=400)
    messages.success(request, _("Updated: the recipients were told."))
    return redirect("alerts:detail", pk=pk)


@require_POST
def alert_cancel(request, pk: int):
    alert = queries.get_alert_for_user(request.user, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return alert_detail(request, pk, forms={"cancel": form}, status=400)
    return _run(request, pk, lambda: services.alert_cancel(alert=alert, by=request.user, note=form.cleaned_data["note"]))


def _my_delivery_or_404(request, pk):
    alert = queries.get_alert_for_user(request.user, pk)
    delivery = queries.my_delivery(alert, request.user)
    if delivery is None:
        raise Http404
    return delivery


@require_POST
def alert_acknowledge(request, pk: int):
    delivery = _my_delivery_or_404(request, pk)
    form = AcknowledgeForm(request.POST)
    form.is_valid()
    action = form.cleaned_data.get("action_taken", "")
    if delivery.acknowledged_at is not None and action:
        return _run(request, pk, lambda: services.delivery_report_action(delivery=delivery, by=request.user, action_taken=action))
    return _run(request, pk, lambda: services.delivery_acknowledge(delivery=delivery, by=request.user, action_taken=action))


def alert_cap(request, pk: int, number: int | None = None):
    """The CAP 1.2 XML of the alert's current version (or of one version)."""
    access.require(request.user, "alerts.view")
    alert = queries.get_alert_for_user(request.user, pk, shown_as="cap")
    version = get_object_or_404(alert.versions, number=number or alert.version)
    return HttpResponse(cap.to_xml(version), content_type="application/cap+xml; charset=utf-8")


def alert_import(request):
    access.require(request.user, "alerts.publish")
    form = ImportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            alert = cap.import_alert(by=request.user, xml=form.cleaned_data["cap"])
        except cap.CapErrors as error:
            for problem in error.problems:
                form.add_error("cap", problem)
        except ValidationError as error:
            form.add_error(
                "cap", [f"{k}: {' '.join(v)}" for k, v in error.message_dict.items()] if hasattr(error, "error_dict") else error.messages
            )
        else:
            messages.success(request, _("Imported as %(reference)s.") % {"reference": alert.reference})
            return redirect(alert.get_absolute_url())
    return render(request, "alerts/publish.html", {"form": AlertForm(), "import_form": form}, status=400 if form.errors else 200)


def alert_subscribe(request):
    access.require(request.user, "alerts.view")
    office = services.subscriber_office(request.user)
    if office is None:
        raise PermissionDenied
    current = Subscription.objects.filter(**office).first()
    initial = {
        "categories": current.categories if current else [],
        "states": ", ".join(map(str, current.states)) if current else "",
        "districts": ", ".join(map(str, current.districts)) if current else "",
    }
    form = SubscriptionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            errors: dict = {}
            states = services._codes(form.cleaned_data["states"], "states", errors)
            districts = services._codes(form.cleaned_data["districts"], "districts", errors)
            if errors:
                raise ValidationError(errors)
            services.subscription_save(by=request.user, categories=form.cleaned_data["categories"], states=states, districts=districts)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Subscription saved."))
            return redirect("alerts:subscribe")
    feed, _created = OfficeFeed.objects.get_or_create(**office)
    return render(request, "alerts/subscribe.html", {"form": form, "feed": feed}, status=400 if form.errors else 200)


def alert_feed(request, token: str):
    """An office's CAP feed (Atom), for readers holding its secret address."""
    feed = get_object_or_404(OfficeFeed.objects.select_related("station", "unit"), token=token)
    return HttpResponse(cap.office_feed(feed), content_type="application/atom+xml; charset=utf-8")


def alert_dashboard(request):
    access.require(request.user, "alerts.dashboard")
    period = dashboard.Period.from_query(request.GET)
    report = dashboard.build(period)
    if request.GET.get("format") == "csv":
        response = HttpResponse(dashboard.to_csv(report), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="alerts-{period.start:%Y-%m}-{period.end:%Y-%m}.csv"'
        return response
    return render(request, "alerts/dashboard.html", {"report": report, "period": period, "chart": dashboard.svg_chart(report)})


async def alert_stream(request):
    """Server-sent events: alerts for the user's office as they are published (the page keeps it open)."""
    user = await request.auser()
    if not access.can(user, "alerts.view"):
        return HttpResponseForbidden()
    return sse_response(await sync_to_async(realtime.Viewer.of)(user), request)


def last_event_id(request) -> int | None:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("last_event_id")
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def sse_response(viewer: realtime.Viewer, request) -> StreamingHttpResponse:
    response = StreamingHttpResponse(realtime.event_stream(viewer, last_event_id(request)), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache, no-transform"
    response["X-Accel-Buffering"] = "no"  # no proxy buffering
    return response

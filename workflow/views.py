"""The inbox every office shares (what waits on it, by deadline) and the NCB's outbound queue."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from workflow import services, transmission
from workflow.models import OutboundMessage


def inbox(request):
    access.require(request.user, "workflow.inbox")
    kind, q, overdue = request.GET.get("kind", ""), request.GET.get("q", "").strip(), request.GET.get("overdue") == "1"
    tasks = services.inbox_for(request.user, kind=kind, q=q, overdue_only=overdue)
    page = Paginator(tasks, 25).get_page(request.GET.get("page"))
    kinds = [("notice", _("Notice requests")), ("reference", _("References"))]
    return render(request, "workflow/inbox.html", {"page": page, "kind": kind, "q": q, "overdue": overdue, "kinds": kinds})


def outbound(request):
    access.require(request.user, "transmission.operate")
    status = request.GET.get("status", OutboundMessage.Status.QUEUED)
    queue = OutboundMessage.objects.filter(status=status).select_related("created_by", "confirmed_by").order_by("created_at")
    page = Paginator(queue, 25).get_page(request.GET.get("page"))
    return render(request, "workflow/outbound.html", {"page": page, "status": status, "statuses": OutboundMessage.Status.choices})


@require_POST
def outbound_confirm(request, pk: int):
    access.require(request.user, "transmission.operate")
    message = get_object_or_404(OutboundMessage, pk=pk)
    if not transmission.is_authentic(message):
        messages.error(request, _("This message no longer matches its signature: do not transmit it; it has been reported."))
        return redirect("workflow:outbound")
    transmission.confirm_delivery(message=message, by=request.user, note=request.POST.get("note", ""))
    messages.success(request, _("Transmission of %(reference)s confirmed.") % {"reference": message.reference})
    return redirect("workflow:outbound")

"""The portal's frame: landing page, dashboards, health check and error pages."""

import math
import sys

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jobs import queries as jobs_queries
from openpol import dashboard as dashboard_figures
from openpol import database
from openpol.modules import modules_for


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html")


def dashboard(request):
    """The user's modules, each card with what waits there in numbers (`openpol.dashboard`)."""
    modules = modules_for(request.user)
    figures = dashboard_figures.figures_for(request.user, {module.key for module in modules})
    return render(request, "dashboard.html", {"cards": [(module, figures.get(module.key, [])) for module in modules]})


def healthz(request):
    """JSON for load balancers and operators: the database, on PostgreSQL this process's connection pool, and the
    background tasks waiting and failed."""
    body = database.status()
    healthy = body["database"] == "ok"
    if healthy:
        body["tasks"] = jobs_queries.health()  # the background work, for the operator (never a reason for a 503)
    return JsonResponse({"status": "ok" if healthy else "unavailable", **body}, status=200 if healthy else 503)


def rate_limited(request, exception=None, retry_after: int | None = None):
    """429 in the visitor's language, with Retry-After (openpol.limits knows when the window ends; a bare decorator does not)."""
    retry_after = retry_after or 60
    if retry_after <= 60:
        message = _("Too many requests from your connection. Wait a minute and try again.")
    else:
        minutes = math.ceil(retry_after / 60)
        message = ngettext(
            "Too many requests from your connection. Try again in %(minutes)d minute.",
            "Too many requests from your connection. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
    if request.path.startswith("/open311/"):  # GeoReport v2's error format
        response = JsonResponse([{"code": 429, "description": message}], status=429, safe=False)
    elif request.path.startswith("/api/") or request.headers.get("Accept", "").startswith("application/json"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "error.html", {"title": _("Slow down"), "message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def page_not_found(request, exception=None):
    return render(
        request, "error.html", {"title": _("Page not found"), "message": _("There is nothing here, or it is not yours to see.")}, status=404
    )


def bad_request(request, exception=None):
    """Django's answer to a request it cannot read (a broken upload, too many fields): JSON for the API."""
    from openpol.middleware import BAD_REQUEST, refusal

    return refusal(request, BAD_REQUEST)


def permission_denied(request, exception=None):
    return render(request, "error.html", {"title": _("Not allowed"), "message": _("Your role does not allow this.")}, status=403)


def server_error(request):
    """Django calls this inside its exception handler, so the exception at hand tells a busy database apart."""
    busy = database.busy_response(request, sys.exc_info()[1])
    if busy is not None:
        return busy
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Something went wrong on our side. The error is logged; try again.")}, status=500)
    return render(
        request,
        "error.html",
        {"title": _("Something went wrong"), "message": _("The error is logged. Nothing you sent was half-saved; try again.")},
        status=500,
    )

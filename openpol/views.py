"""The portal's frame: landing page, dashboards, health check and error pages."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from openpol.modules import modules_for


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html")


def dashboard(request):
    return render(request, "dashboard.html", {"modules": modules_for(request.user)})


@ratelimit(key="ip", rate=settings.PUBLIC_RATE, block=True)
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means "not healthy", reported as such
        database = f"error: {error.__class__.__name__}"
    healthy = database == "ok"
    body = {"status": "ok" if healthy else "unavailable", "database": database, "vendor": connection.vendor}
    return JsonResponse(body, status=200 if healthy else 503)


def rate_limited(request, exception=None):
    message = _("Too many requests from your connection. Wait a minute and try again.")
    if request.path.startswith("/api/") or request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "error.html", {"title": _("Slow down"), "message": message}, status=429)


def page_not_found(request, exception=None):
    return render(
        request, "error.html", {"title": _("Page not found"), "message": _("There is nothing here, or it is not yours to see.")}, status=404
    )


def permission_denied(request, exception=None):
    return render(request, "error.html", {"title": _("Not allowed"), "message": _("Your role does not allow this.")}, status=403)


def server_error(request):
    return render(
        request,
        "error.html",
        {"title": _("Something went wrong"), "message": _("The error is logged. Nothing you sent was half-saved; try again.")},
        status=500,
    )

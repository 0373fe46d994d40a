"""The versioned JSON API at /api/v1/, with its OpenAPI document at /api/v1/openapi.json and docs at /api/v1/docs."""

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, RequestDataTooBig, SuspiciousOperation, ValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestInvalid
from ninja.throttling import AuthRateThrottle

from accounts.api import router as accounts_router
from accounts.apiauth import BearerToken, VerifiedSession
from alerts.api import router as alerts_router
from audit.api import router as audit_router
from broadcast.api import router as broadcast_router
from citizen.api import router as citizen_router
from connect.api import router as connect_router
from directory.api import router as directory_router
from insights.api import router as insights_router
from notices.api import router as notices_router
from openpol import middleware
from openpol.apischema import OpenPolAPI, validation_errors
from openpol.limits import TooManyRequests
from openpol.views import rate_limited
from records.api import router as records_router
from references.api import router as references_router
from resources.api import router as resources_router
from workflow import services as workflow
from workflow.api import router as workflow_router

log = logging.getLogger(__name__)

api = OpenPolAPI(
    title="OpenPol API",
    version="1",
    description=(
        "The JSON API of OpenPol. Authenticate with a bearer token (`Authorization: Bearer opk_…`, made with "
        "`manage.py create_api_token USERNAME`) or a signed-in browser session. Objects outside your "
        'jurisdiction answer 404. Every error is JSON in one shape, the `Error` schema: `{"detail": "...", '
        '"errors": {"field": ["..."]}}`, in the language of `Accept-Language` (English or Hindi).'
    ),
    urls_namespace="api-v1",
    auth=[BearerToken(), VerifiedSession()],
    # Anonymous calls are limited per address by openpol.limits, like every public page; this limits each token or user.
    throttle=[AuthRateThrottle("1200/m")] if settings.RATELIMIT_ENABLE else [],
)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(
        request,
        {"detail": _("Not signed in, or the bearer token is unknown, expired or revoked.")},
        status=401,
    )


@api.exception_handler(TooManyRequests)
def too_many_requests(request, exc):
    return rate_limited(request, retry_after=exc.retry_after)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or _("Your role does not allow this.")}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": _("The request is not valid."), "errors": errors}, status=422)


@api.exception_handler(workflow.WorkflowError)
def workflow_refusal(request, exc):
    """A move the request's stage or the caller's role does not allow (403), someone else moved it first (409), or
    a step that must say why taken without a note (400, the problem on `note`), wherever it is raised."""
    body = {"detail": str(exc)}
    if isinstance(exc, workflow.NoteMissing):
        body["errors"] = {"note": [str(exc)]}
    return api.create_response(request, body, status=workflow.refused_status(exc))


@api.exception_handler(RequestInvalid)
def request_invalid(request, exc):
    """Ninja's validation of parameters and bodies, in the same shape as every other 422."""
    return api.create_response(request, {"detail": _("The request is not valid."), "errors": validation_errors(exc.errors)}, status=422)


@api.exception_handler(HttpError)
def http_error(request, exc):
    """Ninja's own refusals: a body it cannot read (400, with the reason when it is bad input), throttling (429)."""
    if isinstance(exc.__cause__, middleware.BadInput):
        message = str(exc.__cause__.message)
    elif exc.status_code == 400:
        message = _("The request body is not valid JSON.")
    elif exc.status_code == 429:
        message = _("Too many requests. Wait a minute and try again.")
    elif exc.status_code == 403 and "CSRF" in str(exc):
        message = _("The CSRF check failed: a signed-in session must send the X-CSRFToken header.")
    elif exc.status_code == 403:
        message = _("Your role does not allow this.") if str(exc) == "Forbidden" else str(exc)
    else:
        message = str(exc)
    response = api.create_response(request, {"detail": message}, status=exc.status_code)
    if getattr(exc, "wait", None):
        response["Retry-After"] = str(int(exc.wait))
    return response


@api.exception_handler(middleware.BadInput)
def bad_input(request, exc):
    return api.create_response(request, {"detail": str(exc.message)}, status=exc.status)


@api.exception_handler(RequestDataTooBig)
def too_large(request, exc):
    return api.create_response(request, {"detail": str(middleware.TOO_LARGE)}, status=413)


@api.exception_handler(MultiPartParserError)
@api.exception_handler(SuspiciousOperation)
@api.exception_handler(BadRequest)
def unreadable(request, exc):
    message = middleware.BAD_MULTIPART if isinstance(exc, MultiPartParserError) else middleware.BAD_FORM
    return api.create_response(request, {"detail": str(message)}, status=400)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def out_of_range(request, exc):
    """A number too large, a text too long or an impossible time zone that only the database noticed: nothing was
    written (services are atomic; the failing statement wrote nothing)."""
    log.warning("Refused out-of-range input to %s: %s", request.path, exc)
    message = str(middleware.OUT_OF_RANGE)
    return api.create_response(request, {"detail": message, "errors": {"__all__": [message]}}, status=422)


@api.exception_handler(IntegrityError)
def conflict(request, exc):
    """Two requests racing to record the same thing: the second one is told, and nothing of it was written."""
    log.warning("Integrity conflict on %s: %s", request.path, exc)
    return api.create_response(request, {"detail": _("This conflicts with something already recorded. Reload and try again.")}, status=409)


api.add_router("/directory/", directory_router)
api.add_router("/accounts/", accounts_router)
api.add_router("/audit/", audit_router)
api.add_router("/notices/", notices_router)
api.add_router("/references/", references_router)
api.add_router("/workflow/", workflow_router)
api.add_router("/broadcasts/", broadcast_router)
api.add_router("/connect/", connect_router)
api.add_router("/resources/", resources_router)
api.add_router("/alerts/", alerts_router)
api.add_router("/records/", records_router)
api.add_router("/citizen/", citizen_router)
api.add_router("/insights/", insights_router)

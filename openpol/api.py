"""The versioned JSON API at /api/v1/, with its OpenAPI document at /api/v1/openapi.json and docs at /api/v1/docs."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from accounts.api import router as accounts_router
from accounts.apiauth import BearerToken, VerifiedSession
from alerts.api import router as alerts_router
from audit.api import router as audit_router
from broadcast.api import router as broadcast_router
from citizen.api import router as citizen_router
from connect.api import router as connect_router
from directory.api import router as directory_router
from notices.api import inbox_router
from notices.api import router as notices_router
from records.api import router as records_router
from references.api import router as references_router
from resources.api import router as resources_router

api = NinjaAPI(
    title="OpenPol API",
    version="1",
    description=(
        "The JSON API of OpenPol. Authenticate with a bearer token (`Authorization: Bearer opk_…`, made with "
        "`manage.py create_api_token USERNAME`) or a signed-in browser session. Objects outside your "
        'jurisdiction answer 404. Errors are JSON: `{"detail": ...}`.'
    ),
    urls_namespace="api-v1",
    auth=[BearerToken(), VerifiedSession()],
    throttle=[AnonRateThrottle(settings.PUBLIC_RATE), AuthRateThrottle("1200/m")] if settings.RATELIMIT_ENABLE else [],
)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(
        request,
        {"detail": "Not signed in, or the bearer token is unknown, expired or revoked."},
        status=401,
    )


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Your role does not allow this."}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": "The request is not valid.", "errors": errors}, status=422)


api.add_router("/directory/", directory_router)
api.add_router("/accounts/", accounts_router)
api.add_router("/audit/", audit_router)
api.add_router("/notices/", notices_router)
api.add_router("/references/", references_router)
api.add_router("/workflow/", inbox_router)
api.add_router("/broadcasts/", broadcast_router)
api.add_router("/connect/", connect_router)
api.add_router("/resources/", resources_router)
api.add_router("/alerts/", alerts_router)
api.add_router("/records/", records_router)
api.add_router("/citizen/", citizen_router)

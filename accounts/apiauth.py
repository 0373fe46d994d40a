"""How a JSON API call proves who it is: a bearer token, or a fully signed-in browser session."""

from django.core.exceptions import PermissionDenied
from ninja.security import HttpBearer, SessionAuth

from accounts import access, services
from accounts.models import ApiToken
from accounts.signin import is_verified
from openpol import limits


class BearerToken(HttpBearer):
    """`Authorization: Bearer opk_…`: a scoped, expiring, revocable token of one user."""

    openapi_description = "A token made with `manage.py create_api_token USERNAME`, sent as `Authorization: Bearer opk_…`."

    def authenticate(self, request, token: str):
        request.api_token = None  # the token is judged here, and limited here: openpol.limits counts it no more
        # Raises openpol.limits.TooManyRequests (429) once this address sent too many bad tokens.
        api_token = services.api_token_authenticate(token, address=limits.client_address(request))
        if api_token is None:
            return None
        request.user = api_token.user
        request.api_token = api_token
        return api_token


class VerifiedSession(SessionAuth):
    """The browser's session, once the officer passed the second factor (CSRF-checked)."""

    def authenticate(self, request, key):
        user = request.user
        if not user.is_authenticated or not user.is_active:
            return None
        if user.is_police and not is_verified(user):
            return None
        request.api_token = None
        return user


def require_scope(request, scope: str, capability: str) -> None:
    """Refuse (403) unless the role has the capability and, for a token, the token carries the scope."""
    access.require(request.user, capability)
    token: ApiToken | None = getattr(request, "api_token", None)
    if token is not None and scope not in token.scopes:
        raise PermissionDenied(f"This token lacks the scope '{scope}'.")

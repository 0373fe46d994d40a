"""Default deny: every page needs a complete sign-in, except the few public ones."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from accounts.signin import next_sign_in_step
from audit import services as audit

# Public pages; the JSON API authenticates each call itself (see openpol.api).
# /services/ is the citizen portal (its views check sign-in themselves); /open311/ authenticates each call.
# /alerts/feed/ is authenticated by the office's feed token in its URL.
PUBLIC_PREFIXES = (
    "/static/",
    "/healthz",
    "/i18n/",
    "/api/",
    "/accounts/login/",
    "/favicon.ico",
    "/services/",
    "/open311/",
    "/alerts/feed/",
)
PUBLIC_PATHS = {"/"}
# Pages an officer may open while still owing a sign-in step.
STEP_PREFIXES = ("/accounts/signin/", "/accounts/logout/")


class SignInGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES):
            return self.get_response(request)
        if not request.user.is_authenticated:
            return self._to_login(request)
        if not path.startswith(STEP_PREFIXES):
            step = next_sign_in_step(request)
            if step:
                return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _to_login(self, request):
        query = {"next": request.get_full_path()}
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            # The browser still holds a session cookie the server no longer knows: the idle session ended.
            query["expired"] = "1"
            audit.record(action="auth.session_expired", data={"path": request.path_info[:200]})
        response = redirect(f"{reverse('accounts:login')}?{urlencode(query)}")
        if "expired" in query:
            response.delete_cookie(settings.SESSION_COOKIE_NAME)
        return response

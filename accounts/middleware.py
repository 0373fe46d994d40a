"""Default deny: every page needs a complete sign-in, except the few public ones; and no cache keeps a personal answer."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

from accounts.signin import next_sign_in_step
from audit import services as audit
from openpol import limits

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
            # Any client can send a made-up cookie: one entry per address and minute, so a flood cannot grow the trail.
            if limits.count("auth.session_expired", limits.client_address(request), "1/m").count == 1:
                audit.record(action="auth.session_expired", data={"path": request.path_info[:200]})
        response = redirect(f"{reverse('accounts:login')}?{urlencode(query)}")
        if "expired" in query:
            response.delete_cookie(settings.SESSION_COOKIE_NAME)
        return response


# Answers here may carry personal data whoever asks: Open311 reads a citizen's requests by api_key.
NO_STORE_PREFIXES = ("/api/", "/open311/")


class NoStoreMiddleware:
    """Nothing shown to a signed-in user, to a holder of a bearer token or of a tracked request, nor any API answer, is kept by a cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control") and self._personal(request):
            patch_cache_control(response, no_store=True, private=True)
        return response

    @staticmethod
    def _personal(request) -> bool:
        if request.path_info.startswith(NO_STORE_PREFIXES) or getattr(request, "api_token", None) is not None:
            return True
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return True
        # An anonymous visitor's session holds what they proved (a tracking code, a sign-up in progress).
        session = getattr(request, "session", None)
        return session is not None and not session.is_empty()

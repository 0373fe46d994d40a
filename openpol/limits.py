"""Per-address limits on what anyone may ask without signing in, and the fixed-window counter they use.

A middleware counts every request of a client that is not signed in, per address and URL pattern, against
PUBLIC_RATE, and the sign-in steps' POSTs against LOGIN_RATE. A bearer token sent to the API is judged, and failed
tokens limited per address (TOKEN_FAILURE_RATE), by accounts.services.api_token_authenticate. Views with a rule of
their own (sign-up, tracking: per e-mail, per hour) count on top of these."""

import hashlib
import ipaddress
import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.urls import Resolver404, resolve

from openpol.views import rate_limited

# These pages guess a secret (a password, a second-factor code): their POSTs get the stricter LOGIN_RATE,
# counted per account once the password passed, so that many officers behind one address can still sign in.
SIGN_IN_STEPS = {"accounts:login", "accounts:mfa_verify"}
API_PREFIX = "/api/"

_RATE = re.compile(r"^(\d+)/(\d*)([smhd])$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Keep a window's counter a little past its end, so that a request at the edge never finds it gone.
_FUDGE = 5


class TooManyRequests(Exception):
    """Refused for now; `retry_after` says in how many seconds to try again."""

    def __init__(self, retry_after: int):
        super().__init__(f"Too many requests; retry after {retry_after} s.")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Usage:
    """How much of one rate's current window a client used."""

    count: int
    limit: int
    period: int  # seconds
    retry_after: int  # seconds until the window ends

    @property
    def exceeded(self) -> bool:
        return self.count > self.limit

    @property
    def exhausted(self) -> bool:
        """The next request counted would be one too many."""
        return self.count >= self.limit


def parse_rate(rate: str) -> tuple[int, int]:
    """'120/m' → (120, 60); '10/5m' → (10, 300)."""
    match = _RATE.match(rate.strip())
    if not match:
        raise ImproperlyConfigured(f"A rate is written like '120/m' or '10/5m' (s, m, h, d), not {rate!r}.")
    return int(match[1]), int(match[2] or 1) * _SECONDS[match[3]]


def count(group: str, who: str, rate: str, *, increment: bool = True) -> Usage:
    """Count one request of `who` in `group` (or only read the count), in fixed windows of the rate's period."""
    limit, period = parse_rate(rate)
    now = time.time()
    window = int(now // period)
    key = "limits:" + hashlib.sha256(f"{group}|{period}|{who}|{window}".encode()).hexdigest()  # any text makes a safe key
    if not increment:
        used = cache.get(key, 0)
    elif cache.add(key, 1, period + _FUDGE):
        used = 1
    else:
        try:
            used = cache.incr(key)
        except ValueError:  # it expired between add and incr
            cache.set(key, 1, period + _FUDGE)
            used = 1
    return Usage(used, limit, period, max(1, math.ceil((window + 1) * period - now)))


def client_address(request) -> str:
    """The address limits count against: REMOTE_ADDR (see audit.context), an IPv6 client by its /64, as one host holds a /64."""
    address = request.META.get("REMOTE_ADDR") or "unknown"
    if ":" in address:
        try:
            return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
        except ValueError:
            return address
    return address


def remember_retry_after(request, seconds: int) -> None:
    """A view that answers 429 itself (a form with its message) tells the middleware what Retry-After to send."""
    request.rate_limit_retry_after = seconds


def _pattern(request) -> tuple[str, str]:
    """The URL pattern asked for and its name: one count for all its URLs (a new reference in the URL is no new count)."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return "-", ""
    return match.route, match.view_name


class PublicRateLimitMiddleware:
    """Counts what a client asks without signing in, per address and URL pattern; past the rate it answers 429."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.RATELIMIT_ENABLE:
            return self.get_response(request)
        pattern, name = _pattern(request)
        signed_in = request.user.is_authenticated
        if request.method == "POST" and name in SIGN_IN_STEPS:
            who = f"user:{request.user.pk}" if signed_in else client_address(request)
            usage = count(f"sign_in:{name}", who, settings.LOGIN_RATE)
            if usage.exceeded:
                return rate_limited(request, retry_after=usage.retry_after)
        if signed_in:
            return self._answer(request)
        group, who = f"public:{pattern}", client_address(request)
        if not (request.path_info.startswith(API_PREFIX) and request.headers.get("Authorization", "").lower().startswith("bearer ")):
            usage = count(group, who, settings.PUBLIC_RATE)
            return rate_limited(request, retry_after=usage.retry_after) if usage.exceeded else self._answer(request)
        # A bearer token is judged, and failed ones limited, by accounts.apiauth: a call counts here only when the
        # API read no token, as on a public operation.
        usage = count(group, who, settings.PUBLIC_RATE, increment=False)
        if usage.exhausted:
            return rate_limited(request, retry_after=usage.retry_after)
        response = self._answer(request)
        if not hasattr(request, "api_token"):
            count(group, who, settings.PUBLIC_RATE)
        return response

    def _answer(self, request):
        response = self.get_response(request)
        retry_after = getattr(request, "rate_limit_retry_after", None)
        if response.status_code == 429 and retry_after and not response.has_header("Retry-After"):
            response["Retry-After"] = str(retry_after)
        return response

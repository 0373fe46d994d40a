"""Idempotency-Key (draft-ietf-httpapi-idempotency-key-header): a POST or PATCH sent again gets the first answer.

An API client sends the key in the `Idempotency-Key` header; every form that posts carries it in the
`idempotency_key` field (added by idempotency/static/idempotency/forms.js). The request, the claim on its key
and its answer are one transaction: a crash before the commit leaves nothing, after it the retry gets the answer.
Only successes (2xx, 3xx) are kept: a refused request changed nothing and may be sent again, corrected, with
the same key; a failed one (5xx) is rolled back whole, so that its retry starts afresh.
"""

import hashlib
import json

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from idempotency import services

HEADER = "Idempotency-Key"
FIELD = "idempotency_key"
REPLAYED = "Idempotent-Replayed"
METHODS = frozenset({"POST", "PATCH"})
MAX_KEY_LENGTH = 255
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
# Belong to one connection, or are worked out again for the replay; cookies are never kept (see _keepable).
UNKEPT_HEADERS = frozenset({"content-length", "date", "server", "connection", "transfer-encoding"})
# Change from one copy of a form to the next without changing what it asks for.
UNHASHED_FIELDS = frozenset({FIELD, "csrfmiddlewaretoken"})


class IdempotencyMiddleware:
    """Runs a keyed POST or PATCH once; a retry with the same key and payload gets the stored answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in METHODS:
            return self.get_response(request)
        sent = _sent_key(request)
        if sent is None:
            return self.get_response(request)
        raw, from_header = sent
        key = parse_key(raw)
        if key is None:
            if from_header:
                message = _("The Idempotency-Key header must hold 1 to %(max)d printable ASCII characters, e.g. a UUID.") % {
                    "max": MAX_KEY_LENGTH
                }
            else:
                message = _("This form could not be sent: reload the page and fill it in again.")
            return _refusal(request, 400, message, as_json=from_header)
        owner, fingerprint = owner_of(request), fingerprint_of(request)
        session_before = _session_key(request)
        # A form sent twice (a double click, the browser resending) waits for the first copy, to show its answer;
        # an API client is told at once that the first copy is still running, as the draft asks.
        with services.request_transaction(owner, key, wait=not from_header) as free:
            if not free:
                response = _refusal(
                    request,
                    409,
                    _("A request with this Idempotency-Key is still being processed. Retry once it has answered."),
                    as_json=True,
                )
                response["Retry-After"] = "1"
                return response
            record = services.key_find(owner=owner, key=key)
            created = False
            if record is None:
                record, created = services.key_claim(
                    owner=owner, key=key, fingerprint=fingerprint, method=request.method, path=request.path
                )
            if not created:
                if record.fingerprint != fingerprint:
                    if from_header:
                        message = _("This Idempotency-Key was already used for a different request. Use a new key for a new request.")
                    else:
                        message = _("This form was already sent with other contents. Reload its page to send something new.")
                    return _refusal(request, 422, message, as_json=from_header, field=HEADER)
                return _replay(record)
            response = self.get_response(request)
            if transaction.get_rollback():
                # The view swallowed a database error: what it did is lost with the transaction, so it must not look done.
                return HttpResponse(_("Nothing was saved; try again."), status=500, content_type="text/plain; charset=utf-8")
            if response.status_code >= 500:
                transaction.set_rollback(True)  # nothing half-done stays behind, and the retry runs afresh
            elif _keepable(response) and _session_key(request) == session_before:
                headers = {name: value for name, value in response.headers.items() if name.lower() not in UNKEPT_HEADERS}
                services.key_answer(record, status=response.status_code, headers=headers, body=response.content)
            else:
                services.key_release(record)
        return response


def parse_key(raw: str) -> str | None:
    """The key, from an sf-string as the draft writes it (`"8e03978e-…"`) or bare; None when empty, too long or not ASCII."""
    value = raw.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    if not 0 < len(value) <= MAX_KEY_LENGTH or not all(" " <= char <= "~" for char in value):
        return None
    return value


def owner_of(request) -> str:
    """Whose key it is: one client's key never answers another client's request."""
    authorization = request.headers.get("Authorization")
    if authorization:  # a bearer token: ninja resolves its user only inside the view
        return "authorization:" + _digest(authorization)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    for kind, value in (
        ("api_key", request.GET.get("api_key") or _form(request).get("api_key")),  # Open311 applications
        ("session", _session_key(request)),
        ("csrf", request.COOKIES.get(settings.CSRF_COOKIE_NAME)),
    ):
        if value:
            return f"{kind}:{_digest(value)}"
    return "address:" + (request.META.get("REMOTE_ADDR") or "")[:80]


def fingerprint_of(request) -> str:
    """What makes two requests the same: method, path with query, and payload (JSON compared by meaning, not spacing)."""
    digest = hashlib.sha256(f"{request.method} {request.get_full_path()}\n".encode())
    if _is_form(request):
        for name, values in sorted(request.POST.lists()):
            if name not in UNHASHED_FIELDS:
                digest.update(json.dumps([name, values]).encode())
        for name, uploads in sorted(request.FILES.lists()):
            for upload in uploads:
                digest.update(json.dumps([name, upload.name, upload.size]).encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
        return digest.hexdigest()
    body = request.body
    if request.content_type == "application/json":
        try:
            body = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
        except ValueError:
            pass  # not JSON after all: the bytes themselves, and the view will say what is wrong
    digest.update(body)
    return digest.hexdigest()


def _sent_key(request) -> tuple[str, bool] | None:
    header = request.headers.get(HEADER)
    if header is not None:
        return header, True
    value = _form(request).get(FIELD)
    return (value, False) if value is not None else None


def _is_form(request) -> bool:
    return request.method == "POST" and request.content_type in FORM_TYPES


def _form(request):
    return request.POST if _is_form(request) else {}


def _session_key(request) -> str | None:
    session = getattr(request, "session", None)
    return session.session_key if session is not None else None


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _keepable(response) -> bool:
    # A cookie, or a session signed in or out, lives in the browser that got the first answer: a replay cannot give it.
    return not response.streaming and 200 <= response.status_code < 400 and not response.cookies


def _replay(record) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status)
    for name, value in record.headers.items():
        response[name] = value
    response[REPLAYED] = "true"
    return response


def _refusal(request, status: int, message: str, *, as_json: bool, field: str | None = None) -> HttpResponse:
    """The API's error format; a 422 names the field at fault, as every other 422 does."""
    if as_json:
        body = {"detail": message} | ({"errors": {field: [message]}} if field else {})
        return JsonResponse(body, status=status)
    return render(request, "error.html", {"title": _("Not sent"), "message": message}, status=status)

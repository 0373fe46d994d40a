"""Bad input refused at the door: a clear 400 in the user's language instead of a crash deep inside a view.

A NUL byte cannot be stored in a PostgreSQL text column, text that is not UTF-8 cannot be compared, and a
multipart body without a boundary cannot be parsed: every such request is answered here, before any view,
service or database sees it, so nothing is written. The API answers JSON `{"detail": ...}`; pages answer
the portal's bilingual error page.
"""

import json
import logging
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.db import DataError
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

NUL = gettext_lazy("The request contains a NUL character (\\0), which no field accepts. Remove it and try again.")
NOT_UTF8 = gettext_lazy("The request is not valid UTF-8 text. Send it encoded as UTF-8.")
BAD_MULTIPART = gettext_lazy("The upload is malformed (multipart data without a valid boundary). Send the form again.")
NOT_FINITE = gettext_lazy("Numbers must be finite: NaN and Infinity are not accepted.")
TOO_DEEP = gettext_lazy("The request body is nested too deeply.")
TOO_LARGE = gettext_lazy("The request is too large.")
BAD_FORM = gettext_lazy("The form cannot be read: it has too many fields or files, or is not encoded as UTF-8.")
BAD_REQUEST = gettext_lazy("Something in this request cannot be read. Go back and send it again.")
OUT_OF_RANGE = gettext_lazy(
    "A value is out of range for its field: a number too large, a text too long, or an impossible date, time or time zone."
)

JSON_TYPES = ("application/json",)


class BadInput(Exception):  # noqa: N818 - reads as "bad input", like Django's BadRequest
    """A request refused as a whole, with the message the user sees."""

    def __init__(self, message, status: int = 400):
        super().__init__(str(message))
        self.message = message
        self.status = status


def _decoded_text(raw: bytes) -> None:
    """Refuse bytes that hold a NUL or are not UTF-8."""
    if b"\x00" in raw:
        raise BadInput(NUL)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(NOT_UTF8) from None


def _native_bytes(value: str) -> bytes:
    """The bytes a WSGI or ASGI server decoded into a native string (latin-1 by PEP 3333; UTF-8 for Django's ASGI)."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8")


def check_urlencoded(raw: bytes) -> None:
    """A query string or form body: every name and value, once percent-decoded, is UTF-8 without NUL."""
    for pair in raw.split(b"&"):
        for part in pair.split(b"=", 1):
            _decoded_text(unquote_to_bytes(part.replace(b"+", b" ")))


def _raw_path(request) -> bytes:
    scope = getattr(request, "scope", None)
    if scope is not None and scope.get("raw_path"):
        return unquote_to_bytes(scope["raw_path"])
    return _native_bytes(request.META.get("PATH_INFO", ""))


class _Constant(ValueError):
    pass


def _refuse_constant(name: str):
    raise _Constant(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _Constant(text)
    return value


def _check_string(value: str) -> None:
    if "\x00" in value:
        raise BadInput(NUL)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate such as "\ud800": no database stores it
        raise BadInput(NOT_UTF8) from None


def parse_json(body: bytes):
    """Parse a JSON body strictly: UTF-8, finite numbers, no NUL or lone surrogate in any string.

    Raises BadInput for what no field could accept and ValueError for text that is not JSON at all.
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(NOT_UTF8) from None
    try:
        data = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except _Constant:
        raise BadInput(NOT_FINITE) from None
    except RecursionError:
        raise BadInput(TOO_DEEP) from None
    stack = [data]
    while stack:  # iterative: a deep document must not exhaust the stack a second time
        item = stack.pop()
        if isinstance(item, str):
            _check_string(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                _check_string(key)
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return data


def _check_multipart(request) -> None:
    boundary = request.content_params.get("boundary", "")
    if not boundary or not MultiPartParser.boundary_re.fullmatch(boundary):
        raise BadInput(BAD_MULTIPART)
    if request.method != "POST":
        return  # Django parses forms of POST only; the API reads other methods' bodies itself
    length = request.META.get("CONTENT_LENGTH") or "0"
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if length.isdigit() and (limit is None or int(length) <= limit):
        request.body  # noqa: B018 - read it first, so later code may still read the raw body of a small form
    try:
        fields, files = request.POST, request.FILES
    except MultiPartParserError:
        raise BadInput(BAD_MULTIPART) from None
    for name, values in fields.lists():
        _check_string(name)
        for value in values:
            _check_string(value)
    for name, uploads in files.lists():
        _check_string(name)
        for upload in uploads:
            _check_string(upload.name or "")


def check_request(request) -> None:
    """Refuse (BadInput) a request whose path, query string or form fields no view could accept."""
    _decoded_text(_raw_path(request))
    check_urlencoded(_native_bytes(request.META.get("QUERY_STRING", "")))
    content_type = request.content_type or ""
    if content_type == "multipart/form-data":
        _check_multipart(request)
    elif content_type == "application/x-www-form-urlencoded":
        check_urlencoded(request.body)
    elif content_type in JSON_TYPES or content_type.endswith("+json"):
        if request.body:
            try:
                parse_json(request.body)
            except ValueError:
                pass  # not JSON at all: the endpoint says so in its own words


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def refusal(request, message, status: int = 400):
    """The answer to bad input: JSON for the API, the bilingual error page for the portal."""
    with translation.override(translation.get_language_from_request(request)):
        text = str(message)
        if is_api(request):
            return JsonResponse({"detail": text}, status=status)
        title = _("The request is too large") if status == 413 else _("This request cannot be read")
        return render(request, "error.html", {"title": title, "message": text}, status=status)


class BadInputMiddleware:
    """Answer 400 to requests no view can accept, and to bad values that only the database noticed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            check_request(request)
        except BadInput as refused:
            return refusal(request, refused.message, refused.status)
        except RequestDataTooBig:
            return refusal(request, TOO_LARGE, 413)
        except (SuspiciousOperation, BadRequest) as error:  # too many fields or files, a charset other than UTF-8
            logger.info("Refused a request to %s: %s", request.path, error)
            return refusal(request, BAD_FORM)
        return self.get_response(request)

    def process_exception(self, request, exception):
        """A number too large, a text too long or an impossible time zone, seen only when the database refused it."""
        if isinstance(exception, (OverflowError, DataError)):
            logger.warning("Refused out-of-range input to %s: %s", request.path, exception)
            return refusal(request, OUT_OF_RANGE)
        if isinstance(exception, MultiPartParserError):
            return refusal(request, BAD_MULTIPART)
        return None

"""The API's one error format, its strict JSON reading, and an OpenAPI document that names every status an
operation can answer and the links from what an operation creates or lists to the operations that read it."""

import re
from typing import Any

from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.parser import Parser

from idempotency.openapi import document_idempotency_key
from openpol.middleware import parse_json

ERROR_REF = "#/components/schemas/Error"

# The shape of every error the API answers (openpol/api.py's handlers and the endpoints' own refusals).
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "description": (
        "Every error: `detail` says what went wrong in the user's language; `errors` names each field with its "
        "messages (`__all__` for the request as a whole); a notice that breaks INTERPOL's rules lists `problems`."
    ),
    "properties": {
        "detail": {"type": "string", "title": "Detail"},
        "errors": {
            "title": "Errors",
            "anyOf": [
                {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
                {"type": "array", "items": {"type": "string"}},
            ],
        },
        "problems": {"title": "Problems", "type": "array", "items": {"type": "object"}},
    },
    "required": ["detail"],
}

# Status -> (description, which operations can answer it).
COMMON_ERRORS = {
    400: "Bad request: a NUL byte, text that is not UTF-8, a body that is not JSON, or a broken upload.",
    401: "Not signed in, or the bearer token is unknown, expired or revoked.",
    403: "Your role, or your token's scopes, do not allow this.",
    404: "Not found, or outside your jurisdiction.",
    409: "Someone else acted first, this conflicts with what is already recorded, or a request with the same Idempotency-Key is still being processed.",
    413: "The request is too large.",
    422: "The request is not valid (`errors` names each field), or its Idempotency-Key was already used for another request.",
    429: "Too many requests: wait and try again.",
}
WRITE_METHODS = {"post", "put", "patch", "delete"}
PATH_PARAMETER = re.compile(r"\{[^}]+\}")


class StrictParser(Parser):
    """JSON bodies read strictly: a NUL, a lone surrogate, NaN or Infinity is refused with a message (400)."""

    def parse_body(self, request):
        return parse_json(request.body)


def _statuses_for(path: str, method: str, operation: dict) -> list[int]:
    statuses = [400, 403, 422, 429]
    if operation.get("security"):
        statuses.append(401)
    if PATH_PARAMETER.search(path):
        statuses.append(404)
    if method in WRITE_METHODS:
        statuses.append(409)
    if "requestBody" in operation:
        statuses.append(413)
    return sorted(statuses)


def _is_untyped_object(response: dict) -> bool:
    schema = response.get("content", {}).get("application/json", {}).get("schema")
    return schema is not None and schema.get("type") == "object" and not schema.get("properties")


def document_errors(document: dict) -> None:
    """Give every operation the error responses it can answer, all in the Error schema."""
    document.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    error_content = {"application/json": {"schema": {"$ref": ERROR_REF}}}
    for path, methods in document.get("paths", {}).items():
        for method, operation in methods.items():
            # Ninja keys responses by int, openapi_extra by str: one key per status, as JSON will have it.
            responses = {str(code): response for code, response in operation.get("responses", {}).items()}
            operation["responses"] = responses
            for code, response in responses.items():
                if int(code) >= 400 and _is_untyped_object(response):  # `403: dict` and the like: it is an Error
                    response["content"] = error_content
            for status in _statuses_for(path, method, operation):
                responses.setdefault(str(status), {"description": COMMON_ERRORS[status], "content": error_content})


def _schema_properties(document: dict, schema: dict | None) -> dict:
    if not schema:
        return {}
    ref = schema.get("$ref")
    if ref:
        schema = document["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
    return schema.get("properties", {})


def _body_schema(response: dict) -> dict | None:
    return response.get("content", {}).get("application/json", {}).get("schema")


def _one_item(document: dict, response: dict) -> tuple[dict, str] | None:
    """What a response holds one of, and the JSON pointer to it: the object itself (201), the first item of a
    page ({items: [...], count}) or of a plain list."""
    schema = _body_schema(response)
    if not schema:
        return None
    if schema.get("type") == "array":
        return _schema_properties(document, schema.get("items")), "/0"
    properties = _schema_properties(document, schema)
    if "items" in properties and "count" in properties:
        return _schema_properties(document, properties["items"].get("items")), "/items/0"
    return properties, ""


def add_links(document: dict) -> None:
    """Link what an operation creates (201) or lists to the operations of `<its path>/{x_id}…`, passing the id
    (or the reference) it answered, so that a client, and Schemathesis' stateful phase, follow real identifiers."""
    paths = document.get("paths", {})
    for path, methods in paths.items():
        base = path.rstrip("/") + "/"
        own = set(PATH_PARAMETER.findall(path))
        for method, operation in methods.items():
            status = {"post": "201", "get": "200"}.get(method)
            response = operation.get("responses", {}).get(status)
            found = _one_item(document, response) if response else None
            if not found:
                continue
            properties, pointer = found
            links = {}
            for target_path, target_methods in paths.items():
                first = target_path[len(base) :].split("/", 1)[0] if target_path.startswith(base) else ""
                if not PATH_PARAMETER.fullmatch(first):
                    continue
                field = "reference" if first == "{reference}" else "id"
                if field not in properties:
                    continue
                parameters = {f"path.{first[1:-1]}": f"$response.body#{pointer}/{field}"}
                for shared in own & set(PATH_PARAMETER.findall(target_path)):
                    parameters[f"path.{shared[1:-1]}"] = f"$request.path.{shared[1:-1]}"
                for target_method, target in target_methods.items():
                    name = target["operationId"].split("_api_", 1)[-1]
                    links[f"{target_method}_{name}"] = {"operationId": target["operationId"], "parameters": parameters}
            if links:
                response.setdefault("links", {}).update(links)


class OpenPolAPI(NinjaAPI):
    """NinjaAPI with strict JSON reading and a complete OpenAPI document (every error status, links)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("parser", StrictParser())
        super().__init__(*args, **kwargs)
        self._documents: dict = {}

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        key = (path_prefix, tuple(sorted((path_params or {}).items())))
        if key not in self._documents:
            document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            document_errors(document)
            add_links(document)
            document_idempotency_key(document)
            self._documents[key] = document
        return self._documents[key]


# Pydantic's error types in plain words a user can act on; any other type keeps pydantic's own message.
def _message(error: dict) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"float_parsing", "float_type", "finite_number"}:
        return _("Enter a number.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Enter true or false.")
    if kind in {"string_type", "string_unicode"}:
        return _("Enter text.")
    if kind.startswith("date") and "time" not in kind:
        return _("Enter a valid date as YYYY-MM-DD.")
    if kind.startswith(("datetime", "timezone")):
        return _("Enter a valid date and time, e.g. 2026-05-01T14:30:00+05:30 (time zones run from -12:00 to +14:00).")
    if kind in {"enum", "literal_error"}:
        return _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Enter a number of at least %(limit)s.") % {"limit": ctx.get("ge", ctx.get("gt"))}
    if kind in {"less_than_equal", "less_than"}:
        return _("Enter a number of at most %(limit)s.") % {"limit": ctx.get("le", ctx.get("lt"))}
    if kind in {"string_too_long", "too_long"}:
        return _("Too long: at most %(limit)s.") % {"limit": ctx.get("max_length")}
    if kind in {"string_too_short", "too_short"}:
        return _("Too short: at least %(limit)s.") % {"limit": ctx.get("min_length")}
    if kind == "list_type":
        return _("Enter a list.")
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return _("Enter an object.")
    return str(error.get("msg", _("This value is not valid.")))


def validation_errors(errors: list[dict]) -> dict[str, list[str]]:
    """Ninja's request-validation errors as {field: [messages]}: `title`, `persons.0.name`, `page`; `__all__` for
    a missing body."""
    result: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        # ("body", "payload", "title"): the source and the name of the view's body parameter say nothing to a user
        field = ".".join(loc[2:] if loc[:1] == ["body"] else loc[1:]) or "__all__"
        message = _message(error)
        if field == "__all__" and error.get("type") == "missing":
            message = _("The request needs a JSON body.")
        result.setdefault(field, []).append(message)
    return result

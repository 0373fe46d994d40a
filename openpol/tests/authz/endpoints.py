"""Every endpoint of the app, read from the URL configuration (HTML pages) and the OpenAPI document (the API), and the
table that maps each URL parameter to an object of the matrix's world.

A parameter no row of `PAGE_PARAMETERS` or `API_PARAMETERS` maps makes its endpoint's cases fail, naming the row to add:
a new endpoint is covered by the matrix, or the matrix says that it is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

from django.urls import URLPattern, URLResolver, get_resolver

from openpol.tests.authz.world import MISSING_PK, MISSING_TEXT, World


@dataclass(frozen=True)
class Param:
    """How to fill one URL parameter: the `kind` of object it names (its own/other/missing variant), or a `literal`
    used whatever the variant (a step's name, a sub-object that the parent's variant already decides)."""

    kind: str | None = None
    literal: object = None
    attribute: str = "pk"  # which attribute of the object goes into the URL

    def value(self, world: World, variant: str):
        if self.kind is None:
            return self.literal
        if self.kind == "row":  # a broadcast's dissemination row: follows the broadcast's variant
            return MISSING_PK if variant == "missing" else world.extra["rows"][variant].pk
        if variant == "missing":
            return MISSING_PK if self.attribute == "pk" else MISSING_TEXT
        return getattr(world.obj(self.kind, variant), self.attribute)


def obj(kind: str, attribute: str = "pk") -> Param:
    return Param(kind=kind, attribute=attribute)


def literal(value) -> Param:
    return Param(literal=value)


ROW = Param(kind="row")
NO_SUCH_CHILD = literal(MISSING_PK)  # an attachment or file under the parent: the parent's variant is what is tested

# (URL name, glob; parameter) -> how to fill it. The first matching row wins.
PAGE_PARAMETERS: list[tuple[str, str, Param]] = [
    ("accounts:user_detail", "pk", obj("user")),
    ("alerts:feed", "token", literal(MISSING_TEXT)),  # a subscriber's secret: anyone without it is answered 404
    ("alerts:*", "pk", obj("alert")),
    ("alerts:*", "number", literal(1)),
    ("broadcast:*", "pk", obj("broadcast")),
    ("broadcast:*", "row_id", ROW),
    ("connect:*", "pk", obj("thread")),
    ("connect:*", "attachment_id", NO_SUCH_CHILD),
    ("directory:*", "code", obj("agency", "code")),
    ("notices:*", "pk", obj("notice")),
    ("notices:*", "step", literal("forward")),
    ("notices:*", "attachment_id", NO_SUCH_CHILD),
    ("references:*", "pk", obj("reference")),
    ("references:*", "step", literal("forward")),
    ("records:hit_*", "pk", obj("hit")),
    ("records:fir", "pk", obj("fir")),
    ("records:fir_arrest", "pk", obj("fir")),
    ("records:fir_proclamation", "pk", obj("fir")),
    ("records:person", "pk", obj("person")),
    ("records:vehicle", "pk", obj("vehicle")),
    ("resources:document_*", "pk", obj("document")),
    ("resources:version_download", "pk", obj("document")),
    ("resources:training_*", "pk", obj("training")),
    ("resources:enrolment_*", "pk", obj("training")),
    ("resources:*", "number", literal(1)),
    ("resources:*", "enrolment_id", obj("enrolment")),
    ("workflow:*", "pk", obj("outbound")),
    ("jobs:*", "pk", literal("00000000-0000-4000-8000-000000000000")),  # a task: only the system administrator's, no borders
    ("citizen_public:*", "service", literal("complaint")),
    ("citizen_public:public_list", "kind", literal("wanted")),
    ("citizen_public:public_fir_pdf", "station", literal(MISSING_TEXT)),  # a public FIR: no borders, a missing one is 404
    ("citizen_public:public_fir_pdf", "year", literal(2025)),
    ("citizen_public:public_fir_pdf", "number", literal(1)),
    ("citizen_public:*", "reference", obj("citizen_request", "reference")),
    ("citizen_public:*", "code", literal(MISSING_TEXT)),  # a certificate's or NOC's code: unguessable, tested as missing
    ("citizen_station:*", "reference", obj("citizen_request", "reference")),
    ("citizen_station:*", "step", literal("accept")),
    ("citizen_station:*", "code", literal(MISSING_TEXT)),
    ("citizen_station:*", "attachment_id", NO_SUCH_CHILD),
    ("citizen_open311:*", "code", literal("complaint")),
    ("citizen_open311:*", "reference", obj("citizen_request", "reference")),
]

# (path, glob; parameter) -> how to fill it, for the API's path parameters.
API_PARAMETERS: list[tuple[str, str, Param]] = [
    ("/api/v1/accounts/*", "user_id", obj("user")),
    ("/api/v1/directory/*", "code", obj("agency", "code")),
    ("/api/v1/notices/*", "notice_id", obj("notice")),
    ("/api/v1/notices/*", "step", literal("forward")),
    ("/api/v1/references/*", "reference_id", obj("reference")),
    ("/api/v1/references/*", "step", literal("forward")),
    ("/api/v1/broadcasts/*", "item_id", obj("broadcast")),
    ("/api/v1/broadcasts/*", "row_id", ROW),
    ("/api/v1/connect/*", "thread_id", obj("thread")),
    ("/api/v1/connect/*", "attachment_id", NO_SUCH_CHILD),
    ("/api/v1/resources/documents/*", "document_id", obj("document")),
    ("/api/v1/resources/sessions/*", "session_id", obj("training")),
    ("/api/v1/resources/enrolments/*", "enrolment_id", obj("enrolment")),
    ("/api/v1/alerts/*", "alert_id", obj("alert")),
    ("/api/v1/alerts/feed/*", "token", literal(MISSING_TEXT)),
    ("/api/v1/records/*", "hit_id", obj("hit")),
    ("/api/v1/records/*", "person_id", obj("person")),
    ("/api/v1/records/*", "fir_id", obj("fir")),
    ("/api/v1/records/*", "vehicle_id", obj("vehicle")),
    ("/api/v1/citizen/*", "reference", obj("citizen_request", "reference")),
    ("/api/v1/citizen/*", "step", literal("accept")),
]

# Pages that anonymous callers may open (every other page sends them to sign in).
PUBLIC_PAGES = {
    "home",
    "healthz",
    "set_language",
    "accounts:login",
    "accounts:logout",
    "accounts:mfa_verify",
    "accounts:mfa_enrol",
    "accounts:password_new",
    "accounts:notice",
    "alerts:feed",
    "citizen_public:*",
    "citizen_open311:*",
}
# Public pages that still need a signed-in citizen (they send anonymous callers to sign in).
CITIZEN_PAGES = {"citizen_public:my_requests", "citizen_public:request_new"}
# Public look-ups by a number the citizen was given: an existing one answers unlike a missing one on purpose
# (Open311's GeoReport v2 publishes a request's status to whoever has its number).
PUBLIC_LOOKUPS = {"citizen_open311:request"}


def matches(name: str, patterns) -> bool:
    return any(fnmatchcase(name, pattern) for pattern in patterns)


@dataclass(frozen=True)
class Endpoint:
    """One page (a URL pattern, asked with one method) or one API operation."""

    surface: str  # "page" or "api"
    name: str  # the URL name ("notices:detail") or the operation id
    route: str  # the route or OpenAPI path, with its parameters
    method: str
    params: tuple[str, ...]
    public: bool = False  # no sign-in needed

    @property
    def id(self) -> str:
        return f"{self.surface}:{self.name}:{self.method}"

    def mapping(self) -> tuple[dict[str, Param], list[str]]:
        """The Param of each parameter, and the parameters nothing maps."""
        table, key = (PAGE_PARAMETERS, self.name) if self.surface == "page" else (API_PARAMETERS, self.route)
        found, unmapped = {}, []
        for param in self.params:
            row = next((spec for pattern, name, spec in table if name == param and fnmatchcase(key, pattern)), None)
            if row is None:
                unmapped.append(param)
            else:
                found[param] = row
        return found, unmapped

    def kind(self) -> str | None:
        """The kind of object whose variants the endpoint's cases try (its first parameter naming an object)."""
        mapping, _unmapped = self.mapping()
        kinds = [spec.kind for spec in mapping.values() if spec.kind not in (None, "row")]
        return kinds[0] if kinds else None

    def url(self, world: World, variant: str) -> str:
        from django.urls import reverse

        mapping, unmapped = self.mapping()
        assert not unmapped, self.unmapped_message(unmapped)
        values = {param: spec.value(world, variant) for param, spec in mapping.items()}
        if self.surface == "page":
            return reverse(self.name, kwargs=values)
        path = self.route
        for param, value in values.items():
            path = path.replace("{" + param + "}", str(value))
        return path

    def unmapped_message(self, unmapped: list[str]) -> str:
        table = "PAGE_PARAMETERS" if self.surface == "page" else "API_PARAMETERS"
        return (
            f"{self.id} ({self.route}) has parameters {unmapped} that the authorization matrix does not know: add a row for each "
            f"to {table} in openpol/tests/authz/endpoints.py, naming the kind of object it selects (and the object to "
            "openpol/tests/authz/world.py if it is a new kind)."
        )


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns == "api-v1":
                continue  # the API is read from its OpenAPI document
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            if not entry.name:
                continue
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            converters = getattr(entry.pattern, "converters", {}) or {}
            params = tuple(converters) or tuple(entry.pattern.regex.groupindex)
            yield name, prefix + str(entry.pattern), params


def pages() -> list[Endpoint]:
    found = []
    for name, route, params in _walk(get_resolver().url_patterns):
        public = matches(name, PUBLIC_PAGES) and not matches(name, CITIZEN_PAGES)
        for method in ("GET", "POST"):
            found.append(Endpoint("page", name, route, method, params, public))
    return found


def operations() -> list[Endpoint]:
    from openpol.api import api

    schema = api.get_openapi_schema()
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            params = tuple(p["name"] for p in operation.get("parameters", []) if p.get("in") == "path")
            public = not operation.get("security")
            found.append(Endpoint("api", operation["operationId"], path, method.upper(), params, public))
    return found


def every_endpoint() -> list[Endpoint]:
    return pages() + operations()

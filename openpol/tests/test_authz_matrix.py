"""Authorization tests generated from the URL configuration and the OpenAPI document, so that a new endpoint is covered
without anyone remembering to: every page (asked with GET and with POST) and every API operation, for every role and
for anonymous callers, on an object of the caller's own jurisdiction (Delhi's), of another one (Maharashtra's, another
citizen's) and a missing one. The rules:

- an object the caller may not read answers exactly like a missing one (the same status; for pages the same template and
  body, for the API the same JSON, apart from the requested id), so that "not yours" never tells what exists;
- a caller refused for a missing object (403: its role lacks the capability) is refused the same way for an existing one;
- anonymous callers are sent to sign in by every page but the public ones, and answered 401 by every API operation but
  the public ones;
- nothing answers a server error.

The objects and personas are built once for the module (`openpol.tests.authz.world`); each case runs in its own
savepoint, so a write that an endpoint performs is undone before the next case.
"""

import json
import re
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings

from conftest import sign_in
from openpol.tests.authz import endpoints
from openpol.tests.authz.world import PERSONAS, build

pytestmark = pytest.mark.django_db

ENDPOINTS = endpoints.every_endpoint()
VARIANTS = ("own", "other", "missing")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The personas and objects, in a transaction of the module's own that is rolled back after its last case."""
    media = tmp_path_factory.mktemp("authz-media")
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=hashers), transaction.atomic():
        yield build()
        transaction.set_rollback(True)


def client_for(world, persona: str) -> Client:
    client = Client()
    user = world.user(persona)
    if user is not None:
        sign_in(client, user)
    return client


def _forget_flashes(client: Client) -> None:
    """Drop messages flashed to the session (those too long for the cookie)."""
    if "_messages" in client.session.keys():
        session = client.session
        del session["_messages"]
        session.save()


def ask(client: Client, endpoint: endpoints.Endpoint, url: str):
    if endpoint.method == "GET":
        return client.get(url)
    if endpoint.surface == "api":
        return client.generic(endpoint.method, url, data=b"{}", content_type="application/json")
    return client.post(url, {})


CSRF = re.compile(r"\b[A-Za-z0-9]{64}\b")  # a masked CSRF token, different in every answer
NONCE = re.compile(r'nonce="[^"]*"')


def shape(response, endpoint, url: str, values: list) -> dict:
    """What a caller can tell from a response, with the requested path and ids taken out."""
    seen = {"status": response.status_code}
    if response.status_code in (301, 302, 303, 307, 308):
        seen["location"] = response.get("Location", "")
    if getattr(response, "streaming", False):
        seen["content_type"] = response.get("Content-Type", "")
        _close_unread(response)
        return _without(seen, url, values)
    body = response.content.decode(errors="replace")
    if endpoint.surface == "page":
        seen["templates"] = [t.name for t in getattr(response, "templates", []) or []]
        body = NONCE.sub('nonce=""', CSRF.sub("<csrf>", body))
    elif response.get("Content-Type", "").startswith("application/json"):
        try:
            body = json.dumps(json.loads(body), sort_keys=True)
        except ValueError:
            pass
    seen["body"] = body
    return _without(seen, url, values)


def _close_unread(response) -> None:
    """Close a streamed answer without reading it (an alert stream never ends), as the test client closes one it has
    read: without ending the database connection, which holds the module's transaction."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def _without(seen: dict, url: str, values: list) -> dict:
    def clean(text):
        if isinstance(text, list):
            return [clean(t) for t in text]
        if not isinstance(text, str):
            return text
        text = text.replace(url, "<url>").replace(quote(url, safe=""), "<url>")
        for value in map(str, values):
            if len(value) >= 6:  # a reference or a code: distinctive wherever it appears
                text = text.replace(value, "<id>")
            else:  # a small number: only as a segment of a path
                text = re.sub(rf"(?<=/){re.escape(value)}(?=[/.?\"'&]|$)", "<id>", text)
        return text

    return {key: clean(value) for key, value in seen.items()}


def summary(seen: dict) -> str:
    body = seen.get("body", "")
    title = re.search(r"<title>(.*?)</title>", body, re.S)
    text = title.group(1).strip() if title else body[:160]
    return f"{seen['status']} {seen.get('location', '')} {seen.get('templates', '')[:3] if seen.get('templates') else ''} {text!r}"


def _cases():
    for endpoint in ENDPOINTS:
        for persona in PERSONAS:
            yield pytest.param(endpoint, persona, id=f"{endpoint.id}-{persona}")


@pytest.mark.parametrize(("endpoint", "persona"), list(_cases()))
def test_the_endpoint_answers_this_caller_by_the_rules(world, endpoint, persona):
    mapping, unmapped = endpoint.mapping()
    assert not unmapped, endpoint.unmapped_message(unmapped)
    kind = endpoint.kind()
    variants = VARIANTS if kind else ("missing",)  # without an object, "missing" stands for the one request
    client = client_for(world, persona)
    answers, urls = {}, {}
    for variant in variants:
        urls[variant] = endpoint.url(world, variant)
        # What the previous request flashed ("Acknowledged") would show on this one's page: forget it.
        client.cookies.pop("messages", None)
        _forget_flashes(client)
        response = ask(client, endpoint, urls[variant])
        values = [spec.value(world, variant) for spec in mapping.values() if spec.kind]
        answers[variant] = (response, shape(response, endpoint, urls[variant], values))

    problems = []
    for variant, (response, seen) in answers.items():
        if response.status_code >= 500:
            problems.append(f"{variant} {urls[variant]}: server error {summary(seen)}")
    if persona == "anonymous" and not endpoint.public:
        for variant, (response, seen) in answers.items():
            if endpoint.surface == "api" and response.status_code != 401:
                problems.append(f"{variant} {urls[variant]}: anonymous expected 401, got {summary(seen)}")
            signing_in = response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
            if endpoint.surface == "page" and not signing_in and response.status_code != 405:  # 405: the method, for anyone
                problems.append(f"{variant} {urls[variant]}: anonymous expected a redirect to sign in, got {summary(seen)}")
    if kind and endpoint.name not in endpoints.PUBLIC_LOOKUPS:
        missing = answers["missing"][1]
        for variant in ("own", "other"):
            seen = answers[variant][1]
            if not world.may_read(persona, kind, variant):
                if seen != missing:
                    problems.append(
                        f"{variant} {kind} ({urls[variant]}), which {persona} may not read, answers unlike a missing one:"
                        f" got {summary(seen)}, missing answers {summary(missing)}" + _first_difference(seen, missing)
                    )
            elif missing["status"] == 403 and seen["status"] != 403:
                problems.append(
                    f"{variant} {kind} ({urls[variant]}): a missing one is refused with 403 but this one answers {summary(seen)}"
                )
    assert not problems, f"{endpoint.id} as {persona}:\n" + "\n".join(problems)


def _first_difference(seen: dict, missing: dict) -> str:
    if seen["status"] != missing["status"] or "body" not in seen:
        return ""
    a, b = seen.get("body", ""), missing.get("body", "")
    at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return f"\n    bodies differ at {at}: {a[max(0, at - 60) : at + 60]!r} vs {b[max(0, at - 60) : at + 60]!r}"


def test_every_url_parameter_is_mapped_to_an_object_of_the_matrix():
    unmapped = [endpoint.unmapped_message(missing) for endpoint in ENDPOINTS if (missing := endpoint.mapping()[1])]
    assert not unmapped, "\n".join(unmapped)


def test_the_matrix_covers_every_page_and_api_operation():
    from openpol.api import api

    operations = sum(len(methods) for methods in api.get_openapi_schema()["paths"].values())
    assert sum(1 for e in ENDPOINTS if e.surface == "api") == operations
    assert {"notices:detail", "citizen_station:detail", "alerts:detail", "records:hit_detail"} <= {e.name for e in ENDPOINTS}


# The matrix's rules would hold vacuously if its objects could not be read at all: each is read by someone it is for.
READERS = [
    ("notices:detail", "delhi_uo", "own"),
    ("notices:detail", "ncb_officer", "other"),
    ("references:detail", "delhi_ilo", "own"),
    ("broadcast:detail", "delhi_ilo", "own"),
    ("connect:thread_detail", "delhi_uo", "own"),
    ("alerts:detail", "delhi_station_officer", "own"),
    ("records:hit_detail", "delhi_district_officer", "own"),
    ("citizen_station:detail", "delhi_station_officer", "own"),
    ("citizen_public:request_detail", "citizen", "own"),
    ("resources:document_detail", "delhi_uo", "own"),
    ("resources:training_detail", "delhi_ilo", "other"),
    ("accounts:user_detail", "delhi_ilo", "own"),
    ("directory:agency_detail", "delhi_station_officer", "other"),
    ("notices_api_notice_detail", "delhi_ilo", "own"),
    ("citizen_api_station_request_detail", "delhi_station_officer", "own"),
    ("citizen_api_my_request_detail", "citizen", "own"),
]


@pytest.mark.parametrize(("name", "persona", "variant"), READERS, ids=[f"{n}-{p}-{v}" for n, p, v in READERS])
def test_the_matrix_objects_are_read_by_those_they_are_for(world, name, persona, variant):
    endpoint = next(e for e in ENDPOINTS if e.name == name and e.method == "GET")
    response = ask(client_for(world, persona), endpoint, endpoint.url(world, variant))
    assert response.status_code == 200 and world.may_read(persona, endpoint.kind(), variant)

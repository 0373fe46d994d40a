"""accounts/middleware.py: no cache keeps a personal answer (public pages and static files stay cacheable); the gate's audit stays bounded."""

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory

from accounts import services
from accounts.middleware import NoStoreMiddleware
from audit.models import AuditEntry
from conftest import sign_in

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_an_officers_page_is_sent_with_no_store(client, delhi_ilo):
    sign_in(client, delhi_ilo)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert no_store(response)


def test_an_api_answer_to_a_token_is_sent_with_no_store(client, delhi_ilo):
    raw = services.api_token_create(user=delhi_ilo, name="script", scopes=["users:read"])
    response = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.json()["username"] == "delhi_ilo"
    assert no_store(response)


def test_every_api_and_open311_answer_is_sent_with_no_store(client):
    assert no_store(client.get("/api/v1/accounts/me"))  # 401
    assert no_store(client.get("/open311/v2/requests.json"))  # 403: the next one may carry a citizen's requests


def test_a_citizens_page_is_sent_with_no_store(client, citizen):
    sign_in(client, citizen)
    assert no_store(client.get("/services/mine/"))


def test_an_anonymous_visitor_who_tracked_a_request_gets_no_store(client):
    session = client.session
    session["citizen_tracked"] = ["CIT-0001"]
    session.save()
    assert no_store(client.get("/services/"))


def test_the_public_home_page_stays_cacheable(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_public_station_finder_stays_cacheable(client):
    assert "no-store" not in client.get("/services/stations/").get("Cache-Control", "")


def test_a_static_file_stays_cacheable_for_a_signed_in_officer(settings, delhi_ilo):
    settings.WHITENOISE_USE_FINDERS = True  # serve from static/ without collectstatic; read when the client starts
    client = Client()
    sign_in(client, delhi_ilo)
    response = client.get("/static/css/openpol.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "max-age" in response["Cache-Control"]


def test_an_answer_that_set_its_own_cache_control_keeps_it(delhi_ilo):
    def view(request):
        response = HttpResponse("event stream")
        response["Cache-Control"] = "no-cache, no-transform"
        return response

    request = RequestFactory().get("/api/v1/alerts/stream")
    request.user = delhi_ilo
    assert NoStoreMiddleware(view)(request)["Cache-Control"] == "no-cache, no-transform"


def test_a_flood_of_made_up_session_cookies_leaves_one_audit_entry_per_address_and_minute(client, settings):
    client.cookies[settings.SESSION_COOKIE_NAME] = "made-up"
    for _ in range(30):
        response = client.get("/dashboard/")
        assert "expired=1" in response.url
        client.cookies[settings.SESSION_COOKIE_NAME] = "made-up"  # the gate deleted it; a flood sends it again
    assert AuditEntry.objects.filter(action="auth.session_expired").count() == 1

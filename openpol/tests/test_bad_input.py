"""Bad input of any shape gets a 400 or 422 with a message a user understands, in their language, and nothing is
written: on the pages and in the API, signed in and anonymous."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from accounts import services as accounts
from alerts.models import Alert
from audit.models import AuditEntry
from notices.models import NoticeRequest
from openpol.pagination import MAX_PAGE
from workflow.models import Attachment

API = "/api/v1"
NUL_MESSAGE = "The request contains a NUL character"
HUGE = "9" * 30  # far past any integer column and SQLite's 64 bits


def bearer(user) -> dict:
    token = accounts.api_token_create(user=user, name="test", scopes=sorted(accounts.API_SCOPES))
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post_json(client, path: str, body, **headers):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(path, data=data, content_type="application/json", **headers)


def page_text(response) -> str:
    return response.content.decode()


@pytest.fixture
def openapi(client, db) -> dict:
    return client.get(f"{API}/openapi.json").json()


# --- Page numbers past the integer range ------------------------------------------------------------


def paginated_lists(openapi: dict) -> list[str]:
    return [
        path
        for path, methods in openapi["paths"].items()
        if "{" not in path and any(p["name"] == "page" for p in methods.get("get", {}).get("parameters", []))
    ]


def test_a_page_past_the_integer_range_is_refused_with_a_message_on_every_paginated_api_list(client, openapi, ncb_officer):
    headers = bearer(ncb_officer)
    lists = paginated_lists(openapi)
    assert len(lists) >= 15
    for path in lists:
        response = client.get(path, {"page": HUGE}, **headers)
        assert response.status_code == 422, path
        assert response.json()["errors"]["page"] == [f"Enter a number of at most {MAX_PAGE}."], path


def test_a_page_far_past_the_end_of_an_api_list_is_an_empty_page(client, ncb_officer):
    response = client.get(f"{API}/directory/districts", {"page": MAX_PAGE}, **bearer(ncb_officer))
    assert response.status_code == 200
    assert response.json()["items"] == [] and response.json()["count"] > 700


@pytest.mark.parametrize(
    "url", ["/directory/stations/", "/work/inbox/", "/notices/", "/references/", "/connect/", "/resources/", "/records/hits/"]
)
def test_a_page_past_the_integer_range_of_a_page_list_shows_its_last_page(signed_in, ncb_officer, url):
    response = signed_in(ncb_officer).get(url, {"page": HUGE})
    assert response.status_code == 200


def test_a_page_past_the_integer_range_of_the_audit_trail_shows_its_last_page(signed_in, ncb_admin):
    assert signed_in(ncb_admin).get("/audit/", {"page": HUGE}).status_code == 200


# --- NUL bytes ----------------------------------------------------------------------------------------


def test_a_nul_byte_in_a_search_box_is_refused_with_a_message(client, signed_in, ncb_officer):
    api = client.get(f"{API}/directory/stations", {"q": "Connaught\x00"}, **bearer(ncb_officer))
    assert api.status_code == 400 and api.json()["detail"].startswith(NUL_MESSAGE)
    page = signed_in(ncb_officer).get("/directory/stations/", {"q": "Connaught\x00"})
    assert page.status_code == 400 and NUL_MESSAGE in page_text(page)


def test_a_nul_byte_in_a_path_is_refused_even_anonymously(client, db):
    page = client.get("/services/verify/CERT%00-1")
    assert page.status_code == 400 and NUL_MESSAGE in page_text(page)
    api = client.get(f"{API}/citizen/requests/REF%00")
    assert api.status_code == 400 and api.json()["detail"].startswith(NUL_MESSAGE)


def test_a_nul_byte_in_a_sign_in_form_is_refused_and_nothing_is_written(client, ncb_officer):
    entries = AuditEntry.objects.count()
    response = client.post("/accounts/login/", {"username": "ncb_officer\x00", "password": "wrong-password"})
    assert response.status_code == 400 and NUL_MESSAGE in page_text(response)
    ncb_officer.refresh_from_db()
    assert ncb_officer.failed_login_count == 0 and AuditEntry.objects.count() == entries


def test_a_nul_byte_in_a_signed_in_form_is_refused_and_no_draft_is_made(signed_in, delhi_uo):
    response = signed_in(delhi_uo).post("/notices/new/", {"kind": "red", "family_name": "Sharma\x00"})
    assert response.status_code == 400 and NUL_MESSAGE in page_text(response)
    assert not NoticeRequest.objects.exists()


def test_a_nul_byte_in_a_json_field_is_refused_and_no_draft_is_made(client, delhi_uo):
    response = post_json(client, f"{API}/notices/", {"kind": "red", "family_name": "Sharma\x00"}, **bearer(delhi_uo))
    assert response.status_code == 400 and response.json()["detail"].startswith(NUL_MESSAGE)
    assert not NoticeRequest.objects.exists()


def test_the_refusal_speaks_hindi_to_a_hindi_browser(client, db):
    english = NUL_MESSAGE + " (\\0), which no field accepts. Remove it and try again."
    with translation.override("hi"):
        expected = translation.gettext(english)
    assert expected != english and "NUL" in expected
    page = client.get("/services/verify/%00", HTTP_ACCEPT_LANGUAGE="hi")
    assert page.status_code == 400 and expected in page_text(page)
    api = client.get(f"{API}/citizen/services", {"q": "\x00"}, HTTP_ACCEPT_LANGUAGE="hi")
    assert api.status_code == 400 and api.json() == {"detail": expected}


# --- Text that is not UTF-8, numbers that are not numbers -----------------------------------------


def test_text_that_is_not_utf8_is_refused_in_a_query_a_form_and_a_json_body(client, signed_in, delhi_uo):
    headers = bearer(delhi_uo)
    assert client.get(f"{API}/directory/stations?q=%FF%FE", **headers).status_code == 400
    assert signed_in(delhi_uo).get("/directory/stations/?q=%FF").status_code == 400
    form = client.post("/accounts/login/", data=b"username=%FF&password=x", content_type="application/x-www-form-urlencoded")
    assert form.status_code == 400 and "UTF-8" in page_text(form)
    for body in (b'{"kind": "red", "family_name": "\xff"}', '{"kind": "red", "family_name": "\\ud800"}'):
        response = post_json(client, f"{API}/notices/", body, **headers)
        assert response.status_code == 400 and "UTF-8" in response.json()["detail"]
    assert not NoticeRequest.objects.exists()


def test_nan_and_infinity_are_refused(client, delhi_uo):
    for body in ('{"kind": "red", "height_cm": NaN}', '{"kind": "red", "height_cm": 1e999}'):
        response = post_json(client, f"{API}/notices/", body, **bearer(delhi_uo))
        assert response.status_code == 400 and "finite" in response.json()["detail"]
    assert not NoticeRequest.objects.exists()


def test_a_body_that_is_not_json_says_so(client, delhi_uo):
    response = post_json(client, f"{API}/notices/", "{", **bearer(delhi_uo))
    assert response.status_code == 400 and response.json() == {"detail": "The request body is not valid JSON."}


def test_a_number_past_the_integer_range_is_refused_and_nothing_is_written(client, delhi_uo):
    headers = bearer(delhi_uo)
    response = post_json(client, f"{API}/notices/", {"kind": "red", "year_of_birth": 10**30}, **headers)
    assert response.status_code == 422 and "year_of_birth" in response.json()["errors"]
    assert not NoticeRequest.objects.exists()
    assert client.get(f"{API}/notices/{HUGE}", **headers).status_code == 404


def test_validation_errors_name_each_field_in_plain_words(client, delhi_uo):
    response = post_json(client, f"{API}/references/", {"countries": "NP", "offence": 5}, **bearer(delhi_uo))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["countries"] == ["Enter a list."] and errors["offence"] == ["Enter text."]
    assert errors["facts"] == ["This field is required."]


# --- Broken uploads -----------------------------------------------------------------------------------


def test_a_multipart_request_without_a_boundary_is_refused_by_the_api(client, delhi_uo):
    from notices import services as notices
    from notices.tests.conftest import red_notice_data

    draft = notices.notice_draft_create(by=delhi_uo, kind="red", data=red_notice_data())
    response = client.post(
        f"{API}/notices/{draft.pk}/attachments", data=b"--x\r\nbroken", content_type="multipart/form-data", **bearer(delhi_uo)
    )
    assert response.status_code == 400 and "multipart" in response.json()["detail"]
    assert not Attachment.objects.exists()


def test_a_multipart_request_without_a_boundary_is_refused_on_the_pages(client, signed_in, delhi_uo):
    anonymous = client.post("/services/verify/CERT-1", data=b"--x\r\nbroken", content_type="multipart/form-data")
    assert anonymous.status_code == 400 and "multipart" in page_text(anonymous)
    officer = signed_in(delhi_uo).post("/notices/new/", data=b"--x\r\nbroken", content_type="multipart/form-data")
    assert officer.status_code == 400 and "multipart" in page_text(officer)
    assert not NoticeRequest.objects.exists()


# --- Date-times -----------------------------------------------------------------------------------------


def next_month(offset: str = "+05:30") -> str:
    """A date-time a month ahead, written with the given UTC offset."""
    return (timezone.localdate() + timedelta(days=30)).isoformat() + "T10:00:00" + offset


def alert_body(expires_at: str) -> dict:
    return {"category": "murder", "headline": "Wanted in Delhi", "description": "Seen near the station.", "expires_at": expires_at}


@pytest.mark.parametrize("offset", ["+99:00", "-24:00", "+23:59"])
def test_an_impossible_utc_offset_is_refused_by_the_api_and_no_alert_is_published(client, delhi_station_officer, offset):
    response = post_json(client, f"{API}/alerts/", alert_body(next_month(offset)), **bearer(delhi_station_officer))
    assert response.status_code == 422
    assert "time zones run from -12:00 to +14:00" in response.json()["errors"]["expires_at"][0]
    assert not Alert.objects.exists()


def test_an_impossible_utc_offset_in_a_cap_document_is_a_listed_problem(client, delhi_station_officer):
    from alerts import cap
    from alerts.services import alert_publish

    alert = alert_publish(by=delhi_station_officer, data=alert_body(next_month()))
    xml = cap.to_xml(alert.versions.get()).replace(b"+05:30</", b"+99:00</")  # every date-time of the document
    assert b"+99:00" in xml
    response = client.post(f"{API}/alerts/import", data=xml, content_type="application/cap+xml", **bearer(delhi_station_officer))
    assert response.status_code == 422 and any("is not a date and time" in p for p in response.json()["errors"])
    assert Alert.objects.count() == 1


def test_an_impossible_utc_offset_in_the_alert_form_is_shown_next_to_the_field(signed_in, delhi_station_officer):
    response = signed_in(delhi_station_officer).post("/alerts/new/", {**alert_body(next_month("+99:00")), "urgency": "Immediate"})
    assert response.status_code == 400
    assert "expires_at" in response.context["form"].errors
    assert not Alert.objects.exists()


# --- The OpenAPI document ---------------------------------------------------------------------------------


def test_every_operation_documents_every_error_it_can_answer_in_the_error_schema(openapi):
    assert openapi["components"]["schemas"]["Error"]["required"] == ["detail"]
    for path, methods in openapi["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            expected = {"400", "403", "422", "429"}
            expected |= {"401"} if operation.get("security") else set()
            expected |= {"404"} if "{" in path else set()
            expected |= {"409"} if method in {"post", "put", "patch", "delete"} else set()
            assert expected <= responses.keys(), (method, path)
            for status, response in responses.items():
                if int(status) >= 400 and "content" in response:
                    schema = response["content"]["application/json"]["schema"]
                    assert schema.get("$ref", "").endswith(("/Error", "/Refusal")), (method, path, status)


def test_what_an_operation_creates_or_lists_links_to_the_operations_that_read_it(openapi):
    created = openapi["paths"][f"{API}/notices/"]["post"]["responses"]["201"]["links"]
    assert created["get_notice_detail"] == {
        "operationId": "notices_api_notice_detail",
        "parameters": {"path.notice_id": "$response.body#/id"},
    }
    listed = openapi["paths"][f"{API}/records/hits"]["get"]["responses"]["200"]["links"]
    assert listed["get_hit_detail"]["parameters"] == {"path.hit_id": "$response.body#/items/0/id"}

"""A refused search is audited with what was asked and why, whether it came from the web form or the API; a search
that ran records its query and the number of its results."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from records.tests.conftest import bearer

pytestmark = pytest.mark.django_db

PURPOSE = "GD entry 45, verification of a tenant"


def refusals(user):
    return list(AuditEntry.objects.filter(action="records.search_refused", actor=user))


def test_a_web_search_without_enough_purpose_is_refused_next_to_the_field_and_audited(signed_in, people, delhi_uo):
    response = signed_in(delhi_uo).get(reverse("records:search"), {"purpose": "why", "name": "Virender Singh"})
    assert response.status_code == 200 and response.context["form"].errors["purpose"]
    [entry] = refusals(delhi_uo)
    assert entry.data["reason"] == "no purpose" and entry.data["query"]["name"] == "Virender Singh"
    assert not AuditEntry.objects.filter(action="records.person_search").exists()


def test_an_api_search_without_enough_purpose_is_audited_the_same_way(client, people, delhi_uo):
    response = client.post(
        "/api/v1/records/persons/search", {"purpose": "why", "name": "Virender Singh"}, content_type="application/json", **bearer(delhi_uo)
    )
    assert response.status_code == 422
    [entry] = refusals(delhi_uo)
    assert entry.data["reason"] == "no purpose" and entry.data["query"]["name"] == "Virender Singh"


def test_a_web_and_an_api_search_by_a_role_without_the_records_are_audited_with_their_query(client, signed_in, people, analyst):
    assert signed_in(analyst).get(reverse("records:search"), {"purpose": PURPOSE, "name": "Lakshmi Devi"}).status_code == 403
    api = client.post(
        "/api/v1/records/persons/search", {"purpose": PURPOSE, "name": "Sunita Devi"}, content_type="application/json",
        **bearer(analyst, "records:read"),
    )  # fmt: skip
    assert api.status_code == 403
    found = sorted((e.data["reason"], e.data["query"]["name"]) for e in refusals(analyst))
    assert found == [("no capability", "Lakshmi Devi"), ("no capability", "Sunita Devi")]


def test_a_token_without_the_records_scope_is_refused_and_audited(client, people, delhi_uo):
    response = client.post(
        "/api/v1/records/vehicles/search", {"purpose": PURPOSE, "registration": "DL 1C 1234"}, content_type="application/json",
        **bearer(delhi_uo, "notices:read"),
    )  # fmt: skip
    assert response.status_code == 403
    [entry] = refusals(delhi_uo)
    assert entry.data["reason"] == "no scope" and entry.data["query"]["registration"] == "DL 1C 1234"


def test_a_vehicle_search_refused_on_the_web_and_by_the_api_is_audited_from_both(client, signed_in, delhi_station_officer):
    signed_in(delhi_station_officer).get(reverse("records:vehicles"), {"purpose": "", "registration": "MH 12 DE 0042"})
    client.post(
        "/api/v1/records/vehicles/search", {"purpose": PURPOSE}, content_type="application/json", **bearer(delhi_station_officer)
    )  # fmt: skip
    found = sorted((e.data["search"], e.data["reason"], e.data["query"]["registration"]) for e in refusals(delhi_station_officer))
    assert found == [("vehicles", "invalid query", ""), ("vehicles", "no purpose", "MH 12 DE 0042")]


def test_opening_the_search_page_is_not_a_refused_search(signed_in, delhi_uo):
    assert signed_in(delhi_uo).get(reverse("records:search")).status_code == 200
    assert refusals(delhi_uo) == []


def test_a_web_search_records_its_query_and_the_number_of_results(signed_in, people, delhi_uo):
    page = signed_in(delhi_uo).get(reverse("records:search"), {"purpose": PURPOSE, "name": "Virender Singh", "father_name": "Balwant"})
    entry = AuditEntry.objects.get(action="records.person_search", actor=delhi_uo)
    assert entry.purpose == PURPOSE and entry.data["query"]["name"] == "Virender Singh"
    assert entry.data["results"] == len(page.context["strong"]) + len(page.context["weak"]) > 0


def test_the_audit_page_says_what_a_refused_search_asked_and_why(signed_in, people, delhi_uo, ncb_admin):
    signed_in(delhi_uo).get(reverse("records:search"), {"purpose": "why", "name": "Virender Singh"})
    html = signed_in(ncb_admin).get(reverse("audit:entry_list"), {"action": "records.search_refused"}).content.decode()
    assert "Refused: no purpose." in html and "Virender Singh" in html

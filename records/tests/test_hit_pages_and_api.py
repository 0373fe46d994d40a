"""The hits inbox, a hit's page and its API: the owner office, the handler and the NCB see a hit; anyone else gets 404."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from notices import services as notice_services
from notices.models import NoticeKind
from notices.tests.conftest import red_notice_data
from records import services
from records.models import Hit
from records.tests.conftest import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def hit(verma, delhi_uo, mumbai_ilo, django_capture_on_commit_callbacks):
    notice = notice_services.notice_draft_create(by=delhi_uo, kind=NoticeKind.RED, data=red_notice_data())
    with django_capture_on_commit_callbacks(execute=True):
        notice_services.notice_submit(request=notice, by=delhi_uo)
    return Hit.objects.get()


# --- Pages ---------------------------------------------------------------------------------------------------


def test_the_owner_office_finds_the_hit_in_its_inbox_and_confirms_it(signed_in, hit, mumbai_ilo, django_assert_max_num_queries):
    browser = signed_in(mumbai_ilo)
    with django_assert_max_num_queries(12):
        page = browser.get(reverse("records:hits"))
    assert page.status_code == 200
    assert hit.reference in page.content.decode() and "Yours to decide" in page.content.decode()
    detail = browser.get(hit.get_absolute_url()).content.decode()
    assert "date of birth agrees" in detail and "Record the decision" in detail and "MH-1" in detail
    response = browser.post(reverse("records:hit_decide", args=[hit.pk]), {"decision": "confirm", "note": "Photograph compared"})
    assert response.status_code == 302
    hit.refresh_from_db()
    assert hit.status == Hit.Status.CONFIRMED and hit.decided_by == mumbai_ilo


def test_a_decision_without_a_reason_is_refused_next_to_the_field(signed_in, hit, mumbai_ilo):
    response = signed_in(mumbai_ilo).post(reverse("records:hit_decide", args=[hit.pk]), {"decision": "reject", "note": ""})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    hit.refresh_from_db()
    assert hit.status == Hit.Status.PENDING


def test_the_list_stays_cheap_however_many_hits(signed_in, hit, mumbai_ilo, delhi_uo, django_assert_max_num_queries):
    from records.matching import screen_person

    for n in range(15):
        person = services.person_save(data={"external_id": f"X{n}", "source": "test", "name": f"Rakesh Verma {n}", "state_id": None})
        match = screen_person(person.name)[0]
        services.hit_create(source=delhi_uo, match=match, owner_agency=hit.owner_agency)
    browser = signed_in(mumbai_ilo)
    with django_assert_max_num_queries(12):
        assert browser.get(reverse("records:hits"), {"strength": "", "status": ""}).status_code == 200


def test_the_handler_reads_the_hit_but_is_not_offered_the_decision(signed_in, hit, delhi_uo):
    detail = signed_in(delhi_uo).get(hit.get_absolute_url())
    assert detail.status_code == 200 and "Record the decision" not in detail.content.decode()
    refused = signed_in(delhi_uo).post(reverse("records:hit_decide", args=[hit.pk]), {"decision": "confirm", "note": "Him"})
    assert refused.status_code == 403


def test_another_states_officer_gets_404_on_a_hit(signed_in, hit, karnataka_ilo):
    browser = signed_in(karnataka_ilo)
    assert browser.get(hit.get_absolute_url()).status_code == 404
    assert browser.post(reverse("records:hit_decide", args=[hit.pk]), {"decision": "reject", "note": "Not him"}).status_code == 404
    assert hit.reference not in browser.get(reverse("records:hits"), {"status": "", "strength": ""}).content.decode()
    assert AuditEntry.objects.filter(action="access.out_of_jurisdiction", actor=karnataka_ilo).exists()


@pytest.mark.parametrize("persona", ["citizen", "analyst"])
def test_a_citizen_or_analyst_never_sees_hits(request, signed_in, hit, persona):
    browser = signed_in(request.getfixturevalue(persona))
    assert browser.get(reverse("records:hits")).status_code == 403
    assert browser.get(hit.get_absolute_url()).status_code == 403


def test_the_notice_page_links_to_its_hits(signed_in, hit, delhi_uo):
    page = signed_in(delhi_uo).get(reverse("notices:detail", args=[hit.source_id])).content.decode()
    assert hit.get_absolute_url() in page


# --- API -----------------------------------------------------------------------------------------------------


def test_anonymous_is_refused_by_the_hits_api(client, hit):
    assert client.get("/api/v1/records/hits").status_code == 401
    assert client.get(f"/api/v1/records/hits/{hit.pk}").status_code == 401
    assert client.post(f"/api/v1/records/hits/{hit.pk}/confirm", {"note": "x"}, content_type="application/json").status_code == 401


def test_the_owner_lists_reads_and_confirms_a_hit_through_the_api(client, hit, mumbai_ilo):
    listed = client.get("/api/v1/records/hits", **bearer(mumbai_ilo)).json()
    assert [h["reference"] for h in listed["items"]] == [hit.reference]
    one = client.get(f"/api/v1/records/hits/{hit.pk}", **bearer(mumbai_ilo)).json()
    assert one["record"]["external_id"] == "MH-1" and one["owner_agency"] == "PS-MH" and one["source_type"] == "notices.noticerequest"
    assert "date of birth agrees" in one["explanation"] and one["weak"] is False
    confirmed = client.post(
        f"/api/v1/records/hits/{hit.pk}/confirm", {"note": "Fingerprints match"}, content_type="application/json", **bearer(mumbai_ilo)
    )
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed" and confirmed.json()["decided_by"] == "mumbai_ilo"
    again = client.post(f"/api/v1/records/hits/{hit.pk}/reject", {"note": "No"}, content_type="application/json", **bearer(mumbai_ilo))
    assert again.status_code == 409


def test_a_read_only_token_cannot_decide(client, hit, mumbai_ilo):
    response = client.post(
        f"/api/v1/records/hits/{hit.pk}/reject", {"note": "Not him"}, content_type="application/json", **bearer(mumbai_ilo, "records:read")
    )
    assert response.status_code == 403
    hit.refresh_from_db()
    assert hit.status == Hit.Status.PENDING


def test_the_handler_cannot_decide_through_the_api(client, hit, delhi_uo):
    response = client.post(f"/api/v1/records/hits/{hit.pk}/confirm", {"note": "Him"}, content_type="application/json", **bearer(delhi_uo))
    assert response.status_code == 403


def test_another_jurisdiction_gets_404_from_the_hits_api(client, hit, karnataka_ilo):
    assert client.get(f"/api/v1/records/hits/{hit.pk}", **bearer(karnataka_ilo)).status_code == 404
    response = client.post(
        f"/api/v1/records/hits/{hit.pk}/confirm", {"note": "Him"}, content_type="application/json", **bearer(karnataka_ilo)
    )
    assert response.status_code == 404
    assert client.get("/api/v1/records/hits", **bearer(karnataka_ilo)).json()["items"] == []


def test_the_hits_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/records/hits", "/api/v1/records/hits/{hit_id}", "/api/v1/records/hits/{hit_id}/confirm"} <= set(paths)

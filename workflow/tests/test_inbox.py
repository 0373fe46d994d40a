"""The inbox: what waits on the reader's office, through the page and the API (/api/v1/workflow/inbox)."""

import pytest
from django.urls import reverse

from accounts import services as account_services
from workflow.services import inbox_for, station_tasks_for

pytestmark = pytest.mark.django_db


def references(tasks) -> list[str]:
    return [task.reference for task in tasks]


def test_each_office_reads_the_work_waiting_on_it_and_nothing_else(at_ilo, delhi_ilo, delhi_uo, mumbai_ilo, ncb_officer):
    assert references(inbox_for(delhi_ilo)) == [at_ilo.reference]
    assert not inbox_for(delhi_uo).exists() and not inbox_for(mumbai_ilo).exists() and not inbox_for(ncb_officer).exists()


def test_the_ncbs_work_is_in_the_inbox_of_its_officers_not_of_those_who_only_sit_at_the_centre(
    at_ncb, ncb_officer, ncb_admin, analyst, sysadmin, delhi_ilo
):
    assert references(inbox_for(ncb_officer)) == references(inbox_for(ncb_admin)) == [at_ncb.reference]
    assert not inbox_for(analyst).exists() and not inbox_for(sysadmin).exists() and not inbox_for(delhi_ilo).exists()


def test_a_citizen_and_a_disabled_officer_have_no_inbox(at_ilo, citizen, delhi_ilo):
    assert not inbox_for(citizen).exists()
    delhi_ilo.is_active = False
    assert not inbox_for(delhi_ilo).exists()


def test_the_inbox_page_lists_the_offices_work(signed_in, at_ilo, delhi_ilo):
    response = signed_in(delhi_ilo).get(reverse("workflow:inbox"))
    assert response.status_code == 200 and at_ilo.reference in response.content.decode()


def bearer(user) -> dict:
    raw = account_services.api_token_create(user=user, name="test", scopes=["notices:read"])
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_api_inbox_answers_the_same_as_the_page(client, at_ilo, delhi_ilo, mumbai_ilo):
    answer = client.get("/api/v1/workflow/inbox", **bearer(delhi_ilo))
    assert answer.status_code == 200
    [task] = answer.json()["items"]
    assert task["reference"] == at_ilo.reference and task["stage"] == "ilo_review" and task["url"] == at_ilo.get_absolute_url()
    assert client.get("/api/v1/workflow/inbox", **bearer(mumbai_ilo)).json()["items"] == []


def test_the_api_inbox_refuses_a_role_without_one(client, analyst):
    assert client.get("/api/v1/workflow/inbox", **bearer(analyst)).status_code == 403


def test_the_api_inbox_is_documented_under_the_workflow(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/workflow/inbox"]["get"]
    assert operation["tags"] == ["workflow"]


def test_a_district_officer_follows_its_stations_work_with_each_stations_name(
    citizen, delhi_station, delhi_station_officer, delhi_district_officer, delhi_ilo
):
    from citizen import services as citizen_services

    details = {"category": "theft", "occurred_on": "2025-01-10", "place": "Janpath market", "description": "My phone was stolen."}
    complaint = citizen_services.request_create(by=citizen, service="complaint", details=details, station=delhi_station)
    [task] = station_tasks_for(delhi_district_officer)
    assert task.reference == complaint.reference and task.station_name == delhi_station.name
    assert not station_tasks_for(delhi_ilo).exists() and not station_tasks_for(delhi_station_officer).exists()

"""The district's SP office above the stations: complaints against officials, e-FIRs the station did not confirm in time,
and the district officer following the requests of its stations."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services as accounts
from accounts.models import Role
from audit.models import AuditEntry
from citizen import services
from citizen.models import CitizenRequest
from citizen.tests.conftest import FIR_JSON, code_in, complaint_details, fir_form_data
from conftest import fir_registration, make_user
from directory.models import District
from workflow.models import Task, Transition
from workflow.services import escalate_overdue, inbox_for

pytestmark = pytest.mark.django_db

LATE = timedelta(days=3, hours=1)  # past the e-FIR's 3 days (BNSS s.173)


@pytest.fixture
def other_district_officer(delhi_station):
    """The SP office of another Delhi district."""
    other = District.objects.filter(state=delhi_station.district.state).exclude(pk=delhi_station.district_id).order_by("lgd_code").first()
    return make_user("other_sp", Role.DISTRICT_OFFICER, agency=delhi_station.agency, district=other)


@pytest.fixture
def escalated_efir(efir, delhi_district_officer, mailbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        escalate_overdue(now=timezone.now() + LATE)
    efir.refresh_from_db()
    return efir


@pytest.fixture
def conduct_complaint(
    citizen, delhi_station_with_pin, delhi_station_officer, delhi_district_officer, mailbox, django_capture_on_commit_callbacks
):
    details = {"official": "SI Verma, beat 4", "occurred_on": "2025-01-10", "place": "Janpath", "description": "He took a bribe."}
    with django_capture_on_commit_callbacks(execute=True):
        return services.request_create(by=citizen, service="police_conduct", details=details, station=delhi_station_with_pin)


def _open_task(request: CitizenRequest) -> Task:
    return Task.objects.get(reference=request.reference, closed_at__isnull=True)


# --- An e-FIR the station did not confirm in time --------------------------------------------------------------


def test_an_e_fir_not_confirmed_in_3_days_goes_up_to_the_district_officer(
    efir, delhi_district_officer, delhi_ilo, mailbox, django_capture_on_commit_callbacks
):
    station_task = _open_task(efir)
    assert escalate_overdue(now=timezone.now() + timedelta(days=2)).escalated == 0
    mailbox._sink.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = escalate_overdue(now=timezone.now() + LATE)
    assert report.references == [efir.reference]

    efir.refresh_from_db()
    assert efir.level == CitizenRequest.Level.DISTRICT and efir.escalated_at is not None
    district_task = _open_task(efir)
    assert district_task.office == f"district:{efir.station.district_id}"
    assert district_task.due_at > timezone.now() + LATE  # the district gets its own 3 days
    station_task.refresh_from_db()
    assert station_task.closed_at is not None and station_task.escalated_at is not None

    messages = mailbox.wait_for(2)
    to_district = [m for m in messages if m["To"] == delhi_district_officer.email]
    assert len(to_district) == 1 and efir.reference in to_district[0]["Subject"]
    assert "now with your office" in mailbox.body(to_district[0])
    assert not [m for m in messages if m["To"] == delhi_ilo.email]
    to_citizen = [m for m in messages if m["To"] == efir.contact_email]
    assert len(to_citizen) == 1 and "SP office" in to_citizen[0]["Subject"]

    entry = AuditEntry.objects.get(action="workflow.escalated")
    assert entry.data["handed_to"] == f"district:{efir.station.district_id}" and entry.data["to"] == [delhi_district_officer.email]
    assert "fallback" not in entry.data
    assert AuditEntry.objects.get(action="citizen.escalated").data["to"] == "district"
    assert escalate_overdue(now=timezone.now() + LATE).escalated == 0  # once


def test_the_e_fir_leaves_the_station_for_the_district_inbox(
    signed_in, client, escalated_efir, delhi_district_officer, delhi_station_officer
):
    assert [t.reference for t in inbox_for(delhi_district_officer)] == [escalated_efir.reference]
    assert not inbox_for(delhi_station_officer).exists()
    assert escalated_efir.reference in signed_in(delhi_district_officer).get(reverse("citizen_station:inbox")).content.decode()
    client.logout()
    station = signed_in(delhi_station_officer)
    assert escalated_efir.reference not in station.get(reverse("citizen_station:inbox")).content.decode()
    assert station.get(reverse("citizen_station:detail", args=[escalated_efir.reference])).status_code == 404
    url = reverse("citizen_station:register_fir", args=[escalated_efir.reference])
    assert station.post(url, fir_form_data(1)).status_code == 404


def test_the_district_officer_registers_the_escalated_e_fir_from_its_inbox(
    signed_in, client, escalated_efir, delhi_district_officer, citizen, mailbox, django_capture_on_commit_callbacks
):
    officer = signed_in(delhi_district_officer)
    page = officer.get(reverse("citizen_station:detail", args=[escalated_efir.reference])).content.decode()
    assert "Register the FIR" in page and "SP office" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(reverse("citizen_station:register_fir", args=[escalated_efir.reference]), fir_form_data(456))
    assert response.status_code == 302
    escalated_efir.refresh_from_db()
    assert escalated_efir.stage == CitizenRequest.Stage.REGISTERED and escalated_efir.fir_number == "456/2025"
    assert escalated_efir.fir.station == escalated_efir.station  # the FIR is the station's, registered by its SP office
    assert Transition.objects.filter(action="register_fir", by=delhi_district_officer).exists()
    assert _open_task(escalated_efir).office == f"district:{escalated_efir.station.district_id}"  # it stays with the district until closed
    client.logout()
    assert signed_in(citizen).get(reverse("citizen_public:fir_copy", args=[escalated_efir.reference])).status_code == 200


def test_the_district_officer_rejects_the_escalated_e_fir_with_reasons(signed_in, escalated_efir, delhi_district_officer):
    officer = signed_in(delhi_district_officer)
    url = reverse("citizen_station:act", args=[escalated_efir.reference, "reject"])
    assert officer.post(url, {"note": ""}).status_code == 400
    assert officer.post(url, {"note": "Not a theft: the scooter was towed."}).status_code == 302
    escalated_efir.refresh_from_db()
    assert escalated_efir.stage == CitizenRequest.Stage.REJECTED
    assert escalated_efir.decision_reason == "Not a theft: the scooter was towed."


def test_the_district_officer_acts_through_the_api(client, escalated_efir, delhi_district_officer):
    raw = accounts.api_token_create(user=delhi_district_officer, name="sp desk", scopes=["citizen:read", "citizen:write"])
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    listed = client.get("/api/v1/citizen/station/requests", **bearer).json()
    assert [r["reference"] for r in listed] == [escalated_efir.reference]
    response = client.post(
        f"/api/v1/citizen/station/requests/{escalated_efir.reference}/steps/register_fir",
        {"fir": FIR_JSON},
        content_type="application/json",
        **bearer,
    )
    assert response.status_code == 200 and response.json()["stage"] == "registered"
    assert response.json()["level"] == "district" and response.json()["handled_by"].startswith("SP office")


def test_an_e_fir_registered_in_time_stays_at_the_station(efir, delhi_station_officer, delhi_district_officer):
    services.request_register_fir(request=efir, by=delhi_station_officer, registration=fir_registration(12))
    escalate_overdue(now=timezone.now() + LATE)
    efir.refresh_from_db()
    assert efir.level == CitizenRequest.Level.STATION and efir.escalated_at is None
    assert _open_task(efir).office == f"station:{efir.station_id}"


def test_the_citizens_status_page_says_the_e_fir_is_now_with_the_district(
    signed_in, client, escalated_efir, citizen, mailbox, django_capture_on_commit_callbacks
):
    page = signed_in(citizen).get(escalated_efir.citizen_url()).content.decode()
    district = escalated_efir.station.district.name
    assert f"SP office, {district} district" in page
    assert "did not act within its deadline" in page

    client.logout()  # the same page, reached with the acknowledgement number and a one-time code
    mailbox._sink.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("citizen_public:track"), {"reference": escalated_efir.reference})
    code = code_in(mailbox.body(mailbox.wait_for(1)[-1]))
    client.post(reverse("citizen_public:track_verify"), {"code": code})
    tracked = client.get(escalated_efir.citizen_url()).content.decode()
    assert f"SP office, {district} district" in tracked and "did not act within its deadline" in tracked


# --- Complaints against police officials ----------------------------------------------------------------------


def test_a_complaint_against_an_official_lands_in_the_district_inbox_and_not_the_stations(
    signed_in, client, conduct_complaint, delhi_district_officer, delhi_station_officer, delhi_ilo, mailbox
):
    assert conduct_complaint.level == CitizenRequest.Level.DISTRICT
    assert [t.reference for t in inbox_for(delhi_district_officer)] == [conduct_complaint.reference]
    assert not inbox_for(delhi_station_officer).exists() and not inbox_for(delhi_ilo).exists()
    told = [m["To"] for m in mailbox.wait_for(2)]
    assert delhi_district_officer.email in told
    assert delhi_station_officer.email not in told and conduct_complaint.station.email not in told

    assert conduct_complaint.reference in signed_in(delhi_district_officer).get(reverse("citizen_station:inbox")).content.decode()
    client.logout()
    station = signed_in(delhi_station_officer)
    assert conduct_complaint.reference not in station.get(reverse("citizen_station:inbox")).content.decode()
    assert station.get(reverse("citizen_station:detail", args=[conduct_complaint.reference])).status_code == 404


def test_the_district_officer_takes_up_the_complaint_and_the_citizen_sees_who(
    signed_in, client, conduct_complaint, delhi_district_officer, citizen
):
    response = signed_in(delhi_district_officer).post(
        reverse("citizen_station:act", args=[conduct_complaint.reference, "accept"]), {"note": "Enquiry ordered.", "version": 1}
    )
    assert response.status_code == 302
    conduct_complaint.refresh_from_db()
    assert conduct_complaint.stage == CitizenRequest.Stage.IN_PROGRESS
    assert _open_task(conduct_complaint).office == f"district:{conduct_complaint.station.district_id}"
    client.logout()
    page = signed_in(citizen).get(conduct_complaint.citizen_url()).content.decode()
    assert f"SP office, {conduct_complaint.station.district.name} district" in page


def test_a_complaint_against_an_officer_of_the_sp_office_goes_to_the_states_ilos(
    signed_in, citizen, delhi_station, delhi_district_officer, delhi_ilo
):
    details = {"official": "The SP himself", "official_at": "district", "occurred_on": "2025-01-10", "place": "x", "description": "y"}
    request = services.request_create(by=citizen, service="police_conduct", details=details, station=delhi_station)
    assert request.level == CitizenRequest.Level.ILO
    assert [t.reference for t in inbox_for(delhi_ilo)] == [request.reference]
    assert not inbox_for(delhi_district_officer).exists()
    assert signed_in(delhi_district_officer).get(reverse("citizen_station:detail", args=[request.reference])).status_code == 404


# --- Jurisdiction -----------------------------------------------------------------------------------------------


def test_a_district_officer_of_another_district_gets_404(signed_in, escalated_efir, conduct_complaint, other_district_officer):
    client = signed_in(other_district_officer)
    for request in (escalated_efir, conduct_complaint):
        assert client.get(reverse("citizen_station:detail", args=[request.reference])).status_code == 404
        assert client.post(reverse("citizen_station:act", args=[request.reference, "accept"]), {"version": 1}).status_code == 404
        assert client.get(f"/api/v1/citizen/station/requests/{request.reference}").status_code == 404
    page = client.get(reverse("citizen_station:inbox")).content.decode()
    assert escalated_efir.reference not in page and conduct_complaint.reference not in page
    assert AuditEntry.objects.filter(action="access.out_of_jurisdiction", actor=other_district_officer).exists()


def test_the_district_officer_follows_its_stations_requests_but_cannot_act_on_them(signed_in, complaint, delhi_district_officer):
    client = signed_in(delhi_district_officer)
    inbox = client.get(reverse("citizen_station:inbox"))
    assert [t.reference for t in inbox.context["tasks"]] == []
    assert [t.reference for t in inbox.context["at_stations"]] == [complaint.reference]
    detail = client.get(reverse("citizen_station:detail", args=[complaint.reference]))
    assert detail.status_code == 200 and detail.context["steps"] == []
    assert client.post(reverse("citizen_station:act", args=[complaint.reference, "accept"]), {"version": 1}).status_code == 403
    complaint.refresh_from_db()
    assert complaint.stage == CitizenRequest.Stage.SUBMITTED


def test_the_states_ilo_follows_a_request_sent_up_to_the_district_and_another_states_gets_404(
    signed_in, client, escalated_efir, delhi_ilo, mumbai_ilo
):
    detail = signed_in(delhi_ilo).get(reverse("citizen_station:detail", args=[escalated_efir.reference]))
    assert detail.status_code == 200 and detail.context["steps"] == []
    assert signed_in(delhi_ilo).post(reverse("citizen_station:act", args=[escalated_efir.reference, "accept"])).status_code == 403
    client.logout()
    assert signed_in(mumbai_ilo).get(reverse("citizen_station:detail", args=[escalated_efir.reference])).status_code == 404


def test_anonymous_and_citizens_are_refused_the_district_inbox(client, signed_in, citizen, delhi_district_officer):
    assert client.get(reverse("citizen_station:inbox")).status_code == 302
    assert signed_in(citizen).get(reverse("citizen_station:inbox")).status_code == 403


def test_the_district_inbox_lists_its_stations_with_few_queries(
    signed_in, complaint, escalated_efir, delhi_district_officer, django_assert_max_num_queries
):
    client = signed_in(delhi_district_officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("citizen_station:inbox"))
    assert response.status_code == 200
    details = complaint_details(description="Another phone.")
    services.request_create(by=complaint.citizen, service="complaint", details=details, station=complaint.station)
    with django_assert_max_num_queries(12):
        assert len(client.get(reverse("citizen_station:inbox")).context["at_stations"]) == 2

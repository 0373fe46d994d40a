"""Escalation of overdue work: a station's goes to its district's SP office, the state's ILOs only when that office has
no officer; the district's inbox holds the tasks addressed to it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEntry
from citizen import services as citizen_services
from conftest import make_user
from directory.models import District
from workflow.models import Task
from workflow.services import escalate_overdue, inbox_for, station_tasks_for

pytestmark = pytest.mark.django_db

LATER = timedelta(days=10)  # past a complaint's 3 working days


@pytest.fixture
def station_complaint(citizen, delhi_station, delhi_station_officer):
    details = {"category": "theft", "occurred_on": "2025-01-10", "place": "Janpath market", "description": "My phone was stolen."}
    return citizen_request(citizen, delhi_station, details)


def citizen_request(by, station, details, service="complaint"):
    return citizen_services.request_create(by=by, service=service, details=details, station=station)


def test_an_overdue_station_task_is_told_to_its_districts_officers(
    station_complaint, delhi_district_officer, delhi_ilo, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = escalate_overdue(now=timezone.now() + LATER)
    assert report.references == [station_complaint.reference] and report.emails == 1
    overdue = [m for m in mailbox.wait_for(1) if station_complaint.reference in m["Subject"]]
    assert [m["To"] for m in overdue] == [delhi_district_officer.email]
    entry = AuditEntry.objects.get(action="workflow.escalated")
    assert entry.data["to"] == [delhi_district_officer.email] and "fallback" not in entry.data and "handed_to" not in entry.data
    task = Task.objects.get(reference=station_complaint.reference, closed_at__isnull=True)
    assert task.office == f"station:{station_complaint.station_id}" and task.escalated_at is not None  # it stays with its station


def test_without_a_district_officer_the_states_ilos_are_told_and_the_audit_says_why(
    station_complaint, delhi_ilo, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        escalate_overdue(now=timezone.now() + LATER)
    assert [m["To"] for m in mailbox.wait_for(1) if station_complaint.reference in m["Subject"]] == [delhi_ilo.email]
    entry = AuditEntry.objects.get(action="workflow.escalated")
    assert entry.data["to"] == [delhi_ilo.email]
    assert "no district officer" in entry.data["fallback"]


def test_a_disabled_district_officer_does_not_count(station_complaint, delhi_district_officer, delhi_ilo):
    delhi_district_officer.is_active = False
    delhi_district_officer.save()
    escalate_overdue(now=timezone.now() + LATER)
    assert AuditEntry.objects.get(action="workflow.escalated").data["to"] == [delhi_ilo.email]


def test_an_overdue_district_task_goes_to_the_states_ilos(citizen, delhi_station, delhi_district_officer, delhi_ilo):
    details = {"official": "SI Verma", "occurred_on": "2025-01-10", "place": "x", "description": "y"}
    request = citizen_request(citizen, delhi_station, details, service="police_conduct")
    escalate_overdue(now=timezone.now() + timedelta(days=31))
    entry = AuditEntry.objects.get(action="workflow.escalated")
    assert entry.data["reference"] == request.reference and entry.data["to"] == [delhi_ilo.email]


def test_the_district_inbox_holds_only_the_tasks_addressed_to_its_district(citizen, delhi_station, delhi_district_officer):
    other = District.objects.filter(state=delhi_station.district.state).exclude(pk=delhi_station.district_id).order_by("lgd_code").first()
    other_officer = make_user("other_sp", Role.DISTRICT_OFFICER, agency=delhi_station.agency, district=other)
    details = {"official": "SI Verma", "occurred_on": "2025-01-10", "place": "x", "description": "y"}
    request = citizen_request(citizen, delhi_station, details, service="police_conduct")
    assert [t.reference for t in inbox_for(delhi_district_officer)] == [request.reference]
    assert not inbox_for(other_officer).exists()


def test_a_district_officer_follows_the_tasks_of_its_stations_and_nobody_else_gets_them_that_way(
    station_complaint, delhi_district_officer, delhi_station_officer, delhi_ilo
):
    assert [t.reference for t in station_tasks_for(delhi_district_officer)] == [station_complaint.reference]
    assert not inbox_for(delhi_district_officer).exists()
    assert not station_tasks_for(delhi_station_officer).exists() and not station_tasks_for(delhi_ilo).exists()


# --- Along the chain of offices ---------------------------------------------------------------------------------


def overdue(subject) -> None:
    """The subject's open task is past its deadline."""
    Task.objects.filter(reference=subject.reference, closed_at__isnull=True).update(due_at=timezone.now() - timedelta(hours=3))


def test_an_overdue_unit_task_is_told_to_its_agencys_ilos(red_draft, delhi_ilo, ncb_officer, mailbox, django_capture_on_commit_callbacks):
    overdue(red_draft)
    with django_capture_on_commit_callbacks(execute=True):
        escalate_overdue()
    entry = AuditEntry.objects.get(action="workflow.escalated")
    assert entry.data["to"] == [delhi_ilo.email] and "fallback" not in entry.data
    [message] = [m for m in mailbox.wait_for(1) if red_draft.reference in m["Subject"]]
    assert "Crime Branch" in mailbox.body(message) and "3 hour(s) late" in mailbox.body(message)


def test_without_an_active_ilo_the_unit_offices_late_work_reaches_the_ncb_and_the_audit_says_why(red_draft, delhi_ilo, ncb_officer):
    delhi_ilo.is_active = False
    delhi_ilo.save()
    overdue(red_draft)
    escalate_overdue()
    entry = AuditEntry.objects.get(action="workflow.escalated")
    assert entry.data["to"] == [ncb_officer.email]
    assert "Delhi Police has no active officer" in entry.data["fallback"] and "NCB" in entry.data["fallback"]


def test_the_ncbs_own_late_work_is_told_to_its_administrators_only(at_ncb, ncb_admin, ncb_officer, analyst):
    overdue(at_ncb)
    escalate_overdue()
    assert AuditEntry.objects.get(action="workflow.escalated").data["to"] == [ncb_admin.email]


def test_an_agencys_late_work_is_told_to_the_ncbs_officers(at_ilo, ncb_admin, ncb_officer, analyst, sysadmin):
    overdue(at_ilo)
    escalate_overdue()
    assert AuditEntry.objects.get(action="workflow.escalated").data["to"] == sorted([ncb_admin.email, ncb_officer.email])

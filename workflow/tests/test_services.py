"""Moves name the offices that make them; tasks are opened, closed and rescheduled only through the workflow."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.offices import Level, Office
from conftest import make_user
from notices.models import NoticeRequest
from workflow import services as workflow
from workflow.models import Task

pytestmark = pytest.mark.django_db


def test_a_move_of_the_ncb_is_made_by_its_officers_not_by_an_analyst_or_administrator_sitting_at_the_centre(
    ncb_officer, ncb_admin, analyst, sysadmin, delhi_ilo, citizen
):
    move = workflow.Move(NoticeRequest.Stage.REFUSED, workflow.NCB)
    assert move.allows(ncb_officer) and move.allows(ncb_admin)
    assert not move.allows(analyst) and not move.allows(sysadmin) and not move.allows(delhi_ilo) and not move.allows(citizen)


def test_a_move_named_by_roles_is_read_as_the_levels_of_their_offices(delhi_uo, delhi_ilo, citizen, delhi_station_officer):
    drafters = workflow.Move("ilo_review", (Role.UO, Role.ILO))
    assert drafters.by == (Level.UNIT, Level.AGENCY)
    assert drafters.allows(delhi_uo) and drafters.allows(delhi_ilo) and not drafters.allows(delhi_station_officer)
    requester = workflow.Move("submitted", (Role.CITIZEN,))
    assert requester.by == (None,) and requester.allows(citizen) and not requester.allows(delhi_ilo)


def test_a_disabled_officer_makes_no_move(delhi_ilo):
    delhi_ilo.is_active = False
    assert not workflow.Move("ncb_review", workflow.AGENCY).allows(delhi_ilo)


def test_an_ilo_of_another_state_cannot_move_a_request_waiting_on_delhi(at_ilo, mumbai_ilo):
    with pytest.raises(workflow.IllegalMove, match="another office"):
        workflow.advance(at_ilo, action="forward", by=mumbai_ilo, audit_label="notices")
    at_ilo.refresh_from_db()
    assert at_ilo.stage == NoticeRequest.Stage.ILO_REVIEW


def test_the_drafters_are_the_officers_of_the_requests_agency_and_unit_office(
    red_draft, delhi_ilo, delhi_uo, mumbai_ilo, ncb_officer, delhi_police, delhi_cyber_cell
):
    other_unit = make_user("cyber_uo", Role.UO, agency=delhi_police, unit=delhi_cyber_cell)
    assert workflow.is_drafter(delhi_ilo, red_draft) and workflow.is_drafter(delhi_uo, red_draft)
    assert not any(workflow.is_drafter(user, red_draft) for user in (other_unit, mumbai_ilo, ncb_officer))


def test_each_move_leaves_one_open_task_at_the_office_that_acts_next(red_draft, delhi_uo, delhi_ilo):
    assert workflow.task_for(red_draft).office == f"unit:{red_draft.unit_id}"
    at_ilo = workflow.advance(red_draft, action="submit", by=delhi_uo, audit_label="notices")
    assert workflow.task_for(at_ilo).office == f"agency:{red_draft.agency_id}"
    at_ncb = workflow.advance(at_ilo, action="forward", by=delhi_ilo, audit_label="notices")
    assert workflow.task_for(at_ncb).office == "national"
    assert Task.objects.filter(reference=red_draft.reference, closed_at__isnull=True).count() == 1
    assert Task.objects.filter(reference=red_draft.reference).count() == 3


def test_opening_a_task_elsewhere_closes_the_one_the_item_had(at_ilo):
    moved = workflow.task_open(at_ilo, Office.national(), timezone.now() + timedelta(days=1))
    assert workflow.task_for(at_ilo) == moved and moved.office == "national" and moved.reference == at_ilo.reference
    assert Task.objects.filter(reference=at_ilo.reference, closed_at__isnull=True).count() == 1


def test_closing_an_items_tasks_leaves_it_waiting_on_nobody(at_ilo):
    assert workflow.tasks_close(at_ilo) == 1
    assert workflow.task_for(at_ilo) is None and workflow.tasks_close(at_ilo) == 0


def test_a_rescheduled_task_may_be_escalated_again(at_ilo):
    Task.objects.filter(reference=at_ilo.reference).update(escalated_at=timezone.now())
    later = timezone.now() + timedelta(days=30)
    assert workflow.task_reschedule(at_ilo, later) == 1
    task = workflow.task_for(at_ilo)
    assert task.due_at == later and task.escalated_at is None


def test_a_task_names_the_office_it_waits_on(at_ilo, delhi_police):
    assert workflow.task_for(at_ilo).waiting_at() == Office.agency(delhi_police.pk)

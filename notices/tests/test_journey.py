"""A Red notice request from a UO's draft to INTERPOL's publication, through the services."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from audit.models import AuditEntry
from notices import services
from notices.models import NoticeKind, NoticeRequest
from notices.tests.conftest import red_notice_data
from workflow import services as workflow
from workflow import transmission
from workflow.models import OutboundMessage, Task, Transition

pytestmark = pytest.mark.django_db
S = NoticeRequest.Stage


def inbox_refs(user) -> list[str]:
    return [task.reference for task in workflow.inbox_for(user)]


def test_the_whole_journey_reaches_publication_and_every_step_is_recorded(
    red_draft, delhi_uo, delhi_ilo, ncb_officer, mailbox, django_capture_on_commit_callbacks
):
    notice = red_draft
    assert notice.reference.startswith("NR/") and inbox_refs(delhi_uo) == [notice.reference]

    with django_capture_on_commit_callbacks(execute=True):
        services.notice_submit(request=notice, by=delhi_uo)
    assert notice.stage == S.ILO_REVIEW and inbox_refs(delhi_ilo) == [notice.reference] and inbox_refs(delhi_uo) == []

    services.notice_forward(request=notice, by=delhi_ilo, note="Checked against the case diary.")
    assert notice.stage == S.NCB_REVIEW and inbox_refs(ncb_officer) == [notice.reference]

    with django_capture_on_commit_callbacks(execute=True):
        services.notice_approve(request=notice, by=ncb_officer)
    assert notice.stage == S.TRANSMITTED
    message = OutboundMessage.objects.get()
    assert message.destination == "INTERPOL General Secretariat" and transmission.is_authentic(message)
    assert message.payload["request"]["name"] == "VERMA"

    with django_capture_on_commit_callbacks(execute=True):
        services.notice_record_answer(request=notice, by=ncb_officer, answer="published", notice_number="A-1234/5-2026")
    notice.refresh_from_db()
    assert notice.stage == S.PUBLISHED and notice.interpol_notice_number == "A-1234/5-2026"
    assert not Task.objects.filter(closed_at__isnull=True).exists()

    actions = list(Transition.objects.filter(object_id=notice.pk).values_list("action", flat=True))
    assert actions == ["create", "submit", "forward", "approve", "record_published"]
    audited = set(AuditEntry.objects.filter(target_id=str(notice.pk), action__startswith="notice.").values_list("action", flat=True))
    assert {"notice.create", "notice.submit", "notice.forward", "notice.approve", "notice.record_published"} <= audited
    assert any("Published by INTERPOL" in m["Subject"] for m in mailbox.wait_for(3))


def test_a_red_request_without_a_warrant_is_refused_field_by_field_and_nothing_moves(delhi_uo):
    notice = services.notice_draft_create(
        by=delhi_uo,
        kind=NoticeKind.RED,
        data=red_notice_data(warrant_number="", warrant_date=None, issuing_court="", max_penalty_life=False, max_penalty_months=12),
    )
    with pytest.raises(services.RequestInvalid) as refused:
        services.notice_submit(request=notice, by=delhi_uo)
    fields = {problem.field for problem in refused.value.problems}
    assert {"warrant_number", "issuing_court", "max_penalty_months"} <= fields
    assert all("RPD" in problem.message or "Art" in problem.message for problem in refused.value.problems)
    notice.refresh_from_db()
    assert notice.stage == S.DRAFT
    assert list(Transition.objects.filter(object_id=notice.pk).values_list("action", flat=True)) == ["create"]


def test_a_uo_cannot_forward_its_own_request(red_draft, delhi_uo):
    services.notice_submit(request=red_draft, by=delhi_uo)
    with pytest.raises(workflow.IllegalMove, match="cannot take this step"):
        services.notice_forward(request=red_draft, by=delhi_uo)


def test_returning_needs_a_comment_and_sends_the_request_back_to_the_uo(red_draft, delhi_uo, delhi_ilo):
    services.notice_submit(request=red_draft, by=delhi_uo)
    with pytest.raises(workflow.IllegalMove, match="comment"):
        services.notice_return(request=red_draft, by=delhi_ilo, note=" ")
    services.notice_return(request=red_draft, by=delhi_ilo, note="Attach the warrant copy.")
    assert red_draft.stage == S.DRAFT and inbox_refs(delhi_uo) == [red_draft.reference]


def test_two_reviewers_acting_at_once_one_wins_and_nothing_is_applied_twice(red_draft, delhi_uo, delhi_ilo, ncb_admin, ncb_officer):
    services.notice_submit(request=red_draft, by=delhi_uo)
    services.notice_forward(request=red_draft, by=delhi_ilo)
    seen_by_both = red_draft.version
    first = NoticeRequest.objects.get(pk=red_draft.pk)
    second = NoticeRequest.objects.get(pk=red_draft.pk)
    services.notice_approve(request=first, by=ncb_officer, expected_version=seen_by_both)
    with pytest.raises(workflow.Conflict, match="Someone else acted"):
        services.notice_refuse(request=second, by=ncb_admin, note="Not enough identifiers", expected_version=seen_by_both)
    assert NoticeRequest.objects.get(pk=red_draft.pk).stage == S.TRANSMITTED
    assert OutboundMessage.objects.count() == 1
    assert Transition.objects.filter(object_id=red_draft.pk, action__in=["approve", "refuse"]).count() == 1


def test_a_double_submit_is_refused(red_draft, delhi_uo):
    version = red_draft.version
    services.notice_submit(request=red_draft, by=delhi_uo, expected_version=version)
    stale = NoticeRequest.objects.get(pk=red_draft.pk)
    stale.stage, stale.version = S.DRAFT, version
    with pytest.raises(workflow.WorkflowError):
        services.notice_submit(request=stale, by=delhi_uo, expected_version=version)
    assert Transition.objects.filter(object_id=red_draft.pk, action="submit").count() == 1


def test_an_article_3_flag_needs_the_ncbs_recorded_decision(delhi_uo, delhi_ilo, ncb_officer):
    notice = services.notice_draft_create(
        by=delhi_uo,
        kind=NoticeKind.RED,
        data=red_notice_data(
            offence="Sedition and murder",
            facts_summary="The subject led an armed group waging war against the Government and killed a guard.",
        ),
    )
    services.notice_submit(request=notice, by=delhi_uo)
    assert notice.article3_flags
    services.notice_forward(request=notice, by=delhi_ilo)
    with pytest.raises(workflow.IllegalMove, match="Article 3"):
        services.notice_approve(request=notice, by=ncb_officer)
    services.notice_approve(request=notice, by=ncb_officer, note="Ordinary-law murder predominates; political element incidental.")
    assert notice.stage == S.TRANSMITTED


def test_another_states_ilo_cannot_act_on_delhis_request(red_draft, delhi_uo, mumbai_ilo):
    services.notice_submit(request=red_draft, by=delhi_uo)
    assert not NoticeRequest.objects.visible_to(mumbai_ilo).exists()
    assert inbox_refs(mumbai_ilo) == []


def test_only_its_drafters_may_edit_a_draft(red_draft, mumbai_ilo):
    with pytest.raises(PermissionDenied):
        services.notice_draft_update(request=red_draft, by=mumbai_ilo, data={"forenames": "X"})


def test_a_stale_edit_is_a_conflict_and_saves_nothing(red_draft, delhi_uo, delhi_ilo):
    version = red_draft.version
    services.notice_draft_update(request=red_draft, by=delhi_ilo, data={"weight_kg": 72}, expected_version=version)
    with pytest.raises(workflow.Conflict):
        services.notice_draft_update(request=red_draft, by=delhi_uo, data={"weight_kg": 90}, expected_version=version)
    red_draft.refresh_from_db()
    assert red_draft.weight_kg == 72


def test_an_overdue_ilo_review_is_escalated_to_the_ncb_by_email_once(
    red_draft, delhi_uo, ncb_officer, ncb_admin, mailbox, django_capture_on_commit_callbacks
):
    services.notice_submit(request=red_draft, by=delhi_uo)
    task = Task.objects.get(closed_at__isnull=True)
    assert task.office == f"agency:{red_draft.agency_id}"
    assert task.due_at > timezone.now() + timedelta(days=1)
    Task.objects.filter(pk=task.pk).update(due_at=timezone.now() - timedelta(hours=3))
    mailbox.messages  # noqa: B018 - start from an empty mailbox
    with django_capture_on_commit_callbacks(execute=True):
        report = workflow.escalate_overdue()
    assert report.escalated == 1
    message = mailbox.wait_for(1)[0]
    assert red_draft.reference in message["Subject"]
    assert message.envelope_to == ["ncb_admin@example.invalid", "ncb_officer@example.invalid"]
    assert "3 hour(s) late" in mailbox.body(message)
    assert workflow.escalate_overdue().escalated == 0
    assert AuditEntry.objects.filter(action="workflow.escalated").count() == 1


def test_deadlines_count_working_days_only():
    from datetime import datetime

    friday_evening = timezone.make_aware(datetime(2026, 11, 27, 17, 0))
    assert workflow.add_working_days(friday_evening, 2).date().isoformat() == "2026-12-01"  # Tuesday
    assert workflow.add_working_days(friday_evening, 1).date().isoformat() == "2026-11-30"  # Monday


def test_the_inbox_is_sorted_by_deadline(delhi_uo, delhi_ilo):
    first = services.notice_draft_create(by=delhi_uo, kind=NoticeKind.RED, data=red_notice_data())
    second = services.notice_draft_create(by=delhi_uo, kind=NoticeKind.RED, data=red_notice_data(forenames="Sunil"))
    services.notice_submit(request=second, by=delhi_uo)
    services.notice_submit(request=first, by=delhi_uo)
    Task.objects.filter(reference=first.reference).update(due_at=timezone.now() + timedelta(hours=1))
    assert inbox_refs(delhi_ilo) == [first.reference, second.reference]
    assert [t.reference for t in workflow.inbox_for(delhi_ilo, overdue_only=True)] == []

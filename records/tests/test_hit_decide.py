"""Deciding a hit: the owner office or the NCB confirms or rejects it, once, saying why; the answer is kept and audited."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from notices import services as notice_services
from notices.models import NoticeKind
from notices.tests.conftest import red_notice_data
from records import services
from records.models import Hit
from records.tests.conftest import hit_mails
from workflow.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def hit(verma, delhi_uo, mumbai_ilo, django_capture_on_commit_callbacks):
    notice = notice_services.notice_draft_create(by=delhi_uo, kind=NoticeKind.RED, data=red_notice_data())
    with django_capture_on_commit_callbacks(execute=True):
        notice_services.notice_submit(request=notice, by=delhi_uo)
    return Hit.objects.get()


def test_confirming_keeps_the_answer_audits_it_closes_the_task_and_tells_the_handler(
    hit, mumbai_ilo, delhi_uo, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.hit_decide(hit=hit, by=mumbai_ilo, confirmed=True, note="Same man: photograph and passport Z0000001 compared")
    hit.refresh_from_db()
    assert hit.status == Hit.Status.CONFIRMED and hit.decided_by == mumbai_ilo and hit.decided_at is not None
    assert hit.decision_note == "Same man: photograph and passport Z0000001 compared"
    entry = AuditEntry.objects.get(action="records.hit_confirmed")
    assert entry.actor == mumbai_ilo and entry.target_id == str(hit.pk) and entry.data["note"] == hit.decision_note
    task = Task.objects.get(content_type=ContentType.objects.get_for_model(Hit), object_id=hit.pk)
    assert task.closed_at == hit.decided_at
    told = [m for m in hit_mails(mailbox, 3) if m["To"] == delhi_uo.email and "Confirmed" in m["Subject"]]
    assert told and "passport Z0000001" in mailbox.body(told[0])


def test_rejecting_needs_a_reason_and_is_kept(hit, mumbai_ilo):
    with pytest.raises(ValidationError) as refused:
        services.hit_decide(hit=hit, by=mumbai_ilo, confirmed=False, note="  ")
    assert "note" in refused.value.message_dict
    services.hit_decide(hit=hit, by=mumbai_ilo, confirmed=False, note="Different father; born in 1991 per the passport")
    hit.refresh_from_db()
    assert hit.status == Hit.Status.REJECTED
    assert AuditEntry.objects.filter(action="records.hit_rejected", actor=mumbai_ilo).exists()


def test_a_hit_is_decided_once(hit, mumbai_ilo, ncb_officer):
    services.hit_decide(hit=hit, by=mumbai_ilo, confirmed=True, note="Fingerprints match")
    with pytest.raises(services.AlreadyDecided):
        services.hit_decide(hit=hit, by=ncb_officer, confirmed=False, note="Second thoughts")
    hit.refresh_from_db()
    assert hit.status == Hit.Status.CONFIRMED and hit.decided_by == mumbai_ilo


def test_the_handler_sees_the_hit_but_only_the_owner_or_the_ncb_decides(hit, delhi_uo, delhi_ilo, ncb_officer):
    assert Hit.objects.visible_to(delhi_uo).filter(pk=hit.pk).exists()
    for officer in (delhi_uo, delhi_ilo):
        with pytest.raises(PermissionDenied):
            services.hit_decide(hit=hit, by=officer, confirmed=True, note="Looks like him")
    services.hit_decide(hit=hit, by=ncb_officer, confirmed=True, note="Confirmed by the NCB on fingerprints")


def test_a_hit_on_a_record_without_an_owner_is_decided_by_the_ncb_alone(verma, delhi_ilo, ncb_officer):
    from records.matching import screen_person

    match = screen_person("Rakesh Kumar Verma", dob="1984-03-14")[0]
    hit = services.hit_create(source=delhi_ilo, match=match, owner_agency=None)
    assert not services.may_decide(hit, delhi_ilo) and services.may_decide(hit, ncb_officer)

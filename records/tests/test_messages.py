"""What screening tells, and when: the record's owners and the item's handler each in their own language, enqueued in
the transaction that notifies or decides the hit; the screening itself a task enqueued with the incoming item."""

from email.header import decode_header, make_header

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from jobs import services as jobs
from notices import services as notice_services
from notices.models import NoticeKind
from notices.tests.conftest import red_notice_data
from records import crossmatch, services
from records.models import Hit

pytestmark = pytest.mark.django_db


class RolledBack(Exception):
    """Raised to undo the transaction a test opened."""


def deliveries(key: str):
    return DBTaskResult.objects.filter(task_path="notify.tasks.email_deliver", args_kwargs__kwargs__key=key)


def messages(mailbox, key: str) -> list:
    return [m for m in mailbox.messages if m["X-OpenPol-Message"] == key]


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def submit_notice(by):
    notice = notice_services.notice_draft_create(by=by, kind=NoticeKind.RED, data=red_notice_data())
    notice_services.notice_submit(request=notice, by=by)
    return notice


def test_the_match_email_goes_to_the_records_owners_in_their_language(verma, delhi_uo, mumbai_ilo, maharashtra_police, mailbox):
    mumbai_ilo.language = "hi"
    mumbai_ilo.save(update_fields=["language"])
    submit_notice(delhi_uo)
    hit = Hit.objects.get()
    [to_owner] = messages(mailbox, "records.match_found")
    assert to_owner["To"] == mumbai_ilo.email
    assert subject(to_owner) == f"{hit.reference}: {hit.source_label[:80]} के लिए संभावित मिलान"
    body = mailbox.body(to_owner)
    assert "व्यक्ति Rakesh Kumar Verma (test:MH-1)" in body and "- date of birth agrees" in " ".join(body.splitlines())
    assert hit.get_absolute_url() in body and f"{hit.score:.2f}" in body
    [to_handler] = messages(mailbox, "records.match_found_handler")
    assert to_handler["To"] == delhi_uo.email and subject(to_handler) == f"{hit.reference}: possible match for {hit.source_label[:80]}"
    assert f"in the records of {maharashtra_police.name}, may be the one in {hit.source_label}" in mailbox.body(to_handler)


def test_screening_is_a_task_enqueued_with_the_item_and_nothing_is_screened_if_the_item_rolls_back(verma, delhi_uo, mailbox):
    notice = notice_services.notice_draft_create(by=delhi_uo, kind=NoticeKind.RED, data=red_notice_data())
    with pytest.raises(RolledBack), transaction.atomic():
        notice_services.notice_submit(request=notice, by=delhi_uo)
        [screening] = DBTaskResult.objects.filter(task_path="records.tasks.screen")
        assert screening.args_kwargs["args"] == ["notices", notice.pk]
        raise RolledBack
    assert not DBTaskResult.objects.filter(task_path="records.tasks.screen").exists()
    assert not Hit.objects.exists() and messages(mailbox, "records.match_found") == []

    notice.refresh_from_db()
    notice_services.notice_submit(request=notice, by=delhi_uo)
    screening = DBTaskResult.objects.get(task_path="records.tasks.screen")
    assert screening.status == "SUCCESSFUL" and screening.return_value["new"] == 1
    assert Hit.objects.get().person == verma


def test_a_screening_that_fails_is_tried_again_and_finds_the_match_then(verma, delhi_uo, mumbai_ilo, mailbox, monkeypatch):
    real = crossmatch.person_matches
    calls = []

    def unreachable_once(subject):
        calls.append(subject)
        if len(calls) == 1:
            raise RuntimeError("the records database is unreachable")
        return real(subject)

    monkeypatch.setattr(crossmatch, "person_matches", unreachable_once)
    notice = submit_notice(delhi_uo)
    screening = DBTaskResult.objects.get(task_path="records.tasks.screen")
    assert screening.status == "READY" and screening.exception_class_path == "builtins.RuntimeError" and not Hit.objects.exists()

    jobs.run_ready(now=screening.run_after)
    screening.refresh_from_db()
    assert screening.status == "SUCCESSFUL" and Hit.objects.get().source == notice
    assert [m["To"] for m in messages(mailbox, "records.match_found")] == [mumbai_ilo.email]


def test_the_owners_are_told_only_when_the_hit_is_notified_for_good(verma, delhi_uo, mumbai_ilo, mailbox):
    notice = notice_services.notice_draft_create(by=delhi_uo, kind=NoticeKind.RED, data=red_notice_data())
    with pytest.raises(RolledBack), transaction.atomic():
        crossmatch.screen_source(notice)
        assert deliveries("records.match_found").count() == 1
        raise RolledBack
    assert not deliveries("records.match_found").exists() and not Hit.objects.exists()
    assert messages(mailbox, "records.match_found") == []


def test_the_handler_is_told_of_the_decision_in_their_language(verma, delhi_uo, mumbai_ilo, mailbox):
    delhi_uo.language = "hi"
    delhi_uo.save(update_fields=["language"])
    submit_notice(delhi_uo)
    hit = Hit.objects.get()
    services.hit_decide(hit=hit, by=mumbai_ilo, confirmed=True, note="Same father's name and FIR")
    [decided] = messages(mailbox, "records.match_decided")
    assert decided["To"] == delhi_uo.email
    body = mailbox.body(decided)
    assert "के संभावित मिलान को" in body and "कारण: Same father's name and FIR" in body and hit.get_absolute_url() in body


def test_the_handler_who_decides_the_hit_is_not_told_of_it(verma, delhi_uo, ncb_officer, mailbox):
    submit_notice(delhi_uo)
    hit = Hit.objects.get()
    Hit.objects.filter(pk=hit.pk).update(handled_by=ncb_officer)
    hit.refresh_from_db()
    services.hit_decide(hit=hit, by=ncb_officer, confirmed=False, note="A different man: another father")
    assert not deliveries("records.match_decided").exists()

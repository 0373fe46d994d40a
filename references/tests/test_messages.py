"""What a reference's drafter is told: enqueued in the transaction of the move or the reply, in the drafter's language."""

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from references import services

pytestmark = pytest.mark.django_db


class RolledBack(Exception):
    """Raised to undo the transaction a test opened."""


def deliveries(key: str):
    return DBTaskResult.objects.filter(task_path="notify.tasks.email_deliver", args_kwargs__kwargs__key=key)


def messages(mailbox, key: str) -> list:
    return [m for m in mailbox.messages if m["X-OpenPol-Message"] == key]


@pytest.fixture
def sent(draft, delhi_uo, delhi_ilo, ncb_officer):
    services.reference_submit(request=draft, by=delhi_uo)
    services.reference_forward(request=draft, by=delhi_ilo)
    services.reference_approve(request=draft, by=ncb_officer)
    return draft


def record_reply(request, by, country="AE"):
    return services.reference_reply_record(
        request=request, by=by, country=country, received_on=timezone.localdate(), body="Two accounts identified; statements attached."
    )


def test_the_drafter_is_told_of_a_reply_only_when_it_is_recorded(mailbox, sent, delhi_uo, ncb_officer):
    assert [m["To"] for m in messages(mailbox, "references.stage_changed")] == [delhi_uo.email] * 2  # forwarded, sent abroad

    with pytest.raises(RolledBack), transaction.atomic():
        record_reply(sent, ncb_officer)
        assert deliveries("references.reply_received").count() == 1
        raise RolledBack
    assert not deliveries("references.reply_received").exists()
    assert messages(mailbox, "references.reply_received") == []

    sent.refresh_from_db()
    record_reply(sent, ncb_officer, "AE")
    record_reply(sent, ncb_officer, "SG")
    first, second = messages(mailbox, "references.reply_received")
    assert first["To"] == second["To"] == delhi_uo.email
    assert "Reply received" in first["Subject"]
    assert "Reply from United Arab Emirates" in mailbox.body(first)
    assert "Another reply arrived." in mailbox.body(second)


def test_a_drafter_who_reads_hindi_is_told_in_hindi(draft, delhi_uo, delhi_ilo, ncb_officer, mailbox):
    delhi_uo.language = "hi"
    delhi_uo.save(update_fields=["language"])
    services.reference_submit(request=draft, by=delhi_uo)
    services.reference_forward(request=draft, by=delhi_ilo)
    services.reference_approve(request=draft, by=ncb_officer)
    draft.refresh_from_db()
    record_reply(draft, ncb_officer)
    [message] = messages(mailbox, "references.reply_received")
    body = mailbox.body(message)
    assert "की वर्तमान स्थिति" in body and "से प्राप्त उत्तर" in body
    assert "is now" not in body

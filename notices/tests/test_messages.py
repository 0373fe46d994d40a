"""What a notice request's drafter is told: enqueued in the transaction of the move, in the drafter's language."""

from email.header import decode_header, make_header

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from notices import services

pytestmark = pytest.mark.django_db
KEY = "notices.stage_changed"


class RolledBack(Exception):
    """Raised to undo the transaction a test opened."""


def deliveries():
    return DBTaskResult.objects.filter(task_path="notify.tasks.email_deliver", args_kwargs__kwargs__key=KEY)


def subject_of(message) -> str:
    return " ".join(str(make_header(decode_header(message["Subject"]))).split())  # unfolded


def test_the_drafter_is_told_of_a_return_only_when_the_return_commits(red_draft, delhi_uo, delhi_ilo, mailbox):
    services.notice_submit(request=red_draft, by=delhi_uo)
    assert not deliveries().exists()  # the drafter's own step tells no one

    with pytest.raises(RolledBack), transaction.atomic():
        services.notice_return(request=red_draft, by=delhi_ilo, note="Attach the warrant.")
        assert deliveries().count() == 1  # enqueued in the transaction of the move...
        raise RolledBack
    assert not deliveries().exists()  # ...and gone with it
    assert mailbox.messages == []

    red_draft.refresh_from_db()
    services.notice_return(request=red_draft, by=delhi_ilo, note="Attach the warrant.")
    [message] = mailbox.wait_for(1)
    assert message["To"] == delhi_uo.email and message["X-OpenPol-Message"] == KEY
    assert red_draft.reference in subject_of(message)
    body = mailbox.body(message)
    assert "Comment: Attach the warrant." in body and red_draft.get_absolute_url() in body
    assert deliveries().get().status == "SUCCESSFUL"


def test_a_drafter_who_reads_hindi_is_told_in_hindi(red_draft, delhi_uo, delhi_ilo, mailbox):
    delhi_uo.language = "hi"
    delhi_uo.save(update_fields=["language"])
    services.notice_submit(request=red_draft, by=delhi_uo)
    services.notice_return(request=red_draft, by=delhi_ilo, note="Attach the warrant.")
    [message] = mailbox.wait_for(1)
    body = mailbox.body(message)
    assert "की वर्तमान स्थिति" in body and "टिप्पणी: Attach the warrant." in body
    assert "is now" not in body

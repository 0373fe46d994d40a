"""The unread digest as a message: enqueued with the claim of what it summarises, in the reader's language."""

from email.header import decode_header, make_header

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from conftest import Mailbox
from connect import services
from connect.models import Participant

pytestmark = pytest.mark.django_db
KEY = "connect.unread_digest"


class RolledBack(Exception):
    """Raised to undo the transaction a test opened."""


def deliveries():
    return DBTaskResult.objects.filter(task_path="notify.tasks.email_deliver", args_kwargs__kwargs__key=KEY)


def test_the_digest_is_enqueued_with_its_claim_and_a_rolled_back_run_sends_nothing(delhi_thread, delhi_uo, mailbox):
    with pytest.raises(RolledBack), transaction.atomic():
        assert services.unread_digest_send() == 1
        assert deliveries().count() == 1
        raise RolledBack
    assert not deliveries().exists()
    assert mailbox.messages == []
    assert Participant.objects.get(thread=delhi_thread, user=delhi_uo).last_digested_message is None

    assert services.unread_digest_send() == 1
    assert services.unread_digest_send() == 0  # claimed: a re-run sends nothing twice
    [email] = mailbox.wait_for(1)
    assert email["To"] == delhi_uo.email and email["X-OpenPol-Message"] == KEY
    assert deliveries().get().status == "SUCCESSFUL"


def test_a_reader_of_hindi_gets_the_digest_in_hindi(delhi_thread, delhi_uo, mailbox):
    delhi_uo.language = "hi"
    delhi_uo.save(update_fields=["language"])
    assert services.unread_digest_send() == 1
    [email] = mailbox.wait_for(1)
    assert " ".join(str(make_header(decode_header(email["Subject"]))).split()) == "OpenPol कनेक्ट: 1 अपठित संदेश"
    body = Mailbox.body(email)
    assert "OpenPol कनेक्ट में आपका 1 संदेश अपठित है:" in body and delhi_thread.subject in body

"""What a broadcast's addressees are told: enqueued in the transaction that addressed them, each in their language."""

from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from broadcast import services
from broadcast.models import Dissemination
from broadcast.tests.test_broadcast import item_data, soon

pytestmark = pytest.mark.django_db


class RolledBack(Exception):
    """Raised to undo the transaction a test opened."""


@pytest.fixture
def item(ncb_officer):
    return services.broadcast_register(by=ncb_officer, data=item_data())


def deliveries(key: str):
    return DBTaskResult.objects.filter(task_path="notify.tasks.email_deliver", args_kwargs__kwargs__key=key)


def subject_of(message) -> str:
    return " ".join(str(make_header(decode_header(message["Subject"]))).split())  # unfolded


def test_the_ilos_are_told_of_a_dissemination_only_when_it_commits(item, ncb_officer, delhi_ilo, delhi_police, mailbox):
    with pytest.raises(RolledBack), transaction.atomic():
        services.broadcast_disseminate(item=item, by=ncb_officer, agencies=[delhi_police], purpose="action", due_at=soon())
        assert deliveries("broadcast.disseminated").count() == 1
        raise RolledBack
    assert not deliveries("broadcast.disseminated").exists()
    assert mailbox.messages == []

    item.refresh_from_db()
    (row,) = services.broadcast_disseminate(item=item, by=ncb_officer, agencies=[delhi_police], purpose="action", due_at=soon())
    [message] = mailbox.wait_for(1)
    assert message["To"] == delhi_ilo.email
    assert subject_of(message) == f"{item.reference} For action: {item.title}"
    assert " IST." in mailbox.body(message) and row.get_absolute_url() in mailbox.body(message)


def test_a_reminder_is_enqueued_with_its_claim_and_a_rolled_back_run_sends_nothing(item, ncb_officer, delhi_ilo, delhi_police, mailbox):
    services.broadcast_disseminate(item=item, by=ncb_officer, agencies=[delhi_police], purpose="information", due_at=soon(1))
    Dissemination.objects.update(due_at=timezone.now() - timedelta(hours=2))
    with pytest.raises(RolledBack), transaction.atomic():
        assert services.broadcast_reminders_send() == 1
        raise RolledBack
    assert not deliveries("broadcast.reminder").exists()
    assert Dissemination.objects.get().reminders == 0

    assert services.broadcast_reminders_send() == 1
    assert services.broadcast_reminders_send() == 0  # claimed: a re-run sends nothing twice
    [reminder] = [m for m in mailbox.wait_for(2) if m["X-OpenPol-Message"] == "broadcast.reminder"]
    assert reminder["To"] == delhi_ilo.email and "is still waiting for your acknowledgement" in mailbox.body(reminder)


def test_each_addressee_is_told_in_their_own_language(item, ncb_officer, delhi_ilo, mumbai_ilo, delhi_police, maharashtra_police, mailbox):
    delhi_ilo.language = "hi"
    delhi_ilo.save(update_fields=["language"])
    services.broadcast_disseminate(item=item, by=ncb_officer, agencies=[delhi_police, maharashtra_police], purpose="action", due_at=soon(1))
    Dissemination.objects.update(due_at=timezone.now() - timedelta(hours=2))
    assert services.broadcast_reminders_send() == 2
    subjects = {m["To"]: subject_of(m) for m in mailbox.wait_for(4) if m["X-OpenPol-Message"] == "broadcast.reminder"}
    assert subjects == {
        delhi_ilo.email: f"अनुस्मारक: {item.reference} की समय-सीमा पार हो गई है",
        mumbai_ilo.email: f"Reminder: {item.reference} is overdue",
    }
    told = {m["To"]: subject_of(m) for m in mailbox.messages if m["X-OpenPol-Message"] == "broadcast.disseminated"}
    assert "कार्रवाई हेतु" in told[delhi_ilo.email] and "For action" in told[mumbai_ilo.email]

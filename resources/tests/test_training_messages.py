"""What an officer given a training place is told: enqueued in the transaction that gave it, in their language."""

from email.header import decode_header, make_header

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from notify.templatetags.indian import indian
from resources import services
from resources.models import Enrolment

pytestmark = pytest.mark.django_db
KEY = "resources.enrolment_placed"


class RolledBack(Exception):
    """Raised to undo the transaction a test opened."""


def deliveries():
    return DBTaskResult.objects.filter(task_path="notify.tasks.email_deliver", args_kwargs__kwargs__key=KEY)


def subject_of(message) -> str:
    return " ".join(str(make_header(decode_header(message["Subject"]))).split())  # unfolded


def test_the_officer_is_told_of_a_place_only_when_the_nomination_commits(training, ncb_officer, mumbai_ilo, mailbox):
    with pytest.raises(RolledBack), transaction.atomic():
        services.enrolment_nominate(session=training, officer=mumbai_ilo, by=ncb_officer)
        assert deliveries().count() == 1
        raise RolledBack
    assert not deliveries().exists() and not Enrolment.objects.exists()
    assert mailbox.messages == []

    services.enrolment_nominate(session=training, officer=mumbai_ilo, by=ncb_officer)
    [message] = mailbox.wait_for(1)
    assert message["To"] == mumbai_ilo.email and subject_of(message) == f"Training: {training.title}"
    body = mailbox.body(message)
    assert f"Accepted: {training.title}, {indian(training.starts_at)} to {indian(training.ends_at)} ({training.venue})." in body


def test_an_officer_who_reads_hindi_is_told_in_hindi(training, ncb_officer, delhi_uo, mailbox):
    delhi_uo.language = "hi"
    delhi_uo.save(update_fields=["language"])
    enrolment = services.enrolment_request(session=training, by=delhi_uo)
    assert mailbox.messages == []  # asking for a place tells no one
    services.enrolment_accept(enrolment=enrolment, by=ncb_officer)
    [message] = mailbox.wait_for(1)
    assert subject_of(message) == f"प्रशिक्षण: {training.title}"
    body = mailbox.body(message)
    assert f"स्वीकृत: {training.title}, " in body and f" तक ({training.venue})।" in body

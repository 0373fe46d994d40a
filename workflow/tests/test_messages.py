"""What the workflow sends and runs in the background: the overdue message enqueued in the escalation's transaction,
in each officer's language; automatic transmission as a retried task; the periodic jobs enqueued by workflow_tick."""

import json
from datetime import timedelta
from email.header import decode_header, make_header
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs import services as jobs
from jobs.models import PeriodicJob
from workflow import transmission
from workflow.models import OutboundMessage, Task
from workflow.services import escalate_overdue

pytestmark = pytest.mark.django_db

LATE = timedelta(hours=3)


class RolledBack(Exception):
    """Raised to undo the transaction a test opened."""


def deliveries(key: str):
    return DBTaskResult.objects.filter(task_path="notify.tasks.email_deliver", args_kwargs__kwargs__key=key)


def messages(mailbox, key: str) -> list:
    return [m for m in mailbox.messages if m["X-OpenPol-Message"] == key]


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def overdue(subject) -> None:
    """The subject's open task is past its deadline."""
    Task.objects.filter(reference=subject.reference, closed_at__isnull=True).update(due_at=timezone.now() - LATE)


# --- Escalation ---------------------------------------------------------------------------------------------------


def test_an_escalation_mail_is_enqueued_inside_the_transaction_and_nothing_goes_if_it_rolls_back(red_draft, delhi_ilo, mailbox):
    overdue(red_draft)
    with pytest.raises(RolledBack), transaction.atomic():
        escalate_overdue()
        assert deliveries("workflow.task_overdue").count() == 1
        raise RolledBack
    assert not deliveries("workflow.task_overdue").exists() and messages(mailbox, "workflow.task_overdue") == []
    assert Task.objects.get(reference=red_draft.reference).escalated_at is None  # not escalated either: it will be next time

    report = escalate_overdue()
    assert report == {"escalated": 1, "emails": 1, "references": [red_draft.reference]}
    [message] = messages(mailbox, "workflow.task_overdue")
    assert message["To"] == delhi_ilo.email and subject(message) == f"Overdue: {red_draft.reference}"
    body = mailbox.body(message)
    assert "has waited past its deadline of" in body and "IST at Crime Branch" in body and "3 hour(s) late" in body
    assert "It is now with your office" not in body


def test_an_officer_who_reads_hindi_is_told_of_late_work_in_hindi(red_draft, delhi_ilo, mailbox):
    delhi_ilo.language = "hi"
    delhi_ilo.save(update_fields=["language"])
    overdue(red_draft)
    escalate_overdue()
    [message] = messages(mailbox, "workflow.task_overdue")
    assert subject(message) == f"समय-सीमा पार: {red_draft.reference}"
    body = mailbox.body(message)
    assert "की समय-सीमा के बाद भी लंबित है; विलंब: 3 घंटे" in body and "इसे खोलें:" in body
    assert "has waited" not in body


def test_the_periodic_job_keeps_the_escalation_summary(red_draft, delhi_ilo, settings):
    overdue(red_draft)
    settings.PERIODIC_JOBS = {"workflow.services.escalate_overdue": 300}
    jobs.tick()
    jobs.run_ready()
    job = PeriodicJob.objects.get(path="workflow.services.escalate_overdue")
    assert job.last_outcome == PeriodicJob.Outcome.OK
    assert job.last_result == {"escalated": 1, "emails": 1, "references": [red_draft.reference]}


# --- Transmission by an automatic channel ---------------------------------------------------------------------------


class FlakyChannel:
    """A peer system that is down for its first `outages` deliveries."""

    automatic = True
    outages = 1
    delivered: list[int] = []

    def deliver(self, message) -> None:
        if FlakyChannel.outages:
            FlakyChannel.outages -= 1
            raise ConnectionError("the peer system did not answer")
        FlakyChannel.delivered.append(message.pk)


@override_settings(TRANSMISSION_CHANNELS={"peer": "workflow.tests.test_messages.FlakyChannel"})
def test_an_automatic_transmission_is_a_task_that_goes_after_commit_and_is_retried_when_the_channel_fails(at_ncb, ncb_officer):
    FlakyChannel.outages, FlakyChannel.delivered = 1, []
    with pytest.raises(RolledBack), transaction.atomic():
        transmission.enqueue(at_ncb, payload={"n": 1}, destination="NCB Abu Dhabi", destination_kind="peer", by=ncb_officer)
        assert DBTaskResult.objects.filter(task_path="workflow.tasks.transmission_deliver").count() == 1
        raise RolledBack
    assert not DBTaskResult.objects.filter(task_path="workflow.tasks.transmission_deliver").exists()

    message = transmission.enqueue(at_ncb, payload={"n": 1}, destination="NCB Abu Dhabi", destination_kind="peer", by=ncb_officer)
    message.refresh_from_db()
    assert message.status == OutboundMessage.Status.FAILED and "did not answer" in message.delivery_note
    row = DBTaskResult.objects.get(task_path="workflow.tasks.transmission_deliver")
    assert row.status == "READY" and row.exception_class_path == "workflow.transmission.DeliveryFailed"

    jobs.run_ready(now=row.run_after)
    message.refresh_from_db()
    row.refresh_from_db()
    assert message.status == OutboundMessage.Status.DELIVERED and message.attempts == 2 and row.status == "SUCCESSFUL"
    assert FlakyChannel.delivered == [message.pk]


# --- workflow_tick: the periodic jobs ---------------------------------------------------------------------------------

RAN: list[str] = []


def job_that_raises() -> dict:
    RAN.append("raises")
    raise RuntimeError("the upstream register is down")


def job_that_counts() -> dict:
    RAN.append("counts")
    return {"counted": 3}


@override_settings(PERIODIC_JOBS={"workflow.tests.test_messages.job_that_raises": 60, "workflow.tests.test_messages.job_that_counts": 60})
def test_workflow_tick_enqueues_the_due_periodic_jobs_and_a_job_that_raises_does_not_stop_the_others():
    RAN.clear()
    out = StringIO()
    call_command("workflow_tick", stdout=out)
    assert json.loads(out.getvalue()) == {
        "enqueued": ["workflow.tests.test_messages.job_that_raises", "workflow.tests.test_messages.job_that_counts"]
    }
    jobs.run_ready()
    assert sorted(RAN) == ["counts", "raises"]
    failed = PeriodicJob.objects.get(path="workflow.tests.test_messages.job_that_raises")
    assert failed.last_outcome == PeriodicJob.Outcome.FAILED and "the upstream register is down" in failed.last_error
    ok = PeriodicJob.objects.get(path="workflow.tests.test_messages.job_that_counts")
    assert ok.last_outcome == PeriodicJob.Outcome.OK and ok.last_result == {"counted": 3}

    out = StringIO()
    call_command("workflow_tick", stdout=out)
    assert json.loads(out.getvalue()) == {"enqueued": []}  # neither is due again for a minute
    assert len(RAN) == 2

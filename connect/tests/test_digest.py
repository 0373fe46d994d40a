"""The unread digest: one e-mail per person away from Connect, each message summarised once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from conftest import Mailbox
from connect import services
from connect.models import Participant

pytestmark = pytest.mark.django_db


def test_users_not_online_get_one_summary_email_of_unread_messages(
    delhi_ilo, delhi_uo, delhi_uo_2, ncb_officer, mailbox, django_capture_on_commit_callbacks
):
    first = services.thread_start(
        by=delhi_ilo, subject="Hawala trail", participants=[delhi_uo, delhi_uo_2], body="Check the accounts.\nDetails below."
    )
    services.thread_start(by=delhi_ilo, subject="Passport of R. Verma", participants=[delhi_uo], body="Is it genuine?")
    services.message_post(by=delhi_uo_2, thread=first, body="On it.")
    services.presence_touch(delhi_uo_2)  # online: no e-mail
    services.thread_mark_read(by=delhi_ilo, thread=first)
    services.presence_touch(delhi_ilo, now=timezone.now() - timedelta(hours=2))  # away, but has read everything

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.unread_digest_send()
    assert sent == 1
    [email] = mailbox.wait_for(1)
    assert email["To"] == delhi_uo.email
    assert email["Subject"] == "OpenPol Connect: 3 unread messages"
    body = Mailbox.body(email)
    assert "Hawala trail" in body and "Passport of R. Verma" in body
    assert "- Delhi: Check the accounts." in body and "Details below." not in body  # the first line only
    assert "- Delhi: On it." in body
    assert "/connect/" in body
    assert AuditEntry.objects.filter(action="connect.digest_sent", target_id=str(delhi_uo.pk)).exists()

    # Told once: the next tick sends nothing, until a new message arrives.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.unread_digest_send() == 0
    services.message_post(by=delhi_ilo, thread=first, body="Any luck?")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.unread_digest_send() == 1
    emails = mailbox.wait_for(2)
    assert len(emails) == 2 and "Any luck?" in Mailbox.body(emails[1]) and "Check the accounts" not in Mailbox.body(emails[1])


def test_someone_seen_in_the_last_ten_minutes_is_not_emailed_until_they_leave(
    delhi_thread, delhi_uo, mailbox, django_capture_on_commit_callbacks
):
    services.presence_touch(delhi_uo, now=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.unread_digest_send() == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.unread_digest_send(now=timezone.now() + timedelta(minutes=6)) == 1
    assert mailbox.wait_for(1)[0]["To"] == delhi_uo.email


def test_messages_read_before_the_tick_are_not_emailed(delhi_thread, delhi_uo, mailbox, django_capture_on_commit_callbacks):
    services.thread_mark_read(by=delhi_uo, thread=delhi_thread)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.unread_digest_send() == 0
    assert Participant.objects.get(thread=delhi_thread, user=delhi_uo).last_digested_message is None
    assert mailbox.messages == []


def test_a_disabled_account_gets_no_digest(delhi_thread, delhi_uo, mailbox, django_capture_on_commit_callbacks):
    delhi_uo.is_active = False
    delhi_uo.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.unread_digest_send() == 0


def test_the_workers_tick_runs_the_digest_as_a_periodic_task(delhi_thread, delhi_uo, settings, mailbox):
    from jobs import services as jobs
    from jobs.models import PeriodicJob

    assert "connect.services.unread_digest_send" in settings.PERIODIC_JOBS
    settings.PERIODIC_JOBS = {"connect.services.unread_digest_send": 3600}
    assert jobs.tick() == ["connect.services.unread_digest_send"]
    job = PeriodicJob.objects.get(path="connect.services.unread_digest_send")
    assert job.last_outcome == PeriodicJob.Outcome.OK and job.last_result == 1
    assert mailbox.wait_for(1)[0]["To"] == delhi_uo.email
    assert jobs.tick() == []  # not due again for an hour

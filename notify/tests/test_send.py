"""Sending a catalogue message: in each recipient's language, once per address, by the channels each chose, with
dates in Indian style and IST, and only when the transaction that sends it commits."""

from datetime import UTC, date, datetime
from email.header import decode_header, make_header

import pytest
from django.db import transaction
from django.template import engines
from django.test import override_settings
from django.utils import translation

from notify import services as notify
from notify.templatetags.indian import indian

pytestmark = pytest.mark.django_db


class RolledBack(Exception):
    pass


def subject_of(message) -> str:
    return " ".join(str(make_header(decode_header(message["Subject"]))).split())


def test_dates_are_written_the_indian_way_in_indian_standard_time():
    assert indian(datetime(2026, 12, 4, 8, 35, tzinfo=UTC)) == "4 Dec 2026, 14:05 IST"
    assert indian(date(2026, 1, 26)) == "26 Jan 2026"
    assert indian(None) == "—"
    with translation.override("hi"):
        assert indian(datetime(2026, 12, 4, 8, 35, tzinfo=UTC)).endswith("14:05 IST")


def test_each_recipient_gets_the_message_in_their_own_language(delhi_ilo, delhi_uo, ncb_admin, mailbox):
    delhi_uo.language = "hi"
    delhi_uo.save(update_fields=["language"])
    with translation.override("en"):  # the officer who acts reads English
        notify.send("accounts.created", [delhi_uo, delhi_ilo], user=delhi_uo, creator=ncb_admin)
    messages = mailbox.wait_for(2)
    by_address = {(m["To"] or m["Bcc"] or ""): m for m in messages}
    english = subject_of(by_address[delhi_ilo.email])
    hindi = subject_of(by_address[delhi_uo.email])
    assert english == "Your OpenPol account"
    assert hindi != english and any("\u0900" <= c <= "\u097f" for c in hindi)


def test_many_officers_get_one_message_per_chunk_and_none_sees_anothers_address(delhi_ilo, mailbox, settings):
    settings.NOTIFY_BCC_CHUNK = 2
    addresses = [f"officer{n}@example.invalid" for n in range(5)]
    assert notify.send("accounts.created", addresses + [addresses[0].upper()], user=delhi_ilo, creator=delhi_ilo) == 3
    messages = mailbox.wait_for(3)
    assert len(messages) == 3
    assert all(m["To"] is None and m["Bcc"] is None for m in messages)  # Bcc never reaches the wire
    assert len({m["Message-ID"] for m in messages}) == 3


def test_nothing_is_sent_when_the_change_rolls_back(delhi_ilo, mailbox):
    with pytest.raises(RolledBack), transaction.atomic():
        notify.send("accounts.created", [delhi_ilo], user=delhi_ilo, creator=delhi_ilo)
        raise RolledBack
    assert mailbox.wait_for(1, timeout=0.3) == []


def test_a_key_not_in_the_catalogue_is_refused(delhi_ilo):
    with pytest.raises(KeyError, match="notify/catalogue.py"):
        notify.send("accounts.no_such_message", [delhi_ilo])


def test_a_mail_that_fails_is_retried_and_arrives_once(delhi_ilo, mailbox, settings):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from jobs import services as jobs

    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 9  # nothing listens: the SMTP server is down
    notify.send("accounts.created", [delhi_ilo], user=delhi_ilo, creator=delhi_ilo)
    row = DBTaskResult.objects.get(task_path="notify.tasks.email_deliver")
    assert row.status == "READY" and len(row.worker_ids) == 1
    assert mailbox.messages == []

    settings.EMAIL_PORT = working_port  # the server is back
    assert jobs.run_ready(now=timezone.now() + timedelta(hours=1)) == 1
    assert jobs.run_ready(now=timezone.now() + timedelta(days=1)) == 0
    [message] = mailbox.wait_for(1)
    assert message["To"] == delhi_ilo.email
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL" and len(row.worker_ids) == 2
    assert message["Message-ID"] == row.args_kwargs["kwargs"]["message_id"]


def test_a_user_who_chose_sms_only_gets_no_email_and_one_without_a_mobile_gets_email(delhi_ilo, delhi_uo):
    delhi_ilo.phone, delhi_ilo.notify_by = "98100 12345", notify.SMS
    delhi_uo.phone, delhi_uo.notify_by = "", notify.SMS
    assert notify.of(delhi_ilo).wants_sms and not notify.of(delhi_ilo).wants_email
    assert notify.of(delhi_uo).wants_email and not notify.of(delhi_uo).wants_sms


def test_message_templates_escape_nothing_and_know_the_indian_filter():
    template = engines["messages"].from_string("{{ text }} {{ when|indian }}")
    assert template.render({"text": "A & B <x>", "when": date(2026, 8, 15)}) == "A & B <x> 15 Aug 2026"


@override_settings(LANGUAGE_CODE="en")
def test_a_plain_address_is_written_to_in_the_default_language(mailbox, delhi_ilo):
    notify.send("accounts.created", ["someone@example.invalid"], user=delhi_ilo, creator=delhi_ilo)
    [message] = mailbox.wait_for(1)
    assert subject_of(message) == "Your OpenPol account"


def test_someone_who_chose_sms_only_gets_a_message_that_has_no_sms_form_by_email(delhi_ilo, mailbox):
    delhi_ilo.phone, delhi_ilo.notify_by = "98100 12345", notify.SMS
    assert notify.send("accounts.created", [delhi_ilo], user=delhi_ilo, creator=delhi_ilo) == 1
    [message] = mailbox.wait_for(1)
    assert message["To"] == delhi_ilo.email

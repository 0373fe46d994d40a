"""Every read of a Connect thread leaves one audit entry (a poll only when it brings messages); anyone else's thread
answers like a missing one."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from connect import services
from connect.tests.conftest import bearer, pdf_upload

pytestmark = pytest.mark.django_db
MISSING = 999_999


def reads_of(thread):
    return AuditEntry.objects.filter(action="access.read", target_type="connect.thread", target_id=str(thread.pk))


def test_reading_a_thread_on_its_page_leaves_exactly_one_read_entry(signed_in, delhi_thread, delhi_uo):
    assert signed_in(delhi_uo).get(reverse("connect:thread_detail", args=[delhi_thread.pk])).status_code == 200
    assert list(reads_of(delhi_thread).values_list("actor__username", "data__as")) == [("delhi_uo", "page")]


def test_reading_a_thread_through_the_api_leaves_exactly_one_read_entry(client, delhi_thread, delhi_uo):
    assert client.get(f"/api/v1/connect/threads/{delhi_thread.pk}", **bearer(delhi_uo)).status_code == 200
    assert list(reads_of(delhi_thread).values_list("actor__username", "data__as")) == [("delhi_uo", "api")]


def test_a_file_of_a_thread_is_a_read_of_the_thread_naming_the_file(signed_in, delhi_thread, delhi_uo, delhi_ilo):
    attachment = services.message_post(by=delhi_uo, thread=delhi_thread, body="Statement", attachments=[pdf_upload()]).attachments.get()
    response = signed_in(delhi_ilo).get(reverse("connect:attachment", args=[delhi_thread.pk, attachment.pk]))
    assert response.status_code == 200
    (entry,) = reads_of(delhi_thread)
    assert (entry.actor, entry.data) == (delhi_ilo, {"as": "attachment", "attachment": attachment.pk})


def test_a_poll_is_a_read_only_when_it_brings_messages(signed_in, delhi_thread, delhi_uo, delhi_ilo):
    client = signed_in(delhi_uo)
    last_id = client.get(reverse("connect:thread_detail", args=[delhi_thread.pk])).context["last_id"]
    poll = reverse("connect:thread_poll", args=[delhi_thread.pk])
    assert client.get(poll, {"after": last_id}).status_code == 204
    assert reads_of(delhi_thread).count() == 1  # the page alone
    message = services.message_post(by=delhi_ilo, thread=delhi_thread, body="News")
    assert client.get(poll, {"after": last_id}).status_code == 200
    newest = reads_of(delhi_thread).order_by("-id").first()
    assert reads_of(delhi_thread).count() == 2 and newest.data == {"as": "poll", "messages": [message.pk, message.pk]}


def test_a_thread_of_others_answers_404_as_a_missing_one_and_the_attempt_names_it(signed_in, client, delhi_thread, mumbai_ilo):
    browser = signed_in(mumbai_ilo)
    for pk in (delhi_thread.pk, MISSING):
        assert browser.get(reverse("connect:thread_detail", args=[pk])).status_code == 404
        assert browser.get(reverse("connect:thread_poll", args=[pk]), {"after": 0}).status_code == 404
    client.logout()
    assert client.get(f"/api/v1/connect/threads/{delhi_thread.pk}", **bearer(mumbai_ilo)).status_code == 404
    attempts = AuditEntry.objects.filter(action="access.out_of_jurisdiction", actor=mumbai_ilo)
    assert [(e.data["model"], e.data["lookup"]["pk"]) for e in attempts] == [("connect.thread", str(delhi_thread.pk))] * 3
    assert not reads_of(delhi_thread).exists()


def test_the_system_administrator_is_refused_connect_alike_whether_a_thread_exists_or_not(signed_in, delhi_thread, sysadmin):
    browser = signed_in(sysadmin)
    assert browser.get(reverse("connect:thread_list")).status_code == 403
    for pk in (delhi_thread.pk, MISSING):
        assert browser.get(reverse("connect:thread_detail", args=[pk])).status_code == 403
    assert not reads_of(delhi_thread).exists()

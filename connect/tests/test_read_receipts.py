"""Read receipts: who has read up to which message, shown under messages and counted in the inbox."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from connect import queries, services
from connect.models import Participant

pytestmark = pytest.mark.django_db


def test_read_receipts_show_who_has_read(signed_in, ncb_thread, ncb_officer, delhi_ilo, mumbai_ilo):
    question = ncb_thread.messages.get()
    services.thread_mark_read(by=delhi_ilo, thread=ncb_thread)
    page = signed_in(ncb_officer).get(reverse("connect:thread_detail", args=[ncb_thread.pk]))
    shown = page.context["thread_messages"]
    assert [user.username for user in shown[0].read_by] == ["delhi_ilo"]
    assert "Read by Delhi" in page.content.decode()

    signed_in(mumbai_ilo).get(reverse("connect:thread_detail", args=[ncb_thread.pk]))  # opening the thread reads it
    page = signed_in(ncb_officer).get(reverse("connect:thread_detail", args=[ncb_thread.pk]))
    assert {user.username for user in page.context["thread_messages"][0].read_by} == {"delhi_ilo", "mumbai_ilo"}
    assert Participant.objects.get(thread=ncb_thread, user=mumbai_ilo).last_read_message_id == question.pk


def test_the_read_marker_only_moves_forward_and_each_move_is_audited_once(delhi_thread, delhi_uo, delhi_ilo):
    first = delhi_thread.messages.get()
    second = services.message_post(by=delhi_ilo, thread=delhi_thread, body="And the phone records?")
    assert services.thread_mark_read(by=delhi_uo, thread=delhi_thread) == second.pk
    services.thread_mark_read(by=delhi_uo, thread=delhi_thread, up_to=first.pk)  # a late poll
    services.thread_mark_read(by=delhi_uo, thread=delhi_thread)
    assert Participant.objects.get(thread=delhi_thread, user=delhi_uo).last_read_message_id == second.pk
    assert AuditEntry.objects.filter(action="connect.thread_read", actor=delhi_uo).count() == 1


def test_the_inbox_counts_unread_messages_from_others(signed_in, delhi_thread, delhi_ilo, delhi_uo, django_assert_max_num_queries):
    services.message_post(by=delhi_ilo, thread=delhi_thread, body="Second question")
    services.thread_start(by=delhi_ilo, subject="Another case", participants=[delhi_uo], body="New one")
    assert {t.subject: t.unread for t in queries.threads_for_user(delhi_uo)} == {"FIR 12/2026 — hawala trail": 2, "Another case": 1}
    assert {t.unread for t in queries.threads_for_user(delhi_ilo)} == {0}  # their own messages

    client = signed_in(delhi_uo)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("connect:thread_list"))
    assert [t.unread for t in page.context["page"]] == [1, 2]
    assert "2 unread" in page.content.decode()
    client.get(reverse("connect:thread_detail", args=[delhi_thread.pk]))
    assert [t.unread for t in client.get(reverse("connect:thread_list")).context["page"]] == [1, 0]

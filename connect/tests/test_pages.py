"""Connect's pages: the inbox, a new conversation, a thread polled for new messages, files and the directory."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from connect import services
from connect.models import Message, MessageAttachment, Presence, Thread
from connect.tests.conftest import exe_upload, pdf_upload

pytestmark = pytest.mark.django_db


# --- Access ---------------------------------------------------------------------------------


def test_anonymous_is_refused_by_every_page(client, delhi_thread):
    for name, args in [("thread_list", []), ("thread_new", []), ("directory", []), ("thread_detail", [delhi_thread.pk])]:
        response = client.get(reverse(f"connect:{name}", args=args))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
    assert client.get(reverse("connect:thread_poll", args=[delhi_thread.pk])).status_code == 302


@pytest.mark.parametrize("persona", ["citizen", "analyst", "delhi_station_officer", "sysadmin"])
def test_roles_outside_the_hierarchy_are_refused(signed_in, request, persona):
    client = signed_in(request.getfixturevalue(persona))
    assert client.get(reverse("connect:thread_list")).status_code == 403
    assert client.get(reverse("connect:directory")).status_code == 403


def test_a_thread_of_others_answers_404(signed_in, delhi_thread, mumbai_ilo, ncb_admin, delhi_uo_2):
    message = delhi_thread.messages.get()
    for outsider in (mumbai_ilo, ncb_admin, delhi_uo_2):  # another agency, the NCB itself, a colleague of the same unit
        client = signed_in(outsider)
        assert client.get(reverse("connect:thread_detail", args=[delhi_thread.pk])).status_code == 404
        assert client.get(reverse("connect:thread_poll", args=[delhi_thread.pk]), {"after": 0}).status_code == 404
        assert client.post(reverse("connect:message_post", args=[delhi_thread.pk]), {"body": "Hi"}).status_code == 404
        assert client.post(reverse("connect:participant_add", args=[delhi_thread.pk]), {"user": outsider.pk}).status_code == 404
    assert Message.objects.filter(thread=delhi_thread).get() == message
    assert AuditEntry.objects.filter(action="access.out_of_jurisdiction", actor=mumbai_ilo).exists()


def test_an_attachment_is_served_only_to_participants(signed_in, delhi_thread, delhi_uo, mumbai_ilo):
    message = services.message_post(by=delhi_uo, thread=delhi_thread, body="Statement", attachments=[pdf_upload()])
    attachment = message.attachments.get()
    url = reverse("connect:attachment", args=[delhi_thread.pk, attachment.pk])
    response = signed_in(delhi_uo).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf" and "attachment;" in response["Content-Disposition"]
    assert signed_in(mumbai_ilo).get(url).status_code == 404


# --- Starting and writing -------------------------------------------------------------------


def test_a_uo_starts_a_conversation_with_its_ilo_from_the_page(signed_in, delhi_uo, delhi_ilo):
    client = signed_in(delhi_uo)
    form = client.get(reverse("connect:thread_new"), {"to": delhi_ilo.pk}).context["form"]
    assert [pk for pk, _label in form.fields["participants"].choices] == [delhi_ilo.pk]
    assert form.initial["participants"] == [str(delhi_ilo.pk)]
    response = client.post(
        reverse("connect:thread_new"),
        {"subject": "Lookout circular", "participants": [delhi_ilo.pk], "body": "Please advise.", "attachments": [pdf_upload()]},
    )
    thread = Thread.objects.get()
    assert response.status_code == 302 and response["Location"] == thread.get_absolute_url()
    assert thread.messages.get().attachments.count() == 1


def test_writing_to_someone_outside_the_hierarchy_shows_the_reason_next_to_the_field(signed_in, delhi_ilo, mumbai_ilo):
    response = signed_in(delhi_ilo).post(
        reverse("connect:thread_new"), {"subject": "Quick question", "participants": [mumbai_ilo.pk], "body": "Hello"}
    )
    assert response.status_code == 400
    assert "through a thread started by the NCB" in response.context["form"].errors["participants"][0]
    assert "through a thread started by the NCB" in response.content.decode()
    assert not Thread.objects.exists()


def test_an_executable_sent_from_the_page_is_refused_with_a_clear_error(signed_in, delhi_thread, delhi_uo):
    response = signed_in(delhi_uo).post(
        reverse("connect:message_post", args=[delhi_thread.pk]), {"body": "Report", "attachments": [exe_upload("report.pdf")]}
    )
    assert response.status_code == 400
    assert "report.pdf is not a file of an accepted type" in response.content.decode()
    assert delhi_thread.messages.count() == 1 and not MessageAttachment.objects.exists()


def test_a_reply_through_htmx_returns_a_fresh_form_and_triggers_the_poll(signed_in, delhi_thread, delhi_uo):
    response = signed_in(delhi_uo).post(reverse("connect:message_post", args=[delhi_thread.pk]), {"body": "Done."}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Trigger"] == "connect-posted"
    assert 'id="reply"' in response.content.decode() and "Done." not in response.content.decode()
    assert delhi_thread.messages.last().body == "Done."


def test_the_ilo_adds_a_uo_from_the_thread_page(signed_in, delhi_thread, delhi_ilo, delhi_cyber_uo, mumbai_ilo):
    client = signed_in(delhi_ilo)
    choices = [pk for pk, _label in client.get(delhi_thread.get_absolute_url()).context["participant_form"].fields["user"].choices]
    assert delhi_cyber_uo.pk in choices and mumbai_ilo.pk not in choices
    assert client.post(reverse("connect:participant_add", args=[delhi_thread.pk]), {"user": delhi_cyber_uo.pk}).status_code == 302
    refused = client.post(reverse("connect:participant_add", args=[delhi_thread.pk]), {"user": mumbai_ilo.pk})
    assert refused.status_code == 400 and "through a thread started by the NCB" in refused.content.decode()
    assert set(delhi_thread.participants.values_list("user__username", flat=True)) == {"delhi_ilo", "delhi_uo", "delhi_cyber_uo"}


# --- Real time ------------------------------------------------------------------------------


def test_new_messages_arrive_by_polling_without_reloading(signed_in, delhi_thread, delhi_ilo, delhi_uo):
    client = signed_in(delhi_uo)
    page = client.get(delhi_thread.get_absolute_url())
    last_id = page.context["last_id"]
    html = page.content.decode()
    poll_url = reverse("connect:thread_poll", args=[delhi_thread.pk])
    assert f'hx-get="{poll_url}?after={last_id}"' in html and 'hx-trigger="every 4s' in html and 'hx-swap="beforeend"' in html

    assert client.get(poll_url, {"after": last_id}, HTTP_HX_REQUEST="true").status_code == 204  # nothing new: nothing to swap

    reply = services.message_post(by=delhi_ilo, thread=delhi_thread, body="The bank answered: two accounts in Dubai.")
    response = client.get(poll_url, {"after": last_id}, HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert response.status_code == 200
    assert "The bank answered: two accounts in Dubai." in fragment and f'id="message-{reply.pk}"' in fragment
    assert "Any news on the accounts?" not in fragment  # only what came after
    assert f'?after={reply.pk}"' in fragment and 'hx-swap-oob="true"' in fragment  # the poller moves on
    assert delhi_thread.participants.get(user=delhi_uo).last_read_message_id == reply.pk  # polling reads it
    assert Presence.objects.filter(user=delhi_uo).exists()


def test_the_poll_stays_cheap_however_many_messages_arrive(signed_in, delhi_thread, delhi_ilo, delhi_uo, django_assert_num_queries):
    client = signed_in(delhi_uo)
    last_id = client.get(delhi_thread.get_absolute_url()).context["last_id"]
    poll_url = reverse("connect:thread_poll", args=[delhi_thread.pk])
    client.get(poll_url, {"after": last_id})  # warm the session

    # Nothing new (nearly every poll): the sign-in checks, then the thread (access) and the new messages; presence was
    # written a moment ago and is not written again within the minute.
    with CaptureQueriesContext(connection) as idle:
        assert client.get(poll_url, {"after": last_id}).status_code == 204
    connect_queries = [q["sql"] for q in idle.captured_queries if '"connect_' in q["sql"]]
    assert len(connect_queries) == 2, connect_queries
    [poll] = [sql for sql in connect_queries if 'FROM "connect_message"' in sql]
    assert '"connect_message"."thread_id" =' in poll and '"connect_message"."id" >' in poll

    services.message_post(by=delhi_ilo, thread=delhi_thread, body="One")
    with CaptureQueriesContext(connection) as one:
        client.get(poll_url, {"after": last_id})
    for n in range(20):
        services.message_post(by=delhi_ilo, thread=delhi_thread, body=f"Message {n}")
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(poll_url, {"after": last_id})
    assert response.content.decode().count('class="connect-message') == 21


def test_a_bad_after_is_a_clear_400(signed_in, delhi_thread, delhi_uo):
    response = signed_in(delhi_uo).get(reverse("connect:thread_poll", args=[delhi_thread.pk]), {"after": "latest"})
    assert response.status_code == 400


def test_opening_or_polling_connect_marks_the_user_present_at_most_once_a_minute(signed_in, delhi_thread, delhi_uo):
    from django.core.cache import cache

    client = signed_in(delhi_uo)
    client.get(reverse("connect:thread_list"))
    first = Presence.objects.get(user=delhi_uo).last_seen_at
    client.get(reverse("connect:thread_poll", args=[delhi_thread.pk]), {"after": 0})
    assert Presence.objects.get(user=delhi_uo).last_seen_at == first
    cache.clear()  # a minute later
    client.get(reverse("connect:thread_poll", args=[delhi_thread.pk]), {"after": 10**9})
    assert Presence.objects.get(user=delhi_uo).last_seen_at > first


# --- Search ---------------------------------------------------------------------------------


def test_search_finds_threads_by_subject_or_message_text_among_ones_own(signed_in, delhi_thread, ncb_thread, delhi_uo, delhi_ilo):
    services.message_post(by=delhi_uo, thread=delhi_thread, body="The Dubai account is at Emirates NBD.")
    client = signed_in(delhi_ilo)
    found = client.get(reverse("connect:thread_list"), {"q": "emirates"}).context["page"]
    assert [t.pk for t in found] == [delhi_thread.pk] and "Emirates NBD" in found[0].match
    assert [t.pk for t in client.get(reverse("connect:thread_list"), {"q": "bangkok"}).context["page"]] == [ncb_thread.pk]
    assert list(signed_in(delhi_uo).get(reverse("connect:thread_list"), {"q": "bangkok"}).context["page"]) == []  # not theirs


# --- Directory ------------------------------------------------------------------------------


def test_the_directory_lists_ilos_and_uos_with_contacts(
    signed_in, delhi_ilo, delhi_uo, mumbai_ilo, ncb_officer, delhi_station_officer, delhi_police
):
    delhi_uo.designation, delhi_uo.phone = "Inspector, Crime Branch", "+91 11 2345 6789"
    delhi_uo.save()
    client = signed_in(mumbai_ilo)
    page = client.get(reverse("connect:directory"))
    listed = {person.username: (state.name if state else None, reachable) for person, state, reachable in page.context["entries"]}
    assert listed == {"delhi_ilo": ("Delhi", False), "delhi_uo": ("Delhi", False), "mumbai_ilo": ("Maharashtra", False)}
    html = page.content.decode()
    assert "Inspector, Crime Branch" in html and 'href="tel:+911123456789"' in html and "mailto:delhi_uo@example.invalid" in html

    filtered = client.get(reverse("connect:directory"), {"agency": delhi_police.code}).context["entries"]
    assert {person.username for person, _state, _r in filtered} == {"delhi_ilo", "delhi_uo"}
    by_state = client.get(reverse("connect:directory"), {"state": mumbai_ilo.agency.state_id}).context["entries"]
    assert [person.username for person, _state, _r in by_state] == ["mumbai_ilo"]

    from_ncb = signed_in(ncb_officer).get(reverse("connect:directory")).context["entries"]
    assert {person.username: reachable for person, _state, reachable in from_ncb} == {
        "delhi_ilo": True,
        "delhi_uo": False,
        "mumbai_ilo": True,
    }

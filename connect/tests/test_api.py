"""Connect's JSON API under /api/v1/connect/: the same rules and refusals as the pages."""

import pytest

from audit.models import AuditEntry
from connect import services
from connect.models import Message, MessageAttachment, Participant, Thread
from connect.tests.conftest import bearer, exe_upload, pdf_upload

pytestmark = pytest.mark.django_db
API = "/api/v1/connect"


def test_anonymous_is_refused(client, delhi_thread):
    for path in ("/threads", f"/threads/{delhi_thread.pk}", f"/threads/{delhi_thread.pk}/messages", "/directory", "/messages?q=x"):
        assert client.get(API + path).status_code == 401, path
    assert client.post(API + "/threads", {"subject": "x"}, content_type="application/json").status_code == 401


def test_roles_outside_the_hierarchy_are_refused(client, signed_in, citizen, analyst):
    assert client.get(f"{API}/threads", **bearer(analyst, "connect:read")).status_code == 403
    assert signed_in(citizen).get(f"{API}/threads").status_code == 403  # citizens hold no tokens; their session is refused too


def test_a_read_only_token_cannot_write(client, delhi_thread, delhi_uo):
    headers = bearer(delhi_uo, "connect:read")
    assert client.get(f"{API}/threads", **headers).status_code == 200
    assert client.post(f"{API}/threads/{delhi_thread.pk}/messages", {"body": "Hi"}, **headers).status_code == 403
    assert client.post(f"{API}/threads/{delhi_thread.pk}/read", **headers).status_code == 403
    assert delhi_thread.messages.count() == 1


def test_a_thread_of_others_answers_404(client, delhi_thread, mumbai_ilo, ncb_officer):
    attachment = services.message_post(
        by=delhi_thread.created_by, thread=delhi_thread, body="", attachments=[pdf_upload()]
    ).attachments.get()
    for outsider in (mumbai_ilo, ncb_officer):
        headers = bearer(outsider)
        assert client.get(f"{API}/threads/{delhi_thread.pk}", **headers).status_code == 404
        assert client.get(f"{API}/threads/{delhi_thread.pk}/messages?after=0", **headers).status_code == 404
        assert client.post(f"{API}/threads/{delhi_thread.pk}/messages", {"body": "Hi"}, **headers).status_code == 404
        assert client.post(f"{API}/threads/{delhi_thread.pk}/read", **headers).status_code == 404
        assert client.get(f"{API}/threads/{delhi_thread.pk}/attachments/{attachment.pk}", **headers).status_code == 404
        assert client.get(f"{API}/threads", **headers).json()["items"] == []
        assert client.get(f"{API}/messages?q=news", **headers).json()["items"] == []
    assert delhi_thread.messages.count() == 2


def test_an_ilo_cannot_message_another_agencys_ilo_directly(client, delhi_ilo, mumbai_ilo):
    response = client.post(
        f"{API}/threads",
        {"subject": "Quick question", "participants": [mumbai_ilo.pk], "body": "Hello"},
        content_type="application/json",
        **bearer(delhi_ilo),
    )
    assert response.status_code == 422
    assert "through a thread started by the NCB" in response.json()["errors"]["participants"][0]
    assert not Thread.objects.exists()
    assert AuditEntry.objects.filter(action="connect.thread_refused", actor=delhi_ilo).exists()


def test_an_ilo_reaches_another_agencys_ilo_through_an_ncb_thread(client, ncb_officer, delhi_ilo, mumbai_ilo):
    started = client.post(
        f"{API}/threads",
        {"subject": "Joint check", "participants": [delhi_ilo.pk, mumbai_ilo.pk], "body": "Both, please."},
        content_type="application/json",
        **bearer(ncb_officer),
    )
    assert started.status_code == 201
    thread_id = started.json()["id"]
    assert {p["user"]["username"] for p in started.json()["participants"]} == {"ncb_officer", "delhi_ilo", "mumbai_ilo"}
    posted = client.post(f"{API}/threads/{thread_id}/messages", {"body": "Delhi here."}, **bearer(delhi_ilo))
    assert posted.status_code == 201 and posted.json()["author"]["username"] == "delhi_ilo"
    arrived = client.get(f"{API}/threads/{thread_id}/messages?after={started.json()['messages'][-1]['id']}", **bearer(mumbai_ilo)).json()
    assert [m["body"] for m in arrived] == ["Delhi here."]


def test_unknown_people_are_refused_by_id(client, delhi_ilo):
    response = client.post(
        f"{API}/threads", {"subject": "x", "participants": [987654], "body": "y"}, content_type="application/json", **bearer(delhi_ilo)
    )
    assert response.status_code == 422 and "987654" in response.json()["errors"]["participants"][0]


def test_a_message_with_an_executable_attachment_is_refused_and_nothing_is_saved(client, delhi_thread, delhi_uo):
    response = client.post(
        f"{API}/threads/{delhi_thread.pk}/messages", {"body": "Report", "files": [pdf_upload(), exe_upload()]}, **bearer(delhi_uo)
    )
    assert response.status_code == 422
    assert "not a file of an accepted type" in response.json()["errors"]["attachments"][0]
    assert delhi_thread.messages.count() == 1 and not MessageAttachment.objects.exists()


def test_a_message_with_files_is_posted_and_downloaded(client, delhi_thread, delhi_uo, delhi_ilo):
    response = client.post(f"{API}/threads/{delhi_thread.pk}/messages", {"body": "Statement", "files": [pdf_upload()]}, **bearer(delhi_uo))
    assert response.status_code == 201
    [attachment] = response.json()["attachments"]
    assert attachment["mime_type"] == "application/pdf" and attachment["name"] == "statement.pdf"
    download = client.get(f"{API}/threads/{delhi_thread.pk}/attachments/{attachment['id']}", **bearer(delhi_ilo))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")


def test_new_messages_arrive_by_polling_and_read_receipts_follow(client, delhi_thread, delhi_ilo, delhi_uo):
    first = delhi_thread.messages.get()
    assert client.get(f"{API}/threads/{delhi_thread.pk}/messages?after={first.pk}", **bearer(delhi_uo)).json() == []
    reply = services.message_post(by=delhi_ilo, thread=delhi_thread, body="Any luck?")
    arrived = client.get(f"{API}/threads/{delhi_thread.pk}/messages?after={first.pk}", **bearer(delhi_uo)).json()
    assert [m["id"] for m in arrived] == [reply.pk] and arrived[0]["read_by"] == ["delhi_uo"]
    detail = client.get(f"{API}/threads/{delhi_thread.pk}", **bearer(delhi_ilo)).json()
    assert [m["read_by"] for m in detail["messages"]] == [["delhi_uo"], ["delhi_uo"]]
    receipts = {p["user"]["username"]: p["last_read_message_id"] for p in detail["participants"]}
    assert receipts == {"delhi_ilo": reply.pk, "delhi_uo": reply.pk}


def test_the_thread_list_counts_unread_and_mark_read_clears_it(client, delhi_thread, delhi_uo):
    headers = bearer(delhi_uo)
    [thread] = client.get(f"{API}/threads", **headers).json()["items"]
    assert thread["unread"] == 1 and thread["subject"] == delhi_thread.subject
    read = client.post(f"{API}/threads/{delhi_thread.pk}/read", **headers)
    assert read.json() == {"last_read_message_id": delhi_thread.messages.get().pk}
    assert client.get(f"{API}/threads", **headers).json()["items"][0]["unread"] == 0


def test_search_by_subject_and_by_message_text(client, delhi_thread, delhi_ilo):
    headers = bearer(delhi_ilo)
    assert [t["id"] for t in client.get(f"{API}/threads?q=hawala", **headers).json()["items"]] == [delhi_thread.pk]
    hits = client.get(f"{API}/messages?q=accounts", **headers).json()["items"]
    assert [(h["thread"], h["author"]) for h in hits] == [(delhi_thread.pk, "delhi_ilo")]


def test_the_ilo_adds_a_uo_but_not_another_agencys_ilo(client, delhi_thread, delhi_ilo, delhi_cyber_uo, mumbai_ilo):
    headers = bearer(delhi_ilo)
    added = client.post(
        f"{API}/threads/{delhi_thread.pk}/participants", {"user": delhi_cyber_uo.pk}, content_type="application/json", **headers
    )
    assert added.status_code == 201 and added.json()["user"]["username"] == "delhi_cyber_uo"
    refused = client.post(
        f"{API}/threads/{delhi_thread.pk}/participants", {"user": mumbai_ilo.pk}, content_type="application/json", **headers
    )
    assert refused.status_code == 422 and "through a thread started by the NCB" in refused.json()["errors"]["user"][0]
    assert not Participant.objects.filter(thread=delhi_thread, user=mumbai_ilo).exists()


def test_the_directory_lists_ilos_and_uos_with_contacts(client, delhi_ilo, delhi_uo, mumbai_ilo, delhi_police):
    items = client.get(f"{API}/directory?agency={delhi_police.code}", **bearer(mumbai_ilo, "connect:read")).json()["items"]
    assert {(i["username"], i["role"], i["state"], i["agency"]) for i in items} == {
        ("delhi_ilo", "ilo", "Delhi", "PS-DL"),
        ("delhi_uo", "uo", "Delhi", "PS-DL"),
    }
    assert {i["email"] for i in items} == {"delhi_ilo@example.invalid", "delhi_uo@example.invalid"}


def test_every_endpoint_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    expected = {
        f"{API}/threads",
        f"{API}/threads/{{thread_id}}",
        f"{API}/threads/{{thread_id}}/messages",
        f"{API}/threads/{{thread_id}}/read",
        f"{API}/threads/{{thread_id}}/participants",
        f"{API}/threads/{{thread_id}}/attachments/{{attachment_id}}",
        f"{API}/messages",
        f"{API}/directory",
    }
    assert expected <= set(paths)
    assert "422" in paths[f"{API}/threads/{{thread_id}}/messages"]["post"]["responses"]
    assert "multipart/form-data" in paths[f"{API}/threads/{{thread_id}}/messages"]["post"]["requestBody"]["content"]


def test_nothing_is_written_by_a_refused_api_call(client, delhi_thread, delhi_uo):
    before = (Message.objects.count(), MessageAttachment.objects.count())
    client.post(f"{API}/threads/{delhi_thread.pk}/messages", {"body": ""}, **bearer(delhi_uo))
    assert (Message.objects.count(), MessageAttachment.objects.count()) == before

"""The Idempotency-Key header on the JSON API: a retry gets the first answer, never a second object."""

import json
import threading

import pytest
from django.test import Client

from accounts import services as account_services
from audit.models import AuditEntry
from idempotency.models import IdempotencyKey
from notices import services as notice_services
from notices.models import NoticeRequest
from workflow.models import Transition

pytestmark = pytest.mark.django_db
NOTICES = "/api/v1/notices/"
KEY = "8e03978e-40d5-43e8-bc93-6894a57f9324"


def bearer(user, *scopes) -> dict:
    raw = account_services.api_token_create(user=user, name="test", scopes=list(scopes or ["notices:read", "notices:write"]))
    return {"Authorization": f"Bearer {raw}"}


def draft(client, auth: dict, key: str | None = KEY, **payload):
    headers = dict(auth)
    if key is not None:
        headers["Idempotency-Key"] = key
    body = {"kind": "red", "family_name": "Verma", "forenames": "Rakesh", **payload}
    return client.post(NOTICES, json.dumps(body), content_type="application/json", headers=headers)


def test_a_retry_with_the_same_key_gets_the_first_answer_and_makes_no_second_draft(client, delhi_uo):
    auth = bearer(delhi_uo)
    first = draft(client, auth)
    again = draft(client, auth)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Content-Type"] == "application/json; charset=utf-8"
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    notice = NoticeRequest.objects.get()
    assert first.json()["id"] == notice.pk
    assert AuditEntry.objects.filter(action="notice.create").count() == 1
    assert Transition.objects.filter(object_id=notice.pk, action="create").count() == 1


def test_the_key_may_be_quoted_as_the_draft_writes_it(client, delhi_uo):
    auth = bearer(delhi_uo)
    first = draft(client, auth, key=KEY)
    again = draft(client, auth, key=f'"{KEY}"')
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"] and NoticeRequest.objects.count() == 1


def test_the_same_payload_sent_with_other_spacing_and_order_is_the_same_request(client, delhi_uo):
    auth = bearer(delhi_uo)
    first = draft(client, auth)
    spaced = json.dumps({"forenames": "Rakesh", "family_name": "Verma", "kind": "red"}, indent=2)
    again = client.post(NOTICES, spaced, content_type="application/json", headers={**auth, "Idempotency-Key": KEY})
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert NoticeRequest.objects.count() == 1


def test_the_same_key_with_another_payload_is_refused_with_422_and_changes_nothing(client, delhi_uo):
    auth = bearer(delhi_uo)
    draft(client, auth)
    other = draft(client, auth, family_name="Sharma")
    assert other.status_code == 422
    message = "This Idempotency-Key was already used for a different request. Use a new key for a new request."
    assert other.json() == {"detail": message, "errors": {"Idempotency-Key": [message]}}
    assert list(NoticeRequest.objects.values_list("family_name", flat=True)) == ["Verma"]


def test_requests_without_a_key_are_not_deduplicated(client, delhi_uo):
    auth = bearer(delhi_uo)
    draft(client, auth, key=None)
    draft(client, auth, key=None)
    assert NoticeRequest.objects.count() == 2 and not IdempotencyKey.objects.exists()


@pytest.mark.parametrize("key", ["", '""', "x" * 256, "ключ"])
def test_an_empty_overlong_or_non_ascii_key_is_refused_with_400(client, delhi_uo, key):
    response = draft(client, bearer(delhi_uo), key=key)
    assert response.status_code == 400
    assert "Idempotency-Key header must hold 1 to 255 printable ASCII characters" in response.json()["detail"]
    assert not NoticeRequest.objects.exists()


def test_one_clients_key_never_answers_another_clients_request(client, delhi_uo, delhi_ilo):
    mine = draft(client, bearer(delhi_uo))
    theirs = draft(client, bearer(delhi_ilo))
    assert theirs.status_code == 201 and "Idempotent-Replayed" not in theirs
    assert theirs.json()["id"] != mine.json()["id"]
    assert NoticeRequest.objects.count() == 2


def test_a_browser_session_calling_the_api_is_one_client_whatever_its_tokens(signed_in, delhi_uo):
    browser = signed_in(delhi_uo)
    first = browser.post(NOTICES, json.dumps({"kind": "red"}), content_type="application/json", headers={"Idempotency-Key": KEY})
    again = browser.post(NOTICES, json.dumps({"kind": "red"}), content_type="application/json", headers={"Idempotency-Key": KEY})
    assert first.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert NoticeRequest.objects.count() == 1


def test_a_refused_request_is_not_kept_so_the_corrected_one_goes_through_with_the_same_key(client, delhi_uo):
    auth = bearer(delhi_uo)
    refused = draft(client, auth, kind="purple-ish")
    assert refused.status_code == 422 and not NoticeRequest.objects.exists()
    corrected = draft(client, auth)
    assert corrected.status_code == 201 and "Idempotent-Replayed" not in corrected
    assert NoticeRequest.objects.count() == 1


def test_a_patch_retried_with_its_key_is_applied_once(client, delhi_uo):
    auth = bearer(delhi_uo)
    notice = NoticeRequest.objects.get(pk=draft(client, auth, key=None).json()["id"])
    headers = {**auth, "Idempotency-Key": "patch-1"}
    path = f"{NOTICES}{notice.pk}?version={notice.version}"
    first = client.patch(path, json.dumps({"forenames": "Rakesh Kumar"}), content_type="application/json", headers=headers)
    again = client.patch(path, json.dumps({"forenames": "Rakesh Kumar"}), content_type="application/json", headers=headers)
    assert first.status_code == again.status_code == 200  # without the key the stale version would answer 409
    assert again.json()["version"] == first.json()["version"] == notice.version + 1
    assert again["Idempotent-Replayed"] == "true"


def test_a_request_that_fails_on_the_server_leaves_nothing_and_its_retry_runs_afresh(client, delhi_uo, monkeypatch):
    real = notice_services.notice_draft_create

    def create_then_crash(**kwargs):
        real(**kwargs)
        raise RuntimeError("the server broke after writing")

    auth = bearer(delhi_uo)
    monkeypatch.setattr(notice_services, "notice_draft_create", create_then_crash)
    failed = draft(Client(raise_request_exception=False), auth)
    assert failed.status_code == 500
    assert not NoticeRequest.objects.exists() and not AuditEntry.objects.filter(action="notice.create").exists()
    monkeypatch.setattr(notice_services, "notice_draft_create", real)
    retried = draft(client, auth)
    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried
    assert NoticeRequest.objects.count() == 1


# --- Two copies at once: each test thread has its own database connection, so these commit for real ----------


@pytest.mark.django_db(transaction=True)
def test_a_copy_sent_while_the_first_is_still_running_gets_409_then_the_first_answer(reference_data, monkeypatch):
    from conftest import make_user
    from directory.models import Agency, UnitOffice

    delhi = Agency.objects.get(code="PS-DL")
    uo = make_user("race_uo", "uo", agency=delhi, unit=UnitOffice.objects.create(agency=delhi, code="T-DL-CB", name="Crime Branch"))
    auth = bearer(uo)
    entered, proceed = threading.Event(), threading.Event()
    real = notice_services.notice_draft_create

    def slow_create(**kwargs):
        entered.set()
        assert proceed.wait(10), "the test never let the first request finish"
        return real(**kwargs)

    monkeypatch.setattr(notice_services, "notice_draft_create", slow_create)
    answers = {}

    def first_copy():
        from django.db import connection

        try:
            answers["first"] = draft(Client(), auth)
        finally:
            connection.close()

    thread = threading.Thread(target=first_copy)
    thread.start()
    try:
        assert entered.wait(10), "the first request never reached the service"
        second = draft(Client(), auth)
    finally:
        proceed.set()
        thread.join(10)
    assert not thread.is_alive()
    assert second.status_code == 409 and second["Retry-After"] == "1"
    assert "still being processed" in second.json()["detail"]
    assert answers["first"].status_code == 201
    third = draft(Client(), auth)
    assert third.status_code == 201 and third["Idempotent-Replayed"] == "true"
    assert third.json()["id"] == answers["first"].json()["id"]
    assert NoticeRequest.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_copies_sent_at_the_same_instant_make_one_draft(reference_data):
    from django.db import connection

    from conftest import make_user
    from directory.models import Agency, UnitOffice

    delhi = Agency.objects.get(code="PS-DL")
    uo = make_user("race_uo", "uo", agency=delhi, unit=UnitOffice.objects.create(agency=delhi, code="T-DL-CB", name="Crime Branch"))
    auth = bearer(uo)
    start, answers = threading.Barrier(2, timeout=10), []

    def send():
        try:
            start.wait()
            answers.append(draft(Client(), auth))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(answer.status_code for answer in answers) in ([201, 201], [201, 409])
    created = [answer.json()["id"] for answer in answers if answer.status_code == 201]
    assert len(set(created)) == 1
    assert NoticeRequest.objects.count() == 1
    assert AuditEntry.objects.filter(action="notice.create").count() == 1

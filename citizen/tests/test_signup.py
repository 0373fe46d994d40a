"""A citizen signs up with e-mail and mobile, proves the e-mail with a one-time code, then signs in at /accounts/login/."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from citizen.models import OneTimeCode
from citizen.tests.conftest import code_in

pytestmark = pytest.mark.django_db
FORM = {"name": "Asha Verma", "email": "Asha@Example.in", "mobile": "98765 43210", "password": "Quiet-Mango-Harbour-71", "consent": "on"}


def _start(client, mailbox, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("citizen_public:signup"), {**FORM, **overrides})
    return response


def test_the_sign_up_code_flow_creates_a_citizen_who_can_sign_in(client, mailbox, django_capture_on_commit_callbacks):
    response = _start(client, mailbox, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert not User.objects.filter(email="asha@example.in").exists()
    code = code_in(mailbox.body(mailbox.wait_for(1)[0]))
    assert OneTimeCode.objects.get().code_hash != code
    response = client.post(reverse("citizen_public:signup_verify"), {"code": code})
    assert response.status_code == 302 and reverse("accounts:login") in response.url
    user = User.objects.get(username="asha@example.in")
    assert user.role == Role.CITIZEN and user.phone == "+919876543210" and user.check_password(FORM["password"])
    response = client.post(reverse("accounts:login"), {"username": "asha@example.in", "password": FORM["password"]})
    assert response.status_code == 302
    assert client.get(reverse("citizen_public:my_requests")).status_code == 200


def test_a_wrong_code_is_refused_and_five_wrong_codes_spend_it(client, mailbox, django_capture_on_commit_callbacks):
    _start(client, mailbox, django_capture_on_commit_callbacks)
    code = code_in(mailbox.body(mailbox.wait_for(1)[0]))
    wrong = "000000" if code != "000000" else "111111"
    for _attempt in range(5):
        assert client.post(reverse("citizen_public:signup_verify"), {"code": wrong}).status_code == 400
    response = client.post(reverse("citizen_public:signup_verify"), {"code": code})
    assert "Too many wrong tries" in response.content.decode()
    assert not User.objects.filter(email="asha@example.in").exists()


def test_an_expired_code_is_refused(client, mailbox, django_capture_on_commit_callbacks):
    _start(client, mailbox, django_capture_on_commit_callbacks)
    code = code_in(mailbox.body(mailbox.wait_for(1)[0]))
    OneTimeCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(reverse("citizen_public:signup_verify"), {"code": code})
    assert "expired" in response.content.decode()


def test_a_weak_password_and_a_bad_mobile_are_shown_next_to_their_fields_keeping_the_rest(
    client, mailbox, django_capture_on_commit_callbacks
):
    response = _start(client, mailbox, django_capture_on_commit_callbacks, password="password", mobile="12345")
    assert response.status_code == 400
    form = response.context["form"]
    assert "mobile" in form.errors
    assert 'value="Asha Verma"' in response.content.decode()
    response = _start(client, mailbox, django_capture_on_commit_callbacks, password="password")
    assert "password" in response.context["form"].errors


def test_sign_ups_are_rate_limited_per_e_mail(client, mailbox, django_capture_on_commit_callbacks):
    statuses = [_start(client, mailbox, django_capture_on_commit_callbacks).status_code for _ in range(6)]
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429


def test_signing_up_with_an_address_that_has_an_account_tells_its_owner_and_the_page_nothing(
    client, citizen, mailbox, django_capture_on_commit_callbacks
):
    new = _start(client, mailbox, django_capture_on_commit_callbacks, email="someone.new@example.in")
    existing = _start(client, mailbox, django_capture_on_commit_callbacks, email=citizen.email.upper())
    assert (existing.status_code, existing.url) == (new.status_code, new.url)  # the page cannot tell the two apart
    sent = {message["To"]: mailbox.body(message) for message in mailbox.wait_for(2)}
    assert "already has an account" in sent[citizen.email] and code_in(sent["someone.new@example.in"])
    assert re.search(r"\b\d{6}\b", sent[citizen.email]) is None  # and no code to finish with
    assert User.objects.filter(email__iexact=citizen.email).count() == 1


def test_each_service_has_a_plain_language_privacy_notice(client):
    from django.utils.html import escape

    from citizen.catalogue import SERVICES

    for service in SERVICES:
        page = client.get(reverse("citizen_public:privacy", args=[service.code])).content.decode()
        assert "How long we keep it" in page and escape(str(service.privacy.kept)) in page

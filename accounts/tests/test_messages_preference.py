"""A user chooses the language of the portal's messages and how they come (My security), and the language switch in
the page header makes the messages follow."""

import pytest
from django.urls import reverse

from accounts.models import NotifyBy
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def choose(client, **data):
    return client.post(reverse("accounts:security"), {"action": "messages", **data})


def test_a_citizen_chooses_hindi_and_sms_on_my_security(signed_in, citizen):
    citizen.phone = "+919876543210"
    citizen.save(update_fields=["phone"])
    client = signed_in(citizen)
    assert 'name="notify_by"' in client.get(reverse("accounts:security")).content.decode()
    response = choose(client, language="hi", notify_by=NotifyBy.SMS)
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.language, citizen.notify_by) == ("hi", NotifyBy.SMS)
    entry = AuditEntry.objects.get(action="auth.messages_changed")
    assert entry.data["to"] == {"language": "hi", "notify_by": "sms"} and entry.data["from"]["notify_by"] == "email"


def test_choosing_sms_without_a_mobile_number_is_refused_with_a_clear_error(signed_in, citizen):
    response = choose(signed_in(citizen), language="en", notify_by=NotifyBy.SMS)
    assert response.status_code == 400
    error = "Messages by SMS need a mobile number, and your account has none. Choose e-mail."
    assert response.context["messages_form"].errors["notify_by"] == [error]
    assert error in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.notify_by == NotifyBy.EMAIL and not AuditEntry.objects.filter(action="auth.messages_changed").exists()


def test_an_unknown_language_or_channel_is_refused_next_to_its_field(signed_in, delhi_station_officer):
    response = choose(signed_in(delhi_station_officer), language="xx", notify_by="pigeon")
    assert response.status_code == 400
    assert set(response.context["messages_form"].errors) == {"language", "notify_by"}


def test_the_language_switch_updates_the_signed_in_users_language(signed_in, citizen):
    client = signed_in(citizen)
    response = client.post(reverse("set_language"), {"language": "hi", "next": "/services/"})
    assert response.status_code == 302 and response.url == "/services/"
    citizen.refresh_from_db()
    assert citizen.language == "hi"
    assert AuditEntry.objects.get(action="auth.language_changed").data == {"from": "en", "to": "hi"}
    client.post(reverse("set_language"), {"language": "hi", "next": "/services/"})
    assert AuditEntry.objects.filter(action="auth.language_changed").count() == 1  # no change, no entry


def test_the_language_switch_still_works_for_visitors_and_ignores_an_unknown_language(client, signed_in, citizen):
    response = client.post(reverse("set_language"), {"language": "hi", "next": "/services/"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "hi"
    signed_in(citizen).post(reverse("set_language"), {"language": "xx", "next": "/services/"})
    citizen.refresh_from_db()
    assert citizen.language == "en"

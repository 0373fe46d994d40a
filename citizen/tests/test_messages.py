"""What a citizen is told, and how: in the language they chose (never the acting officer's), by the channel they
chose (e-mail, SMS or both), enqueued in the transaction of the change."""

from email.header import decode_header, make_header

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from accounts.models import NotifyBy
from citizen import services
from citizen.models import CitizenRequest
from citizen.tests.conftest import SCOOTER, code_in, complaint_details
from conftest import fir_registration
from notify.templatetags.indian import indian

pytestmark = pytest.mark.django_db

MOBILE = "+919876543210"
SIGNUP = {"name": "Asha Verma", "email": "asha@example.in", "mobile": "98765 43210", "password": "Quiet-Mango-Harbour-71", "consent": "on"}


class RolledBack(Exception):
    """Raised to undo the transaction a test opened."""


def subject_of(message) -> str:
    return " ".join(str(make_header(decode_header(message["Subject"]))).split())


def sent(mailbox, key: str, to: str | None = None) -> list:
    return [m for m in mailbox.messages if m["X-OpenPol-Message"] == key and (to is None or m["To"] == to)]


def deliveries(key: str):
    return DBTaskResult.objects.filter(task_path__startswith="notify.tasks.", args_kwargs__kwargs__key=key)


def file_complaint(citizen):
    return services.request_create(by=citizen, service="complaint", details=complaint_details(), pincode="110001")


@pytest.fixture
def hindi_citizen(citizen):
    citizen.language = "hi"
    citizen.save(update_fields=["language"])
    return citizen


@pytest.fixture
def sms_citizen(citizen):
    citizen.phone, citizen.notify_by = MOBILE, NotifyBy.SMS
    citizen.save(update_fields=["phone", "notify_by"])
    return citizen


# --- In the citizen's language -------------------------------------------------------------------------------


def test_a_citizen_who_chose_hindi_gets_the_stage_change_mail_in_hindi_even_when_the_officer_acting_uses_english(
    signed_in, hindi_citizen, delhi_station_with_pin, delhi_station_officer, mailbox
):
    request = file_complaint(hindi_citizen)
    officer = signed_in(delhi_station_officer)
    officer.cookies["django_language"] = "en"
    response = officer.post(reverse("citizen_station:act", args=[request.reference, "accept"]), {"note": "Enquiry ordered.", "version": 1})
    assert response.status_code == 302
    assert "Accept" in officer.get(reverse("citizen_station:detail", args=[request.reference])).content.decode()  # English pages

    [message] = sent(mailbox, "citizen.request_stage_changed", to=hindi_citizen.email)
    assert subject_of(message) == f"{request.reference}: कार्यवाही जारी है"  # "Being processed", in Hindi
    body = mailbox.body(message)
    assert "की वर्तमान स्थिति: कार्यवाही जारी है" in body and "पुलिस का संदेश: Enquiry ordered." in body
    assert "Being processed" not in body and "is now" not in body


def test_the_acknowledgement_of_a_citizen_who_chose_hindi_gives_the_deadline_in_hindi_in_ist(
    hindi_citizen, delhi_station_with_pin, delhi_station_officer, mailbox
):
    with translation.override("en"):  # whatever the language of the page the request was filed from
        request = file_complaint(hindi_citizen)
    [message] = sent(mailbox, "citizen.request_created", to=hindi_citizen.email)
    assert subject_of(message) == f"प्राप्त हुआ: {request.reference}"
    with translation.override("hi"):
        due = indian(request.due_at)
    body = mailbox.body(message)
    assert f"अपेक्षित तिथि: {due}" in body and due.endswith(" IST")
    # The station's officers read English, as they chose.
    [to_station] = sent(mailbox, "citizen.request_new")
    assert subject_of(to_station).startswith(f"New citizen request {request.reference}")


def test_an_officer_using_hindi_does_not_turn_an_english_citizens_mail_into_hindi(
    signed_in, complaint, delhi_station_officer, citizen, mailbox
):
    officer = signed_in(delhi_station_officer)
    officer.cookies["django_language"] = "hi"
    officer.post(reverse("citizen_station:act", args=[complaint.reference, "ask_info"]), {"note": "Which phone model?", "version": 1})
    [message] = sent(mailbox, "citizen.request_stage_changed", to=citizen.email)
    assert subject_of(message) == f"{complaint.reference}: Waiting for more information from you"
    assert "The police wrote: Which phone model?" in mailbox.body(message)


def test_the_fir_number_is_told_in_the_citizens_language_not_in_the_note_the_officer_recorded(
    hindi_citizen, delhi_station_with_pin, delhi_station_officer, mailbox
):
    request = services.request_create(
        by=hindi_citizen,
        service="efir",
        details=complaint_details(category="vehicle_theft", property="Scooter", value=1, **SCOOTER),
        pincode="110001",
    )
    with translation.override("en"):
        services.request_register_fir(request=request, by=delhi_station_officer, registration=fir_registration(12))
    [message] = sent(mailbox, "citizen.request_stage_changed", to=hindi_citizen.email)
    body = mailbox.body(message)
    assert "FIR 12/2025 दर्ज की गई।" in body
    assert "registered" not in body and "पुलिस का संदेश" not in body


# --- By the channel the citizen chose ---------------------------------------------------------------------------


def test_a_citizen_who_chose_sms_gets_the_acknowledgement_number_by_sms(
    sms_citizen, delhi_station_with_pin, delhi_station_officer, mailbox, sms_gateway
):
    request = file_complaint(sms_citizen)
    [sms] = sms_gateway.wait_for(1)
    assert sms["to"] == MOBILE and request.reference in sms["text"] and len(sms["text"]) <= 160
    assert not sent(mailbox, "citizen.request_created")  # SMS only, as chosen
    assert sent(mailbox, "citizen.request_new")  # the station is still e-mailed


def test_a_citizen_who_chose_both_gets_each_change_of_status_by_e_mail_and_sms(
    citizen, delhi_station_with_pin, delhi_station_officer, mailbox, sms_gateway
):
    citizen.phone, citizen.notify_by = MOBILE, NotifyBy.BOTH
    citizen.save(update_fields=["phone", "notify_by"])
    request = file_complaint(citizen)
    services.request_accept(request=request, by=delhi_station_officer)
    texts = [m["text"] for m in sms_gateway.wait_for(2)]
    assert len(texts) == 2 and "Being processed" in texts[1] and request.reference in texts[1]
    assert len(sent(mailbox, "citizen.request_stage_changed", to=citizen.email)) == 1


def test_the_tracking_code_goes_by_e_mail_even_to_a_citizen_who_chose_sms(
    client, sms_citizen, delhi_station_with_pin, mailbox, sms_gateway
):
    request = file_complaint(sms_citizen)
    client.post(reverse("citizen_public:track"), {"reference": request.reference})
    [message] = sent(mailbox, "citizen.code", to=sms_citizen.email)
    assert code_in(mailbox.body(message))
    assert len(sms_gateway.wait_for(1)) == 1  # the acknowledgement alone: codes never go by SMS


# --- In the transaction of the change -------------------------------------------------------------------------------


def test_the_citizen_is_told_of_a_step_only_when_it_commits(complaint, delhi_station_officer, mailbox):
    with pytest.raises(RolledBack), transaction.atomic():
        services.request_accept(request=complaint, by=delhi_station_officer)
        assert deliveries("citizen.request_stage_changed").count() == 1
        raise RolledBack
    assert not deliveries("citizen.request_stage_changed").exists()
    assert not sent(mailbox, "citizen.request_stage_changed")
    complaint.refresh_from_db()
    assert complaint.stage == CitizenRequest.Stage.SUBMITTED


# --- Choosing at sign-up ----------------------------------------------------------------------------------------------


def test_a_citizen_who_signs_up_in_hindi_with_sms_gets_the_code_in_hindi_and_keeps_both_choices(client, mailbox):
    response = client.post(reverse("citizen_public:signup"), {**SIGNUP, "language": "hi", "notify_by": NotifyBy.SMS})
    assert response.status_code == 302
    [message] = sent(mailbox, "citizen.code", to=SIGNUP["email"])
    assert subject_of(message).startswith("आपका OpenPol कोड:")
    client.post(reverse("citizen_public:signup_verify"), {"code": code_in(mailbox.body(message))})
    user = services.User.objects.get(email=SIGNUP["email"])
    assert (user.language, user.notify_by, user.phone) == ("hi", NotifyBy.SMS, MOBILE)


def test_choosing_sms_without_a_mobile_number_at_sign_up_is_refused_next_to_the_mobile_field(client, mailbox):
    response = client.post(reverse("citizen_public:signup"), {**SIGNUP, "mobile": "", "notify_by": NotifyBy.SMS})
    assert response.status_code == 400
    assert response.context["form"].errors["mobile"] == ["Messages by SMS need your mobile number. Give it, or choose e-mail."]
    assert not sent(mailbox, "citizen.code")


def test_the_sign_up_page_offers_the_language_and_the_channel(client):
    page = client.get(reverse("citizen_public:signup"), HTTP_ACCEPT_LANGUAGE="hi").content.decode()
    assert 'name="language"' in page and 'value="hi" selected' in page
    assert 'name="notify_by"' in page and 'value="sms"' in page

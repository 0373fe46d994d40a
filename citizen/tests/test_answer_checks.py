"""Each service's answers are checked for what they mean, by the service (so the form, the API and Open311 agree),
and refused beside the field in words that fit the question; nothing is saved."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from citizen import services
from citizen.models import CitizenRequest
from citizen.tests.conftest import complaint_details

pytestmark = pytest.mark.django_db


def _refused(citizen, service, details, **kwargs) -> dict:
    with pytest.raises(ValidationError) as refused:
        services.request_create(by=citizen, service=service, details=details, pincode="110001", **kwargs)
    assert not CitizenRequest.objects.exists()
    return refused.value.message_dict


def test_an_incident_in_1800_is_refused_as_a_year_to_check(citizen, delhi_station_with_pin):
    assert _refused(citizen, "complaint", complaint_details(occurred_on="1800-01-01")) == {
        "occurred_on": ["Check the year: this date is before 1900."]
    }


def test_a_mobile_number_that_is_not_one_is_refused_and_a_good_one_is_kept_in_one_form(citizen, delhi_station_with_pin):
    assert "contact_phone" in _refused(citizen, "complaint", complaint_details(), contact_phone="abc")
    request = services.request_create(
        by=citizen, service="complaint", details=complaint_details(), pincode="110001", contact_phone="098765 43210"
    )
    assert request.contact_phone == "+919876543210"


def test_a_missing_person_aged_999_is_refused(citizen, delhi_station_with_pin):
    details = {"person_name": "Asha (test)", "age": 999, "last_seen_on": "2026-01-10", "place": "Karol Bagh", "description": "Red kurta."}
    assert _refused(citizen, "missing_person", details) == {"age": ["Give a number from 0 to 120."]}


def test_a_tenant_born_two_days_ago_is_refused_in_words_about_a_date_of_birth(citizen, delhi_station_with_pin):
    born = (timezone.localdate() - timedelta(days=2)).isoformat()
    details = {"subject_name": "Ravi Kumar", "subject_dob": born, "subject_address": "12 Lodhi Road"}
    problems = _refused(citizen, "verify_tenant", details)
    assert problems["subject_dob"] == ["The person must be at least 18 years old: check the date of birth."]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert _refused(citizen, "verify_tenant", {**details, "subject_dob": tomorrow})["subject_dob"] == [
        "A date of birth cannot be in the future."
    ]


def test_an_event_noc_for_a_past_date_with_no_one_attending_is_refused_on_both_fields(citizen, delhi_station_with_pin):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    details = {"event_kind": "event", "event_date": yesterday, "place": "Ramlila Ground", "attendance": 0, "description": "A fair."}
    assert _refused(citizen, "noc_event", details) == {
        "event_date": ["This date has passed. Give a date from today on."],
        "attendance": ["Give a number from 1 to 10,000,000."],
    }


def test_the_web_form_shows_each_problem_beside_its_field_with_what_was_typed_kept(signed_in, citizen, delhi_station_with_pin):
    form = {**complaint_details(occurred_on="1800-01-01"), "pincode": "110001", "contact_phone": "abc"}
    response = signed_in(citizen).post(reverse("citizen_public:request_new", args=["complaint"]), form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Check the year: this date is before 1900." in page and "Give a 10-digit Indian mobile number" in page
    assert page.count('class="field has-error"') == 2 and form["description"] in page
    assert not CitizenRequest.objects.exists()


def test_a_character_certificate_asks_about_yourself_and_a_tenant_verification_about_the_tenant(signed_in, citizen):
    client = signed_in(citizen)
    own = client.get(reverse("citizen_public:request_new", args=["character_certificate"])).content.decode()
    assert "Your date of birth" in own and "Your photograph" in own and 'name="consent"' not in own
    tenant = client.get(reverse("citizen_public:request_new", args=["verify_tenant"])).content.decode()
    assert "Their date of birth" in tenant and "Photograph of the person to be verified" in tenant and 'name="consent"' in tenant


SENIOR = {
    "subject_name": "Kamla Devi (test)",
    "subject_address": "4 Lodhi Estate",
    "lives_alone": "alone",
    "relative_name": "Suresh (test)",
    "relative_phone": "98765 43210",
}


def test_a_senior_citizen_is_registered_with_the_station_and_must_be_60_with_a_real_emergency_number(
    signed_in, citizen, delhi_station_with_pin, delhi_station_officer
):
    too_young = (timezone.localdate().replace(year=timezone.localdate().year - 59)).isoformat()
    problems = _refused(citizen, "senior_citizen", {**SENIOR, "subject_dob": too_young, "relative_phone": "12345"})
    assert problems == {
        "subject_dob": ["The person must be at least 60 years old: check the date of birth."],
        "relative_phone": ["Give a 10-digit Indian mobile number, e.g. 98765 43210."],
    }
    client = signed_in(citizen)
    assert "Register a senior citizen with the police station" in client.get(reverse("citizen_public:index")).content.decode()
    response = client.post(
        reverse("citizen_public:request_new", args=["senior_citizen"]), {**SENIOR, "subject_dob": "1950-03-01", "pincode": "110001"}
    )
    assert response.status_code == 302
    registration = CitizenRequest.objects.get(service="senior_citizen")
    inbox = signed_in(delhi_station_officer).get(reverse("citizen_station:inbox")).content.decode()
    assert registration.reference in inbox
    detail = signed_in(delhi_station_officer).get(reverse("citizen_station:detail", args=[registration.reference])).content.decode()
    assert "Alone" in detail and "98765 43210" in detail


def test_open311_lists_the_senior_citizen_registration_with_its_questions(client, db):
    definition = client.get("/open311/v2/services/senior_citizen.json")
    assert definition.status_code == 200
    codes = [a["code"] for a in definition.json()["attributes"]]
    assert "relative_phone" in codes and "lives_alone" in codes


def test_a_complaint_carries_its_evidence_to_the_station_and_a_fake_file_is_refused_beside_the_field(
    signed_in, citizen, delhi_station_with_pin, delhi_station_officer
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from conftest import pdf_bytes

    client = signed_in(citizen)
    url = reverse("citizen_public:request_new", args=["complaint"])
    assert 'name="evidence"' in client.get(url).content.decode()
    fake = SimpleUploadedFile("screenshot.png", b"GIF89a not a picture", content_type="image/png")
    refused = client.post(url, {**complaint_details(), "pincode": "110001", "evidence": fake})
    assert refused.status_code == 400 and "screenshot.png is not a readable image" in refused.content.decode()
    assert not CitizenRequest.objects.exists()
    letter = SimpleUploadedFile("letter.pdf", pdf_bytes("The fraudster's letter (test)."), content_type="application/pdf")
    assert client.post(url, {**complaint_details(), "pincode": "110001", "evidence": letter}).status_code == 302
    complaint = CitizenRequest.objects.get()
    page = signed_in(delhi_station_officer).get(reverse("citizen_station:detail", args=[complaint.reference])).content.decode()
    assert "letter.pdf" in page and services.attachments_of(complaint).count() == 1

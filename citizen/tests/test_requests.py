"""Filing a request: acknowledgement at once, e-mails, form errors that keep what the citizen typed, and access."""

import re

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from accounts.models import Role
from citizen.models import CitizenRequest
from conftest import make_user
from workflow.models import Task

pytestmark = pytest.mark.django_db


def test_a_request_gets_an_acknowledgement_number_and_e_mails_at_once(complaint, mailbox):
    assert re.fullmatch(r"DP-\d{8}-[A-Z2-9]{6}", complaint.reference)
    messages = mailbox.wait_for(2)
    to_citizen = next(m for m in messages if m["To"] == "citizen@example.invalid")
    assert complaint.reference in to_citizen["Subject"] and complaint.reference in mailbox.body(to_citizen)
    to_station = next(m for m in messages if m["X-OpenPol-Message"] == "citizen.request_new")
    assert complaint.reference in to_station["Subject"]
    # The station's officers and its own address, each unseen by the others (Bcc).
    [delivery] = DBTaskResult.objects.filter(task_path="notify.tasks.email_deliver", args_kwargs__kwargs__key="citizen.request_new")
    assert sorted(delivery.args_kwargs["kwargs"]["bcc"]) == ["cp-ps@delhi.invalid", "delhi_sho@example.invalid"]
    assert Task.objects.get(reference=complaint.reference, closed_at__isnull=True).office == f"station:{complaint.station_id}"


def test_the_citizen_files_a_complaint_through_the_form(
    signed_in, citizen, delhi_station_with_pin, mailbox, django_capture_on_commit_callbacks
):
    client = signed_in(citizen)
    data = {
        "station": delhi_station_with_pin.pk,
        "category": "cyber",
        "occurred_on": "2025-02-01",
        "place": "Online",
        "description": "UPI fraud",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("citizen_public:request_new", args=["complaint"]), data)
    request = CitizenRequest.objects.get()
    assert response.status_code == 302 and response.url == request.citizen_url()
    assert request.details["category"] == "cyber" and request.routed_by == "chosen"
    assert client.get(request.citizen_url()).status_code == 200


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"station": "999999"}, "station", "does not exist"),
        ({"pincode": "012345"}, "pincode", "6 digits"),
        ({"occurred_on": "2099-01-01"}, "occurred_on", "in the future"),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_nothing_typed_is_lost(
    signed_in, citizen, delhi_station_with_pin, change, field, message
):
    data = {"pincode": "110001", "category": "theft", "occurred_on": "2025-02-01", "place": "Khan Market", "description": "Bag snatched"}
    response = signed_in(citizen).post(reverse("citizen_public:request_new", args=["complaint"]), {**data, **change})
    assert response.status_code == 400
    assert any(message in str(e) for e in response.context["form"].errors[field])
    page = response.content.decode()
    assert "Bag snatched" in page and "Khan Market" in page
    assert not CitizenRequest.objects.exists()


def test_a_pin_code_with_no_station_is_explained(signed_in, citizen, delhi_station_with_pin):
    data = {"pincode": "600001", "category": "theft", "occurred_on": "2025-02-01", "place": "Chennai", "description": "x"}
    response = signed_in(citizen).post(reverse("citizen_public:request_new", args=["complaint"]), data)
    assert response.status_code == 400 and "no police station" in str(response.context["form"].errors["pincode"])


def test_anonymous_is_sent_to_sign_in_for_citizen_pages(client, complaint):
    for url in (reverse("citizen_public:request_new", args=["complaint"]), reverse("citizen_public:my_requests")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/?next=")
    assert client.get(complaint.citizen_url()).url.startswith(reverse("citizen_public:track"))


def test_another_citizen_gets_404_on_a_request(signed_in, complaint):
    other = make_user("other_citizen", Role.CITIZEN)
    assert signed_in(other).get(complaint.citizen_url()).status_code == 404


def test_a_police_officer_is_refused_the_citizen_form(signed_in, delhi_station_officer):
    assert signed_in(delhi_station_officer).get(reverse("citizen_public:request_new", args=["complaint"])).status_code == 403


def test_verification_uploads_are_checked_by_content(signed_in, citizen, delhi_station_with_pin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    data = {"pincode": "110001", "subject_name": "Ravi Kumar", "subject_dob": "1990-05-01", "subject_address": "12 Lodhi Road"}
    files = {"photo": fake, "id_proof": SimpleUploadedFile("id.pdf", b"%PDF-1.4 x"), "consent": SimpleUploadedFile("c.pdf", b"%PDF-1.4 y")}
    response = signed_in(citizen).post(reverse("citizen_public:request_new", args=["verify_tenant"]), {**data, **files})
    assert response.status_code == 400
    assert "accepted type" in str(response.context["form"].errors["photo"])
    assert "Ravi Kumar" in response.content.decode()

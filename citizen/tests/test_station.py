"""The station acts on citizen requests: inbox, steps, deadlines and escalation, documents, FIR copies, tracking."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Role
from citizen import services
from citizen.models import CitizenRequest, IssuedDocument
from citizen.tests.conftest import code_in, complaint_details, fir_form_data
from conftest import fir_registration, make_user, pdf_bytes
from workflow.models import Task
from workflow.services import escalate_overdue

pytestmark = pytest.mark.django_db


@pytest.fixture
def mumbai_station_officer(mumbai_station):
    return make_user("mumbai_sho", Role.STATION_OFFICER, agency=mumbai_station.agency, station=mumbai_station)


def test_the_station_inbox_lists_the_request_with_its_deadline(signed_in, complaint, delhi_station_officer):
    page = signed_in(delhi_station_officer).get(reverse("citizen_station:inbox"))
    assert page.status_code == 200 and complaint.reference in page.content.decode()


def test_another_station_gets_404(signed_in, complaint, mumbai_station_officer):
    client = signed_in(mumbai_station_officer)
    assert client.get(reverse("citizen_station:detail", args=[complaint.reference])).status_code == 404
    assert client.post(reverse("citizen_station:act", args=[complaint.reference, "accept"])).status_code == 404
    assert complaint.reference not in client.get(reverse("citizen_station:inbox")).content.decode()


def test_a_citizen_cannot_open_station_pages(signed_in, complaint, citizen):
    assert signed_in(citizen).get(reverse("citizen_station:inbox")).status_code == 403


def test_the_station_asks_for_more_information_and_the_citizen_answers_on_the_portal(
    signed_in, client, complaint, delhi_station_officer, citizen, mailbox, django_capture_on_commit_callbacks
):
    officer = signed_in(delhi_station_officer)
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(reverse("citizen_station:act", args=[complaint.reference, "ask_info"]), {"note": "Which phone model?", "version": 1})
    complaint.refresh_from_db()
    assert complaint.stage == CitizenRequest.Stage.MORE_INFO
    assert any("Which phone model?" in mailbox.body(m) for m in mailbox.wait_for(3))
    citizen_client = signed_in(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = citizen_client.post(reverse("citizen_public:request_answer", args=[complaint.reference]), {"text": "A Redmi Note 12"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.stage == CitizenRequest.Stage.SUBMITTED
    assert Task.objects.get(reference=complaint.reference, closed_at__isnull=True).office == f"station:{complaint.station_id}"


def _asked_for_a_document(signed_in, complaint, officer):
    signed_in(officer).post(
        reverse("citizen_station:act", args=[complaint.reference, "ask_info"]), {"note": "Send the phone's bill.", "version": 1}
    )


def test_the_citizen_answers_with_the_document_asked_for_and_the_station_opens_it(signed_in, complaint, delhi_station_officer, citizen):
    _asked_for_a_document(signed_in, complaint, delhi_station_officer)
    citizen_client = signed_in(citizen)
    form = citizen_client.get(complaint.citizen_url()).content.decode()
    assert 'enctype="multipart/form-data"' in form and 'name="file"' in form
    bill = pdf_bytes("The phone's bill (test).")
    answer = {"text": "The bill is attached.", "file": SimpleUploadedFile("bill.pdf", bill, content_type="application/pdf")}
    assert citizen_client.post(reverse("citizen_public:request_answer", args=[complaint.reference]), answer).status_code == 302
    complaint.refresh_from_db()
    assert complaint.stage == CitizenRequest.Stage.SUBMITTED
    assert "With the file bill.pdf" in citizen_client.get(complaint.citizen_url()).content.decode()
    officer = signed_in(delhi_station_officer)
    page = officer.get(reverse("citizen_station:detail", args=[complaint.reference])).content.decode()
    message = complaint.messages.get(from_citizen=True)
    link = reverse("citizen_station:attachment", args=[complaint.reference, message.attachment.pk])
    assert link in page
    downloaded = officer.get(link)
    assert (
        downloaded.status_code == 200 and b"".join(downloaded.streaming_content if downloaded.streaming else [downloaded.content]) == bill
    )


def test_an_answer_with_a_file_that_is_not_what_it_claims_is_refused_beside_the_field_and_nothing_moves(
    signed_in, complaint, delhi_station_officer, citizen
):
    _asked_for_a_document(signed_in, complaint, delhi_station_officer)
    fake = SimpleUploadedFile("bill.pdf", b"MZ\x90\x00 not a PDF at all", content_type="application/pdf")
    response = signed_in(citizen).post(
        reverse("citizen_public:request_answer", args=[complaint.reference]), {"text": "The bill is attached.", "file": fake}
    )
    assert response.status_code == 400
    assert "bill.pdf is not a file of an accepted type" in response.content.decode()
    assert "The bill is attached." in response.content.decode()  # what they wrote is still there
    complaint.refresh_from_db()
    assert complaint.stage == CitizenRequest.Stage.MORE_INFO and not complaint.messages.filter(from_citizen=True).exists()


def test_rejecting_needs_reasons_which_the_citizen_sees(signed_in, complaint, delhi_station_officer, citizen):
    officer = signed_in(delhi_station_officer)
    assert officer.post(reverse("citizen_station:act", args=[complaint.reference, "reject"]), {"note": ""}).status_code == 400
    officer.post(reverse("citizen_station:act", args=[complaint.reference, "reject"]), {"note": "Civil dispute, not a crime."})
    complaint.refresh_from_db()
    assert complaint.stage == CitizenRequest.Stage.REJECTED
    page = signed_in(citizen).get(complaint.citizen_url()).content.decode()
    assert "Civil dispute, not a crime." in page


def test_assigning_an_officer_shows_on_the_status_page(signed_in, complaint, delhi_station_officer, citizen):
    signed_in(delhi_station_officer).post(
        reverse("citizen_station:assign", args=[complaint.reference]), {"officer": delhi_station_officer.pk}
    )
    complaint.refresh_from_db()
    assert complaint.assigned_to == delhi_station_officer
    assert "Delhi" in signed_in(citizen).get(complaint.citizen_url()).content.decode()


# --- Deadlines and escalation -----------------------------------------------------------------------


def test_an_e_fir_not_confirmed_in_3_days_goes_to_the_states_ilos_when_its_district_has_no_officer(
    efir, delhi_ilo, mailbox, django_capture_on_commit_callbacks
):
    from audit.models import AuditEntry

    task = Task.objects.get(reference=efir.reference, closed_at__isnull=True)
    assert timedelta(days=2, hours=23) < task.due_at - efir.created_at <= timedelta(days=3, minutes=1)
    assert escalate_overdue(now=timezone.now() + timedelta(days=2)).escalated == 0
    with django_capture_on_commit_callbacks(execute=True):
        report = escalate_overdue(now=timezone.now() + timedelta(days=3, hours=1))
    assert efir.reference in report.references
    assert any(m["To"] == delhi_ilo.email and efir.reference in m["Subject"] for m in mailbox.wait_for(3))
    efir.refresh_from_db()
    assert efir.level == CitizenRequest.Level.ILO
    assert Task.objects.get(reference=efir.reference, closed_at__isnull=True).office == f"agency:{efir.agency_id}"
    assert "no district officer" in AuditEntry.objects.get(action="workflow.escalated").data["fallback"]


def _character_certificate_request(citizen) -> CitizenRequest:
    details = {"subject_name": "R", "subject_dob": "1990-01-01", "subject_address": "x", "purpose": "job"}
    uploads = {
        "photo": SimpleUploadedFile("p.png", _png()),
        "id_proof": SimpleUploadedFile("i.pdf", pdf_bytes()),
        "consent": SimpleUploadedFile("c.pdf", pdf_bytes()),
    }
    return services.request_create(by=citizen, service="character_certificate", details=details, pincode="110001", uploads=uploads)


def test_a_verification_is_due_in_20_days_and_a_complaint_in_3_working_days(complaint, citizen, delhi_station_with_pin):
    from workflow.services import add_working_days

    verification = _character_certificate_request(citizen)
    assert abs((verification.due_at - verification.created_at) - timedelta(days=20)) < timedelta(minutes=1)
    assert abs(complaint.due_at - add_working_days(complaint.created_at, 3)) < timedelta(minutes=1)
    assert services.attachments_of(verification).count() == 2  # photo and identity proof: no consent asked of oneself


def test_the_station_is_reminded_before_the_90_day_progress_report_once(complaint, mailbox, django_capture_on_commit_callbacks):
    assert services.citizen_reminders_send() == 0
    later = timezone.now() + timedelta(days=80)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.citizen_reminders_send(now=later) == 1
    assert services.citizen_reminders_send(now=later) == 0
    assert any("Progress due" in m["Subject"] for m in mailbox.wait_for(3))


# --- Documents ---------------------------------------------------------------------------------------


def _png() -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def certificate(citizen, delhi_station_with_pin, delhi_station_officer):
    details = {"subject_name": "Ravi Kumar", "subject_dob": "1990-01-01", "subject_address": "12 Lodhi Road"}
    uploads = {
        "photo": SimpleUploadedFile("p.png", _png()),
        "id_proof": SimpleUploadedFile("i.pdf", pdf_bytes()),
        "consent": SimpleUploadedFile("c.pdf", pdf_bytes()),
    }
    request = services.request_create(by=citizen, service="verify_tenant", details=details, pincode="110001", uploads=uploads)
    services.request_accept(request=request, by=delhi_station_officer)
    return services.request_issue(request=request, by=delhi_station_officer)


def test_a_genuine_certificate_verifies_by_its_code_and_its_file(client, certificate):
    assert bytes(certificate.pdf).startswith(b"%PDF")
    page = client.get(reverse("citizen_public:verify", args=[certificate.code]))
    assert page.status_code == 200 and "Genuine" in page.content.decode()
    assert "Ravi Kumar" not in page.content.decode()  # the public check tells nothing of the content
    assert "of R*** K****, issued by Connaught Place PS" in page.content.decode()  # but whose it is, masked, and where from
    upload = SimpleUploadedFile("c.pdf", bytes(certificate.pdf), content_type="application/pdf")
    page = client.post(reverse("citizen_public:verify", args=[certificate.code]), {"file": upload})
    assert "exactly the one issued" in page.content.decode()


def test_a_tampered_certificate_is_called_altered(client, certificate):
    original = bytes(certificate.pdf)
    tampered = original[:300] + bytes([original[300] ^ 1]) + original[301:]
    page = client.post(reverse("citizen_public:verify", args=[certificate.code]), {"file": SimpleUploadedFile("c.pdf", tampered)})
    assert "NOT the one issued" in page.content.decode()
    IssuedDocument.objects.filter(pk=certificate.pk).update(content={**certificate.content, "applicant": "Someone else"})
    assert "ALTERED" in client.get(reverse("citizen_public:verify", args=[certificate.code])).content.decode()


def test_a_revoked_certificate_says_so_and_an_unknown_code_is_not_genuine(signed_in, client, certificate, delhi_station_officer):
    url = reverse("citizen_station:revoke", args=[certificate.request.reference, certificate.code])
    signed_in(delhi_station_officer).post(url, {"reason": "Issued in error"})
    assert "REVOKED" in client.get(reverse("citizen_public:verify", args=[certificate.code])).content.decode()
    assert client.get(reverse("citizen_public:verify", args=["nosuchcode"])).status_code == 404


def test_the_certificate_pdf_carries_a_qr_code_to_the_check_page(certificate):
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(bytes(certificate.pdf)))
    text = reader.pages[0].extract_text()
    assert f"/services/verify/{certificate.code}" in text
    assert reader.pages[0].images  # the QR code


# --- FIR copies ----------------------------------------------------------------------------------------


def test_the_citizen_downloads_the_fir_copy_of_a_registered_e_fir(signed_in, efir, delhi_station_officer, citizen):
    signed_in(delhi_station_officer).post(reverse("citizen_station:register_fir", args=[efir.reference]), fir_form_data(123))
    response = signed_in(citizen).get(reverse("citizen_public:fir_copy", args=[efir.reference]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_the_portal_never_serves_the_fir_copy_of_a_sensitive_case(signed_in, citizen, delhi_station_with_pin, delhi_station_officer):
    for n, category in enumerate(("sexual_offence", "child_abuse", "terrorism"), start=1):
        request = services.request_create(by=citizen, service="complaint", details=complaint_details(category=category), pincode="110001")
        services.request_register_fir(request=request, by=delhi_station_officer, registration=fir_registration(n))
        response = signed_in(citizen).get(reverse("citizen_public:fir_copy", args=[request.reference]))
        assert response.status_code == 403
    assert not IssuedDocument.objects.filter(kind="fir").exists()


def test_the_station_can_mark_a_case_sensitive_when_registering(signed_in, efir, delhi_station_officer, citizen):
    services.request_register_fir(request=efir, by=delhi_station_officer, registration=fir_registration(77, sensitive=True))
    assert signed_in(citizen).get(reverse("citizen_public:fir_copy", args=[efir.reference])).status_code == 403


# --- Tracking without an account -------------------------------------------------------------------------


def _ask_code(client, reference, mailbox, capture):
    mailbox._sink.messages.clear()
    with capture(execute=True):
        client.post(reverse("citizen_public:track"), {"reference": reference})
    return code_in(mailbox.body(mailbox.wait_for(1)[-1]))


def test_tracking_with_a_one_time_code_shows_the_status_without_an_account(client, complaint, mailbox, django_capture_on_commit_callbacks):
    code = _ask_code(client, complaint.reference, mailbox, django_capture_on_commit_callbacks)
    response = client.post(reverse("citizen_public:track_verify"), {"code": code})
    assert response.status_code == 302 and response.url == complaint.citizen_url()
    page = client.get(complaint.citizen_url()).content.decode()
    assert "Received by the police" in page and "Connaught Place" in page


def test_tracking_refuses_a_wrong_an_expired_and_a_reused_code(client, complaint, mailbox, django_capture_on_commit_callbacks):
    from citizen.models import OneTimeCode

    code = _ask_code(client, complaint.reference, mailbox, django_capture_on_commit_callbacks)
    wrong = "000000" if code != "000000" else "111111"
    assert "not right" in client.post(reverse("citizen_public:track_verify"), {"code": wrong}).content.decode()
    OneTimeCode.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert "expired" in client.post(reverse("citizen_public:track_verify"), {"code": code}).content.decode()

    code = _ask_code(client, complaint.reference, mailbox, django_capture_on_commit_callbacks)
    assert client.post(reverse("citizen_public:track_verify"), {"code": code}).status_code == 302
    client.session.flush()
    other = client.__class__()
    other.post(reverse("citizen_public:track"), {"reference": complaint.reference})
    latest = OneTimeCode.objects.latest("pk")
    with pytest.raises(services.CodeRefused, match="already used"):
        services.track_confirm(code_id=latest.pk - 1, code=code)


def test_an_unknown_number_gets_the_same_answer_and_no_e_mail(client, mailbox, db):
    response = client.post(reverse("citizen_public:track"), {"reference": "DP-20260101-ZZZZZZ"})
    assert response.status_code == 302
    assert client.post(reverse("citizen_public:track_verify"), {"code": "123456"}).status_code == 400
    assert mailbox.messages == []


def test_the_station_opens_the_citizens_uploads_and_another_station_cannot(
    signed_in, citizen, delhi_station_with_pin, delhi_station_officer, mumbai_station_officer
):
    from audit.models import AuditEntry

    verification = _character_certificate_request(citizen)
    photo = services.attachments_of(verification).get(kind="photo")
    url = reverse("citizen_station:attachment", args=[verification.reference, photo.pk])
    officer = delhi_station_officer
    response = signed_in(officer).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    read = AuditEntry.objects.get(action="access.read", actor=officer)
    assert (read.target_id, read.data) == (str(verification.pk), {"as": "attachment", "attachment": photo.pk})
    assert signed_in(mumbai_station_officer).get(url).status_code == 404


def test_the_station_reads_the_citizens_answers_by_their_labels_not_their_codes(signed_in, efir, delhi_station_officer):
    page = signed_in(delhi_station_officer).get(reverse("citizen_station:detail", args=[efir.reference])).content.decode()
    assert "<dt>What happened</dt><dd>Vehicle theft</dd>" in page and "<dt>Vehicle registration number</dt>" in page
    for code in ("vehicle_theft", "occurred_on", "vehicle_registration", "found by"):
        assert code not in page.split("<main")[1]


def test_the_90_day_progress_line_is_shown_on_a_crime_reported_and_not_on_a_certificate(signed_in, complaint, citizen):
    verification = _character_certificate_request(citizen)
    client = signed_in(citizen)
    line = "within 90 days (BNSS s.193)"
    assert line in client.get(reverse("citizen_public:request_detail", args=[complaint.reference])).content.decode()
    assert line not in client.get(reverse("citizen_public:request_detail", args=[verification.reference])).content.decode()


def test_a_deadline_of_one_day_reads_one_day():
    from citizen.catalogue import Deadline

    assert (str(Deadline(1, working=False)), str(Deadline(3, working=True))) == ("1 day", "3 working days")


def test_a_revoked_certificate_tells_its_holder_shows_the_reason_and_downloads_stamped_revoked(
    signed_in, client, certificate, delhi_station_officer, citizen, mailbox
):
    url = reverse("citizen_station:revoke", args=[certificate.request.reference, certificate.code])
    signed_in(delhi_station_officer).post(url, {"reason": "The tenant's address was wrong."})
    (mail,) = [m for m in mailbox.wait_for(1) if "revoked" in m["Subject"]]
    assert mail["To"] == citizen.email and "The tenant's address was wrong." in mailbox.body(mail)
    client.logout()
    owner = signed_in(citizen)
    page = owner.get(reverse("citizen_public:request_detail", args=[certificate.request.reference])).content.decode()
    assert "revoked on" in page and "The tenant&#x27;s address was wrong." in page
    response = owner.get(reverse("citizen_public:document", args=[certificate.request.reference, certificate.code]))
    text = PdfReader(BytesIO(response.content)).pages[0].extract_text()
    assert "REVOKED" in text and "The tenant's address was wrong." in text
    certificate.refresh_from_db()
    assert response.content != bytes(certificate.pdf)  # the issued file itself is kept as issued

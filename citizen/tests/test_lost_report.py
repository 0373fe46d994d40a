"""The lost-article report: filed by the citizen, issued at once (a number and a PDF), nothing for the station to do."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from citizen.models import CitizenRequest, IssuedDocument
from workflow.models import Task

pytestmark = pytest.mark.django_db

LOST = {
    "article": "passport",
    "article_number": "Z1234567",
    "article_description": "Blue cover, in a brown wallet.",
    "place": "Rajiv Chowk metro station",
    "pincode": "110001",
}


def test_a_lost_passport_is_reported_and_its_pdf_downloaded_at_once_without_the_station(
    signed_in, client, citizen, delhi_station_with_pin, mailbox, django_capture_on_commit_callbacks
):
    citizen_client = signed_in(citizen)
    form = citizen_client.get(reverse("citizen_public:request_new", args=["lost_report"])).content.decode()
    assert "at once" in form and "Passport" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = citizen_client.post(
            reverse("citizen_public:request_new", args=["lost_report"]), {**LOST, "occurred_on": timezone.localdate().isoformat()}
        )
    assert response.status_code == 302
    report = CitizenRequest.objects.get(service="lost_report")
    assert report.stage == CitizenRequest.Stage.ISSUED and report.station == delhi_station_with_pin
    assert not Task.objects.filter(reference=report.reference, closed_at__isnull=True).exists()  # nothing waits on the station
    document = report.documents.get()
    assert document.kind == IssuedDocument.Kind.LOST_REPORT
    page = citizen_client.get(report.citizen_url()).content.decode()
    download = reverse("citizen_public:document", args=[report.reference, document.code])
    assert download in page and 'name="rating"' not in page
    pdf = citizen_client.get(download)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    printed = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)
    for expected in ("Lost article report", report.reference, "Z1234567", "Passport", "It is not an FIR", document.code):
        assert expected in " ".join(printed.split()), expected
    check = client.get(reverse("citizen_public:verify", args=[document.code])).content.decode()
    assert "Lost article report" in check and "genuine" in check.lower()
    sent = [m for m in mailbox.wait_for(1) if m["To"] == citizen.email]
    assert sent and report.reference in mailbox.body(sent[0]) and document.code in mailbox.body(sent[0])


def test_a_loss_dated_tomorrow_or_without_what_was_lost_is_refused_beside_the_field_and_nothing_is_issued(
    signed_in, citizen, delhi_station_with_pin
):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = signed_in(citizen).post(
        reverse("citizen_public:request_new", args=["lost_report"]), {**LOST, "article": "", "occurred_on": tomorrow}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert body.count('class="field has-error"') >= 2
    assert not CitizenRequest.objects.exists() and not IssuedDocument.objects.exists()

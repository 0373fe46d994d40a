"""Real PDFs (made with ReportLab, so text extraction is real), documents and training sessions for the Resources tests."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from accounts import services as account_services
from resources import services
from resources.models import Category, Language, TrainingSession


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a temporary folder, not the developer's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf_bytes(*lines: str) -> bytes:
    buffer = BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    y = 800
    for line in lines:
        page.drawString(72, y, line)
        y -= 18
    page.showPage()
    page.save()
    return buffer.getvalue()


def pdf_upload(*lines: str, name: str = "manual.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(*lines), content_type="application/pdf")


def text_upload(text: str, name: str = "sop.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


def upload_document(by, *, title="INTERPOL Notices Manual", lines=("How to request a Red Notice.",), roles=("ilo", "uo"), **fields):
    return services.document_upload(
        by=by,
        upload=pdf_upload(*lines),
        title=title,
        category=fields.pop("category", Category.MANUAL),
        language=fields.pop("language", Language.EN),
        visible_to_roles=list(roles),
        **fields,
    )


@pytest.fixture
def manual(ncb_admin):
    """A manual open to ILOs and UOs, whose body (not title) mentions extradition."""
    return upload_document(
        ncb_admin,
        title="INTERPOL Notices Manual",
        lines=("Chapter 4. Requests for extradition go through the NCB.", "Article 3 forbids political matters."),
    )


@pytest.fixture
def ncb_only_sop(ncb_admin):
    """A procedure only the NCB may read."""
    return upload_document(ncb_admin, title="Secure channel key handling", lines=("Rotate the I-24/7 keys quarterly.",), roles=())


def bearer(user, *scopes):
    raw = account_services.api_token_create(user=user, name="test", scopes=list(scopes or ["resources:read", "resources:write"]))
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def session_data(**overrides) -> dict:
    start = timezone.now() + timedelta(days=10)
    data = {
        "title": "Working with INTERPOL notices",
        "description": "Drafting Red and Yellow notice requests that INTERPOL accepts.",
        "mode": TrainingSession.Mode.IN_PERSON,
        "venue": "CBI Academy, Ghaziabad",
        "organiser": "CBI Academy, Ghaziabad",
        "starts_at": start,
        "ends_at": start + timedelta(days=2),
        "capacity": 30,
    }
    data.update(overrides)
    return data


@pytest.fixture
def training(ncb_officer):
    return services.training_session_create(by=ncb_officer, data=session_data())


def begin(session: TrainingSession) -> TrainingSession:
    """Move a session into the past, as if its days had come."""
    start = timezone.now() - timedelta(days=3)
    TrainingSession.objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + timedelta(days=2))
    session.refresh_from_db()
    return session

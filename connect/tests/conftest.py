"""Connect's fixtures: more people of the hierarchy, threads between them, files good and bad, API tokens.

Files go to a temporary MEDIA_ROOT, so a test can see that a refused message left nothing behind.
"""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts import services as account_services
from accounts.models import Role
from conftest import make_user, pdf_bytes
from connect import services
from directory.models import UnitOffice


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def delhi_ilo_2(delhi_police):
    return make_user("delhi_ilo2", Role.ILO, agency=delhi_police)


@pytest.fixture
def delhi_uo_2(delhi_ilo, delhi_crime_branch):
    """Another Unit Officer of the same unit as delhi_uo."""
    return make_user("delhi_uo2", Role.UO, agency=delhi_crime_branch.agency, unit=delhi_crime_branch, supervisor=delhi_ilo)


@pytest.fixture
def delhi_cyber_uo(delhi_ilo, delhi_cyber_cell):
    """A Unit Officer of Delhi Police in another unit (the cyber cell)."""
    return make_user("delhi_cyber_uo", Role.UO, agency=delhi_cyber_cell.agency, unit=delhi_cyber_cell, supervisor=delhi_ilo)


@pytest.fixture
def mumbai_uo(mumbai_ilo, maharashtra_police):
    unit = UnitOffice.objects.create(agency=maharashtra_police, code="T-MH-CB", name="Crime Branch Mumbai")
    return make_user("mumbai_uo", Role.UO, agency=maharashtra_police, unit=unit, supervisor=mumbai_ilo)


@pytest.fixture
def delhi_thread(delhi_ilo, delhi_uo):
    """The Delhi ILO and a UO of Delhi Police talk about a case."""
    return services.thread_start(
        by=delhi_ilo, subject="FIR 12/2026 — hawala trail", participants=[delhi_uo], body="Any news on the accounts?"
    )


@pytest.fixture
def ncb_thread(ncb_officer, delhi_ilo, mumbai_ilo):
    """The NCB brings the ILOs of Delhi and Maharashtra together."""
    return services.thread_start(
        by=ncb_officer,
        subject="Diffusion from Interpol Bangkok",
        participants=[delhi_ilo, mumbai_ilo],
        body="Please both check your records.",
    )


def pdf_upload(name: str = "statement.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (20, 20), (10, 120, 200)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def exe_upload(name: str = "report.pdf") -> SimpleUploadedFile:
    """A Windows executable pretending to be a PDF."""
    return SimpleUploadedFile(name, b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200, content_type="application/pdf")


def bearer(user, *scopes) -> dict:
    raw = account_services.api_token_create(user=user, name="test", scopes=list(scopes or ["connect:read", "connect:write"]))
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

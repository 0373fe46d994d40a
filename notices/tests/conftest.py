from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from notices import services
from notices.models import NoticeKind


def red_notice_data(**overrides) -> dict:
    """A complete Red notice request that INTERPOL's rules accept."""
    data = {
        "case_reference": "FIR 123/2025 PS Connaught Place",
        "family_name": "Verma",
        "forenames": "Rakesh Kumar",
        "aliases": ["Rocky"],
        "sex": "M",
        "date_of_birth": date(1984, 3, 14),
        "year_of_birth": 1984,
        "place_of_birth": "Meerut",
        "nationalities": ["IN"],
        "identity_documents": [{"type": "Passport", "number": "Z0000001", "country": "IN"}],
        "height_cm": 172,
        "weight_kg": 70,
        "eye_colour": "brown",
        "hair_colour": "black",
        "distinguishing_marks": "Scar on the left forearm",
        "languages": ["hin", "eng"],
        "fingerprints_available": True,
        "offence": "Murder",
        "law": "BNS",
        "sections": "103(1)",
        "max_penalty_life": True,
        "purpose": "prosecution",
        "warrant_kind": "arrest_warrant",
        "warrant_number": "NBW 45/2025",
        "warrant_date": date(2025, 6, 2),
        "issuing_court": "Chief Judicial Magistrate, New Delhi",
        "facts_summary": "The subject shot a shopkeeper dead during a robbery in Connaught Place on 1 May 2025 and fled to Dubai.",
        "extradition_intended": True,
        "facts": {"offence_category": "murder"},
    }
    data.update(overrides)
    return data


@pytest.fixture
def red_draft(delhi_uo):
    return services.notice_draft_create(by=delhi_uo, kind=NoticeKind.RED, data=red_notice_data())


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (40, 50), (120, 90, 60)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")

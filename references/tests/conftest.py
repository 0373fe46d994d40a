"""References' fixtures: a complete request's data, and a UO's draft of it."""

import pytest

from references import services


def reference_data(**overrides) -> dict:
    data = {
        "case_reference": "FIR 88/2026 PS Cyber Crime North",
        "subjects": [{"name": "Arjun Malhotra", "dob": "1990-01-05", "nationality": "IN", "document": "P1234567"}],
        "offence": "Cheating by personation through a computer resource",
        "law_sections": "BNS 319(2); IT Act 66D",
        "facts": "The subject ran a fake investment app that took Rs 4.2 crore from 300 victims; the money went to accounts in Dubai.",
        "assistance": ["trace_assets", "locate_person"],
        "assistance_details": "Bank statements of the accounts listed in the annex; current address of the subject.",
        "legal_basis": "police_cooperation",
        "urgency": "urgent",
        "handling_code": "H2",
    }
    data.update(overrides)
    return data


@pytest.fixture
def draft(delhi_uo):
    return services.reference_draft_create(by=delhi_uo, data=reference_data(), countries=["AE", "SG"])

"""Shared by the citizen tests: stations with PIN codes, a filed complaint, and the e-mails' codes."""

import re

import pytest

from citizen import services


@pytest.fixture
def delhi_station_with_pin(delhi_station):
    delhi_station.pincode = "110001"
    delhi_station.email = "cp-ps@delhi.invalid"
    delhi_station.save()
    return delhi_station


SCOOTER = {"vehicle_registration": "DL 3S AB 1234", "vehicle_make": "Honda", "vehicle_model": "Activa 6G", "vehicle_colour": "Grey"}


def complaint_details(**overrides) -> dict:
    details = {"category": "theft", "occurred_on": "2025-01-10", "place": "Janpath market", "description": "My phone was stolen."}
    details.update(overrides)
    return details


@pytest.fixture
def complaint(mailbox, citizen, delhi_station_with_pin, delhi_station_officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.request_create(by=citizen, service="complaint", details=complaint_details(), pincode="110001")


@pytest.fixture
def efir(mailbox, citizen, delhi_station_with_pin, delhi_station_officer, django_capture_on_commit_callbacks):
    details = complaint_details(category="vehicle_theft", property="Honda Activa DL3S AB 1234", value=60000, **SCOOTER)
    with django_capture_on_commit_callbacks(execute=True):
        return services.request_create(by=citizen, service="efir", details=details, pincode="110001")


def code_in(body: str) -> str:
    return re.search(r"\b(\d{6})\b", body).group(1)


def fir_form_data(number: int, *, sections=(("BNS", "303(2)"),), persons=(), vehicles=(), **fields) -> dict:
    """The FIR form as a station officer fills it in (a theft at Janpath in January 2025), with overrides."""
    data = {
        "number": number,
        "year": 2025,
        "registered_on": "2025-01-11",
        "occurred_from": "2025-01-10T18:30",
        "place": "Janpath market",
        "complainant_name": "Asha Verma",
        "narrative": "The complainant's scooter was stolen from the market's parking (test).",
        **fields,
    }
    for prefix, rows, size in (("sections", sections, 3), ("persons", persons, 3), ("vehicles", vehicles, 2)):
        rows = [dict(zip(("law", "section"), row, strict=True)) if isinstance(row, tuple) else row for row in rows]
        total = max(size, len(rows))
        data |= {
            f"{prefix}-TOTAL_FORMS": total,
            f"{prefix}-INITIAL_FORMS": 0,
            f"{prefix}-MIN_NUM_FORMS": size,
            f"{prefix}-MAX_NUM_FORMS": 30,
        }
        for n, row in enumerate(rows):
            data |= {f"{prefix}-{n}-{key}": value for key, value in row.items()}
        if prefix == "vehicles":
            data |= {f"vehicles-{n}-status": "stolen" for n in range(total) if f"vehicles-{n}-status" not in data}
    return data


FIR_JSON = {
    "number": 457,
    "year": 2025,
    "registered_on": "2025-01-11",
    "occurred_from": "2025-01-10T18:30:00+05:30",
    "place": "Janpath market",
    "complainant": {"name": "Asha Verma"},
    "narrative": "The complainant's scooter was stolen from the market's parking (test).",
    "sections": [{"law": "BNS", "section": "303(2)"}],
    "vehicles": [{"registration": "DL 3S AB 1234", "make": "Honda", "model": "Activa 6G"}],
}

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
    details = complaint_details(category="vehicle_theft", property="Honda Activa DL3S AB 1234", value=60000)
    with django_capture_on_commit_callbacks(execute=True):
        return services.request_create(by=citizen, service="efir", details=details, pincode="110001")


def code_in(body: str) -> str:
    return re.search(r"\b(\d{6})\b", body).group(1)

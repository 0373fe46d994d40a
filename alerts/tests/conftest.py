"""Shared by the alert tests: a way to publish with sensible defaults."""

from datetime import timedelta

import pytest
from django.utils import timezone

from alerts import services


def alert_data(**overrides) -> dict:
    data = {
        "category": "dacoity",
        "urgency": "Immediate",
        "severity": "Severe",
        "certainty": "Likely",
        "headline": "Armed gang robbed a jeweller on Janpath",
        "description": "Four men on two motorcycles, one with a country-made pistol.",
        "instruction": "Check vehicles at border pickets.",
        "expires_at": timezone.now() + timedelta(days=2),
        "persons": [{"name": "Ramesh Kumar", "aliases": ["Kalia"], "dob": "1985-03-02"}],
        "vehicles": [{"registration": "DL 3S AB 1234", "chassis": "MA1234", "engine": "EN99"}],
        "fir_number": "123/2026",
        "fir_sections": "BNS 310(2)",
    }
    data.update(overrides)
    return data


@pytest.fixture
def publish():
    def _publish(user, **overrides):
        return services.alert_publish(by=user, data=alert_data(**overrides))

    return _publish

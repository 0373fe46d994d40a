"""Where a request goes: the station chosen, the one of the PIN code, or the nearest to the coordinates."""

import pytest
from django.core.exceptions import ValidationError

from citizen import routing, services
from citizen.tests.conftest import complaint_details

pytestmark = pytest.mark.django_db


def test_a_complaint_is_routed_by_pin_code(citizen, delhi_station_with_pin, mumbai_station):
    request = services.request_create(by=citizen, service="complaint", details=complaint_details(), pincode="110001")
    assert request.station == delhi_station_with_pin
    assert request.routed_by == "pincode"


def test_a_pin_code_of_the_same_sorting_district_finds_the_station(delhi_station_with_pin):
    assert routing.resolve_station(pincode="110005").station == delhi_station_with_pin


def test_a_complaint_is_routed_to_the_nearest_station_by_coordinates(citizen, delhi_station, mumbai_station):
    request = services.request_create(by=citizen, service="complaint", details=complaint_details(), lat=18.95, lon=72.83)
    assert request.station == mumbai_station
    assert request.routed_by == "location"
    near_delhi = routing.resolve_station(lat=28.60, lon=77.20)
    assert near_delhi.station == delhi_station


def test_haversine_gives_the_distance_in_kilometres():
    assert round(routing.haversine_km(28.6139, 77.2090, 19.0760, 72.8777)) == 1148  # Delhi to Mumbai, as the crow flies


def test_a_pin_code_outside_india_is_refused(delhi_station):
    for bad in ("012345", "12345", "1234567", "ABCDEF"):
        with pytest.raises(ValidationError) as refused:
            routing.resolve_station(pincode=bad)
        assert "pincode" in refused.value.message_dict


def test_coordinates_outside_india_are_refused(delhi_station):
    with pytest.raises(ValidationError):
        routing.resolve_station(lat=51.5, lon=-0.12)


def test_a_complaint_against_police_goes_to_the_states_ilos_while_the_district_has_no_officer(
    citizen, delhi_station, delhi_ilo, delhi_station_officer
):
    from citizen.models import CitizenRequest
    from workflow.services import inbox_for

    request = services.request_create(by=citizen, service="police_conduct", details=complaint_details(), station=delhi_station)
    assert request.level == CitizenRequest.Level.ILO
    assert [t.reference for t in inbox_for(delhi_ilo)] == [request.reference]
    assert not inbox_for(delhi_station_officer).exists()

"""Finding the nearest police station by PIN code, place name or the phone's location."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_station_is_found_by_pin_code_place_and_location_with_its_contact(client, delhi_station_with_pin, mumbai_station):
    url = reverse("citizen_public:locate")
    assert "Connaught Place" in client.get(url, {"pincode": "110001"}).content.decode()
    assert "Colaba" in client.get(url, {"place": "colaba"}).content.decode()
    page = client.get(url, {"lat": "18.92", "lon": "72.83"}).content.decode()
    assert page.index("Colaba") < page.index("Connaught Place") and "km" in page
    assert "cp-ps@delhi.invalid" in client.get(url, {"pincode": "110001"}).content.decode()


def test_a_pin_code_outside_india_is_explained_next_to_the_field(client, db):
    response = client.get(reverse("citizen_public:locate"), {"pincode": "012345"})
    assert response.status_code == 400 and "6 digits" in str(response.context["form"].errors["pincode"])
    assert 'value="012345"' in response.content.decode()

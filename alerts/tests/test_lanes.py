"""Alerts stay in their lane: what each role may target, and what is refused, through the service, the page and the API.

Places (LGD codes): Delhi is state 7 and its first district, Central (77), holds the Delhi station. Gurugram (62,
Haryana) neighbours Central Delhi; Alwar (87, Rajasthan) borders Delhi's south but lies beyond Central's ring;
Haryana is state 6 and Maharashtra 27, whose first district (466) is far from Delhi.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from alerts import services
from alerts.models import Alert, Delivery
from alerts.tests.conftest import alert_data

pytestmark = pytest.mark.django_db

DELHI, HARYANA, MAHARASHTRA = 7, 6, 27
GURUGRAM, ALWAR, MUMBAI_DISTRICT = 62, 87, 466
MUMBAI_CIRCLE = {"area_lat": 18.91, "area_lon": 72.82, "area_radius_km": 10}

# For each publishing role: what it may target, and what is refused (with the field the refusal is shown next to).
ALLOWED = {
    "ncb_admin": [{"area_states": [MAHARASHTRA]}, {"category": "terror"}, {"area_districts": [MUMBAI_DISTRICT]}],
    "ncb_officer": [{"area_states": [HARYANA, MAHARASHTRA]}, {"category": "terror"}, MUMBAI_CIRCLE],
    "delhi_ilo": [{"area_states": [DELHI]}, {"area_districts": [ALWAR]}, {"area_districts": [GURUGRAM]}],
    "delhi_uo": [{"area_states": [DELHI]}, {"area_districts": [GURUGRAM]}],
    "delhi_district_officer": [{}, {"area_states": [DELHI]}, {"area_districts": [GURUGRAM]}],
    "delhi_station_officer": [{}, {"area_states": [DELHI]}, {"area_districts": [GURUGRAM]}],
}
REFUSED = {
    "delhi_ilo": [
        ({"area_states": [HARYANA]}, "area_states"),
        ({"area_districts": [MUMBAI_DISTRICT]}, "area_districts"),
        ({"category": "terror", "area_districts": [77]}, "category"),
        ({**MUMBAI_CIRCLE}, "area_radius_km"),
    ],
    "delhi_uo": [({"area_states": [MAHARASHTRA]}, "area_states"), ({"area_districts": [MUMBAI_DISTRICT]}, "area_districts")],
    "delhi_district_officer": [
        ({"area_districts": [ALWAR]}, "area_districts"),
        ({"area_states": [HARYANA]}, "area_states"),
        ({"category": "terror"}, "category"),
    ],
    "delhi_station_officer": [
        ({"area_districts": [ALWAR]}, "area_districts"),
        ({"area_states": [MAHARASHTRA]}, "area_states"),
        ({"category": "terror"}, "category"),
        (MUMBAI_CIRCLE, "area_radius_km"),
    ],
}
NOT_PUBLISHERS = ("analyst", "citizen", "sysadmin")


@pytest.fixture
def persona(request, delhi_station, mumbai_station):
    """persona("delhi_ilo") gives that conftest persona (with the Delhi and Mumbai stations in place)."""
    return lambda name: request.getfixturevalue(name)


def _with_area(name: str, target: dict) -> dict:
    """The ILO and the UO have no district of their own: with nothing else named, they say Central Delhi."""
    if name in ("delhi_ilo", "delhi_uo") and not target.get("area_states") and not target.get("area_districts"):
        return {"area_districts": [77], **target}
    return target


@pytest.mark.parametrize(("name", "target"), [(name, target) for name, targets in ALLOWED.items() for target in targets])
def test_each_publishing_role_reaches_its_own_lane(persona, name, target):
    user = persona(name)
    alert = services.alert_publish(by=user, data=alert_data(**_with_area(name, target)))
    assert alert.reference and alert.status == Alert.Status.ACTIVE
    assert alert.origin_office  # the office it came from owns it


@pytest.mark.parametrize(("name", "target", "field"), [(name, *case) for name, cases in REFUSED.items() for case in cases])
def test_beyond_its_lane_an_alert_is_refused_next_to_the_field_that_asked_for_it(persona, name, target, field):
    user = persona(name)
    with pytest.raises(ValidationError) as error:
        services.alert_publish(by=user, data=alert_data(**target))
    assert field in error.value.message_dict
    assert "only the NCB" in " ".join(error.value.message_dict[field])
    assert not Alert.objects.exists()


@pytest.mark.parametrize("name", NOT_PUBLISHERS)
def test_an_analyst_a_citizen_or_a_system_administrator_publishes_nothing_anywhere(persona, name):
    with pytest.raises(PermissionDenied):
        services.alert_publish(by=persona(name), data=alert_data(area_states=[DELHI]))


def test_the_station_reaches_the_neighbouring_district_across_the_border_but_not_the_whole_neighbouring_state(
    persona, delhi_station_officer
):
    from directory.models import Agency, District, PoliceStation

    gurugram = District.objects.get(lgd_code=GURUGRAM)
    haryana_police = Agency.objects.get(state=gurugram.state)
    across = PoliceStation.objects.create(code="T-HR-1", name="Sector 29", district=gurugram, agency=haryana_police, lat=28.46, lon=77.06)
    alert = services.alert_publish(by=delhi_station_officer, data=alert_data())  # the default ring crosses the border
    assert Delivery.objects.filter(alert=alert, station=across).exists()
    with pytest.raises(ValidationError):
        services.alert_publish(by=delhi_station_officer, data=alert_data(area_states=[HARYANA]))


def test_an_update_beyond_the_lane_is_refused_and_the_ncb_may_widen_it(delhi_station_officer, ncb_officer, mumbai_station):
    alert = services.alert_publish(by=delhi_station_officer, data=alert_data())
    with pytest.raises(ValidationError) as error:
        services.alert_update(alert=alert, by=delhi_station_officer, data={"area_districts": [MUMBAI_DISTRICT]})
    assert "area_districts" in error.value.message_dict
    widened = services.alert_update(alert=alert, by=ncb_officer, data={"area_states": [MAHARASHTRA]}, note="Gang moved south")
    assert Delivery.objects.filter(version__number=widened.version, alert=alert, station=mumbai_station).exists()


# --- The same rules through the page and the API ----------------------------------------------------------------


def _form(target: dict) -> dict:
    form = {
        "category": target.get("category", "murder"),
        "urgency": "Immediate",
        "severity": "Moderate",
        "certainty": "Observed",
        "headline": "Body found near Yamuna",
        "description": "Unidentified male, about 30.",
        "expires_at": (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
    }
    for field in ("area_states", "area_districts"):
        if target.get(field):
            form[field] = ", ".join(str(code) for code in target[field])
    for field in ("area_lat", "area_lon", "area_radius_km"):
        if field in target:
            form[field] = str(target[field])
    return form


def _json(target: dict) -> dict:
    return {
        "category": "murder",
        "headline": "Body found near Yamuna",
        "description": "Unidentified male, about 30.",
        "expires_at": (timezone.now() + timedelta(days=1)).isoformat(),
        **target,
    }


@pytest.mark.parametrize("name", list(ALLOWED))
def test_through_the_page_each_role_publishes_in_its_lane_and_sees_a_refusal_next_to_the_field_beyond_it(persona, signed_in, client, name):
    page = signed_in(persona(name))
    allowed = _with_area(name, ALLOWED[name][0])
    response = page.post(reverse("alerts:publish"), _form(allowed))
    assert response.status_code == 302, response.content.decode()[:2000]
    for target, field in REFUSED.get(name, []):
        response = page.post(reverse("alerts:publish"), _form(target))
        assert response.status_code == 400
        assert field in response.context["form"].errors
        assert "only the NCB" in " ".join(response.context["form"].errors[field])
    assert Alert.objects.count() == 1


@pytest.mark.parametrize("name", list(ALLOWED))
def test_through_the_api_each_role_publishes_in_its_lane_and_a_refusal_answers_422_naming_the_field(persona, signed_in, name):
    api = signed_in(persona(name))
    created = api.post("/api/v1/alerts/", _json(_with_area(name, ALLOWED[name][-1])), content_type="application/json")
    assert created.status_code == 201, created.content
    for target, field in REFUSED.get(name, []):
        refused = api.post("/api/v1/alerts/", _json(target), content_type="application/json")
        assert refused.status_code == 422, refused.content
        assert field in refused.json()["errors"]
    assert Alert.objects.count() == 1


@pytest.mark.parametrize("name", NOT_PUBLISHERS)
def test_through_the_page_and_the_api_the_roles_without_the_capability_are_refused(persona, signed_in, name):
    client = signed_in(persona(name))
    assert client.post(reverse("alerts:publish"), _form({"area_states": [DELHI]})).status_code in (302, 403)
    assert client.post("/api/v1/alerts/", _json({"area_states": [DELHI]}), content_type="application/json").status_code in (401, 403)
    assert not Alert.objects.exists()

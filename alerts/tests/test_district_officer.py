"""A district officer (SP office) sees the alerts that reached or came from the stations of its district, and publishes
from its district."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Role
from alerts import queries, services
from conftest import make_user
from directory.models import District

pytestmark = pytest.mark.django_db


@pytest.fixture
def mumbai_district_officer(mumbai_station):
    return make_user("mumbai_sp", Role.DISTRICT_OFFICER, agency=mumbai_station.agency, district=mumbai_station.district)


def test_a_district_officer_sees_an_alert_reaching_its_stations_and_another_states_gets_404(
    publish, delhi_station_officer, delhi_district_officer, mumbai_district_officer, signed_in, client
):
    alert = publish(delhi_station_officer)
    assert signed_in(delhi_district_officer).get(reverse("alerts:detail", args=[alert.pk])).status_code == 200
    assert alert.reference in signed_in(delhi_district_officer).get(reverse("alerts:inbox")).content.decode()
    client.logout()
    other = signed_in(mumbai_district_officer)
    assert other.get(reverse("alerts:detail", args=[alert.pk])).status_code == 404
    assert other.get(f"/api/v1/alerts/{alert.pk}").status_code == 404


def test_an_alert_published_by_a_district_officer_comes_from_its_district_and_reaches_its_stations(
    publish, delhi_district_officer, delhi_station_officer, mumbai_district_officer
):
    alert = publish(delhi_district_officer)
    assert alert.origin_district == delhi_district_officer.district and alert.origin_station is None
    assert alert.deliveries.filter(station=delhi_station_officer.station).exists()
    assert queries.alerts_for_user(delhi_district_officer).filter(pk=alert.pk).exists()
    assert not queries.alerts_for_user(mumbai_district_officer).filter(pk=alert.pk).exists()


def test_only_the_same_sp_office_amends_a_district_officers_alert(publish, delhi_district_officer, delhi_station):
    alert = publish(delhi_district_officer)
    colleague = make_user("delhi_sp2", Role.DISTRICT_OFFICER, agency=delhi_station.agency, district=delhi_station.district)
    other = District.objects.filter(state=delhi_station.district.state).exclude(pk=delhi_station.district_id).first()
    neighbour = make_user("other_sp", Role.DISTRICT_OFFICER, agency=delhi_station.agency, district=other)
    assert services.may_amend(alert, colleague)
    with pytest.raises(PermissionDenied):
        services.alert_cancel(alert=alert, by=neighbour, note="not mine")
    services.alert_cancel(alert=alert, by=colleague, note="Gang arrested.")

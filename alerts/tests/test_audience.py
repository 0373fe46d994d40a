"""Who sees an alert is one rule (alerts.audience): the list, the detail page, the live stream, its replay and the
acknowledgements agree for every role."""

import pytest
from django.urls import reverse

from alerts import queries, realtime, services
from alerts.models import AlertEvent
from alerts.tests.conftest import alert_data

pytestmark = pytest.mark.django_db

# A Delhi station's alert about its own district: who sees it.
SEES = {
    "ncb_admin": True,
    "ncb_officer": True,
    "delhi_ilo": True,
    "delhi_district_officer": True,
    "delhi_station_officer": True,
    "delhi_uo": False,  # a unit office with no district, neither owning nor reached
    "mumbai_ilo": False,
    "analyst": False,  # sits at the centre, but without alerts.view
    "citizen": False,
    "sysadmin": False,
}


@pytest.fixture
def station_alert(delhi_station_officer, mumbai_station):
    return services.alert_publish(by=delhi_station_officer, data=alert_data())


@pytest.mark.parametrize(("name", "sees"), SEES.items())
def test_the_list_the_detail_the_stream_and_its_replay_agree_on_who_sees_an_alert(request, station_alert, signed_in, name, sees):
    user = request.getfixturevalue(name)
    event = AlertEvent.objects.get(alert=station_alert)
    viewer = realtime.Viewer.of(user)
    live = realtime.load_events_after(event.pk - 1)[0]
    assert queries.alerts_for_user(user).filter(pk=station_alert.pk).exists() is sees
    assert live.reaches(viewer) is sees
    assert [info.id for info in realtime.replay_for(viewer, event.pk - 1)] == ([event.pk] if sees else [])
    status = signed_in(user).get(reverse("alerts:detail", args=[station_alert.pk])).status_code
    assert (status == 200) is sees


def test_the_owners_see_every_acknowledgement_and_are_told_of_it_live_and_a_recipient_only_its_own(
    station_alert, delhi_station_officer, delhi_ilo, delhi_district_officer, ncb_officer, mumbai_ilo
):
    delivery = station_alert.deliveries.get(station=delhi_station_officer.station)
    services.delivery_acknowledge(delivery=delivery, by=delhi_station_officer, action_taken="Nakabandi")
    ack = AlertEvent.objects.get(alert=station_alert, kind=AlertEvent.Kind.ACKNOWLEDGED)
    live = realtime.load_events_after(ack.pk - 1)[0]
    for owner in (delhi_station_officer, delhi_ilo, delhi_district_officer, ncb_officer):
        assert [d.pk for d in queries.acknowledgements(station_alert, owner)] == [delivery.pk]
        assert live.reaches(realtime.Viewer.of(owner))
        assert [info.id for info in realtime.replay_for(realtime.Viewer.of(owner), ack.pk - 1)] == [ack.pk]
    assert not live.reaches(realtime.Viewer.of(mumbai_ilo))
    assert realtime.replay_for(realtime.Viewer.of(mumbai_ilo), ack.pk - 1) == []


def test_the_publishing_office_and_those_above_it_amend_an_alert_and_no_other(
    station_alert, delhi_station_officer, delhi_district_officer, delhi_ilo, ncb_officer, delhi_uo, mumbai_ilo, analyst
):
    for user in (delhi_station_officer, delhi_district_officer, delhi_ilo, ncb_officer):
        assert services.may_amend(station_alert, user)
    for user in (delhi_uo, mumbai_ilo, analyst):
        assert not services.may_amend(station_alert, user)

"""The station's and the citizen's dashboards say what waits: requests open and due, alerts not acknowledged, the
citizen's own requests in progress and those waiting for their answer."""

import pytest
from django.urls import reverse

from alerts import services as alerts
from alerts.tests.conftest import alert_data
from citizen import services
from notices.tests.test_dashboard import card

pytestmark = pytest.mark.django_db


def test_the_station_officer_sees_the_e_fir_to_handle_and_the_alert_not_acknowledged(
    signed_in, efir, delhi_station_officer, ncb_officer
):  # fmt: skip
    alerts.alert_publish(by=ncb_officer, data=alert_data(area_states=[7]))
    page = signed_in(delhi_station_officer).get(reverse("dashboard")).content.decode()
    assert "1 open" in card(page, "citizen") and "1 due within 2 days" not in card(page, "citizen")  # the e-FIR: 3 days
    assert "1 not acknowledged" in card(page, "alerts")


def test_an_acknowledged_alert_is_no_longer_counted(signed_in, delhi_station_officer, ncb_officer):
    alert = alerts.alert_publish(by=ncb_officer, data=alert_data(area_states=[7]))
    delivery = alert.deliveries.get(station=delhi_station_officer.station)
    alerts.delivery_acknowledge(delivery=delivery, by=delhi_station_officer)
    page = signed_in(delhi_station_officer).get(reverse("dashboard")).content.decode()
    assert "acknowledged" not in card(page, "alerts")


def test_the_citizen_sees_the_request_in_progress_and_the_one_waiting_for_their_answer(signed_in, efir, citizen, delhi_station_officer):
    services.request_ask_info(request=efir, by=delhi_station_officer, note="Which gate of the market?")
    page = signed_in(citizen).get(reverse("dashboard")).content.decode()
    assert "1 in progress" in card(page, "my_requests") and "1 waiting for your answer" in card(page, "my_requests")

"""Pages and API endpoints: anonymous refused, another jurisdiction gets 404, read-only cannot write."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from alerts.models import Delivery
from conftest import make_user

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_sign_in_and_the_api_answers_401(client):
    assert client.get(reverse("alerts:inbox")).status_code == 302
    assert client.get("/api/v1/alerts/").status_code == 401


def test_a_station_outside_the_targeting_gets_404_for_the_alert(publish, delhi_station_officer, mumbai_station, signed_in):
    alert = publish(delhi_station_officer)
    mumbai_officer = make_user("mumbai_sho", Role.STATION_OFFICER, agency=mumbai_station.agency, station=mumbai_station)
    client = signed_in(mumbai_officer)
    assert client.get(reverse("alerts:detail", args=[alert.pk])).status_code == 404
    assert client.get(f"/api/v1/alerts/{alert.pk}").status_code == 404
    assert client.get(f"/api/v1/alerts/{alert.pk}/cap.xml").status_code == 404
    assert client.post(f"/api/v1/alerts/{alert.pk}/acknowledge", {}, content_type="application/json").status_code == 404
    assert alert.reference not in client.get(reverse("alerts:inbox")).content.decode()


def test_another_states_ilo_gets_404_and_the_own_states_ilo_sees_it(
    publish, delhi_station_officer, mumbai_ilo, delhi_ilo, signed_in, client
):
    alert = publish(delhi_station_officer)
    assert signed_in(mumbai_ilo).get(reverse("alerts:detail", args=[alert.pk])).status_code == 404
    client.logout()
    assert signed_in(delhi_ilo).get(reverse("alerts:detail", args=[alert.pk])).status_code == 200


def test_an_officer_publishes_through_the_page_and_the_station_acknowledges(delhi_station_officer, delhi_ilo, signed_in, client):
    page = signed_in(delhi_ilo)
    expires = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    district = delhi_station_officer.station.district.lgd_code
    response = page.post(
        reverse("alerts:publish"),
        {
            "category": "murder",
            "urgency": "Immediate",
            "severity": "Moderate",
            "certainty": "Observed",
            "headline": "Body found near Yamuna",
            "description": "Unidentified male, about 30.",
            "area_districts": str(district),
            "expires_at": expires,
            "persons": "Unknown; ; ",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    station = signed_in(delhi_station_officer)
    inbox = station.get(reverse("alerts:inbox")).content.decode()
    assert "Body found near Yamuna" in inbox and "Not yet acknowledged" in inbox
    alert_url = response["Location"]
    pk = int(alert_url.rstrip("/").split("/")[-1])
    assert station.post(reverse("alerts:acknowledge", args=[pk]), {"action_taken": ""}).status_code == 302
    delivery = Delivery.objects.get(alert_id=pk, station=delhi_station_officer.station)
    assert delivery.acknowledged_by == delhi_station_officer
    station.logout()
    detail = signed_in(delhi_ilo).get(alert_url).content.decode()
    assert str(delhi_station_officer.station) in detail  # the originator sees who acknowledged


def test_a_past_expiry_is_shown_next_to_the_field(delhi_station_officer, signed_in):
    response = signed_in(delhi_station_officer).post(
        reverse("alerts:publish"),
        {
            "category": "murder",
            "urgency": "Immediate",
            "severity": "Severe",
            "certainty": "Observed",
            "headline": "x",
            "description": "y",
            "expires_at": "2020-01-01T10:00",
        },
    )
    assert response.status_code == 400
    assert "The expiry must be in the future." in response.content.decode()


def test_the_api_publishes_updates_acknowledges_and_exports_cap(delhi_station_officer, signed_in):
    api = signed_in(delhi_station_officer)
    payload = {
        "category": "stolen_vehicle",
        "headline": "White Innova stolen",
        "description": "From Karol Bagh",
        "expires_at": (timezone.now() + timedelta(days=3)).isoformat(),
        "vehicles": [{"registration": "DL 1C 1234"}],
    }
    created = api.post("/api/v1/alerts/", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert (
        api.post(f"/api/v1/alerts/{pk}/update", {"severity": "Moderate", "note": "Seen in Noida"}, content_type="application/json").json()[
            "version"
        ]
        == 2
    )
    ack = api.post(f"/api/v1/alerts/{pk}/acknowledge", {"action_taken": "Checked"}, content_type="application/json")
    assert ack.status_code == 200 and ack.json()["acknowledged_by"] == "delhi_sho"
    cap = api.get(f"/api/v1/alerts/{pk}/cap.xml")
    assert cap["Content-Type"].startswith("application/cap+xml") and b"<msgType>Update</msgType>" in cap.content
    inbox = api.get("/api/v1/alerts/").json()
    assert inbox["items"][0]["my_acknowledged_at"]
    bad = api.post("/api/v1/alerts/import", b"<alert xmlns='urn:oasis:names:tc:emergency:cap:1.2'/>", content_type="application/cap+xml")
    assert bad.status_code == 422 and len(bad.json()["errors"]) >= 5
    assert api.post(f"/api/v1/alerts/{pk}/cancel", {"note": "Recovered"}, content_type="application/json").json()["status"] == "cancelled"


def test_an_analyst_cannot_read_alerts_but_sees_the_dashboard(publish, delhi_station_officer, analyst, signed_in):
    publish(delhi_station_officer)
    client = signed_in(analyst)
    assert client.get(reverse("alerts:inbox")).status_code == 403
    page = client.get(reverse("alerts:dashboard"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and "Published no alert in this period" in body and "Maharashtra" in body
    csv = client.get(reverse("alerts:dashboard") + "?format=csv")
    assert csv["Content-Type"].startswith("text/csv") and "Delhi" in csv.content.decode()


def test_a_station_officer_cannot_see_the_dashboard(delhi_station_officer, signed_in):
    assert signed_in(delhi_station_officer).get(reverse("alerts:dashboard")).status_code == 403


def test_a_stream_ticket_opens_the_api_stream(delhi_station_officer, signed_in):
    ticket = signed_in(delhi_station_officer).get("/api/v1/alerts/stream-ticket").json()["ticket"]
    assert ticket
    from alerts.api import _ticket_user

    assert _ticket_user(ticket) == delhi_station_officer


def test_subscription_page_saves_and_shows_the_feed_address(delhi_uo, signed_in):
    client = signed_in(delhi_uo)
    response = client.post(reverse("alerts:subscribe"), {"categories": ["terror", "arms"], "states": "7", "districts": ""})
    assert response.status_code == 302
    assert "/api/v1/alerts/feed/" in client.get(reverse("alerts:subscribe")).content.decode()

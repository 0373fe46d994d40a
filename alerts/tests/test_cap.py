"""CAP 1.2: export, validation against the shipped schema, round trip, import, and the office feed."""

import pytest

from alerts import cap, services
from alerts.models import Alert, OfficeFeed

pytestmark = pytest.mark.django_db


def test_every_version_exports_as_valid_cap_and_updates_reference_the_previous_version(publish, delhi_station_officer):
    alert = publish(delhi_station_officer, area_lat=28.6, area_lon=77.2, area_radius_km=25)
    services.alert_update(alert=alert, by=delhi_station_officer, data={"severity": "Extreme"})
    services.alert_cancel(alert=Alert.objects.get(pk=alert.pk), by=delhi_station_officer, note="Arrested")
    for version in alert.versions.all():
        xml = cap.to_xml(version)
        assert cap.validate(xml) == [], xml
        assert f"<msgType>{version.msg_type}</msgType>".encode() in xml
        assert b"<scope>Restricted</scope>" in xml
    update_xml = cap.to_xml(alert.versions.get(number=2)).decode()
    assert f"openpol.alert.{alert.pk}.v1" in update_xml.split("<references>")[1]
    assert "<circle>28.60000,77.20000 25</circle>" in update_xml
    assert "<category>Security</category>" in update_xml


def test_a_cap_round_trip_gives_back_the_same_alert(publish, delhi_station_officer, delhi_ilo):
    original = publish(delhi_station_officer, category="kidnapping", area_states=[7])
    xml = cap.to_xml(original.versions.get())
    assert "<category>Rescue</category>" in xml.decode()
    imported = cap.import_alert(by=delhi_ilo, xml=xml)
    for name in (
        "category",
        "urgency",
        "severity",
        "certainty",
        "headline",
        "description",
        "instruction",
        "vehicles",
        "fir_number",
        "fir_sections",
        "area_states",
    ):
        assert getattr(imported, name) == getattr(original, name), name
    assert [p["name"] for p in imported.persons] == ["Ramesh Kumar"]
    assert imported.persons[0]["aliases"] == ["Kalia"] and imported.persons[0]["dob"] == "1985-03-02"
    assert abs((imported.expires_at - original.expires_at).total_seconds()) < 1
    assert imported.origin_district_id in {original.origin_district_id, *[]} or imported.area_districts
    assert cap.validate(cap.to_xml(imported.versions.get())) == []


def test_malformed_cap_reports_every_error_with_its_path():
    xml = """<?xml version="1.0"?>
    <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
      <identifier>bad id</identifier>
      <sender>x@y</sender>
      <sent>2026-13-01 10:00</sent>
      <status>Real</status>
      <msgType>Update</msgType>
      <scope>Restricted</scope>
      <info>
        <category>Crime</category>
        <urgency>Now</urgency>
        <severity>Severe</severity>
        <certainty>Likely</certainty>
        <area><areaDesc>Delhi</areaDesc><circle>28.6 77.2</circle></area>
        <bogus/>
      </info>
    </alert>"""
    problems = cap.validate(xml)
    text = "\n".join(problems)
    assert "/alert/sent: '2026-13-01 10:00' does not match" in text
    assert "/alert/status: 'Real' is not one of" in text
    assert "/alert/info[1]/category[1]: 'Crime' is not one of" in text
    assert "/alert/info[1]/event: missing" in text
    assert "/alert/info[1]/urgency: 'Now'" in text
    assert "/alert/info[1]/bogus: not allowed" in text
    assert "/alert/identifier: must not contain spaces" in text
    assert "/alert/restriction: required when scope is Restricted" in text
    assert "/alert/references: an Update or Cancel must reference" in text
    assert "circle[1]: '28.6 77.2' is not 'latitude,longitude radius'" in text
    assert len(problems) >= 10


def test_not_xml_and_entities_are_refused():
    assert "not well-formed" in cap.validate("<alert")[0]
    assert "entities" in cap.validate('<!DOCTYPE a [<!ENTITY x "y">]><alert/>')[0]
    assert "root must be <alert>" in cap.validate("<feed/>")[0]


def test_importing_invalid_cap_raises_every_problem(delhi_ilo):
    with pytest.raises(cap.CapErrors) as error:
        cap.import_alert(by=delhi_ilo, xml="<alert xmlns='urn:oasis:names:tc:emergency:cap:1.2'><identifier>a</identifier></alert>")
    assert any("sender: missing" in p for p in error.value.problems)
    assert any("scope: missing" in p for p in error.value.problems)


def test_an_office_feed_lists_its_alerts_as_cap_entries(publish, delhi_station_officer, client):
    publish(delhi_station_officer)
    feed = OfficeFeed.objects.create(station=delhi_station_officer.station)
    response = client.get(f"/api/v1/alerts/feed/{feed.token}.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "<feed" in body and "Armed gang robbed" in body and "urn:oasis:names:tc:emergency:cap:1.2" in body
    assert client.get("/api/v1/alerts/feed/not-a-token.xml").status_code == 404

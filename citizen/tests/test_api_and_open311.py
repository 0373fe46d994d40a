"""The JSON API under /api/v1/citizen/ and Open311 GeoReport v2 under /open311/v2/."""

import pytest

from accounts import services as account_services
from accounts.models import Role
from citizen import services
from citizen.models import CitizenRequest
from conftest import make_user

pytestmark = pytest.mark.django_db


def bearer(user, *scopes):
    raw = account_services.api_token_create(user=user, name="test", scopes=list(scopes or ["citizen:read", "citizen:write"]))
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_anonymous_is_refused_by_the_api(client, complaint):
    assert client.get("/api/v1/citizen/requests").status_code == 401
    assert client.get("/api/v1/citizen/station/requests").status_code == 401


def test_a_citizen_reads_only_their_own_requests(signed_in, complaint, citizen):
    assert [r["reference"] for r in signed_in(citizen).get("/api/v1/citizen/requests").json()] == [complaint.reference]
    other = make_user("other_citizen", Role.CITIZEN)
    assert signed_in(other).get(f"/api/v1/citizen/requests/{complaint.reference}").status_code == 404


def test_the_station_acts_through_the_api_and_another_station_gets_404(client, complaint, delhi_station_officer, mumbai_station):
    response = client.post(
        f"/api/v1/citizen/station/requests/{complaint.reference}/steps/accept", {}, "application/json", **bearer(delhi_station_officer)
    )
    assert response.status_code == 200 and response.json()["stage"] == "in_progress"
    mumbai = make_user("mumbai_sho", Role.STATION_OFFICER, agency=mumbai_station.agency, station=mumbai_station)
    assert client.get(f"/api/v1/citizen/station/requests/{complaint.reference}", **bearer(mumbai)).status_code == 404


def test_a_read_only_token_cannot_act(client, complaint, delhi_station_officer):
    url = f"/api/v1/citizen/station/requests/{complaint.reference}/steps/accept"
    assert client.post(url, {}, "application/json", **bearer(delhi_station_officer, "citizen:read")).status_code == 403


def test_the_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/citizen/requests" in paths and "/api/v1/citizen/station/requests/{reference}/steps/{step}" in paths


def test_open311_lists_and_defines_services(client, db):
    codes = [s["service_code"] for s in client.get("/open311/v2/services.json").json()]
    assert "complaint" in codes and "efir" in codes and "verify_tenant" not in codes
    definition = client.get("/open311/v2/services/efir.json").json()
    assert {a["code"] for a in definition["attributes"]} >= {"pincode", "category", "occurred_on"}


def test_open311_files_a_request_with_an_app_key_and_reads_only_its_own(client, citizen, delhi_station_with_pin):
    key = services.open311_key_create(citizen=citizen, name="City app")
    data = {
        "api_key": key,
        "service_code": "complaint",
        "lat": "28.63",
        "long": "77.22",
        "description": "Street light broken, chain snatching",
        "attribute[category]": "theft",
        "attribute[occurred_on]": "2025-03-01",
        "attribute[place]": "Barakhamba Road",
    }
    response = client.post("/open311/v2/requests.json", data)
    assert response.status_code == 200, response.content
    reference = response.json()[0]["service_request_id"]
    assert CitizenRequest.objects.get(reference=reference).station == delhi_station_with_pin
    status = client.get(f"/open311/v2/requests/{reference}.json", {"api_key": key}).json()[0]
    assert status["status"] == "open" and status["agency_responsible"].startswith("Connaught Place")
    other_key = services.open311_key_create(citizen=make_user("other_citizen", Role.CITIZEN), name="x")
    assert client.get(f"/open311/v2/requests/{reference}.json", {"api_key": other_key}).status_code == 404
    assert client.get(f"/open311/v2/requests/{reference}.json").status_code == 403


def test_open311_refuses_a_future_date_and_a_foreign_pin_code(client, citizen, delhi_station_with_pin):
    key = services.open311_key_create(citizen=citizen, name="City app")
    base = {"api_key": key, "service_code": "complaint", "description": "x", "attribute[category]": "theft", "attribute[place]": "y"}
    response = client.post("/open311/v2/requests.json", {**base, "attribute[occurred_on]": "2099-01-01", "attribute[pincode]": "110001"})
    assert response.status_code == 400 and "future" in response.json()[0]["description"]
    response = client.post("/open311/v2/requests.json", {**base, "attribute[occurred_on]": "2025-01-01", "attribute[pincode]": "SW1A1AA"})
    assert response.status_code == 400 and "PIN" in response.json()[0]["description"]

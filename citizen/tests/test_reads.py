"""An office reading a citizen's request (a complaint, an e-FIR) leaves one audit entry naming it, as a page or an API
answer; another office's request answers exactly like a missing one and leaves only the attempt."""

import pytest
from django.urls import reverse

from accounts import services as account_services
from accounts.models import Role
from audit.models import AuditEntry
from citizen.models import CitizenRequest
from conftest import make_user

pytestmark = pytest.mark.django_db


def bearer(user, *scopes):
    raw = account_services.api_token_create(user=user, name="test", scopes=list(scopes or ["citizen:read"]))
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def reads():
    return list(AuditEntry.objects.filter(action="access.read"))


@pytest.fixture
def mumbai_station_officer(mumbai_station):
    return make_user("mumbai_sho", Role.STATION_OFFICER, agency=mumbai_station.agency, station=mumbai_station)


def test_the_station_reading_a_complaint_leaves_one_read_naming_it(signed_in, complaint, delhi_station_officer):
    assert signed_in(delhi_station_officer).get(reverse("citizen_station:detail", args=[complaint.reference])).status_code == 200
    [read] = reads()
    assert (read.actor, read.target_type, read.target_id, read.data) == (
        delhi_station_officer, "citizen.citizenrequest", str(complaint.pk), {"as": "page"}
    )  # fmt: skip


def test_the_district_officer_following_an_e_fir_leaves_one_read(signed_in, efir, delhi_district_officer):
    assert signed_in(delhi_district_officer).get(reverse("citizen_station:detail", args=[efir.reference])).status_code == 200
    assert [(r.actor, r.target_id) for r in reads()] == [(delhi_district_officer, str(efir.pk))]


def test_the_api_answer_leaves_one_read(client, complaint, delhi_station_officer):
    response = client.get(f"/api/v1/citizen/station/requests/{complaint.reference}", **bearer(delhi_station_officer))
    assert response.status_code == 200 and response.json()["reference"] == complaint.reference
    assert [(r.target_id, r.data["as"]) for r in reads()] == [(str(complaint.pk), "api")]


def test_another_stations_request_answers_like_a_missing_one_and_leaves_only_the_attempt(
    client, signed_in, complaint, mumbai_station_officer
):
    browser = signed_in(mumbai_station_officer)
    other = browser.get(reverse("citizen_station:detail", args=[complaint.reference]))
    missing = browser.get(reverse("citizen_station:detail", args=["DP-20990101-ZZZZZZ"]))
    assert other.status_code == missing.status_code == 404
    auth = bearer(mumbai_station_officer)
    other_api = client.get(f"/api/v1/citizen/station/requests/{complaint.reference}", **auth)
    missing_api = client.get("/api/v1/citizen/station/requests/DP-20990101-ZZZZZZ", **auth)
    assert other_api.status_code == missing_api.status_code == 404 and other_api.json() == missing_api.json()
    assert reads() == []
    attempts = AuditEntry.objects.filter(action="access.out_of_jurisdiction", actor=mumbai_station_officer)
    assert attempts.count() == 2 and {e.data["lookup"]["reference"] for e in attempts} == {complaint.reference}


def test_the_offices_see_what_they_saw_before(complaint, efir, citizen, delhi_station_officer, delhi_district_officer, delhi_ilo, delhi_uo):
    """Visibility moved onto offices: citizens their own, a station its station level, a district its stations' station and
    district levels, the ILOs their agency's district and ILO levels, nobody else anything."""
    CitizenRequest.objects.filter(pk=efir.pk).update(level=CitizenRequest.Level.DISTRICT)

    def seen(user):
        return set(CitizenRequest.objects.visible_to(user).values_list("reference", flat=True))

    assert seen(citizen) == {complaint.reference, efir.reference}
    assert seen(delhi_station_officer) == {complaint.reference}
    assert seen(delhi_district_officer) == {complaint.reference, efir.reference}
    assert seen(delhi_ilo) == {efir.reference}
    assert seen(delhi_uo) == set()
    assert set(CitizenRequest.objects.handled_by(delhi_district_officer).values_list("reference", flat=True)) == {efir.reference}

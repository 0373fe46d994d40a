"""Reading one record: a person's or an FIR's details need a purpose, every read leaves one entry naming the record,
what another state may not read answers like a missing record, and the owning office sees who has looked."""

from datetime import date

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from records import matching, services
from records.models import Involvement
from records.tests.conftest import bearer

pytestmark = pytest.mark.django_db

PURPOSE = "FIR 12/2025 PS Saket, verification of the accused"
MISSING = 987654321


def reads(**lookup):
    return list(AuditEntry.objects.filter(action="access.read", **lookup))


@pytest.fixture
def delhi_rape_fir(delhi_station, delhi_police):
    """A sensitive Delhi FIR with its sensitive victim: only the NCB and Delhi's police read them."""
    fir = services.fir_create(
        data={"external_id": "F-DL-1", "station": delhi_station, "district": delhi_station.district, "year": 2025, "number": 9,
              "registered_on": date(2025, 2, 1), "narrative": "what the victim said"},
        sections=[{"law": "BNS", "section": "64(1)"}],
    )  # fmt: skip
    victim = services.person_save(
        data={"external_id": "V-DL-1", "name": "Pooja Kumari Rawat", "sensitive": True, "state_id": delhi_police.state_id}
    )
    Involvement.objects.create(person=victim, fir=fir, role="victim")
    return fir


# --- A purpose is asked, and recorded ------------------------------------------------------------------------


def test_opening_a_persons_page_without_a_purpose_asks_for_it(signed_in, verma, delhi_ilo):
    response = signed_in(delhi_ilo).get(reverse("records:person", args=[verma.pk]))
    assert response.status_code == 200
    assert "records/purpose.html" in [t.name for t in response.templates]
    assert 'name="purpose"' in response.content.decode()
    assert reads() == []


def test_a_purpose_that_says_too_little_is_refused_next_to_the_field(signed_in, mumbai_fir, delhi_ilo):
    response = signed_in(delhi_ilo).get(reverse("records:fir", args=[mumbai_fir.pk]), {"purpose": "look"})
    assert response.status_code == 400
    assert response.context["form"].errors["purpose"]
    assert 'class="field has-error"' in response.content.decode()
    assert reads() == []


def test_the_purpose_form_asks_in_hindi_too(signed_in, verma, delhi_ilo):
    response = signed_in(delhi_ilo).get(reverse("records:person", args=[verma.pk]), {"purpose": "x"}, HTTP_ACCEPT_LANGUAGE="hi")
    html = response.content.decode()
    assert response.status_code == 400
    assert "आप यह रिकॉर्ड क्यों खोल रहे हैं?" in html and "थोड़ा और बताइए" in html


def test_opening_a_person_with_a_purpose_leaves_one_read_naming_the_person_and_the_purpose(signed_in, verma, delhi_ilo):
    response = signed_in(delhi_ilo).get(reverse("records:person", args=[verma.pk]), {"purpose": PURPOSE})
    assert response.status_code == 200 and "Rakesh Kumar Verma" in response.content.decode()
    [read] = reads()
    assert (read.actor, read.target_type, read.target_id, read.purpose, read.data) == (
        delhi_ilo, "records.person", str(verma.pk), PURPOSE, {"as": "page"}
    )  # fmt: skip


def test_opening_an_fir_with_a_purpose_leaves_one_read_naming_the_fir_and_the_purpose(signed_in, verma, mumbai_fir, delhi_station_officer):
    response = signed_in(delhi_station_officer).get(reverse("records:fir", args=[mumbai_fir.pk]), {"purpose": PURPOSE})
    assert response.status_code == 200 and "Rakesh Kumar Verma" in response.content.decode()
    [read] = reads()
    assert (read.target_type, read.target_id, read.purpose) == ("records.fir", str(mumbai_fir.pk), PURPOSE)


def test_a_search_carries_its_purpose_into_the_links_to_its_results(signed_in, verma, mumbai_fir, delhi_ilo):
    browser = signed_in(delhi_ilo)
    page = browser.get(reverse("records:search"), {"purpose": PURPOSE, "name": "Rakesh Verma", "father_name": "Mahesh Verma"})
    html = page.content.decode()
    person_link = reverse("records:person", args=[verma.pk]) + "?purpose="
    assert person_link in html and reverse("records:fir", args=[mumbai_fir.pk]) + "?purpose=" in html
    href = html.split(person_link, 1)[1].split('"', 1)[0]
    response = browser.get(person_link + href.replace("&amp;", "&"))
    assert response.status_code == 200 and "records/person_detail.html" in [t.name for t in response.templates]
    assert [r.purpose for r in reads()] == [PURPOSE]


def test_the_api_names_the_missing_purpose(client, verma, mumbai_fir, delhi_ilo):
    for url in (f"/api/v1/records/persons/{verma.pk}", f"/api/v1/records/firs/{mumbai_fir.pk}"):
        response = client.get(url, **bearer(delhi_ilo, "records:read"))
        assert response.status_code == 422
        assert "purpose" in response.json()["errors"] and "purpose" in response.json()["detail"]
    assert reads() == []


def test_each_api_read_leaves_one_entry_with_its_purpose(client, verma, mumbai_fir, stolen_car, delhi_ilo):
    auth = bearer(delhi_ilo, "records:read")
    person = client.get(f"/api/v1/records/persons/{verma.pk}", {"purpose": PURPOSE}, **auth)
    assert person.status_code == 200 and person.json()["name"] == "Rakesh Kumar Verma" and person.json()["firs"]
    fir = client.get(f"/api/v1/records/firs/{mumbai_fir.pk}", {"purpose": PURPOSE}, **auth)
    assert fir.status_code == 200 and fir.json()["persons"][0]["name"] == "Rakesh Kumar Verma"
    vehicle = client.get(f"/api/v1/records/vehicles/{stolen_car.pk}", **auth)
    assert vehicle.status_code == 200 and vehicle.json()["registration"] == stolen_car.registration
    found = sorted((r.target_type, r.target_id, r.purpose, r.data["as"]) for r in reads())
    assert found == [
        ("records.fir", str(mumbai_fir.pk), PURPOSE, "api"),
        ("records.person", str(verma.pk), PURPOSE, "api"),
        ("records.vehicle", str(stolen_car.pk), "", "api"),
    ]


def test_a_vehicles_page_leaves_one_read_and_links_its_fir_with_the_purpose(signed_in, stolen_car, mumbai_fir, delhi_uo):
    response = signed_in(delhi_uo).get(reverse("records:vehicle", args=[stolen_car.pk]), {"purpose": PURPOSE})
    assert response.status_code == 200
    assert reverse("records:fir", args=[mumbai_fir.pk]) + "?purpose=" in response.content.decode()
    [read] = reads()
    assert (read.target_type, read.target_id, read.purpose) == ("records.vehicle", str(stolen_car.pk), PURPOSE)


def test_a_hits_page_and_api_answer_each_leave_one_read(client, signed_in, verma, mumbai_fir, mumbai_ilo):
    match = matching.Match(
        person_id=verma.pk, external_id="MH-1", source="test", name=verma.name, score=0.9, weak=False, explanation=["name"]
    )
    hit = services.hit_create(source=mumbai_fir, match=match, owner_agency=mumbai_fir.station.agency)
    assert signed_in(mumbai_ilo).get(reverse("records:hit_detail", args=[hit.pk])).status_code == 200
    assert client.get(f"/api/v1/records/hits/{hit.pk}", **bearer(mumbai_ilo, "records:read")).status_code == 200
    assert sorted(r.data["as"] for r in reads(target_type="records.hit", target_id=str(hit.pk))) == ["api", "page"]


# --- What another state may not read answers like a missing record -------------------------------------------


def test_another_states_sensitive_fir_and_person_answer_like_missing_ones(signed_in, delhi_rape_fir, mumbai_ilo):
    victim = delhi_rape_fir.involvements.get().person
    browser = signed_in(mumbai_ilo)
    for name, pk in (("records:fir", delhi_rape_fir.pk), ("records:person", victim.pk)):
        for params in ({}, {"purpose": PURPOSE}):
            other, missing = browser.get(reverse(name, args=[pk]), params), browser.get(reverse(name, args=[MISSING]), params)
            assert other.status_code == missing.status_code == 404
            assert [t.name for t in other.templates] == [t.name for t in missing.templates]
    assert reads() == []
    attempts = AuditEntry.objects.filter(action="access.out_of_jurisdiction", actor=mumbai_ilo)
    assert {e.data["model"] for e in attempts} == {"records.fir", "records.person"}


def test_the_api_answers_another_states_sensitive_fir_like_a_missing_one(client, delhi_rape_fir, mumbai_ilo, delhi_ilo):
    auth = bearer(mumbai_ilo, "records:read")
    for params in ({}, {"purpose": PURPOSE}):
        other = client.get(f"/api/v1/records/firs/{delhi_rape_fir.pk}", params, **auth)
        missing = client.get(f"/api/v1/records/firs/{MISSING}", params, **auth)
        assert other.status_code == missing.status_code == 404 and other.json() == missing.json()
    own = client.get(f"/api/v1/records/firs/{delhi_rape_fir.pk}", {"purpose": PURPOSE}, **bearer(delhi_ilo, "records:read"))
    assert own.status_code == 200 and own.json()["narrative"] == "what the victim said"
    assert [r.actor for r in reads()] == [delhi_ilo]


@pytest.mark.parametrize("persona", ["citizen", "analyst", "sysadmin"])
def test_roles_without_the_records_are_refused_whether_or_not_the_person_exists(request, signed_in, verma, persona):
    browser = signed_in(request.getfixturevalue(persona))
    for pk in (verma.pk, MISSING):
        assert browser.get(reverse("records:person", args=[pk]), {"purpose": PURPOSE}).status_code == 403
    assert reads() == []


# --- The owning office sees who has looked -------------------------------------------------------------------


def test_the_owning_office_sees_who_has_looked_at_its_fir_and_why(signed_in, verma, mumbai_fir, delhi_ilo, mumbai_ilo):
    signed_in(delhi_ilo).get(reverse("records:fir", args=[mumbai_fir.pk]), {"purpose": PURPOSE})
    page = signed_in(mumbai_ilo).get(reverse("records:fir", args=[mumbai_fir.pk]), {"purpose": "Reviewing the case file, case 77/2025"})
    html = page.content.decode()
    assert "Who has looked at this" in html and delhi_ilo.username in html and PURPOSE in html
    assert [e.actor_username for e in page.context["reads"].entries] == [mumbai_ilo.username, delhi_ilo.username]


def test_the_owning_station_sees_the_reads_of_its_fir_and_another_office_does_not(
    signed_in, delhi_rape_fir, delhi_station_officer, delhi_uo
):
    signed_in(delhi_uo).get(reverse("records:fir", args=[delhi_rape_fir.pk]), {"purpose": PURPOSE})
    uo_page = signed_in(delhi_uo).get(reverse("records:fir", args=[delhi_rape_fir.pk]), {"purpose": PURPOSE})
    assert uo_page.context["reads"] is None and "Who has looked at this" not in uo_page.content.decode()
    station = signed_in(delhi_station_officer).get(reverse("records:fir", args=[delhi_rape_fir.pk]), {"purpose": PURPOSE})
    assert [e.actor_username for e in station.context["reads"].entries][-2:] == [delhi_uo.username, delhi_uo.username]


def test_the_owning_agency_and_the_ncb_see_who_has_looked_at_a_person(signed_in, verma, delhi_ilo, mumbai_ilo, ncb_officer):
    signed_in(delhi_ilo).get(reverse("records:person", args=[verma.pk]), {"purpose": PURPOSE})
    own = signed_in(delhi_ilo).get(reverse("records:person", args=[verma.pk]), {"purpose": PURPOSE})
    assert own.context["reads"] is None  # Delhi does not own Maharashtra's record
    for owner in (mumbai_ilo, ncb_officer):
        page = signed_in(owner).get(reverse("records:person", args=[verma.pk]), {"purpose": PURPOSE})
        assert delhi_ilo.username in [e.actor_username for e in page.context["reads"].entries]

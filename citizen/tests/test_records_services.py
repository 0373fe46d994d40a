"""The vehicle NOC, the public lists and the missing-persons search, read from the national records."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from citizen import views
from citizen.models import IssuedDocument
from records import services as records
from records.models import Arrest, Involvement, ProclaimedOffender

pytestmark = pytest.mark.django_db


def fir(station, number, *, sensitive=False, registered_on=datetime.date(2025, 3, 1)):
    return records.fir_create(
        data={
            "external_id": f"F{number}",
            "station": station,
            "district": station.district,
            "year": 2025,
            "number": number,
            "registered_on": registered_on,
            "sensitive": sensitive,
        },
        sections=[{"law": "BNS", "section": "303"}],
    )


def person(ext, name, **fields):
    return records.person_save(data={"external_id": ext, "name": name, **fields})


# --- Vehicle NOC --------------------------------------------------------------------------------


@pytest.fixture
def stolen_vehicle(delhi_station):
    delhi_station.phone = "011-23412345"
    delhi_station.save()
    case = fir(delhi_station, 501)
    return records.vehicle_save(
        data={
            "external_id": "V1",
            "registration": "DL 3C AB 1234",
            "chassis": "MA3EWDE1S00123456",
            "engine": "K12M0123",
            "status": "stolen",
            "fir": case,
            "make": "Maruti",
            "reported_on": datetime.date(2025, 3, 1),
        }
    )


@pytest.mark.parametrize(
    "numbers",
    [
        {"registration": "dl-3c ab 1234"},
        {"registration": "DL3CAB I234"},
        {"chassis": "ma3ewde1s0o123456"},
        {"engine": "k12m-O123"},
    ],
)
def test_the_noc_for_a_stolen_vehicle_reveals_nothing(client, stolen_vehicle, delhi_station, numbers):
    response = client.post(reverse("citizen_public:vehicle_noc"), numbers)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Contact your police station" in page
    for secret in ("501", "2025", delhi_station.name, "011-23412345", "Maruti", "stolen", "V1"):
        assert secret not in page.split('id="noc-result"')[1].split("</div>")[0]
    assert delhi_station.name not in page and "Maruti" not in page and "011-23412345" not in page
    assert not IssuedDocument.objects.exists()


def test_a_clear_vehicles_noc_verifies_as_genuine(client, stolen_vehicle):
    response = client.post(reverse("citizen_public:vehicle_noc"), {"registration": "MH 12 DE 0042"})
    document = IssuedDocument.objects.get()
    assert document.kind == IssuedDocument.Kind.VEHICLE_NOC and document.request is None
    assert document.content["registration"] == "MH12DE0042"
    assert document.verify_url() in response.content.decode()
    pdf = client.get(reverse("citizen_public:vehicle_noc_pdf", args=[document.code]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    from django.core.files.uploadedfile import SimpleUploadedFile

    check = client.post(
        reverse("citizen_public:verify", args=[document.code]), {"file": SimpleUploadedFile("noc.pdf", pdf.content, "application/pdf")}
    )
    assert check.context["result"]["genuine"] and check.context["result"]["file_matches"]
    assert "Genuine" in check.content.decode()


def test_a_recovered_vehicle_gets_its_noc(client, stolen_vehicle):
    stolen_vehicle.status = "recovered"
    stolen_vehicle.save()
    client.post(reverse("citizen_public:vehicle_noc"), {"registration": "DL3CAB1234"})
    assert IssuedDocument.objects.filter(kind="vehicle_noc").count() == 1


def test_each_vehicle_check_is_audited_with_only_the_normalised_number(client, stolen_vehicle):
    client.post(reverse("citizen_public:vehicle_noc"), {"registration": "dl-3c ab 1234"})
    entry = AuditEntry.objects.filter(action="citizen.vehicle_noc_check").get()
    assert entry.data == {"registration": "DL3CAB1234", "clear": False}
    assert entry.actor is None and entry.target_id == ""


def test_a_vehicle_check_needs_a_number(client):
    for data in ({"registration": " - "}, {}):
        assert client.post(reverse("citizen_public:vehicle_noc"), data).status_code == 400
    assert not IssuedDocument.objects.exists()


def test_vehicle_checks_are_rate_limited_per_ip(client, settings, monkeypatch):
    settings.RATELIMIT_ENABLE = True
    monkeypatch.setattr(views, "VEHICLE_RATE", "2/h")
    from django.core.cache import cache

    cache.clear()
    codes = [client.post(reverse("citizen_public:vehicle_noc"), {"registration": f"DL1CA000{n}"}).status_code for n in range(3)]
    assert codes == [200, 200, 429]


# --- Public lists --------------------------------------------------------------------------------------


@pytest.fixture
def listed(delhi_station, mumbai_station):
    ordinary, secret = fir(delhi_station, 601), fir(delhi_station, 602, sensitive=True)
    mumbai_case = fir(mumbai_station, 603)
    made = {}
    for n in range(5):
        p = person(
            f"A{n}",
            f"Ramesh Kumar{'' if n else ' Sharma'} {chr(65 + n)}",
            addresses=[{"line": "12 Secret Lane"}],
            id_numbers=[{"type": "aadhaar", "number": "999988887777"}],
            roles=["arrested"],
        )
        Involvement.objects.create(person=p, fir=ordinary, role="accused")
        Arrest.objects.create(
            external_id=f"AR{n}", person=p, fir=ordinary, station=delhi_station, arrested_at=timezone.now() - datetime.timedelta(days=n)
        )
        made[n] = p
    hidden = person("H1", "Kailash Sensitive", roles=["arrested"])
    Arrest.objects.create(external_id="ARH", person=hidden, fir=secret, station=delhi_station, arrested_at=timezone.now())
    flagged = person("H2", "Veer Flagged", roles=["arrested", "wanted"], sensitive=True)
    Arrest.objects.create(external_id="ARF", person=flagged, station=delhi_station, arrested_at=timezone.now())
    mumbai = person("M1", "Suresh Mumbaikar", roles=["arrested", "wanted"])
    Involvement.objects.create(person=mumbai, fir=mumbai_case, role="accused")
    Arrest.objects.create(external_id="ARM", person=mumbai, fir=mumbai_case, station=mumbai_station, arrested_at=timezone.now())
    po = person("PO1", "Bhola Absconder", roles=["proclaimed_offender"])
    ProclaimedOffender.objects.create(
        external_id="PO1", person=po, fir=ordinary, court="CMM Patiala House", proclaimed_on=datetime.date(2025, 5, 1)
    )
    secret_po = person("PO2", "Hidden Absconder", roles=["proclaimed_offender"])
    ProclaimedOffender.objects.create(external_id="PO2", person=secret_po, fir=secret, court="ASJ", proclaimed_on=datetime.date(2025, 5, 2))
    withdrawn = person("PO3", "Withdrawn Absconder", roles=["proclaimed_offender"])
    ProclaimedOffender.objects.create(
        external_id="PO3", person=withdrawn, court="ASJ", proclaimed_on=datetime.date(2025, 5, 3), withdrawn_on=datetime.date(2025, 6, 1)
    )
    return made


@pytest.mark.parametrize("kind", ["arrested", "wanted", "proclaimed"])
def test_a_sensitive_record_never_appears_in_a_public_list(client, listed, kind):
    page = client.get(reverse("citizen_public:public_list", args=[kind])).content.decode()
    for secret in (
        "Kailash Sensitive",
        "Veer Flagged",
        "Hidden Absconder",
        "Withdrawn Absconder",
        "12 Secret Lane",
        "999988887777",
        "602/2025",
    ):
        assert secret not in page
    expected = {"arrested": "Ramesh Kumar", "wanted": "Suresh Mumbaikar", "proclaimed": "Bhola Absconder"}[kind]
    assert expected in page


def test_public_lists_paginate(client, listed, monkeypatch):
    monkeypatch.setattr(views, "LIST_PAGE_SIZE", 2)
    url = reverse("citizen_public:public_list", args=["arrested"])
    first = client.get(url)
    assert len(first.context["rows"]) == 2 and first.context["page"].paginator.num_pages == 3  # 5 Delhi + 1 Mumbai
    last = client.get(url, {"page": 3})
    assert len(last.context["rows"]) == 2
    names = {r["name"] for p in (1, 2, 3) for r in client.get(url, {"page": p}).context["rows"]}
    assert len(names) == 6


def test_the_station_filter_and_name_search_work(client, listed, delhi_station, mumbai_station):
    url = reverse("citizen_public:public_list", args=["arrested"])
    rows = client.get(url, {"station": mumbai_station.pk}).context["rows"]
    assert [r["name"] for r in rows] == ["Suresh Mumbaikar"]
    rows = client.get(url, {"station": delhi_station.pk}).context["rows"]
    assert len(rows) == 5 and all(r["station"] == delhi_station.name for r in rows)
    rows = client.get(url, {"name": "ramesh sharma"}).context["rows"]
    assert [r["name"] for r in rows] == ["Ramesh Kumar Sharma A"]


def test_the_date_range_filter_works(client, listed):
    url = reverse("citizen_public:public_list", args=["arrested"])
    today = timezone.localdate()
    rows = client.get(url, {"date_from": (today - datetime.timedelta(days=1)).isoformat(), "date_to": today.isoformat()}).context["rows"]
    assert {r["name"] for r in rows} >= {"Ramesh Kumar Sharma A", "Ramesh Kumar B"}
    assert "Ramesh Kumar E" not in {r["name"] for r in rows}
    assert client.get(url, {"date_from": "2025-02-01", "date_to": "2025-01-01"}).status_code == 400


def test_an_unknown_list_is_not_found(client):
    assert client.get(reverse("citizen_public:public_list", args=["victims"])).status_code == 404


# --- Missing persons -----------------------------------------------------------------------------------


@pytest.fixture
def found(delhi_station, mumbai_station):
    delhi_station.phone = "011-23412345"
    delhi_station.save()
    case = fir(delhi_station, 701)
    alive = person(
        "U1",
        "Sunita Devi",
        sex="F",
        age=34,
        age_recorded_on=datetime.date(2025, 4, 10),
        district=delhi_station.district,
        roles=["unidentified_person"],
        addresses=[{"line": "Shelter home, 4 Rajpur Road"}],
    )
    Involvement.objects.create(person=alive, fir=case, role="unidentified_person")
    body = person(
        "U2",
        "Unknown Female",
        sex="F",
        age=33,
        age_recorded_on=datetime.date(2025, 4, 12),
        district=delhi_station.district,
        roles=["unidentified_body"],
        photo="records/photos/body-u2.jpg",
        id_numbers=[{"type": "aadhaar", "number": "123412341234"}],
    )
    Involvement.objects.create(person=body, fir=case, role="unidentified_body")
    person("U3", "Ramesh Unknown", sex="M", age=60, age_recorded_on=datetime.date(2025, 4, 12), roles=["unidentified_person"])
    person("U4", "Sunita Devi", sex="F", age=34, roles=["missing"])  # a missing report, not a found person
    person("U5", "Child Unknown", sex="F", age=33, sensitive=True, roles=["unidentified_person"])
    return {"alive": alive, "body": body}


def test_a_missing_person_report_finds_the_matching_unidentified_person(signed_in, citizen, found, delhi_station):
    client = signed_in(citizen)
    response = client.get(
        reverse("citizen_public:missing_search"),
        {"name": "Sunita Devi", "age": 33, "sex": "F", "district": delhi_station.district_id, "missing_since": "2025-04-01"},
    )
    results = response.context["results"]
    assert response.status_code == 200 and len(results) == 2
    first = results[0]
    assert first["kind"] == "Unidentified person (alive)" and not first["is_body"]
    assert first["station"] == delhi_station.name and first["phone"] == "011-23412345"
    assert first["sex"] == "Female" and first["age_band"] == "30–35" and first["found_on"] == datetime.date(2025, 4, 10)
    assert AuditEntry.objects.filter(action="citizen.missing_search", actor=citizen).exists()


def test_a_bodys_details_are_limited(signed_in, citizen, found):
    client = signed_in(citizen)
    response = client.get(reverse("citizen_public:missing_search"), {"sex": "F", "age": 33})
    page = response.content.decode()
    body = next(r for r in response.context["results"] if r["is_body"])
    assert set(body) == {"kind", "is_body", "sex", "age_band", "found_on", "district", "station", "phone"}
    for secret in ("body-u2", "<img", "Unknown Female", "123412341234", "Sunita Devi", "Shelter home", "Child Unknown"):
        assert secret not in page
    # The record's external id, as a word: random tokens on the page (CSRF) may contain the letters.
    assert not re.search(r"\bU2\b", page)
    assert "Unidentified dead body" in page


def test_the_search_filters_by_sex_age_district_and_date(signed_in, citizen, found, mumbai_station):
    client = signed_in(citizen)
    url = reverse("citizen_public:missing_search")
    assert client.get(url, {"sex": "M", "age": 60}).context["results"][0]["age_band"] == "60–65"
    assert client.get(url, {"sex": "F", "age": 70}).context["results"] == []
    assert client.get(url, {"district": mumbai_station.district_id}).context["results"] == []
    assert client.get(url, {"sex": "F", "missing_since": "2025-04-11"}).context["results"][0]["is_body"]


def test_the_missing_persons_search_needs_a_citizen_sign_in(client, signed_in, delhi_station_officer):
    response = client.get(reverse("citizen_public:missing_search"))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert signed_in(delhi_station_officer).get(reverse("citizen_public:missing_search")).status_code == 403


def test_the_services_page_links_the_new_services(client):
    page = client.get(reverse("citizen_public:index")).content.decode()
    for name, args in (
        ("vehicle_noc", []),
        ("public_list", ["proclaimed"]),
        ("public_list", ["wanted"]),
        ("public_list", ["arrested"]),
        ("missing_search", []),
    ):
        assert reverse(f"citizen_public:{name}", args=args) in page

"""A station registers an FIR: at once a record of the national records, with its persons and vehicles."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from citizen import public_records
from citizen.tests.conftest import fir_form_data
from conftest import fir_registration
from records import matching, services
from records.models import Fir, Involvement, Person, Vehicle
from records.tests.conftest import bearer

SCOOTER = {"registration": "dl 3s ab 1234", "chassis": "ME4JF50AAKT123456", "engine": "JF50E1234567", "make": "Honda", "model": "Activa 6G"}
ACCUSED = {"role": "accused", "name": "Vikram Singh Rathore", "father_name": "Devendra Singh", "sex": "M", "age": 27}


def test_a_stolen_vehicle_registered_at_the_station_is_refused_an_noc_at_once(delhi_station_officer, delhi_station):
    assert public_records.vehicle_noc_check(registration="DL3SAB1234").clear
    fir = services.fir_register(by=delhi_station_officer, station=delhi_station, **fir_registration(41, vehicles=[SCOOTER]))
    vehicle = Vehicle.objects.get(fir=fir)
    assert (vehicle.registration, vehicle.status, vehicle.make) == ("DL3SAB1234", Vehicle.Status.STOLEN, "Honda")
    for numbers in ({"registration": "DL-3S-AB-1234"}, {"chassis": "me4jf50aakt123456"}, {"engine": "JF50E1234567"}):
        assert not public_records.vehicle_noc_check(**numbers).clear


def test_the_persons_of_a_registered_fir_are_found_by_a_records_search_in_their_roles(delhi_station_officer, delhi_station, delhi_ilo):
    victim = {"role": "victim", "name": "Meena Kumari", "sex": "F", "age": 34}
    fir = services.fir_register(by=delhi_station_officer, station=delhi_station, **fir_registration(42, persons=[ACCUSED, victim]))
    assert fir.source == "station" and fir.registered_by == delhi_station_officer and fir.sections.get().section == "303(2)"
    roles = dict(Involvement.objects.filter(fir=fir).values_list("person__name", "role"))
    assert roles == {"Asha Verma": "complainant", "Vikram Singh Rathore": "accused", "Meena Kumari": "victim"}
    [found, *_] = services.person_search(
        user=delhi_ilo, purpose="Case diary 12/2025 of Janpath", name="Vikram Rathore", father_name="Devender Singh"
    )
    assert found.person.name == "Vikram Singh Rathore" and found.strong and found.person.roles == ["accused"]
    entry = AuditEntry.objects.get(action="records.fir_register")
    assert entry.actor == delhi_station_officer and entry.data["persons"] == 3


def test_a_child_named_in_an_fir_is_a_sensitive_person(delhi_station_officer, delhi_station):
    child = {"role": "victim", "name": "Pinky Kumari", "sex": "F", "age": 12}
    services.fir_register(by=delhi_station_officer, station=delhi_station, **fir_registration(43, persons=[ACCUSED, child]))
    assert Person.objects.get(name="Pinky Kumari").sensitive and not Person.objects.get(name=ACCUSED["name"]).sensitive


def test_an_ipc_section_for_an_offence_after_1_july_2024_is_refused_with_its_bns_equivalent(delhi_station_officer, delhi_station):
    with pytest.raises(ValidationError) as refused:
        services.fir_register(by=delhi_station_officer, station=delhi_station, **fir_registration(44, sections=[("IPC", "379")]))
    assert refused.value.message_dict["sections"] == [
        "Line 1: offences committed from 1 July 2024 are under the BNS. IPC 379 is BNS 303(2)."
    ]
    assert not Fir.objects.exists() and not Person.objects.exists()


def test_a_sexual_offence_makes_the_fir_and_its_victim_sensitive(delhi_station_officer, delhi_station):
    victim = {"role": "victim", "name": "Rekha Devi", "sex": "F", "age": 30}
    fir = services.fir_register(
        by=delhi_station_officer, station=delhi_station, **fir_registration(45, sections=[("BNS", "64")], persons=[victim])
    )
    assert fir.sensitive and Person.objects.get(name="Rekha Devi").sensitive and Person.objects.get(name="Asha Verma").sensitive


def test_the_same_fir_number_twice_at_a_station_is_refused(delhi_station_officer, delhi_station):
    services.fir_register(by=delhi_station_officer, station=delhi_station, **fir_registration(46))
    with pytest.raises(ValidationError) as refused:
        services.fir_register(by=delhi_station_officer, station=delhi_station, **fir_registration(46))
    assert "number" in refused.value.message_dict and Fir.objects.count() == 1


def test_an_officer_registers_only_at_their_own_station(delhi_station_officer, mumbai_station, delhi_ilo, delhi_station):
    with pytest.raises(PermissionDenied):
        services.fir_register(by=delhi_station_officer, station=mumbai_station, **fir_registration(47))
    with pytest.raises(PermissionDenied):
        services.fir_register(by=delhi_ilo, station=delhi_station, **fir_registration(47))
    assert not Fir.objects.exists()


def test_the_station_officer_registers_an_fir_through_the_form_and_opens_it(signed_in, delhi_station_officer):
    officer = signed_in(delhi_station_officer)
    assert officer.get(reverse("records:fir_register")).status_code == 200
    vehicle = {"registration": "DL 3S AB 1234", "make": "Honda", "model": "Activa 6G", "status": "stolen"}
    response = officer.post(
        reverse("records:fir_register"),
        fir_form_data(
            48, persons=[{"role": "accused", "name": "Vikram Rathore"}], vehicles=[vehicle], property="A helmet", property_value=900
        ),
    )
    fir = Fir.objects.get(number=48)
    assert fir.property_details == [{"description": "A helmet", "value_inr": 900}]
    assert response.status_code == 302 and response["Location"].startswith(reverse("records:fir", args=[fir.pk]))
    page = officer.get(response["Location"]).content.decode()
    assert "Vikram Rathore" in page and "DL3SAB1234" in page
    assert matching.screen_vehicle("DL3SAB1234")[0].status == Vehicle.Status.STOLEN


def test_the_fir_form_shows_each_problem_beside_its_field_and_keeps_what_was_typed(signed_in, delhi_station_officer):
    officer = signed_in(delhi_station_officer)
    data = fir_form_data(49, sections=[("IPC", "379")], vehicles=[{"make": "Honda", "status": "stolen"}], occurred_from="2099-01-01T10:00")
    data.pop("place")
    response = officer.post(reverse("records:fir_register"), data)
    assert response.status_code == 400 and not Fir.objects.exists()
    form = response.context["form"]
    assert form.fir.errors["place"] == ["This field is required."]
    assert form.fir.errors["occurred_from"] == ["This is in the future. Give when it happened."]
    assert "Give the registration, chassis or engine number" in form.vehicles.forms[0].errors["registration"][0]
    assert 'value="Janpath market"' not in response.content.decode() and 'value="Asha Verma"' in response.content.decode()
    data = fir_form_data(49, sections=[("IPC", "379")])
    refused = officer.post(reverse("records:fir_register"), data)
    assert refused.status_code == 400 and "IPC 379 is BNS 303(2)" in refused.content.decode()


@pytest.mark.parametrize("user", ["delhi_ilo", "delhi_district_officer", "citizen", "analyst"])
def test_only_a_station_officer_registers_an_fir_directly(db, signed_in, request, user):
    assert signed_in(request.getfixturevalue(user)).get(reverse("records:fir_register")).status_code == 403


def test_a_station_registers_an_fir_through_the_api(client, delhi_station_officer):
    headers = bearer(delhi_station_officer, "records:write")
    payload = {
        "number": 50,
        "year": 2025,
        "registered_on": "2025-01-11",
        "occurred_from": "2025-01-10T18:30:00+05:30",
        "place": "Janpath market",
        "complainant": {"name": "Asha Verma"},
        "narrative": "Scooter stolen from the parking (test).",
        "sections": [{"law": "BNS", "section": "303(2)"}],
        "persons": [ACCUSED],
        "vehicles": [SCOOTER],
    }
    response = client.post("/api/v1/records/firs", payload, content_type="application/json", **headers)
    assert response.status_code == 201 and response.json()["sections"] == ["BNS s.303(2)"]
    assert not public_records.vehicle_noc_check(registration="DL3SAB1234").clear
    again = client.post(
        "/api/v1/records/firs", {**payload, "sections": [{"law": "SLL", "section": "20"}]}, content_type="application/json", **headers
    )
    assert again.status_code == 422 and "act" in " ".join(again.json()["errors"]["sections"])
    nameless = client.post(
        "/api/v1/records/firs", {**payload, "number": 51, "vehicles": [{"make": "Honda"}]}, content_type="application/json", **headers
    )
    assert nameless.status_code == 422 and "registration" in nameless.json()["errors"]
    assert Fir.objects.filter(number=51).count() == 0

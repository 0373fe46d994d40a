"""What else a station records in the national records: arrests, proclamations, missing and unidentified persons;
the public lists and the missing-persons search follow from them."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from citizen import public_records
from conftest import fir_registration
from records import services
from records.models import Arrest, Person, ProclaimedOffender

IST = ZoneInfo("Asia/Kolkata")
ACCUSED = {"role": "accused", "name": "Vikram Singh Rathore", "father_name": "Devendra Singh", "sex": "M", "age": 27}


@pytest.fixture
def fir(delhi_station_officer, delhi_station):
    return services.fir_register(by=delhi_station_officer, station=delhi_station, **fir_registration(81, persons=[ACCUSED]))


def _accused(fir):
    return Person.objects.get(involvements__fir=fir, involvements__role="accused")


def test_an_arrest_recorded_at_the_station_is_in_the_public_list_of_arrested_persons(signed_in, client, fir, delhi_station_officer):
    officer = signed_in(delhi_station_officer)
    url = reverse("records:fir_arrest", args=[fir.pk])
    form = {"person": _accused(fir).pk, "arrested_at": "2025-01-12T09:30", "place": "Janpath", "arrested_by": "SI Demo-Sharma"}
    assert officer.post(url, form).status_code == 302
    arrest = Arrest.objects.get()
    assert arrest.station == fir.station and "arrested" in arrest.person.roles
    listing = public_records.public_list("arrested")
    assert [row["name"] for row in listing.rows(listing.queryset)] == ["Vikram Singh Rathore"]


def test_an_arrest_names_a_person_accused_in_the_fir_and_its_officer(fir, delhi_station_officer, delhi_station):
    other = services.fir_register(
        by=delhi_station_officer, station=delhi_station, **fir_registration(82, persons=[{**ACCUSED, "name": "Mohan Lal"}])
    )
    with pytest.raises(ValidationError) as refused:
        services.arrest_record(
            by=delhi_station_officer,
            fir=fir,
            person=_accused(other),
            arrested_at=datetime(2025, 1, 12, tzinfo=IST),
            place="",
            arrested_by="SI X",
        )
    assert "person" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.arrest_record(
            by=delhi_station_officer,
            fir=fir,
            person=_accused(fir),
            arrested_at=datetime(2025, 1, 12, tzinfo=IST),
            place="",
            arrested_by=" ",
        )
    assert "arrested_by" in refused.value.message_dict and not Arrest.objects.exists()


def test_a_proclamation_lists_the_person_as_a_proclaimed_offender(signed_in, fir, delhi_station_officer):
    url = reverse("records:fir_proclamation", args=[fir.pk])
    form = {"person": _accused(fir).pk, "court": "Court of the CJM, New Delhi (test)", "proclaimed_on": "2025-05-02", "reward_inr": 5000}
    assert signed_in(delhi_station_officer).post(url, form).status_code == 302
    assert ProclaimedOffender.objects.get().proclaimed_on == date(2025, 5, 2)
    listing = public_records.public_list("proclaimed")
    assert [(row["name"], row["reward"]) for row in listing.rows(listing.queryset)] == [("Vikram Singh Rathore", 5000)]


@pytest.mark.parametrize("user", ["mumbai_ilo", "delhi_ilo", "citizen"])
def test_another_office_cannot_record_in_a_stations_fir_and_learns_nothing(signed_in, fir, request, user):
    client = signed_in(request.getfixturevalue(user))
    form = {"person": _accused(fir).pk, "arrested_at": "2025-01-12T09:30", "place": "x", "arrested_by": "SI X"}
    assert client.post(reverse("records:fir_arrest", args=[fir.pk]), form).status_code in (403, 404)
    assert (
        client.post(reverse("records:fir_arrest", args=[10**9]), form).status_code
        == client.post(reverse("records:fir_arrest", args=[fir.pk]), form).status_code
    )
    assert not Arrest.objects.exists()


def test_a_station_officer_of_another_state_gets_404_for_an_existing_fir(signed_in, fir, maharashtra_police, mumbai_station):
    from conftest import make_user

    mumbai_officer = make_user("station.mumbai", "station_officer", agency=maharashtra_police, station=mumbai_station)
    client = signed_in(mumbai_officer)
    assert client.get(reverse("records:fir_arrest", args=[fir.pk])).status_code == 404
    assert client.get(reverse("records:fir_arrest", args=[10**9])).status_code == 404


def test_an_unidentified_body_recorded_at_the_station_is_found_by_a_familys_missing_search(
    signed_in, delhi_station_officer, delhi_station, citizen
):
    officer = signed_in(delhi_station_officer)
    report = {
        "role": "unidentified_body",
        "sex": "M",
        "age": 34,
        "seen_on": "2025-02-03",
        "place": "Near the canal",
        "description": "Tall, scar on the left arm.",
    }
    response = officer.post(reverse("records:person_report"), report)
    assert response.status_code == 302
    body = Person.objects.get(roles__icontains="unidentified_body")
    assert body.description == "Tall, scar on the left arm." and body.district == delhi_station.district
    found = public_records.missing_search(by=citizen, age=35, sex="M", missing_since=date(2025, 2, 1))
    assert [(r["kind"], r["age_band"]) for r in found] == [("Unidentified dead body", "30–35")]


def test_a_missing_person_report_needs_the_name_and_a_date_not_in_the_future(signed_in, delhi_station_officer):
    officer = signed_in(delhi_station_officer)
    response = officer.post(reverse("records:person_report"), {"role": "missing", "seen_on": "2099-01-01", "place": "Market"})
    assert response.status_code == 400 and not Person.objects.exists()
    assert response.context["form"].errors["name"] == ["Give the missing person's name."]

"""A citizen's e-FIR becomes the station's FIR in the national records: the vehicle in fields, the form filled in, the
NOC refused, the FIR copy issued by the station."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from citizen import services
from citizen.models import CitizenRequest
from citizen.tests.conftest import SCOOTER, complaint_details, fir_form_data
from conftest import fir_registration
from records import services as records
from records.models import Fir, Vehicle


def efir_form(**overrides) -> dict:
    details = complaint_details(**{"category": "vehicle_theft", "property": "Grey Honda Activa", **SCOOTER, **overrides})
    return {"pincode": "110001", **{k: v for k, v in details.items() if v is not None}}


def test_the_e_fir_form_asks_for_the_stolen_vehicles_numbers_in_fields(signed_in, citizen, delhi_station_with_pin):
    client = signed_in(citizen)
    url = reverse("citizen_public:request_new", args=["efir"])
    missing = {k: v for k, v in efir_form().items() if k not in ("vehicle_registration", "vehicle_make")}
    response = client.post(url, missing)
    assert response.status_code == 400 and not CitizenRequest.objects.exists()
    errors = response.context["form"].errors
    assert errors["vehicle_registration"] == ["Needed for a vehicle theft."] and errors["vehicle_make"] == ["Needed for a vehicle theft."]
    theft = {k: v for k, v in efir_form(category="theft").items() if not k.startswith("vehicle_")}
    assert client.post(url, theft).status_code == 302  # a phone stolen: no vehicle asked
    assert "vehicle_registration" not in CitizenRequest.objects.get().details


def test_a_scooter_reported_stolen_by_e_fir_and_registered_at_the_station_is_refused_an_noc(
    signed_in, client, citizen, delhi_station_with_pin, delhi_station_officer
):
    assert signed_in(citizen).post(reverse("citizen_public:request_new", args=["efir"]), efir_form()).status_code == 302
    efir = CitizenRequest.objects.get()
    client.logout()
    officer = signed_in(delhi_station_officer)
    url = reverse("citizen_station:register_fir", args=[efir.reference])
    form = officer.get(url).context["form"]
    assert form.fir.initial["complainant_name"] == efir.contact_name and form.fir.initial["place"] == "Janpath market"
    assert form.vehicles.initial == [
        {**{k.removeprefix("vehicle_"): v for k, v in SCOOTER.items()}, "chassis": "", "engine": "", "status": "stolen"}
    ]
    assert form.sections.initial == [{"law": "BNS", "section": "303(2)"}]  # a theft on 10 January 2025: under the BNS
    vehicle = {k.removeprefix("vehicle_"): v for k, v in SCOOTER.items()} | {"status": "stolen"}
    assert officer.post(url, fir_form_data(61, vehicles=[vehicle])).status_code == 302
    efir.refresh_from_db()
    assert (
        efir.stage == CitizenRequest.Stage.REGISTERED
        and efir.fir_number == "61/2025"
        and efir.fir.vehicles.get().registration == "DL3SAB1234"
    )
    client.logout()
    response = client.post(reverse("citizen_public:vehicle_noc"), {"registration": "DL-3S-AB-1234"})
    assert "Contact your police station" in response.content.decode() and "No report of theft" not in response.content.decode()


def test_the_fir_copy_is_issued_by_the_station_and_its_registering_officer_with_labels_not_codes(
    signed_in, client, efir, citizen, delhi_station_officer
):
    delhi_station_officer.first_name, delhi_station_officer.last_name, delhi_station_officer.designation = "Ravi", "Kumar", "SHO"
    delhi_station_officer.save()
    vehicle = {k.removeprefix("vehicle_"): v for k, v in SCOOTER.items()} | {"status": "stolen"}
    signed_in(delhi_station_officer).post(
        reverse("citizen_station:register_fir", args=[efir.reference]), fir_form_data(62, vehicles=[vehicle])
    )
    client.logout()
    response = signed_in(citizen).get(reverse("citizen_public:fir_copy", args=[efir.reference]))
    text = PdfReader(BytesIO(response.content)).pages[0].extract_text()
    assert f"{efir.station.name} police station: Ravi Kumar, SHO" in text
    assert "Vehicle theft" in text and "vehicle_theft" not in text
    assert "BNS s.303(2)" in text and "62/2025" in text and citizen.get_full_name() + ", Citizen" not in text


def test_the_request_refuses_a_second_fir(efir, delhi_station_officer):

    services.request_register_fir(request=efir, by=delhi_station_officer, registration=fir_registration(63))
    efir.refresh_from_db()
    with pytest.raises(ValidationError):
        services.request_register_fir(request=efir, by=delhi_station_officer, registration=fir_registration(64))
    assert Fir.objects.count() == 1 and Vehicle.objects.count() == 0


# --- The public FIR view -----------------------------------------------------------------------------------


def _find(client, station, number: int, year: int = 2025):
    query = {"state": station.district.state_id, "district": station.district_id, "station": station.pk, "year": year, "number": number}
    return client.get(reverse("citizen_public:public_fir"), query)


def test_anyone_finds_and_downloads_a_registered_fir_by_station_year_and_number(client, delhi_station_officer, delhi_station):
    accused = {"role": "accused", "name": "Vikram Rathore"}
    child = {"role": "victim", "name": "Pinky Kumari", "age": 12}
    records.fir_register(by=delhi_station_officer, station=delhi_station, **fir_registration(71, persons=[accused, child]))
    response = _find(client, delhi_station, 71)
    page = response.content.decode()
    assert response.status_code == 200 and "FIR 71/2025" in page and "Vikram Rathore" in page and "BNS s.303(2)" in page
    assert "Pinky Kumari" not in page  # a victim is not listed, a child never named
    pdf = client.get(reverse("citizen_public:public_fir_pdf", args=[delhi_station.code, 2025, 71]))
    assert pdf.status_code == 200 and "Vikram Rathore" in PdfReader(BytesIO(pdf.content)).pages[0].extract_text()
    assert Fir.objects.get(number=71).public_views == 2


def test_the_public_fir_view_hides_sensitive_firs_exactly_like_missing_ones(client, delhi_station_officer, delhi_station):
    records.fir_register(by=delhi_station_officer, station=delhi_station, **fir_registration(72, sections=[("BNS", "64")]))
    hidden, missing = _find(client, delhi_station, 72), _find(client, delhi_station, 73)
    assert hidden.status_code == missing.status_code == 404

    def body(response, number):
        page = response.content.decode()
        return page[page.index("<main") : page.index("</main>")].replace(str(number), "NN")

    assert body(hidden, 72) == body(missing, 73) and 'id="fir-not-found"' in body(hidden, 72)
    assert client.get(reverse("citizen_public:public_fir_pdf", args=[delhi_station.code, 2025, 72])).status_code == 404
    assert Fir.objects.get(number=72).public_views == 0


def test_the_fir_search_offers_districts_then_stations_without_javascript(client, delhi_station):
    first = client.get(reverse("citizen_public:public_fir"), {"state": delhi_station.district.state_id})
    assert first.status_code == 200 and list(first.context["form"].fields["district"].queryset) == list(
        delhi_station.district.state.districts.order_by("name")
    )
    second = client.get(
        reverse("citizen_public:public_fir"), {"state": delhi_station.district.state_id, "district": delhi_station.district_id}
    )
    assert delhi_station in second.context["form"].fields["station"].queryset


def test_the_public_fir_view_is_rate_limited(client, settings, delhi_station):
    settings.RATELIMIT_ENABLE = True
    statuses = {_find(client, delhi_station, 99).status_code for _ in range(61)}
    assert statuses == {404, 429}


def test_the_fir_copy_of_a_citizen_who_uses_hindi_is_in_hindi_and_prints_a_devanagari_name(
    signed_in, client, efir, citizen, delhi_station_officer
):
    citizen.language = "hi"
    citizen.save()
    CitizenRequest.objects.filter(pk=efir.pk).update(contact_name="राम कुमार")
    services.request_register_fir(request=efir, by=delhi_station_officer, registration=fir_registration(65))
    client.logout()
    response = signed_in(citizen).get(reverse("citizen_public:fir_copy", args=[efir.reference]))
    page = PdfReader(BytesIO(response.content)).pages[0]
    text = page.extract_text()
    fonts = {font["/BaseFont"] for font in (f.get_object() for f in page["/Resources"]["/Font"].values())}
    assert any("OpenPolSans" in name for name in fonts)  # the font that holds Devanagari, embedded
    # the applicant's name as written, under Hindi labels (a shaped conjunct extracts as a private glyph, so plain words)
    assert "राम" in text and "आवेदक" in text and "सेवा" in text
    assert "What happened" not in text  # the e-FIR's own questions, in Hindi too
    assert "see the portal" not in text and "Applicant" not in text

"""The sensitive flag: FIR details of sexual offences, POCSO and terrorism only for the NCB and the owning state."""

from datetime import date

import pytest

from records import services
from records.models import Fir, Involvement, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def rape_fir(delhi_station):
    return services.fir_create(
        data={"external_id": "F1", "station": delhi_station, "district": delhi_station.district, "year": 2025, "number": 77,
              "registered_on": date(2025, 2, 1), "narrative": "details"},
        sections=[{"law": "BNS", "section": "64(1)"}],
    )  # fmt: skip


def test_a_sexual_offence_makes_the_fir_sensitive(rape_fir):
    assert rape_fir.sensitive


def test_an_ordinary_fir_is_not_sensitive(delhi_station):
    fir = services.fir_create(
        data={"external_id": "F2", "station": delhi_station, "district": delhi_station.district, "year": 2025, "number": 78,
              "registered_on": date(2025, 2, 1)},
        sections=[{"law": "BNS", "section": "303(2)"}],
    )  # fmt: skip
    assert not fir.sensitive


def test_sensitive_details_reach_the_ncb_and_the_owning_state_only(rape_fir, ncb_officer, delhi_ilo, delhi_station_officer, mumbai_ilo):
    for user in (ncb_officer, delhi_ilo, delhi_station_officer):
        assert Fir.objects.details_visible_to(user).filter(pk=rape_fir.pk).exists(), user
    assert not Fir.objects.details_visible_to(mumbai_ilo).filter(pk=rape_fir.pk).exists()


def test_another_state_sees_only_that_a_restricted_fir_exists(rape_fir, mumbai_ilo, delhi_ilo):
    accused = services.person_save(data={"external_id": "A1", "name": "Dinesh Yadav"})
    Involvement.objects.create(person=accused, fir=rape_fir, role="accused")
    assert services.firs_of(accused, mumbai_ilo)[0]["restricted"] is True
    assert "Delhi" in services.firs_of(accused, mumbai_ilo)[0]["fir"]
    assert services.firs_of(accused, delhi_ilo)[0]["restricted"] is False


def test_a_sensitive_victim_is_found_only_by_the_ncb_and_the_state(ncb_officer, delhi_ilo, mumbai_ilo, delhi_police):
    services.person_save(data={"external_id": "V1", "name": "Pooja Kumari Rawat", "sensitive": True, "state_id": delhi_police.state_id})

    def found(user):
        return [r.person.external_id for r in services.person_search(user=user, purpose="case 1/2025 verification", name="Pooja Rawat")]

    assert found(ncb_officer) == ["V1"] and found(delhi_ilo) == ["V1"]
    assert found(mumbai_ilo) == []
    assert Person.objects.count() == 1

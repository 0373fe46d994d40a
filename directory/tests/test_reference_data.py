import pytest
from django.core.management import call_command

from directory.models import Agency, Country, District, State
from directory.services import reference_data_load

pytestmark = pytest.mark.django_db


def test_all_36_states_and_union_territories_are_there_with_lgd_codes():
    assert State.objects.count() == 36
    assert State.objects.filter(kind="ut").count() == 8
    assert State.objects.get(lgd_code=7).name == "Delhi"
    assert State.objects.get(iso_code="IN-LA").name == "Ladakh"


def test_every_state_has_districts_with_unique_lgd_codes():
    assert District.objects.count() > 700
    assert not State.objects.filter(districts__isnull=True).exists()
    assert District.objects.values("lgd_code").distinct().count() == District.objects.count()


def test_the_ncb_the_36_state_forces_and_central_agencies_make_at_least_51():
    assert Agency.objects.get(kind=Agency.Kind.NCB).code == "CBI"
    assert Agency.objects.filter(kind=Agency.Kind.STATE_POLICE).count() == 36
    assert Agency.objects.count() >= 51
    assert set(Agency.objects.filter(kind="central").values_list("code", flat=True)) >= {"NIA", "ED", "DRI", "BSF"}


def test_interpol_member_countries_have_iso_codes():
    assert Country.objects.count() == 196
    assert Country.objects.get(iso2="FR").iso3 == "FRA"
    assert not Country.objects.filter(iso2="KP").exists()


def test_loading_again_changes_nothing():
    report = reference_data_load()
    assert all(counts == (0, 0) for counts in report.values())


def test_seed_demo_is_idempotent_and_marks_everything_as_demo(settings):
    settings.DEMO_MODE = True
    call_command("seed_demo", verbosity=0)
    from accounts.models import User
    from directory.models import PoliceStation, UnitOffice

    counts = (UnitOffice.objects.count(), PoliceStation.objects.count(), User.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (UnitOffice.objects.count(), PoliceStation.objects.count(), User.objects.count()) == counts
    assert counts[0] >= 500
    assert not PoliceStation.objects.filter(is_demo=False).exists()
    assert not District.objects.filter(stations__isnull=True).exists()
    assert not User.objects.exclude(email__endswith="@demo.openpol.invalid").exists()
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {"ncb_admin", "ncb_officer", "ilo", "uo", "district_officer", "station_officer", "analyst", "citizen", "sysadmin"}
    station_officer, district_officer = User.objects.get(username="station.delhi"), User.objects.get(username="district.delhi")
    assert district_officer.district == station_officer.station.district  # the SP office above the demo station


def test_seed_demo_refuses_outside_demo_mode(settings):
    from django.core.management.base import CommandError

    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("seed_demo", verbosity=0)

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from directory.models import PoliceStation

pytestmark = pytest.mark.django_db

HEADER = "code,name,district_lgd_code,lat,lon,pincode,phone,address\n"


@pytest.fixture
def csv_file(tmp_path):
    def write(body: str):
        path = tmp_path / "stations.csv"
        path.write_text(HEADER + body, encoding="utf-8")
        return path

    return write


def test_a_valid_file_imports_every_station_with_the_states_police(csv_file, capsys):
    path = csv_file(
        "DL-001,Parliament Street,77,28.62,77.21,110001,011-23361111,Parliament St\nDL-002,Tilak Marg,77,28.61,77.23,110001,,\n"
    )
    call_command("import_stations", str(path))
    station = PoliceStation.objects.get(code="DL-001")
    assert station.agency.code == "PS-DL" and not station.is_demo
    assert "Imported 2 new" in capsys.readouterr().out


def test_importing_again_updates_instead_of_duplicating(csv_file):
    call_command("import_stations", str(csv_file("DL-001,Parliament Street,77,28.62,77.21,,,\n")))
    call_command("import_stations", str(csv_file("DL-001,Parliament Street,77,28.63,77.21,110001,,\n")))
    assert PoliceStation.objects.filter(code="DL-001").count() == 1
    assert PoliceStation.objects.get(code="DL-001").pincode == "110001"


def test_bad_rows_are_reported_with_line_numbers_and_nothing_is_imported(csv_file, capsys):
    path = csv_file(
        "DL-001,Parliament Street,77,28.62,77.21,,,\n"
        "DL-002,Nowhere,99999,28.6,77.2,,,\n"
        "DL-003,At Sea,77,51.5,-0.12,,,\n"
        "DL-001,Again,77,28.6,77.2,12345,,\n"
        ",,77,,,,,\n"
    )
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_stations", str(path))
    errors = capsys.readouterr().err
    assert "line 3: no district has LGD code 99999" in errors
    assert "line 4: lat 51.5 lies outside India" in errors
    assert "line 5: pincode '12345' is not a 6-digit" in errors
    assert "line 5: code DL-001 already used on line 2" in errors
    assert "line 6: code is empty" in errors
    assert PoliceStation.objects.count() == 0


def test_a_file_without_the_required_columns_is_refused(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("name,lat\nX,1\n")
    with pytest.raises(CommandError):
        call_command("import_stations", str(path))


def test_a_name_clash_with_an_existing_station_rolls_back_the_whole_file(csv_file, capsys):
    call_command("import_stations", str(csv_file("DL-001,Parliament Street,77,28.62,77.21,,,\n")))
    with pytest.raises(CommandError):
        call_command("import_stations", str(csv_file("DL-009,Tilak Marg,77,28.61,77.23,,,\nDL-002,Parliament Street,77,28.6,77.2,,,\n")))
    assert "same name already exists" in capsys.readouterr().err
    assert set(PoliceStation.objects.values_list("code", flat=True)) == {"DL-001"}

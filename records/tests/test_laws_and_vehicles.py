"""The IPC→BNS table and vehicle number normalisation."""

import pytest

from records import ipc_bns, matching, services
from records.vehicles import normalise_chassis, normalise_engine, normalise_registration

EXPECTED = {
    "302": "103", "307": "109", "376": "64", "379": "303", "420": "318", "392": "309", "395": "310", "363": "137",
    "364A": "140(2)", "498A": "85", "406": "316", "467": "338", "471": "340", "120B": "61", "34": "3(5)", "506": "351",
    "304B": "80", "354": "74",
}  # fmt: skip


@pytest.mark.parametrize(("ipc", "bns"), EXPECTED.items())
def test_common_ipc_sections_map_to_their_bns_equivalents(ipc, bns):
    equivalent = ipc_bns.bns_for_ipc(ipc)
    assert equivalent.bns == bns or equivalent.bns_section == bns


def test_section_spellings_are_cleaned_and_unknown_ones_are_not_guessed():
    assert ipc_bns.bns_for_ipc("s. 498-A").bns == "85"
    assert ipc_bns.bns_for_ipc("377") is None


@pytest.mark.parametrize(
    ("written", "stored"),
    [("dl-3c ab 1234", "DL3CAB1234"), ("MH 12 DO 0O42", "MH12DO0042"), ("mh-O1-ab-1234", "MH01AB1234"), ("22 BH 1234 AA", "22BH1234AA")],
)
def test_registrations_are_stored_normalised(written, stored):
    assert normalise_registration(written) == stored


def test_chassis_and_engine_numbers_ignore_spaces_dashes_case_and_o():
    assert normalise_chassis("ma3 ewdE1-S00 123 456") == "MA3EWDE1S00123456"
    assert normalise_chassis("MA3EWDE1SOO123456") == "MA3EWDE1S00123456"
    assert normalise_engine("k12m-o123") == "K12M0123"


@pytest.mark.django_db
def test_a_vehicle_is_found_however_its_number_is_written(client, delhi_ilo):
    from records.tests.conftest import bearer

    services.vehicle_save(data={"external_id": "V1", "registration": "DL 3C AB 1234", "engine": "K12M0123"})
    assert matching.screen_vehicle(registration="dl3cab1234")[0].external_id == "V1"
    response = client.post(
        "/api/v1/records/vehicles/search", {"purpose": "Vehicle check at a naka", "registration": "DL-3C-AB-1234"},
        content_type="application/json", **bearer(delhi_ilo),
    )  # fmt: skip
    assert response.json()[0]["external_id"] == "V1"

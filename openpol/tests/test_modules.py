"""The dashboard's tiles: each role sees the modules its capabilities open, exactly these."""

import pytest

from openpol.modules import modules_for

pytestmark = pytest.mark.django_db

COOPERATION = ["inbox", "notices", "references", "broadcast", "connect", "resources"]
POLICE = ["alerts", "records", "hits"]

# Each persona's tiles, in the dashboard's order.
TILES = {
    "ncb_admin": [
        "users",
        "directory",
        "audit",
        *COOPERATION[:3],
        "outbound",
        *COOPERATION[3:],
        "alerts",
        "alerts_dashboard",
        "records",
        "hits",
        "insights",
    ],
    "ncb_officer": [
        "directory",
        *COOPERATION[:3],
        "outbound",
        *COOPERATION[3:],
        "alerts",
        "alerts_dashboard",
        "records",
        "hits",
        "insights",
    ],
    "delhi_ilo": ["users", "directory", *COOPERATION, *POLICE, "citizen", "insights"],
    "delhi_uo": ["directory", *COOPERATION, *POLICE],
    "delhi_district_officer": ["directory", *POLICE, "citizen", "insights"],
    "delhi_station_officer": ["directory", *POLICE, "citizen"],
    "analyst": ["alerts_dashboard", "insights"],
    "citizen": ["my_requests", "services"],
    "sysadmin": ["users", "directory", "audit", "jobs"],
}


@pytest.mark.parametrize("persona", TILES)
def test_each_role_sees_exactly_its_tiles(request, persona):
    assert [module.key for module in modules_for(request.getfixturevalue(persona))] == TILES[persona]


def test_a_disabled_account_sees_no_tile(delhi_ilo):
    delhi_ilo.is_active = False
    assert modules_for(delhi_ilo) == []

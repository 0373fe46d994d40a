"""The statistics count what stations register, by NCRB's crime heads, and what agencies do with international
cooperation; each office sees its own part, checked against counts made by hand."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.models import Role
from conftest import fir_registration, make_user
from insights import crime_heads
from notices import services as notices
from notices.models import NoticeKind
from notices.tests.conftest import red_notice_data
from records import services as records

pytestmark = pytest.mark.django_db
JANUARY_2025 = {"from": "2025-01", "to": "2025-01"}


@pytest.mark.parametrize(
    ("law", "section", "head"),
    [
        ("BNS", "303(2)", "theft"),
        ("BNS", "103(1)", "murder"),
        ("BNS", "304", "snatching"),  # the BNS's new offence, not the IPC's s.304
        ("IPC", "304", "culpable_homicide"),
        ("IPC", "304B", "dowry_death"),  # not s.304
        ("IPC", "379", "theft"),
        ("BNS", "143", "human_trafficking"),
        ("BNS", "999", "other"),
        ("SLL", "21", "special"),
    ],
)
def test_a_section_is_counted_under_its_ncrb_crime_head(law, section, head):
    assert crime_heads.head_of_section(law, section).key == head


def test_an_fir_is_counted_once_under_its_gravest_head():
    assert crime_heads.principal_head([("BNS", "303(2)"), ("BNS", "103(1)"), ("SLL", "25")]).key == "murder"


@pytest.fixture
def registered(delhi_station, delhi_station_officer, mumbai_station, maharashtra_police):
    """By hand: January 2025, Delhi: two thefts (one with a hurt) and a murder; Mumbai: one theft.
    January 2024, Delhi: one theft (under the IPC, before the BNS)."""
    register = records.fir_register
    register(by=delhi_station_officer, station=delhi_station, **fir_registration(1))
    register(by=delhi_station_officer, station=delhi_station, **fir_registration(2, sections=(("BNS", "303(2)"), ("BNS", "115(2)"))))
    register(by=delhi_station_officer, station=delhi_station, **fir_registration(3, sections=(("BNS", "103(1)"), ("BNS", "303(2)"))))
    register(by=delhi_station_officer, station=delhi_station, **fir_registration(4, year=2024, sections=(("IPC", "379"),)))
    mumbai = make_user("mumbai.so", Role.STATION_OFFICER, station=mumbai_station, agency=maharashtra_police)
    register(by=mumbai, station=mumbai_station, **fir_registration(5))


def table(page: str, table_id: str) -> list[list[str]]:
    """The rows of one table of the page, as the text of their cells."""
    import re

    body = page[page.index(f'<table id="{table_id}">') :]
    body = body[: body.index("</table>")]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body)
    ]


def test_the_ncb_sees_the_countrys_firs_by_crime_head_with_the_year_before(signed_in, registered, ncb_officer):
    page = signed_in(ncb_officer).get(reverse("insights:overview"), JANUARY_2025).content.decode()
    rows = {row[0]: row[1:] for row in table(page, "heads")[1:]}
    assert rows == {"Murder": ["1", "0", "–"], "Theft": ["3", "1", "200.0%"]}
    assert {row[0]: row[1] for row in table(page, "places")[1:]} == {"Delhi": "3", "Maharashtra": "1"}


def test_an_ilo_sees_its_own_states_firs_only_and_a_station_officer_no_statistics(signed_in, registered, delhi_ilo, delhi_station_officer):
    page = signed_in(delhi_ilo).get(reverse("insights:overview"), JANUARY_2025).content.decode()
    assert {row[0]: row[1] for row in table(page, "heads")[1:]} == {"Murder": "1", "Theft": "2"}
    assert signed_in(delhi_station_officer).get(reverse("insights:overview")).status_code == 403


def test_a_district_officer_sees_its_districts_firs(signed_in, registered, delhi_district_officer):
    page = signed_in(delhi_district_officer).get(reverse("insights:overview"), JANUARY_2025).content.decode()
    assert {row[0]: row[1] for row in table(page, "heads")[1:]} == {"Murder": "1", "Theft": "2"}


def test_each_table_downloads_as_csv(signed_in, registered, ncb_officer):
    response = signed_in(ncb_officer).get(reverse("insights:overview"), {**JANUARY_2025, "csv": "heads"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["Crime head", "FIRs"] and ["Theft", "3", "1", "200.0"] in rows
    months = list(
        csv.reader(
            io.StringIO(signed_in(ncb_officer).get(reverse("insights:overview"), {**JANUARY_2025, "csv": "months"}).content.decode())
        )
    )
    assert months[0] == ["Crime head", "2025-01"] and ["Murder", "1"] in months


def test_agencies_are_counted_by_the_steps_of_their_requests_and_those_without_any_are_marked(
    signed_in, delhi_uo, delhi_ilo, ncb_officer, maharashtra_police
):
    draft = notices.notice_draft_create(by=delhi_uo, kind=NoticeKind.RED, data=red_notice_data())
    notices.notice_submit(request=draft, by=delhi_uo)
    page = signed_in(ncb_officer).get(reverse("insights:overview")).content.decode()
    rows = {row[0]: row[1:] for row in table(page, "agencies")[1:]}
    assert rows["Delhi Police"][:3] == ["1", "1", "0"]  # drafted, submitted, returned
    assert rows["Maharashtra Police no activity"][:2] == ["0", "0"]
    own = {row[0] for row in table(signed_in(delhi_ilo).get(reverse("insights:overview")).content.decode(), "agencies")[1:]}
    assert own == {"Delhi Police"}


def test_the_api_gives_the_same_crime_figures_narrowed_to_the_callers_state(client, registered, ncb_officer, delhi_ilo):
    from accounts import services as accounts

    def get(user, **query):
        token = accounts.api_token_create(user=user, name="stats", scopes=["insights:read"])
        return client.get("/api/v1/insights/crime", {**JANUARY_2025, **query}, HTTP_AUTHORIZATION=f"Bearer {token}")

    national = get(ncb_officer).json()
    assert {h["head"]: (h["firs"], h["year_before"]) for h in national["heads"]} == {"murder": (1, 0), "theft": (3, 1)}
    assert {h["head"]: h["firs"] for h in get(delhi_ilo).json()["heads"]} == {"murder": 1, "theft": 2}
    maharashtra = get(delhi_ilo, state=27).json()  # another state's code: not in its reach, so not applied
    assert maharashtra["state_lgd_code"] is None and {h["head"]: h["firs"] for h in maharashtra["heads"]} == {"murder": 1, "theft": 2}


def test_the_cooperation_api_lists_agencies_with_their_steps(client, delhi_uo, ncb_officer):
    from accounts import services as accounts

    notices.notice_submit(request=notices.notice_draft_create(by=delhi_uo, kind=NoticeKind.RED, data=red_notice_data()), by=delhi_uo)
    token = accounts.api_token_create(user=ncb_officer, name="stats", scopes=["insights:read"])
    agencies = {a["agency"]: a for a in client.get("/api/v1/insights/cooperation", HTTP_AUTHORIZATION=f"Bearer {token}").json()["agencies"]}
    assert agencies["PS-DL"]["notices"] == {"create": 1, "submit": 1} and not agencies["PS-DL"]["inactive"]

"""The NCB's table of training coverage: per agency, how many ILOs and UOs attended at least one session."""

import pytest
from django.urls import reverse

from conftest import make_user
from resources import queries, services
from resources.tests.conftest import bearer, begin, session_data

pytestmark = pytest.mark.django_db


def row_of(rows, code):
    return next(row for row in rows if row.agency.code == code)


@pytest.fixture
def trained_delhi_uo(ncb_officer, delhi_uo, delhi_ilo):
    """Delhi: the UO attended two sessions, the ILO was absent from one."""
    for title in ("Notices", "References"):
        session = services.training_session_create(by=ncb_officer, data=session_data(title=title))
        uo = services.enrolment_nominate(session=session, officer=delhi_uo, by=ncb_officer)
        ilo = services.enrolment_nominate(session=session, officer=delhi_ilo, by=ncb_officer)
        begin(session)
        services.attendance_record(session=session, by=ncb_officer, marks={uo.pk: True, ilo.pk: False})
    return delhi_uo


def test_coverage_counts_active_ilos_and_uos_and_those_who_attended(trained_delhi_uo, delhi_police, delhi_station_officer, mumbai_ilo):
    make_user("retired_uo", "uo", agency=delhi_police, unit=trained_delhi_uo.unit, is_active=False)
    rows = queries.training_coverage()
    delhi = row_of(rows, "PS-DL")
    assert (delhi.officers, delhi.trained, delhi.untrained, delhi.percent) == (
        2,
        1,
        1,
        50,
    )  # station officers and the inactive are not counted
    mumbai = row_of(rows, "PS-MH")
    assert (mumbai.officers, mumbai.trained, mumbai.percent) == (1, 0, 0)
    assert not any(row.agency.kind == "ncb" for row in rows)


def test_the_least_covered_agencies_come_first(trained_delhi_uo, mumbai_ilo, maharashtra_police):
    make_user("mumbai_uo", "ilo", agency=maharashtra_police)
    codes = [row.agency.code for row in queries.training_coverage()]
    assert codes.index("PS-MH") < codes.index("PS-DL")  # 0 of 2 before 1 of 2
    without_officers = [row for row in queries.training_coverage() if row.officers == 0]
    assert codes[-len(without_officers) :] == [row.agency.code for row in without_officers]


def test_the_coverage_page_is_a_table_for_the_ncb_only(signed_in, trained_delhi_uo, ncb_officer, django_assert_max_num_queries):
    client = signed_in(ncb_officer)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("resources:training_coverage"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<caption>" in html and "Delhi Police" in html and "50%" in html


def test_an_ilo_cannot_see_the_coverage_table(signed_in, client, delhi_ilo):
    assert signed_in(delhi_ilo).get(reverse("resources:training_coverage")).status_code == 403
    assert client.get("/api/v1/resources/coverage", **bearer(delhi_ilo)).status_code == 403


def test_the_coverage_is_in_the_api(client, trained_delhi_uo, ncb_admin):
    response = client.get("/api/v1/resources/coverage", **bearer(ncb_admin, "resources:read"))
    assert response.status_code == 200
    delhi = next(row for row in response.json() if row["agency"] == "PS-DL")
    assert delhi == {"agency": "PS-DL", "agency_name": "Delhi Police", "officers": 2, "trained": 1, "untrained": 1, "percent": 50}

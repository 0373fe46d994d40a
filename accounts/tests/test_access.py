"""Jurisdiction: an object outside yours answers 404; a role without the right answers 403."""

import pytest
from django.urls import reverse

from accounts import access
from accounts.models import User
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_sign_in_from_every_police_page(client, delhi_uo):
    for url in [
        "/dashboard/",
        reverse("accounts:user_list"),
        reverse("accounts:user_detail", args=[delhi_uo.pk]),
        "/audit/",
        "/directory/agencies/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url


def test_another_states_ilo_gets_404_for_a_delhi_account_and_the_attempt_is_audited(signed_in, mumbai_ilo, delhi_uo):
    assert signed_in(mumbai_ilo).get(reverse("accounts:user_detail", args=[delhi_uo.pk])).status_code == 404
    entry = AuditEntry.objects.get(action="access.out_of_jurisdiction")
    assert entry.actor == mumbai_ilo and entry.data["lookup"] == {"pk": str(delhi_uo.pk)}


def test_a_role_without_the_right_gets_403_and_the_attempt_is_audited(signed_in, delhi_uo):
    assert signed_in(delhi_uo).get(reverse("accounts:user_create")).status_code == 403
    assert AuditEntry.objects.filter(action="access.forbidden", actor=delhi_uo).exists()


def test_a_uo_gets_404_for_another_units_officer(signed_in, delhi_uo, delhi_police, delhi_cyber_cell):
    from conftest import make_user

    other = make_user("other_uo", "uo", agency=delhi_police, unit=delhi_cyber_cell)
    client = signed_in(delhi_uo)
    assert client.get(reverse("accounts:user_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("accounts:user_detail", args=[delhi_uo.pk])).status_code == 200


def test_a_missing_account_and_a_hidden_one_look_the_same(signed_in, mumbai_ilo, delhi_uo):
    client = signed_in(mumbai_ilo)
    hidden = client.get(reverse("accounts:user_detail", args=[delhi_uo.pk]))
    missing = client.get(reverse("accounts:user_detail", args=[999999]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.templates[0].name == missing.templates[0].name == "error.html"
    assert "delhi_uo" not in hidden.content.decode()


def test_visibility_follows_the_hierarchy(ncb_admin, delhi_ilo, delhi_uo, delhi_station_officer, mumbai_ilo, analyst, citizen):
    def seen_by(user):
        return set(User.objects.visible_to(user).values_list("username", flat=True))

    everyone = set(User.objects.values_list("username", flat=True))
    assert seen_by(ncb_admin) == everyone
    assert seen_by(delhi_ilo) == {"delhi_ilo", "delhi_uo", "delhi_sho"}
    assert seen_by(delhi_uo) == {"delhi_uo"}
    assert seen_by(delhi_station_officer) == {"delhi_sho"}
    assert seen_by(mumbai_ilo) == {"mumbai_ilo"}
    assert seen_by(analyst) == {"analyst"}
    assert seen_by(citizen) == {"citizen"}


def test_a_disabled_user_has_no_capability(delhi_ilo):
    delhi_ilo.is_active = False
    assert not access.can(delhi_ilo, "users.view")
    assert not access.grantable_roles(delhi_ilo)


def test_a_read_only_analyst_cannot_open_provisioning_or_audit(signed_in, analyst):
    client = signed_in(analyst)
    assert client.get(reverse("accounts:user_create")).status_code == 403
    assert client.get("/audit/").status_code == 403


@pytest.fixture
def other_delhi_district(delhi_station):
    from directory.models import District

    return District.objects.filter(state=delhi_station.district.state).exclude(pk=delhi_station.district_id).order_by("lgd_code").first()


def test_a_district_officer_sees_its_stations_officers_and_its_sp_office_only(
    delhi_ilo, delhi_station_officer, delhi_district_officer, delhi_uo, other_delhi_district
):
    from conftest import make_user
    from directory.models import PoliceStation

    colleague = make_user("delhi_sp2", "district_officer", agency=delhi_ilo.agency, district=delhi_district_officer.district)
    elsewhere = PoliceStation.objects.create(
        code="T-DL-PS2", name="Elsewhere", district=other_delhi_district, agency=delhi_ilo.agency, lat=28.7, lon=77.1
    )
    make_user("other_sho", "station_officer", agency=delhi_ilo.agency, station=elsewhere)
    make_user("other_sp", "district_officer", agency=delhi_ilo.agency, district=other_delhi_district)
    seen = set(User.objects.visible_to(delhi_district_officer).values_list("username", flat=True))
    assert seen == {"delhi_sp", colleague.username, "delhi_sho"}
    assert "delhi_sp" in set(User.objects.visible_to(delhi_ilo).values_list("username", flat=True))


def test_a_district_officer_of_another_district_gets_404_for_a_station_officer(
    signed_in, delhi_ilo, delhi_station_officer, other_delhi_district
):
    from conftest import make_user

    other_sp = make_user("other_sp", "district_officer", agency=delhi_ilo.agency, district=other_delhi_district)
    assert signed_in(other_sp).get(reverse("accounts:user_detail", args=[delhi_station_officer.pk])).status_code == 404


def test_a_district_officer_may_not_provision_anyone(signed_in, delhi_district_officer):
    assert not access.grantable_roles(delhi_district_officer)
    assert signed_in(delhi_district_officer).get(reverse("accounts:user_create")).status_code == 403

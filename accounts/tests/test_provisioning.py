import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import services
from accounts.models import Role, User
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def create(by, role, username, **kwargs):
    return services.user_create(by=by, role=role, username=username, email=f"{username}@example.invalid", first_name="New", **kwargs)


def test_the_ncb_administrator_creates_an_ilo_for_any_agency(ncb_admin, maharashtra_police, mailbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        account = create(ncb_admin, Role.ILO, "ilo_mh_2", agency=maharashtra_police)
    assert account.user.role == Role.ILO and account.user.agency == maharashtra_police
    assert account.user.must_change_password
    assert account.user.check_password(account.temporary_password)
    entry = AuditEntry.objects.get(action="users.create")
    assert entry.actor == ncb_admin and entry.target_id == str(account.user.pk)
    message = mailbox.wait_for(1)[0]
    assert message["To"] == "ilo_mh_2@example.invalid"
    assert account.temporary_password not in mailbox.body(message)


def test_an_ilo_creates_a_uo_of_its_own_agency_who_reports_to_it(delhi_ilo, delhi_crime_branch):
    account = create(delhi_ilo, Role.UO, "uo_dl_2", unit=delhi_crime_branch)
    assert account.user.agency == delhi_ilo.agency
    assert account.user.supervisor == delhi_ilo


def test_an_ilo_cannot_create_a_uo_in_another_agency(mumbai_ilo, delhi_crime_branch):
    with pytest.raises(ValidationError) as refused:
        create(mumbai_ilo, Role.UO, "intruder", unit=delhi_crime_branch)
    assert "another agency" in str(refused.value)
    assert not User.objects.filter(username="intruder").exists()
    assert AuditEntry.objects.filter(action="users.create_refused", actor=mumbai_ilo).exists()


def test_an_ilo_cannot_create_a_station_officer_in_another_state(mumbai_ilo, delhi_station):
    with pytest.raises(ValidationError):
        create(mumbai_ilo, Role.STATION_OFFICER, "intruder", station=delhi_station)
    assert not User.objects.filter(username="intruder").exists()


def test_an_ilo_creates_a_district_officer_for_a_district_of_its_state(delhi_ilo, delhi_station):
    account = create(delhi_ilo, Role.DISTRICT_OFFICER, "sp_dl_2", district=delhi_station.district)
    assert account.user.role == Role.DISTRICT_OFFICER
    assert account.user.agency == delhi_ilo.agency and account.user.district == delhi_station.district
    assert account.user.station is None and account.user.unit is None
    assert delhi_station.district.name in account.user.office_label


def test_an_ilo_cannot_create_a_district_officer_for_another_states_district(mumbai_ilo, delhi_station):
    with pytest.raises(ValidationError) as refused:
        create(mumbai_ilo, Role.DISTRICT_OFFICER, "intruder", district=delhi_station.district)
    assert "another state" in str(refused.value.message_dict["district"])
    assert not User.objects.filter(username="intruder").exists()
    assert AuditEntry.objects.filter(action="users.create_refused", actor=mumbai_ilo).exists()


def test_a_district_officer_needs_a_district(delhi_ilo):
    with pytest.raises(ValidationError) as refused:
        create(delhi_ilo, Role.DISTRICT_OFFICER, "sp_nowhere")
    assert "district" in refused.value.message_dict


def test_the_ilo_of_a_central_agency_cannot_create_district_officers(delhi_station):
    from conftest import make_user
    from directory.models import Agency

    central = Agency.objects.filter(kind=Agency.Kind.CENTRAL).order_by("code").first()
    nia_ilo = make_user("central_ilo", Role.ILO, agency=central)
    with pytest.raises(ValidationError) as refused:
        create(nia_ilo, Role.DISTRICT_OFFICER, "sp_central", district=delhi_station.district)
    assert "state or UT police" in str(refused.value.message_dict["agency"])


def test_the_database_refuses_a_district_officer_without_a_district(delhi_police):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="sp_loose", role=Role.DISTRICT_OFFICER, agency=delhi_police)


def test_an_ilo_disables_its_district_officer(delhi_ilo, delhi_district_officer, mumbai_ilo):
    with pytest.raises(ValidationError):
        services.user_set_active(by=mumbai_ilo, target=delhi_district_officer, active=False, reason="mischief")
    services.user_set_active(by=delhi_ilo, target=delhi_district_officer, active=False, reason="Transferred")
    delhi_district_officer.refresh_from_db()
    assert not delhi_district_officer.is_active


@pytest.mark.parametrize("role", [Role.ILO, Role.NCB_OFFICER, Role.NCB_ADMIN, Role.SYSADMIN])
def test_an_ilo_cannot_grant_a_role_above_its_own(delhi_ilo, role):
    with pytest.raises(ValidationError) as refused:
        create(delhi_ilo, role, "climber", agency=delhi_ilo.agency)
    assert "role" in refused.value.message_dict


@pytest.mark.parametrize("role", [Role.NCB_ADMIN, Role.SYSADMIN])
def test_the_ncb_administrator_cannot_create_administrators(ncb_admin, role):
    with pytest.raises(ValidationError):
        create(ncb_admin, role, "climber")


@pytest.mark.parametrize("persona", ["delhi_uo", "delhi_station_officer", "ncb_officer", "analyst", "citizen"])
def test_roles_without_provisioning_rights_can_create_nobody(request, persona, delhi_crime_branch):
    creator = request.getfixturevalue(persona)
    with pytest.raises(ValidationError):
        create(creator, Role.UO, "someone", unit=delhi_crime_branch)


def test_a_username_is_unique_whatever_its_case(ncb_admin, delhi_police, delhi_ilo):
    with pytest.raises(ValidationError) as refused:
        create(ncb_admin, Role.ILO, "DELHI_ILO", agency=delhi_police)
    assert "already taken" in str(refused.value)


def test_an_ilo_disables_and_reenables_its_uo_with_a_reason(delhi_ilo, delhi_uo):
    services.user_set_active(by=delhi_ilo, target=delhi_uo, active=False, reason="Transferred out")
    delhi_uo.refresh_from_db()
    assert not delhi_uo.is_active
    assert AuditEntry.objects.get(action="users.disable").purpose == "Transferred out"
    services.user_set_active(by=delhi_ilo, target=delhi_uo, active=True, reason="Back on duty")
    delhi_uo.refresh_from_db()
    assert delhi_uo.is_active


def test_an_ilo_cannot_disable_another_agencys_uo(mumbai_ilo, delhi_uo):
    with pytest.raises(ValidationError):
        services.user_set_active(by=mumbai_ilo, target=delhi_uo, active=False, reason="mischief")
    delhi_uo.refresh_from_db()
    assert delhi_uo.is_active


def test_nobody_disables_themselves(ncb_admin):
    with pytest.raises(ValidationError):
        services.user_set_active(by=ncb_admin, target=ncb_admin, active=False, reason="oops")


def test_disabling_an_account_revokes_its_api_tokens(ncb_admin, delhi_ilo):
    raw = services.api_token_create(user=delhi_ilo, name="script", scopes=["directory:read"])
    services.user_set_active(by=ncb_admin, target=delhi_ilo, active=False, reason="Left the service")
    assert services.api_token_authenticate(raw) is None


# --- Through the pages -------------------------------------------------------------------------


def test_the_create_form_offers_an_ilo_only_the_roles_and_units_it_may_grant(signed_in, delhi_ilo, delhi_crime_branch, mumbai_ilo):
    page = signed_in(delhi_ilo).get(reverse("accounts:user_create"))
    form = page.context["form"]
    assert [value for value, _label in form.fields["role"].choices] == [Role.UO, Role.DISTRICT_OFFICER, Role.STATION_OFFICER]
    assert list(form.fields["unit"].queryset) == [delhi_crime_branch]
    assert {d.state_id for d in form.fields["district"].queryset} == {delhi_ilo.agency.state_id}
    assert "agency" not in form.fields


def test_an_ilo_creates_a_uo_through_the_page_and_sees_the_temporary_password_once(signed_in, delhi_ilo, delhi_crime_branch, mailbox):
    client = signed_in(delhi_ilo)
    response = client.post(
        reverse("accounts:user_create"),
        {"role": Role.UO, "username": "uo.new", "first_name": "Asha", "email": "asha@example.invalid", "unit": delhi_crime_branch.pk},
    )
    assert response.status_code == 200
    user = User.objects.get(username="uo.new")
    password = response.context["account"].temporary_password
    assert password in response.content.decode()
    assert user.check_password(password)
    assert password not in client.get(reverse("accounts:user_detail", args=[user.pk])).content.decode()


def test_a_forged_unit_from_another_agency_is_refused_next_to_the_field(signed_in, mumbai_ilo, delhi_crime_branch):
    response = signed_in(mumbai_ilo).post(
        reverse("accounts:user_create"),
        {"role": Role.UO, "username": "uo.x", "first_name": "X", "email": "x@example.invalid", "unit": delhi_crime_branch.pk},
    )
    assert response.status_code == 400
    assert response.context["form"].has_error("unit")
    assert not User.objects.filter(username="uo.x").exists()


def test_an_ilo_creates_a_district_officer_through_the_page(signed_in, delhi_ilo, delhi_station):
    response = signed_in(delhi_ilo).post(
        reverse("accounts:user_create"),
        {
            "role": Role.DISTRICT_OFFICER,
            "username": "sp.central",
            "first_name": "Rekha",
            "email": "rekha@example.invalid",
            "designation": "Superintendent of Police",
            "district": delhi_station.district.pk,
        },
    )
    assert response.status_code == 200
    assert User.objects.get(username="sp.central").district == delhi_station.district


def test_a_forged_district_of_another_state_is_refused_next_to_the_field(signed_in, mumbai_ilo, delhi_station):
    response = signed_in(mumbai_ilo).post(
        reverse("accounts:user_create"),
        {
            "role": Role.DISTRICT_OFFICER,
            "username": "sp.x",
            "first_name": "X",
            "email": "x@example.invalid",
            "district": delhi_station.district.pk,
        },
    )
    assert response.status_code == 400
    assert response.context["form"].has_error("district")
    assert not User.objects.filter(username="sp.x").exists()


def test_an_ilo_creates_a_district_officer_through_the_api_by_lgd_code(client, delhi_ilo, delhi_station, mumbai_ilo):
    raw = services.api_token_create(user=delhi_ilo, name="script", scopes=["users:write"])
    payload = {"role": "district_officer", "username": "sp.api", "email": "sp@example.invalid", "district": delhi_station.district.lgd_code}
    response = client.post("/api/v1/accounts/users", payload, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 201, response.content
    assert response.json()["user"]["district"] == delhi_station.district.lgd_code
    other = services.api_token_create(user=mumbai_ilo, name="script", scopes=["users:write"])
    refused = client.post(
        "/api/v1/accounts/users", {**payload, "username": "sp.api2"}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {other}"
    )
    assert refused.status_code == 422 and "another state" in refused.content.decode()
    assert not User.objects.filter(username="sp.api2").exists()


def test_a_uo_cannot_open_the_create_page(signed_in, delhi_uo):
    assert signed_in(delhi_uo).get(reverse("accounts:user_create")).status_code == 403


def test_the_ncb_administrator_disables_an_ilo_from_its_page(signed_in, ncb_admin, mumbai_ilo):
    client = signed_in(ncb_admin)
    response = client.post(reverse("accounts:user_detail", args=[mumbai_ilo.pk]), {"action": "disable", "reason": "Retired"})
    assert response.status_code == 302
    mumbai_ilo.refresh_from_db()
    assert not mumbai_ilo.is_active


def test_disabling_without_a_reason_changes_nothing(signed_in, ncb_admin, mumbai_ilo):
    response = signed_in(ncb_admin).post(reverse("accounts:user_detail", args=[mumbai_ilo.pk]), {"action": "disable", "reason": ""})
    assert response.status_code == 400
    mumbai_ilo.refresh_from_db()
    assert mumbai_ilo.is_active


def test_the_account_list_shows_an_ilo_only_its_agency(signed_in, delhi_ilo, delhi_uo, mumbai_ilo, django_assert_max_num_queries):
    client = signed_in(delhi_ilo)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:user_list"))
    usernames = {u.username for u in response.context["page"]}
    assert usernames == {"delhi_ilo", "delhi_uo"}


def test_the_account_list_filters_by_role(signed_in, ncb_admin, delhi_ilo, delhi_uo, mumbai_ilo):
    response = signed_in(ncb_admin).get(reverse("accounts:user_list"), {"role": Role.ILO})
    assert {u.username for u in response.context["page"]} == {"delhi_ilo", "mumbai_ilo"}

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, User
from audit.models import AuditEntry
from conftest import PASSWORD, current_code, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def post_password(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


def test_a_wrong_password_is_refused_with_a_clear_message_and_audited(client, delhi_ilo):
    response = post_password(client, "delhi_ilo", "not-the-password")
    assert response.status_code == 400
    assert "do not match" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert "auth.login_failed" in actions()


def test_an_unknown_username_gets_the_same_message_as_a_wrong_password(client, delhi_ilo):
    unknown = post_password(client, "nobody-here", "whatever-password")
    wrong = post_password(client, "delhi_ilo", "whatever-password")
    assert "do not match" in unknown.content.decode() and "do not match" in wrong.content.decode()


def test_five_failed_logins_lock_the_account_for_ten_minutes(client, delhi_ilo):
    for _ in range(4):
        post_password(client, "delhi_ilo", "wrong-password-x")
    fifth = post_password(client, "delhi_ilo", "wrong-password-x")
    assert "locked" in fifth.content.decode()
    delhi_ilo.refresh_from_db()
    assert delhi_ilo.locked_until is not None
    assert timedelta(minutes=9) < delhi_ilo.locked_until - timezone.now() <= timedelta(minutes=10)

    right_password = post_password(client, "delhi_ilo")
    assert "locked" in right_password.content.decode()
    assert "_auth_user_id" not in client.session
    assert actions().count("auth.lockout") == 1
    assert "auth.login_refused_locked" in actions()


def test_the_lock_lifts_after_ten_minutes(client, delhi_ilo):
    User.objects.filter(pk=delhi_ilo.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    response = post_password(client, "delhi_ilo")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(delhi_ilo.pk)


def test_a_good_password_leads_an_officer_to_the_code_step_not_the_dashboard(client, delhi_ilo):
    response = post_password(client, "delhi_ilo")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:mfa_verify"))
    assert client.get("/dashboard/").url.startswith(reverse("accounts:mfa_verify"))


def test_an_officer_signs_in_with_a_code_acknowledges_the_notice_and_reaches_the_dashboard(client, delhi_ilo):
    post_password(client, "delhi_ilo")
    response = client.post(reverse("accounts:mfa_verify"), {"code": current_code(delhi_ilo)})
    assert response.url.startswith(reverse("accounts:notice"))
    refused = client.post(reverse("accounts:notice"), {})
    assert "Tick the box" in refused.content.decode()
    response = client.post(reverse("accounts:notice"), {"acknowledge": "on"})
    assert response.url == reverse("dashboard")
    assert client.get("/dashboard/").status_code == 200
    assert actions()[-2:] == ["auth.notice_acknowledged", "auth.login"]
    assert {"auth.password_ok", "auth.mfa_ok", "auth.notice_acknowledged", "auth.login"} <= set(actions())


def test_a_wrong_code_is_refused_and_audited(client, delhi_ilo):
    post_password(client, "delhi_ilo")
    wrong = "000000" if current_code(delhi_ilo) != "000000" else "111111"
    response = client.post(reverse("accounts:mfa_verify"), {"code": wrong})
    assert response.status_code == 400
    assert "not right" in response.content.decode()
    assert "auth.mfa_failed" in actions()
    assert client.get("/dashboard/").status_code == 302


def test_a_code_cannot_be_used_twice(client, delhi_ilo):
    code = current_code(delhi_ilo)
    post_password(client, "delhi_ilo")
    client.post(reverse("accounts:mfa_verify"), {"code": code})
    client.post(reverse("accounts:logout"))

    post_password(client, "delhi_ilo")
    response = client.post(reverse("accounts:mfa_verify"), {"code": code})
    assert response.status_code == 400
    assert "already used" in response.content.decode()


def test_a_recovery_code_works_once(client, delhi_ilo):
    from accounts.services import recovery_codes_regenerate

    codes = recovery_codes_regenerate(user=delhi_ilo)
    post_password(client, "delhi_ilo")
    assert client.post(reverse("accounts:mfa_verify"), {"code": codes[0]}).status_code == 302
    client.post(reverse("accounts:logout"))
    post_password(client, "delhi_ilo")
    assert client.post(reverse("accounts:mfa_verify"), {"code": codes[0]}).status_code == 400
    assert "auth.mfa_recovery_code_used" in actions()


def test_first_sign_in_forces_a_new_password_then_authenticator_enrolment(client, delhi_police, mailbox):
    newcomer = User(username="newcomer", role=Role.ILO, agency=delhi_police, email="n@example.invalid", must_change_password=True)
    newcomer.set_password(PASSWORD)
    newcomer.save()

    response = post_password(client, "newcomer")
    assert response.url.startswith(reverse("accounts:password_new"))
    assert client.get("/dashboard/").url.startswith(reverse("accounts:password_new"))

    weak = client.post(reverse("accounts:password_new"), {"new_password": "short", "confirm_password": "short"})
    assert weak.status_code == 400
    assert "at least 12 characters" in weak.content.decode()
    same = client.post(reverse("accounts:password_new"), {"new_password": PASSWORD, "confirm_password": PASSWORD})
    assert "different from the one you were given" in same.content.decode()

    response = client.post(
        reverse("accounts:password_new"), {"new_password": "Tulsi-Garden-Lamp-93", "confirm_password": "Tulsi-Garden-Lamp-93"}
    )
    assert response.url.startswith(reverse("accounts:mfa_enrol"))
    page = client.get(reverse("accounts:mfa_enrol"))
    assert "<svg" in page.content.decode()

    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)
    from django_otp.oath import totp

    response = client.post(reverse("accounts:mfa_enrol"), {"code": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 200
    assert len(response.context["codes"]) == 10
    newcomer.refresh_from_db()
    assert not newcomer.must_change_password
    assert TOTPDevice.objects.get(user=newcomer).confirmed
    assert client.get("/dashboard/").url.startswith(reverse("accounts:notice"))
    assert {"auth.password_changed", "auth.mfa_enrolled"} <= set(actions())


def test_enrolment_refuses_a_wrong_first_code(client, delhi_police):
    newcomer = make_user("newcomer", Role.ILO, agency=delhi_police)
    TOTPDevice.objects.filter(user=newcomer).delete()
    post_password(client, "newcomer")
    client.get(reverse("accounts:mfa_enrol"))
    response = client.post(reverse("accounts:mfa_enrol"), {"code": "123"})
    assert response.status_code == 400
    assert not TOTPDevice.objects.filter(user=newcomer, confirmed=True).exists()


def test_a_citizen_needs_no_second_factor(client, citizen):
    response = post_password(client, "citizen")
    assert response.url == reverse("dashboard")
    assert client.get("/dashboard/").status_code == 200


def test_an_idle_session_ends_and_the_user_is_told_why(client, delhi_ilo, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    from conftest import sign_in

    sign_in(client, delhi_ilo)
    assert client.get("/dashboard/").status_code == 200
    from django.contrib.sessions.models import Session

    Session.objects.all().delete()  # what the idle timeout does to the stored session
    response = client.get("/dashboard/")
    assert "expired=1" in response.url
    assert "30 minutes" in client.get(response.url).content.decode()
    assert "auth.session_expired" in actions()


def test_signing_out_ends_the_session_and_is_audited(signed_in, delhi_ilo):
    client = signed_in(delhi_ilo)
    client.post(reverse("accounts:logout"))
    assert client.get("/dashboard/").status_code == 302
    assert "auth.logout" in actions()


def test_the_login_form_is_rate_limited_per_address(client, delhi_ilo, settings):
    statuses = [client.post(LOGIN, {"username": f"x{i}", "password": "y"}).status_code for i in range(25)]
    assert 429 in statuses


def test_passwords_are_hashed_with_argon2(delhi_police, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = make_user("hashed", Role.ILO, agency=delhi_police)
    assert user.password.startswith("argon2")


def test_the_production_settings_hash_with_argon2_first():
    from openpol import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == "accounts.hashers.Argon2idHasher"


def test_a_disabled_account_cannot_sign_in(client, delhi_ilo):
    User.objects.filter(pk=delhi_ilo.pk).update(is_active=False)
    assert post_password(client, "delhi_ilo").status_code == 400


def test_recovery_codes_are_ten_distinct_readable_codes(delhi_ilo):
    from accounts.services import recovery_codes_regenerate

    codes = recovery_codes_regenerate(user=delhi_ilo)
    assert len(set(codes)) == 10
    assert all(len(code) == 14 and code.count("-") == 2 for code in codes)


def test_an_officer_may_sign_in_with_the_accounts_e_mail_address_instead_of_the_username(client, delhi_ilo):
    delhi_ilo.email = "ilo.delhi@police.example.in"
    delhi_ilo.save()
    page = client.get(LOGIN).content.decode()
    assert "E-mail or username" in page
    response = post_password(client, "ILO.Delhi@police.example.in")
    assert response.status_code == 302 and "auth.password_ok" in actions()


def test_an_e_mail_address_two_accounts_share_signs_in_neither(client, delhi_ilo, delhi_uo):
    User.objects.filter(pk__in=[delhi_ilo.pk, delhi_uo.pk]).update(email="shared@police.example.in")
    response = post_password(client, "shared@police.example.in")
    assert response.status_code == 400 and "do not match" in response.content.decode()


def test_a_right_code_just_after_a_wrong_one_is_asked_for_again_in_a_few_seconds_not_called_wrong(client, delhi_ilo, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 5  # as production's 1, slowed down so that the test's second try falls inside it
    post_password(client, "delhi_ilo")
    right = current_code(delhi_ilo)
    wrong = "000000" if right != "000000" else "111111"
    client.post(reverse("accounts:mfa_verify"), {"code": wrong})
    response = client.post(reverse("accounts:mfa_verify"), {"code": right})  # within the device's pause
    page = response.content.decode()
    assert response.status_code == 400 and re.search(r"wait [1-5] seconds?, then type the newest code", page) and "not right" not in page
    assert "auth.mfa_throttled" in actions()

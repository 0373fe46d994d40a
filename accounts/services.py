"""Every write about accounts: signing in, second factors, provisioning and API tokens."""

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import access
from accounts.models import POLICE_ROLES, ApiToken, NotifyBy, Role, User
from audit import services as audit
from directory.models import Agency, District, PoliceStation, UnitOffice
from notify import services as notify
from openpol import limits


class SignInRefused(Exception):
    """A sign-in attempt that failed, with the message to show."""


class CodeThrottled(SignInRefused):
    """A second-factor code not even checked: wrong codes came just before, and the device pauses a few seconds."""

    def __init__(self, seconds: int):
        self.seconds = seconds
        super().__init__(
            ngettext(
                "After a wrong code the app's codes are paused: wait %(seconds)d second, then type the newest code.",
                "After a wrong code the app's codes are paused: wait %(seconds)d seconds, then type the newest code.",
                seconds,
            )
            % {"seconds": seconds}
        )


def _seconds_until(moment) -> int:
    return max(1, math.ceil((moment - timezone.now()).total_seconds())) if moment else 1


# --- Signing in -------------------------------------------------------------------------


def sign_in_check_password(*, username: str, password: str) -> User:
    """Check a username (or the account's e-mail address) and password, counting failures towards the lockout.
    Raises SignInRefused."""
    generic = _("That username and password do not match. Check both and try again.")
    user = _account_named(username.strip())
    now = timezone.now()
    if user is not None and user.is_locked(now):
        audit.record(action="auth.login_refused_locked", target=user, username=username)
        raise SignInRefused(_locked_message(user, now))
    authenticated = authenticate(username=user.username if user else username, password=password)
    if authenticated is None:
        locked = _register_failure(user, username, now)
        raise SignInRefused(_locked_message(locked, now) if locked else generic)
    if authenticated.failed_login_count:
        User.objects.filter(pk=authenticated.pk).update(failed_login_count=0, locked_until=None)
    audit.record(actor=authenticated, action="auth.password_ok")
    return authenticated


def _account_named(name: str) -> User | None:
    """The account a sign-in names: by its username, else by its e-mail address when exactly one account has it."""
    user = User.objects.filter(username__iexact=name).first()
    if user is None and "@" in name:
        matches = list(User.objects.filter(email__iexact=name)[:2])
        user = matches[0] if len(matches) == 1 else None
    return user


@transaction.atomic
def _register_failure(user: User | None, username: str, now) -> User | None:
    """Count a failed attempt; returns the user when this failure locked the account."""
    if user is None:
        audit.record(action="auth.login_failed", username=username, data={"reason": "unknown user"})
        return None
    User.objects.filter(pk=user.pk).update(failed_login_count=F("failed_login_count") + 1)
    user.refresh_from_db(fields=["failed_login_count"])
    audit.record(action="auth.login_failed", target=user, username=user.username, data={"failures": user.failed_login_count})
    if user.failed_login_count < settings.LOCKOUT_THRESHOLD:
        return None
    user.locked_until = now + settings.LOCKOUT_DURATION
    User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=user.locked_until)
    audit.record(action="auth.lockout", target=user, username=user.username, data={"until": user.locked_until.isoformat()})
    return user


def _locked_message(user: User, now) -> str:
    minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
    return _(
        "Too many wrong passwords: this account is locked for %(minutes)s more minute(s). Try again later or ask your administrator."
    ) % {"minutes": minutes}


def sign_in_complete(*, user: User) -> None:
    """The user passed every step (password, second factor, notice)."""
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    audit.record(actor=user, action="auth.login")


def sign_out(*, user: User) -> None:
    audit.record(actor=user, action="auth.logout")


def system_notice_acknowledge(*, user: User) -> None:
    audit.record(actor=user, action="auth.notice_acknowledged")


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    """Set a new password the user chose; validators raise ValidationError with the reasons."""
    password_validation.validate_password(new_password, user)
    if user.check_password(new_password):
        raise ValidationError(_("Choose a password different from the one you were given."), code="password_reused")
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit.record(actor=user, action="auth.password_changed")


def user_language_set(user: User, language: str) -> User:
    """The user switched the portal's language: the portal's messages follow (notify renders in `User.language`)."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Choose one of the languages offered.")]})
    if user.language != language:
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(language=language)
            audit.record(actor=user, action="auth.language_changed", target=user, data={"from": user.language, "to": language})
        user.language = language
    return user


@transaction.atomic
def user_messages_set(user: User, *, language: str, notify_by: str) -> User:
    """The user chose the language of the portal's messages and how they come: e-mail, SMS (needs a mobile number) or both.
    The same rule for a citizen signing up is in citizen.services.messages_check."""
    errors = {}
    if language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose one of the languages offered.")]
    if notify_by not in NotifyBy.values:
        errors["notify_by"] = [_("Choose e-mail, SMS, or both.")]
    elif notify_by != NotifyBy.EMAIL and not user.phone:
        errors["notify_by"] = [_("Messages by SMS need a mobile number, and your account has none. Choose e-mail.")]
    if errors:
        raise ValidationError(errors)
    before = {"language": user.language, "notify_by": user.notify_by}
    User.objects.filter(pk=user.pk).update(language=language, notify_by=notify_by)
    user.language, user.notify_by = language, notify_by
    audit.record(
        actor=user, action="auth.messages_changed", target=user, data={"from": before, "to": {"language": language, "notify_by": notify_by}}
    )
    return user


# --- Second factor -------------------------------------------------------------------------


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def mfa_enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled (a new secret for each enrolment that was not finished)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def mfa_enrolment_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator with a first code; returns the device and fresh one-time recovery codes."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(_digits(code)):
        audit.record(actor=user, action="auth.mfa_enrol_failed")
        raise ValidationError(_("That code is not right. Enter the 6-digit code your app shows now."), code="bad_code")
    with transaction.atomic():
        return _mfa_enrolment_finish(user=user, device=device)


def _mfa_enrolment_finish(*, user: User, device: TOTPDevice) -> tuple[TOTPDevice, list[str]]:
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_regenerate(user=user, audit_action=None)
    audit.record(actor=user, action="auth.mfa_enrolled")
    return device, codes


def recovery_codes_regenerate(*, user: User, audit_action: str | None = "auth.recovery_codes_regenerated") -> list[str]:
    """Replace the user's recovery codes with new ones, each usable once."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name="Recovery codes", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [_recovery_code() for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    if audit_action:
        audit.record(actor=user, action=audit_action)
    return codes


def _recovery_code() -> str:
    # 12 characters without look-alikes (about 59 bits), grouped for reading; fits django-otp's 16-character tokens.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def mfa_verify(*, user: User, code: str):
    """Check a TOTP code (refusing a code already used) or a one-time recovery code; returns the device or None."""
    code = code.strip()
    totp = confirmed_totp_device(user)
    if totp is not None and _digits(code).isdigit() and len(_digits(code)) == 6:
        allowed, info = totp.verify_is_allowed()
        if not allowed:  # django-otp's pause after wrong codes, doubling with each: say so, or a right code looks wrong
            audit.record(actor=user, action="auth.mfa_throttled", data={"failures": (info or {}).get("failure_count")})
            raise CodeThrottled(_seconds_until((info or {}).get("locked_until")))
        if totp.verify_token(_digits(code)):
            audit.record(actor=user, action="auth.mfa_ok")
            return totp
    else:
        static = StaticDevice.objects.filter(user=user, confirmed=True).first()
        if static is not None and static.verify_token(code.lower()):
            audit.record(actor=user, action="auth.mfa_recovery_code_used", data={"left": static.token_set.count()})
            return static
    audit.record(actor=user, action="auth.mfa_failed")
    return None


def _digits(code: str) -> str:
    return "".join(code.split())


# --- Provisioning ----------------------------------------------------------------------------


@dataclass
class NewAccount:
    user: User
    temporary_password: str


def _temporary_password() -> str:
    # Four groups of five characters from an alphabet without look-alikes: easy to read out, hard to guess.
    alphabet = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY3479"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4))


def user_create(
    *,
    by: User,
    role: str,
    username: str,
    email: str,
    first_name: str = "",
    last_name: str = "",
    designation: str = "",
    phone: str = "",
    agency: Agency | None = None,
    unit: UnitOffice | None = None,
    station: PoliceStation | None = None,
    district: District | None = None,
) -> NewAccount:
    """Create an account for a role the creator may grant, inside their jurisdiction.

    The new user gets a temporary password, shown once to the creator, and must choose their own
    password and enrol a second factor at first sign-in.
    """
    errors: dict[str, list[str]] = {}
    if role not in access.grantable_roles(by):
        errors.setdefault("role", []).append(_("You may not create accounts with this role."))
    username = username.strip()
    if not username:
        errors.setdefault("username", []).append(_("Enter a username."))
    elif User.objects.filter(username__iexact=username).exists():
        errors.setdefault("username", []).append(_("This username is already taken."))
    if not email.strip():
        errors.setdefault("email", []).append(_("Enter an e-mail address: the officer is told of the account there."))

    if role == Role.ILO:
        if agency is None:
            errors.setdefault("agency", []).append(_("Choose the agency this ILO serves."))
        unit = station = district = None
    elif role == Role.UO:
        if by.role == Role.ILO:
            agency = by.agency
        if unit is None:
            errors.setdefault("unit", []).append(_("Choose the unit office of this Unit Officer."))
        elif agency is not None and unit.agency_id != agency.pk:
            errors.setdefault("unit", []).append(_("This unit office belongs to another agency."))
        else:
            agency = unit.agency
        station = district = None
    elif role == Role.DISTRICT_OFFICER:
        if by.role == Role.ILO:
            agency = by.agency
        if agency is None or agency.kind != Agency.Kind.STATE_POLICE or agency.state_id is None:
            errors.setdefault("agency", []).append(_("District officers belong to a state or UT police."))
        elif district is None:
            errors.setdefault("district", []).append(_("Choose the district of this officer's SP office."))
        elif district.state_id != agency.state_id:
            errors.setdefault("district", []).append(_("This district is in another state."))
        unit = station = None
    elif role == Role.STATION_OFFICER:
        if by.role == Role.ILO:
            agency = by.agency
        if station is None:
            errors.setdefault("station", []).append(_("Choose the police station of this officer."))
        elif agency is not None and station.agency_id != agency.pk:
            errors.setdefault("station", []).append(_("This police station belongs to another agency."))
        else:
            agency = station.agency
        unit = district = None
    else:
        # National roles sit at the NCB; analysts and system administrators belong to no agency.
        agency = Agency.objects.filter(kind=Agency.Kind.NCB).first() if role in (Role.NCB_ADMIN, Role.NCB_OFFICER) else None
        unit = station = district = None

    if by.role == Role.ILO and agency is not None and agency.pk != by.agency_id:
        errors.setdefault("agency", []).append(_("You may create accounts only for your own agency."))
    if errors:
        # Recorded outside any transaction of the change, so the refusal stays in the trail.
        audit.record(actor=by, action="users.create_refused", data={"role": role, "username": username, "errors": errors})
        raise ValidationError(errors)
    with transaction.atomic():
        return _user_insert(
            by=by,
            role=role,
            username=username,
            email=email,
            first_name=first_name,
            last_name=last_name,
            designation=designation,
            phone=phone,
            agency=agency,
            unit=unit,
            station=station,
            district=district,
        )


def _user_insert(*, by, role, username, email, first_name, last_name, designation, phone, agency, unit, station, district) -> NewAccount:
    password = _temporary_password()
    user = User(
        username=username,
        email=email.strip(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        designation=designation.strip(),
        phone=phone.strip(),
        role=role,
        agency=agency,
        unit=unit,
        station=station,
        district=district,
        supervisor=by if by.role == Role.ILO and role == Role.UO else None,
        created_by=by,
        must_change_password=True,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(actor=by, action="users.create", target=user, data={"role": role, "office": user.office_label})
    notify.send("accounts.created", [user], user=user, creator=by.get_full_name() or by.username)
    return NewAccount(user=user, temporary_password=password)


def user_set_active(*, by: User, target: User, active: bool, reason: str) -> User:
    """Disable or re-enable an account the manager may manage; disabling also revokes its API tokens."""
    if not access.may_manage(by, target):
        audit.record(actor=by, action="users.set_active_refused", target=target, purpose=reason)
        raise ValidationError(_("You may not change this account."), code="forbidden")
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why, for the audit trail.")]})
    with transaction.atomic():
        return _user_set_active(by=by, target=target, active=active, reason=reason)


def _user_set_active(*, by: User, target: User, active: bool, reason: str) -> User:
    target = User.objects.select_for_update().get(pk=target.pk)
    if target.is_active == active:
        return target
    target.is_active = active
    target.save(update_fields=["is_active"])
    if not active:
        ApiToken.objects.filter(user=target, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit.record(actor=by, action="users.enable" if active else "users.disable", target=target, purpose=reason)
    return target


# --- API tokens ----------------------------------------------------------------------------

API_SCOPES = {
    "directory:read": "Read the directory of agencies, units, stations and places.",
    "users:read": "Read accounts in your jurisdiction.",
    "users:write": "Create and disable accounts you may manage.",
    "audit:read": "Read the audit trail (NCB administrators).",
    "notices:read": "Read notice requests in your jurisdiction.",
    "notices:write": "Draft notice requests and take review steps your role allows.",
    "references:read": "Read references in your jurisdiction.",
    "references:write": "Draft references and take review steps your role allows.",
    "broadcasts:read": "Read broadcasts disseminated to you.",
    "broadcasts:write": "Acknowledge, report action on and (NCB) manage broadcasts.",
    "connect:read": "Read your conversations and the directory of ILOs and UOs.",
    "connect:write": "Write in your conversations.",
    "resources:read": "Read documents and training sessions open to your role.",
    "resources:write": "Upload documents and manage training (NCB).",
    "alerts:read": "Read crime alerts addressed to your office and its CAP feed.",
    "alerts:write": "Publish, update, cancel and acknowledge crime alerts.",
    "records:read": "Search the national records (a purpose is required) and read matches.",
    "records:write": "Register FIRs at your station, screen persons in batch and confirm or reject matches.",
    "citizen:read": "Read citizen requests handled by your station.",
    "citizen:write": "Act on citizen requests handled by your station.",
    "insights:read": "Read the statistics of your office's reach (crime heads, international cooperation).",
}


@transaction.atomic
def api_token_create(*, user: User, name: str, scopes: list[str], days: int | None = None, by: User | None = None) -> str:
    """Create a token and return its only readable copy, `opk_<id>_<secret>`."""
    unknown = sorted(set(scopes) - API_SCOPES.keys())
    if unknown:
        raise ValidationError({"scopes": [_("Unknown scopes: %(scopes)s") % {"scopes": ", ".join(unknown)}]})
    if not scopes:
        raise ValidationError({"scopes": [_("Choose at least one scope.")]})
    if user.role not in POLICE_ROLES or not user.is_active:
        raise ValidationError({"user": [_("Only active police accounts may hold API tokens.")]})
    days = days or settings.API_TOKEN_DEFAULT_DAYS
    if not 1 <= days <= 365:
        raise ValidationError({"days": [_("A token lives between 1 and 365 days.")]})
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name or "API token",
        key_id=key_id,
        secret_hash=ApiToken.hash_secret(secret),
        scopes=sorted(set(scopes)),
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit.record(actor=by or user, action="api_token.create", target=token, data={"user": user.username, "scopes": token.scopes})
    return f"{ApiToken.PREFIX}_{key_id}_{secret}"


# Why a bearer token was refused; each is audited once per address and window of TOKEN_FAILURE_RATE.
TOKEN_REFUSALS = ("unknown or forged", "expired", "revoked", "user disabled")
_REFUSED_UNREAD_SECONDS = 24 * 3600


def api_token_authenticate(raw: str, *, address: str = "") -> ApiToken | None:
    """The usable token behind a bearer string, or None when it is forged, expired or revoked; a flood is refused unread."""
    rate = settings.TOKEN_FAILURE_RATE
    failures = limits.count("api_token.failures", address, rate, increment=False)
    if failures.exhausted:
        # Not looked up, not audited one by one: the next entry about this address says how many there were.
        _count_refused_unread(address)
        raise limits.TooManyRequests(failures.retry_after)
    token, reason = _api_token_check(raw)
    if reason:
        _api_token_failure(address=address, token=token, reason=reason)
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def _api_token_check(raw: str) -> tuple[ApiToken | None, str]:
    parts = raw.split("_", 2)
    token = None
    if len(parts) == 3 and parts[0] == ApiToken.PREFIX:
        token = ApiToken.objects.select_related("user").filter(key_id=parts[1]).first()
    if token is None or not secrets.compare_digest(token.secret_hash, ApiToken.hash_secret(parts[-1])):
        return None, "unknown or forged"
    now = timezone.now()
    if not token.is_usable(now):
        return token, "revoked" if token.revoked_at else ("expired" if token.expires_at <= now else "user disabled")
    return token, ""


def _api_token_failure(*, address: str, token: ApiToken | None, reason: str) -> None:
    """Audit a refused token: the first of its reason from this address in the window, and the failure that reaches the limit."""
    rate = settings.TOKEN_FAILURE_RATE
    failures = limits.count("api_token.failures", address, rate)
    if limits.count(f"api_token.failures.{reason}", address, rate).count == 1:
        audit.record(action="api_token.rejected", target=token, data={"reason": reason, **_refused_unread(address)})
    if failures.count == failures.limit:
        reasons = {r: limits.count(f"api_token.failures.{r}", address, rate, increment=False).count for r in TOKEN_REFUSALS}
        audit.record(
            action="api_token.flood",
            data={
                "summary": f"{failures.count} refused bearer tokens from {address or 'an unknown address'} within {failures.period} s; "
                f"its tokens are refused unread for {failures.retry_after} s",
                "failures": failures.count,
                "reasons": {r: n for r, n in reasons.items() if n},
                "rate": rate,
                **_refused_unread(address),
            },
        )


def _refused_unread_key(address: str) -> str:
    return "api_token.refused_unread:" + hashlib.sha256(address.encode()).hexdigest()


def _count_refused_unread(address: str) -> None:
    key = _refused_unread_key(address)
    cache.add(key, 0, _REFUSED_UNREAD_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr: this one is lost, the count is a floor
        pass


def _refused_unread(address: str) -> dict:
    """How many tokens from this address were refused unread since the last entry about it (told once, then reset)."""
    key = _refused_unread_key(address)
    refused = cache.get(key, 0)
    if not refused:
        return {}
    cache.delete(key)
    return {"refused_unread_before": refused}


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=by, action="api_token.revoke", target=token)

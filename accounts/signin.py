"""The steps a police officer passes after the password, in order, before reaching any page."""

from accounts.services import confirmed_totp_device

NOTICE_SESSION_KEY = "system_notice_acknowledged"


def is_verified(user) -> bool:
    """True once the user passed the second factor in this session (django-otp marks the request's user)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def next_sign_in_step(request) -> str | None:
    """The URL name of the step still owed in this session, or None when the officer is fully signed in."""
    user = request.user
    if not user.is_authenticated or not user.is_police:
        return None
    has_device = confirmed_totp_device(user) is not None
    if has_device and not is_verified(user):
        return "accounts:mfa_verify"
    if user.must_change_password:
        return "accounts:password_new"
    if not has_device:
        return "accounts:mfa_enrol"
    if not request.session.get(NOTICE_SESSION_KEY):
        return "accounts:notice"
    return None

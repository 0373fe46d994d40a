"""Passwords are stored with Argon2id at OWASP's cost, and older, costlier hashes are upgraded at sign-in."""

from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, identify_hasher

from accounts.hashers import Argon2idHasher

PRODUCTION_HASHERS = ["accounts.hashers.Argon2idHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher"]


def test_a_new_password_is_stored_as_argon2id_with_19_mib_two_passes_and_one_lane(settings):
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    encoded = Argon2idHasher().encode("correct horse battery", Argon2idHasher().salt())
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password("correct horse battery", encoded)


def test_a_password_hashed_with_djangos_default_cost_still_signs_in_and_is_rehashed(settings):
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    old = Argon2PasswordHasher().encode("correct horse battery", Argon2PasswordHasher().salt())
    assert "m=102400" in old
    upgraded = []
    assert check_password("correct horse battery", old, setter=upgraded.append)
    assert upgraded == ["correct horse battery"]
    assert identify_hasher(old).must_update(old)

"""The trail's keys: generated once for local use, or read from the settings in the forms production passes them."""

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from audit import checkpoints, keys


def test_unset_keys_are_generated_once_readable_only_by_their_owner_and_then_reused(settings, tmp_path):
    settings.VAR_DIR, settings.AUDIT_HMAC_KEY, settings.AUDIT_SIGNING_KEY = tmp_path, "", ""
    first, signer = keys.current_hmac_key(), keys.verify_keys()[0]
    for name in ("hmac.key", "signing.key"):
        assert (tmp_path / "audit" / name).stat().st_mode & 0o777 == 0o600
    keys._hmac_keys.cache_clear()
    keys._signing_key.cache_clear()
    assert keys.current_hmac_key() == first
    assert keys.verify_keys()[0].text == signer.text


def test_a_signing_key_in_a_pem_file_signs_checkpoints_that_its_public_key_verifies(settings, tmp_path):
    private = Ed25519PrivateKey.generate()
    pem = tmp_path / "signing.pem"
    pem.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    settings.AUDIT_SIGNING_KEY = str(pem)
    note = checkpoints.sign("openpol/audit/test", 7, bytes(32), timezone.now())
    public = keys.verify_key(private.public_key())
    assert checkpoints.parse(note, [public]).tree_size == 7


def test_a_key_too_short_to_be_secret_is_refused(settings):
    settings.AUDIT_HMAC_KEY = "short"
    with pytest.raises(ImproperlyConfigured, match="at least 16 characters"):
        keys.current_hmac_key()

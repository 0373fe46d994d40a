"""A key given in settings as text: base64 (which may begin with "/") or a PEM file's path."""

import base64

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from audit import keys


def _key_starting_with_a_slash() -> tuple[Ed25519PrivateKey, str]:
    while True:
        key = Ed25519PrivateKey.generate()
        text = base64.b64encode(key.private_bytes_raw()).decode()
        if text.startswith("/"):
            return key, text


def test_a_base64_key_that_begins_with_a_slash_is_read_as_a_key_not_as_a_path():
    key, text = _key_starting_with_a_slash()
    assert keys._private_key(text).private_bytes_raw() == key.private_bytes_raw()
    public = base64.b64encode(key.public_key().public_bytes_raw()).decode()
    assert keys.public_key(public).public_bytes_raw() == key.public_key().public_bytes_raw()

"""The audit trail's keys, all held outside the database.

The HMAC key (AUDIT_HMAC_KEY) keys every entry and the chain; retired ones (AUDIT_HMAC_KEYS) still verify the
entries written under them. The Ed25519 key (AUDIT_SIGNING_KEY) signs the checkpoints; retired public keys
(AUDIT_SIGNING_PUBLIC_KEYS) still verify the checkpoints it signed. Left unset (local use), each key is
generated once into var/audit/, beside the database; production passes them from its secret store.
"""

import base64
import binascii
import hashlib
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class HmacKey:
    id: str
    secret: bytes


@dataclass(frozen=True)
class VerifyKey:
    name: str
    hash: bytes  # the 4-byte key hash of a signed note's signature line
    public: Ed25519PublicKey

    @property
    def text(self) -> str:
        return base64.b64encode(self.public.public_bytes_raw()).decode()


def _local_secret(var_dir: str, name: str) -> str:
    """A random secret kept in var/audit/NAME, made on first use (two processes starting at once agree on one)."""
    path = Path(var_dir) / "audit" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_name(f".{name}.{os.getpid()}.{secrets.token_hex(4)}")
        scratch.write_text(base64.b64encode(secrets.token_bytes(32)).decode() + "\n")
        scratch.chmod(0o600)
        try:
            os.link(scratch, path)  # fails if another process was first: then its secret is the one
        except FileExistsError:
            pass
        finally:
            scratch.unlink()
    return path.read_text().strip()


def hmac_key(text: str) -> HmacKey:
    """A key from its text; its id is a fingerprint that tells which key an entry was written under, not the key."""
    secret = text.strip().encode()
    if len(secret) < 16:
        raise ImproperlyConfigured("An audit HMAC key must be at least 16 characters (32 random bytes in base64 is right).")
    return HmacKey(hashlib.sha256(b"openpol audit key id\x00" + secret).hexdigest()[:16], secret)


@lru_cache(maxsize=8)
def _hmac_keys(current: str, retired: tuple[str, ...], var_dir: str) -> tuple[HmacKey, dict[str, HmacKey]]:
    key = hmac_key(current or _local_secret(var_dir, "hmac.key"))
    return key, {k.id: k for k in [*(hmac_key(text) for text in retired), key]}


def current_hmac_key() -> HmacKey:
    return _hmac_keys(settings.AUDIT_HMAC_KEY, tuple(settings.AUDIT_HMAC_KEYS), str(settings.VAR_DIR))[0]


def hmac_keys() -> dict[str, HmacKey]:
    """Every key an entry may have been written under: the current one and the retired ones, by id."""
    return _hmac_keys(settings.AUDIT_HMAC_KEY, tuple(settings.AUDIT_HMAC_KEYS), str(settings.VAR_DIR))[1]


def _raw_key(text: str) -> bytes | None:
    """The 32 bytes of a key written in base64, or None: then the text is a file's path. (Base64 may begin with "/",
    so a path is told by not being a key, not by its first letter.)"""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == 32 else None


def _private_key(text: str) -> Ed25519PrivateKey:
    """From base64 of the 32-byte seed, or a path to a PEM (PKCS#8) file."""
    if _raw_key(text) is None and (text.startswith(("/", "./")) or text.endswith(".pem")):
        key = serialization.load_pem_private_key(Path(text).read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ImproperlyConfigured("AUDIT_SIGNING_KEY's file does not hold an Ed25519 key.")
        return key
    try:
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(text, validate=True))
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured("AUDIT_SIGNING_KEY must be base64 of a 32-byte Ed25519 seed, or a PEM file's path.") from exc


def public_key(text: str) -> Ed25519PublicKey:
    """From base64 of the 32 raw bytes, or a path to a PEM file."""
    if _raw_key(text) is None and (text.startswith(("/", "./")) or text.endswith(".pem")):
        key = serialization.load_pem_public_key(Path(text).read_bytes())
        if not isinstance(key, Ed25519PublicKey):
            raise ImproperlyConfigured(f"{text} does not hold an Ed25519 public key.")
        return key
    try:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(f"Not an Ed25519 public key (base64 of 32 bytes): {text[:60]}") from exc


def verify_key(public: Ed25519PublicKey, name: str | None = None) -> VerifyKey:
    """As in C2SP signed notes: the key hash is SHA-256(name, newline, 0x01 for Ed25519, the public key)[:4]."""
    name = name or settings.AUDIT_LOG_ORIGIN
    return VerifyKey(name, hashlib.sha256(name.encode() + b"\n\x01" + public.public_bytes_raw()).digest()[:4], public)


@lru_cache(maxsize=8)
def _signing_key(text: str, var_dir: str) -> Ed25519PrivateKey:
    return _private_key(text or _local_secret(var_dir, "signing.key"))


def signing_key() -> Ed25519PrivateKey:
    return _signing_key(settings.AUDIT_SIGNING_KEY, str(settings.VAR_DIR))


def verify_keys(extra: tuple[str, ...] = ()) -> list[VerifyKey]:
    """The current signing key's public half, the retired ones, and any given (e.g. on audit_verify's command line)."""
    publics = [signing_key().public_key(), *(public_key(text) for text in [*settings.AUDIT_SIGNING_PUBLIC_KEYS, *extra])]
    return [verify_key(public) for public in publics]


def generate() -> dict[str, str]:
    """Fresh values for AUDIT_HMAC_KEY and AUDIT_SIGNING_KEY, and the public key to give the verifiers."""
    private = Ed25519PrivateKey.generate()
    seed = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    return {
        "AUDIT_HMAC_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "AUDIT_SIGNING_KEY": base64.b64encode(seed).decode(),
        "public_key": base64.b64encode(private.public_key().public_bytes_raw()).decode(),
    }

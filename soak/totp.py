"""The codes an authenticator app shows (RFC 6238, as django-otp's TOTP devices check them), without Django."""

import hashlib
import hmac
import struct
import time

STEP = 30  # django-otp's defaults for a TOTP device: 30-second steps from t0 = 0, 6 digits, HMAC-SHA1
DIGITS = 6


def step_at(when: float | None = None) -> int:
    return int((time.time() if when is None else when) // STEP)


def code(key_hex: str, step: int) -> str:
    """The code of a device's hex key for one time step."""
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 10**DIGITS:0{DIGITS}d}"

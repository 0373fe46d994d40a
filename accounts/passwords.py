"""Refuses passwords that look like the ones found in breach lists, beyond Django's common-password list."""

import re

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890", "abcdefghijklmnopqrstuvwxyz")
# Words that people in this service put in passwords, and that attackers try first.
LOCAL_WORDS = {"openpol", "police", "interpol", "bharatpol", "india", "bharat", "cbi", "delhi", "mumbai", "welcome", "admin"}


def _is_run(text: str) -> bool:
    """True for runs along a keyboard row or the alphabet, forwards or backwards (e.g. 'qwerty', '4321')."""
    if len(text) < 3:
        return False
    return any(text in row or text in row[::-1] for row in KEYBOARD_ROWS)


class GuessablePasswordValidator:
    """Refuses a password whose core, once digits and symbols are stripped, is common, a keyboard run or repetitive."""

    def __init__(self):
        self._common = CommonPasswordValidator().passwords

    def validate(self, password: str, user=None) -> None:
        lowered = password.lower()
        if len(set(lowered)) <= 3:
            raise ValidationError(_("This password repeats too few characters."), code="password_repetitive")
        core = re.sub(r"[^a-z]", "", lowered.translate(str.maketrans("@$0134!5", "asoieais")))
        stripped = re.sub(r"[^a-z]", "", lowered)
        if _is_run(re.sub(r"[^a-z0-9]", "", lowered)):
            raise ValidationError(_("This password is a keyboard or alphabet sequence."), code="password_sequence")
        for candidate in {core, stripped}:
            if candidate and (candidate in self._common or candidate in LOCAL_WORDS or _is_run(candidate)):
                raise ValidationError(
                    _("This password is a common word with numbers or symbols added; such passwords are guessed first."),
                    code="password_breached_pattern",
                )
            if candidate and re.fullmatch(r"(.{1,4})\1+", candidate):
                raise ValidationError(_("This password repeats a short pattern."), code="password_repetitive")

    def get_help_text(self) -> str:
        return _("Your password cannot be a common word or keyboard sequence with numbers or symbols added.")

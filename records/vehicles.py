"""Vehicle numbers as stored and searched: upper case, no spaces or dashes, O and 0 (I and 1) put where they belong."""

import re

# State code, RTO number, series letters, number: DL 3C AB 1234, MH-12-DE-0042, KA01M1234; and Bharat series 22 BH 1234 AA.
REGISTRATION = re.compile(r"^([A-Z0-9]{2})([0-9OI]{1,2})([A-Z0-9]{0,3}?)([0-9OI]{1,4})$")
BHARAT = re.compile(r"^([0-9OI]{2})(BH)([0-9OI]{4})([A-Z0-9]{1,2})$")
TO_DIGIT = str.maketrans({"O": "0", "I": "1"})
TO_LETTER = str.maketrans({"0": "O", "1": "I"})


def clean(value: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", (value or "").upper())


def normalise_registration(value: str) -> str:
    """'dl-3c ab 1234' → 'DL3CAB1234', 'MH 12 D0 0O42' → 'MH12DO0042': letters where letters go, digits where digits go."""
    text = clean(value)
    match = BHARAT.match(text)
    if match:
        year, bh, number, series = match.groups()
        return year.translate(TO_DIGIT) + bh + number.translate(TO_DIGIT) + series.translate(TO_LETTER)
    match = REGISTRATION.match(text)
    if match:
        state, rto, series, number = match.groups()
        return state.translate(TO_LETTER) + rto.translate(TO_DIGIT) + series.translate(TO_LETTER) + number.translate(TO_DIGIT)
    return text


def normalise_chassis(value: str) -> str:
    """A 17-character VIN never holds I, O or Q, so those are read as 1, 0, 0; older chassis numbers are only cleaned."""
    text = clean(value)
    if len(text) == 17:
        return text.translate(str.maketrans({"I": "1", "O": "0", "Q": "0"}))
    return text


def normalise_engine(value: str) -> str:
    """Engine numbers follow each maker's format; only spaces, dashes and case are normalised, and O read as 0."""
    return clean(value).replace("O", "0")

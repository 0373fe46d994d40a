"""INTERPOL's rules for a notice request, checked all at once so the drafter sees every problem together.

Sources: INTERPOL's Constitution (Art. 3), its Rules on the Processing of Data (RPD: Art. 12 data quality, Art. 34
compliance with the Constitution, Art. 82-84 Red notices, Art. 88 Blue, Art. 89 Green, Art. 90 Yellow), General
Assembly resolution AG-2005-RES-05 (the INTERPOL-UN Security Council Special Notice) and the Silver Notice pilot (2025).
Where an RPD article number could not be confirmed (Black, Orange, Purple notices), the message cites the RPD's
provisions on that notice by name; the citations live in KIND_RULES so they are corrected in one place.

A blocking problem stops submission. A flag (blocking=False) never does: it marks words that suggest a matter INTERPOL
may not touch (Article 3, or the categories RPD Art. 83(1)(a)(i) excludes from Red notices), for the NCB to decide.
"""

import datetime
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from notices.kinds import KIND_FACTS, FactField
from notices.models import Law, NoticeKind, NoticeRequest, Purpose, WarrantKind


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request: where (a field, "facts.<key>" or "__all__"), why in plain words, and under which rule."""

    field: str
    message: str
    rule: str
    blocking: bool = True


EARLIEST_DATE = datetime.date(1900, 1, 1)
HEIGHT_CM = (40, 260)
WEIGHT_KG = (2, 400)
MIN_PENALTY_MONTHS = 24  # prosecution: punishable by at least two years (RPD Art. 83(1)(a)(ii))
MIN_SENTENCE_LEFT_MONTHS = 6  # sentence: at least six months left to serve (RPD Art. 83(1)(a)(ii))
MIN_FACTS_SUMMARY = 50  # characters: a summary must say what the person did, when and where

DATA_QUALITY = "RPD 12"
COUNTRY_CODES = "ISO 3166-1"
RED_PURPOSE = "RPD 82"
RED_SERIOUS_CRIME = "RPD 83(1)(a)(i)"
RED_PENALTY = "RPD 83(1)(a)(ii)"
RED_JUDICIAL_DATA = "RPD 83 judicial data"
RED_IDENTIFIERS = "RPD 83 identifiers"
RED_EXTRADITION = "RPD 84(2)"
YELLOW_CONDITIONS = "RPD 90(2)"
YELLOW_IDENTIFIERS = "RPD 90(3)(a)"

# Each kind's rule id and the citation its messages carry.
KIND_RULES: dict[str, tuple[str, str]] = {
    NoticeKind.RED: ("RPD 83", "INTERPOL RPD Art. 83"),
    NoticeKind.YELLOW: (YELLOW_CONDITIONS, "INTERPOL RPD Art. 90(2)"),
    NoticeKind.BLUE: ("RPD 88", "INTERPOL RPD Art. 88"),
    NoticeKind.BLACK: ("RPD Black", "INTERPOL RPD, provisions on Black notices"),
    NoticeKind.GREEN: ("RPD 89", "INTERPOL RPD Art. 89"),
    NoticeKind.ORANGE: ("RPD Orange", "INTERPOL RPD, provisions on Orange notices"),
    NoticeKind.PURPLE: ("RPD Purple", "INTERPOL RPD, provisions on Purple notices"),
    NoticeKind.SILVER: ("Silver pilot 2025", "INTERPOL Silver Notice pilot (2025)"),
    NoticeKind.UN_SPECIAL: ("AG-2005-RES-05", "INTERPOL resolution AG-2005-RES-05 and UN Security Council resolution 1617 (2005)"),
}

# Facts whose rule is more precise than their kind's.
FACT_RULES: dict[tuple[str, str], tuple[str, str]] = {
    (NoticeKind.RED, "offence_category"): (RED_SERIOUS_CRIME, "INTERPOL RPD Art. 83(1)(a)(i)"),
}

# Dates that look ahead (a threat expected until...): they may be in the future but not in the past.
FORWARD_FACT_DATES = frozenset({"imminent_until"})


# --- Article 3 and the categories excluded from Red notices -----------------------------------------------------------
# Whole words or phrases, matched case-insensitively; extend freely. Indian legal terms and Hindi are included.

POLITICAL_WORDS = (
    "sedition",
    "seditious",
    "treason",
    "waging war",
    "wage war",
    "rebellion",
    "insurrection",
    "secession",
    "anti-national",
    "anti-government",
    "endangering sovereignty",
    "political",
    "insulting the national flag",
    "insult to the national flag",
    "desecration of the national flag",
    "national anthem",
    "insults to national honour",
    "insult to national honour",
    "defamation of officials",
    "criminal defamation of officials",
    "defaming the president",
    "insulting the president",
    "lese majeste",
    "espionage",
    "official secrets act",
    "electoral offence",
    "rajdroh",
    "deshdroh",
    "राजद्रोह",
    "देशद्रोह",
    "राष्ट्रद्रोह",
)
MILITARY_WORDS = (
    "desertion",
    "deserter",
    "deserted from the army",
    "absent without leave",
    "awol",
    "mutiny",
    "insubordination",
    "court martial",
    "court-martial",
    "draft evasion",
    "evading military service",
    "evasion of military service",
    "army act",
    "navy act",
    "air force act",
)
RELIGIOUS_WORDS = (
    "blasphemy",
    "blasphemous",
    "hurting religious sentiments",
    "hurt religious sentiments",
    "hurting religious feelings",
    "outraging religious feelings",
    "outrage religious feelings",
    "wounding religious feelings",
    "wound religious feelings",
    "insulting religion",
    "insult to religion",
    "apostasy",
    "apostate",
    "religious conversion",
    "unlawful conversion",
    "proselytising",
    "proselytizing",
    "cow slaughter",
    "ईशनिंदा",
    "धार्मिक भावनाओं",
    "धार्मिक भावना",
    "धर्मांतरण",
    "गोहत्या",
)
RACIAL_WORDS = (
    "racial",
    "racist",
    "promoting enmity",
    "enmity between groups",
    "prejudicial to national integration",
    "hate speech",
)
CULTURAL_WORDS = (  # offences that in various countries raise controversial issues of behavioural or cultural norms
    "adultery",
    "homosexuality",
    "homosexual",
    "sodomy",
    "unnatural offence",
    "unnatural offences",
    "against the order of nature",
    "witchcraft",
    "sorcery",
    "black magic",
    "begging",
    "beggary",
    "vagrancy",
    "sex work",
    "engaging in prostitution",
    "surrogacy",
    "defamation",
    "damaging honour",
    "possession for personal use",
    "personal consumption",
    "consumption of alcohol",
    "consumption of liquor",
    "drinking alcohol",
    "व्यभिचार",
    "जादू-टोना",
    "भीख",
)
FAMILY_WORDS = (  # offences relating to family or private matters
    "dowry dispute",
    "dowry harassment",
    "dowry demand",
    "dowry prohibition act",
    "maintenance dispute",
    "maintenance order",
    "non-payment of maintenance",
    "child custody",
    "custody dispute",
    "custody of the child",
    "matrimonial",
    "marital dispute",
    "divorce",
    "alimony",
    "conjugal rights",
    "bigamy",
    "elopement",
    "eloped",
    "inheritance dispute",
    "family property dispute",
    "parental abduction",
    "दहेज",
    "भरण-पोषण",
    "तलाक",
)
PRIVATE_DISPUTE_WORDS = (  # offences deriving from private disputes
    "cheque bounce",
    "cheque bouncing",
    "bounced cheque",
    "cheque dishonour",
    "cheque dishonor",
    "dishonour of cheque",
    "dishonour of a cheque",
    "dishonor of check",
    "dishonoured cheque",
    "unfunded cheque",
    "negotiable instruments act",
    "ni act",
    "breach of contract",
    "civil dispute",
    "commercial dispute",
    "loan default",
    "unpaid debt",
    "rent dispute",
    "partnership dispute",
    "चेक बाउंस",
)
ADMINISTRATIVE_WORDS = (  # violations of laws or regulations of an administrative nature
    "visa overstay",
    "overstay",
    "overstayed",
    "overstaying",
    "expired visa",
    "immigration violation",
    "immigration offence",
    "foreigners act",
    "passport act",
    "customs declaration",
    "customs paperwork",
    "customs formalities",
    "traffic offence",
    "traffic violation",
    "traffic challan",
    "motor vehicles act",
    "speeding",
    "driving without a licence",
    "driving without a license",
)

# Sections of the Indian codes that carry the same meaning as the words above (law -> section -> category).
SECTION_FLAGS: dict[str, dict[str, str]] = {
    Law.IPC: {
        "121": "political",
        "121A": "political",
        "122": "political",
        "123": "political",
        "124A": "political",
        "153A": "racial",
        "153B": "racial",
        "295A": "religious",
        "298": "religious",
        "377": "cultural",
        "497": "cultural",
        "499": "cultural",
        "500": "cultural",
        "494": "family",
        "495": "family",
        "498": "family",
        "498A": "family",
    },
    Law.BNS: {
        "147": "political",
        "148": "political",
        "149": "political",
        "150": "political",
        "152": "political",
        "196": "racial",
        "197": "racial",
        "299": "religious",
        "302": "religious",
        "356": "cultural",
        "82": "family",
        "84": "family",
        "85": "family",
    },
}

ARTICLE_3 = "INTERPOL Constitution Art. 3; RPD Art. 34"
RED_EXCLUSION = "INTERPOL RPD Art. 83(1)(a)(i)"


@dataclass(frozen=True)
class _FlagCategory:
    name: str
    rule: str
    words: tuple[str, ...]
    red_only: bool  # the Red exclusions do not apply to, say, a Yellow notice for a child taken in a custody dispute


FLAG_CATEGORIES: tuple[_FlagCategory, ...] = (
    _FlagCategory("political", "Art. 3 political", POLITICAL_WORDS, red_only=False),
    _FlagCategory("military", "Art. 3 military", MILITARY_WORDS, red_only=False),
    _FlagCategory("religious", "Art. 3 religious", RELIGIOUS_WORDS, red_only=False),
    _FlagCategory("racial", "Art. 3 racial", RACIAL_WORDS, red_only=False),
    _FlagCategory("cultural", "RPD 83(1)(a)(i) cultural", CULTURAL_WORDS, red_only=True),
    _FlagCategory("family", "RPD 83(1)(a)(i) family", FAMILY_WORDS, red_only=True),
    _FlagCategory("private", "RPD 83(1)(a)(i) private dispute", PRIVATE_DISPUTE_WORDS, red_only=True),
    _FlagCategory("administrative", "RPD 83(1)(a)(i) administrative", ADMINISTRATIVE_WORDS, red_only=True),
)

_LETTER = r"[\w\u0900-\u097F]"  # Devanagari vowel signs are not \w, so they are added to keep words whole


@functools.cache
def _pattern(words: tuple[str, ...]) -> re.Pattern:
    phrases = sorted((r"\s+".join(re.escape(part) for part in word.split()) for word in words), key=len, reverse=True)
    return re.compile(rf"(?<!{_LETTER})(?:{'|'.join(phrases)})(?!{_LETTER})", re.IGNORECASE)


def matches(text: str, words: Iterable[str], *, claimed: list[tuple[int, int]] | None = None) -> list[str]:
    """The words or phrases found in text, whole and case-insensitive, each once, in the order they appear.

    Spans in `claimed` are skipped, and the spans found are added to it: a phrase flagged under one category
    ("criminal defamation of officials", political) is not flagged again under another ("defamation", honour).
    """
    claimed = [] if claimed is None else claimed
    found: list[str] = []
    for match in _pattern(tuple(words)).finditer(text or ""):
        start, end = match.span()
        if any(start < taken_end and taken_start < end for taken_start, taken_end in claimed):
            continue
        claimed.append((start, end))
        phrase = " ".join(match.group(0).split())
        if phrase.lower() not in (seen.lower() for seen in found):
            found.append(phrase)
    return found


# --- The check ---------------------------------------------------------------------------------------------------------


def check(
    request: NoticeRequest,
    *,
    today: datetime.date | None = None,
    has_photo: bool = False,
    countries: set[str] | None = None,
) -> list[Problem]:
    """Every problem at once, field by field (never stop at the first)."""
    today = today or timezone.localdate()
    problems: list[Problem] = []
    _check_person(request, today, countries, problems)
    _check_facts(request, today, problems)
    kind_check = _KIND_CHECKS.get(request.kind)
    if kind_check is None:
        problems.append(
            Problem(
                "kind",
                _("Choose the kind of notice: one of INTERPOL's colour-coded notices or the INTERPOL-UN Security Council Special Notice."),
                "notice kinds",
            )
        )
    else:
        kind_check(request, has_photo, today, problems)
    problems.extend(_flag(request))
    return problems


def blocking(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that stop a request from going on."""
    return [problem for problem in problems if problem.blocking]


def flags(problems: Iterable[Problem]) -> list[Problem]:
    """The Article 3 and excluded-category flags, for the NCB's decision."""
    return [problem for problem in problems if not problem.blocking]


# --- Every kind: the data must be accurate (RPD Art. 12) -----------------------------------------------------------------


def _check_person(request: NoticeRequest, today: datetime.date, countries: set[str] | None, problems: list[Problem]) -> None:
    cite = "INTERPOL RPD Art. 12"
    for field, label in (("date_of_birth", _("The date of birth")), ("warrant_date", _("The date of the warrant or decision"))):
        problem = _date_problem(field, label, getattr(request, field), today, cite)
        if problem:
            problems.append(problem)

    year = request.year_of_birth
    if year is not None:
        if year > today.year:
            problems.append(
                Problem("year_of_birth", _("The year of birth cannot be in the future (%(cite)s).") % {"cite": cite}, DATA_QUALITY)
            )
        elif year < EARLIEST_DATE.year:
            problems.append(
                Problem("year_of_birth", _("The year of birth cannot be before 1900: check it (%(cite)s).") % {"cite": cite}, DATA_QUALITY)
            )
        elif request.date_of_birth and request.date_of_birth.year != year:
            problems.append(
                Problem(
                    "year_of_birth",
                    _("The year of birth (%(year)s) does not match the date of birth (%(date)s) (%(cite)s).")
                    % {"year": year, "date": request.date_of_birth.isoformat(), "cite": cite},
                    DATA_QUALITY,
                )
            )

    for field, (low, high), label in (
        ("height_cm", HEIGHT_CM, _("Height must be between %(low)s and %(high)s cm")),
        ("weight_kg", WEIGHT_KG, _("Weight must be between %(low)s and %(high)s kg")),
    ):
        value = getattr(request, field)
        if value is not None and not low <= value <= high:
            message = _("%(rule)s; %(value)s is not plausible (%(cite)s).") % {
                "rule": label % {"low": low, "high": high},
                "value": value,
                "cite": cite,
            }
            problems.append(Problem(field, message, DATA_QUALITY))

    nationalities = request.nationalities or []
    if not isinstance(nationalities, list):
        nationalities = [nationalities]
    bad = [str(code) for code in nationalities if not (isinstance(code, str) and re.fullmatch(r"[A-Z]{2}", code))]
    unknown = [code for code in nationalities if code not in bad and countries is not None and code not in countries]
    if bad or unknown:
        problems.append(
            Problem(
                "nationalities",
                _("Give nationalities as two-letter ISO 3166-1 country codes, such as IN or AE; not recognised: %(codes)s (%(cite)s).")
                % {"codes": ", ".join(bad + unknown), "cite": cite},
                COUNTRY_CODES,
            )
        )


def _date_problem(field: str, label: str, value, today: datetime.date, cite: str) -> Problem | None:
    if value is None:
        return None
    if value > today:
        return Problem(field, _("%(label)s cannot be in the future (%(cite)s).") % {"label": label, "cite": cite}, DATA_QUALITY)
    if value < EARLIEST_DATE:
        return Problem(field, _("%(label)s cannot be before 1900: check it (%(cite)s).") % {"label": label, "cite": cite}, DATA_QUALITY)
    return None


def _parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, list | dict | tuple) and not value)


def _kind_name(kind: str) -> str:
    return str(NoticeKind(kind).label).split(":")[0]


def _facts(request: NoticeRequest) -> dict:
    return request.facts if isinstance(request.facts, dict) else {}


def _check_facts(request: NoticeRequest, today: datetime.date, problems: list[Problem]) -> None:
    if request.kind not in KIND_RULES:
        return
    facts = _facts(request)
    for fact in KIND_FACTS.get(request.kind, ()):
        problem = _fact_problem(request.kind, fact, facts.get(fact.key), today)
        if problem:
            problems.append(problem)


def _fact_problem(kind: str, fact: FactField, value, today: datetime.date) -> Problem | None:
    field = f"facts.{fact.key}"
    rule, cite = FACT_RULES.get((kind, fact.key), KIND_RULES[kind])
    label = str(fact.label)
    if _empty(value):
        if not fact.required:
            return None
        message = _("Fill in “%(label)s”: INTERPOL needs it for a %(kind)s (%(cite)s).") % {
            "label": label,
            "kind": _kind_name(kind),
            "cite": cite,
        }
        return Problem(field, message, rule)
    if fact.kind == "date":
        date = _parse_date(value)
        if date is None:
            message = _("The %(label)s must be a date written YYYY-MM-DD (INTERPOL RPD Art. 12).") % {"label": label}
            return Problem(field, message, DATA_QUALITY)
        if fact.key in FORWARD_FACT_DATES:
            return None  # judged by the kind's own rule (an Orange threat must still be imminent)
        return _date_problem(field, _("The %(label)s") % {"label": label}, date, today, "INTERPOL RPD Art. 12")
    if fact.kind == "choice" and value not in {choice for choice, _label in fact.choices}:
        message = _("Choose the %(label)s from the list (%(cite)s).") % {"label": label, "cite": cite}
        return Problem(field, message, rule)
    if fact.kind == "bool" and not isinstance(value, bool):
        message = _("Answer yes or no for: %(label)s (INTERPOL RPD Art. 12).") % {"label": label}
        return Problem(field, message, DATA_QUALITY)
    return None


# --- Identifiers, shared by several kinds --------------------------------------------------------------------------------


def _named(request: NoticeRequest) -> bool:
    return bool(request.family_name.strip() and request.forenames.strip())


def _biometrics(request: NoticeRequest, has_photo: bool) -> bool:
    return bool(has_photo or request.fingerprints_available or request.dna_available)


def _any_description(request: NoticeRequest) -> bool:
    return bool(request.height_cm or request.eye_colour.strip() or request.hair_colour.strip() or request.distinguishing_marks.strip())


def _require_name_sex_birth(request: NoticeRequest, rule: str, cite: str, problems: list[Problem]) -> None:
    for field, what in (
        ("family_name", _("the family name")),
        ("forenames", _("the forename(s)")),
        ("sex", _("the sex")),
    ):
        if not str(getattr(request, field) or "").strip():
            problems.append(Problem(field, _("Give %(what)s of the person (%(cite)s).") % {"what": what, "cite": cite}, rule))
    if request.date_of_birth is None and request.year_of_birth is None:
        problems.append(
            Problem("date_of_birth", _("Give the date of birth, or at least the year of birth (%(cite)s).") % {"cite": cite}, rule)
        )


# --- Red: RPD Art. 82-84 --------------------------------------------------------------------------------------------------


def _check_red(request: NoticeRequest, has_photo: bool, today: datetime.date, problems: list[Problem]) -> None:
    if not request.offence.strip():
        problems.append(
            Problem(
                "offence",
                _("Name the offence: a Red notice is published only for a serious ordinary-law crime (INTERPOL RPD Art. 83(1)(a)(i))."),
                RED_SERIOUS_CRIME,
            )
        )

    if not request.purpose:
        problems.append(
            Problem(
                "purpose",
                _(
                    "Say whether the person is sought for prosecution or to serve a sentence: a Red notice seeks arrest "
                    "with a view to extradition for one or the other (INTERPOL RPD Art. 82)."
                ),
                RED_PURPOSE,
            )
        )
    _check_red_penalty(request, problems)
    _check_red_judicial_data(request, problems)
    _check_red_identifiers(request, has_photo, problems)

    if request.extradition_intended is None:
        problems.append(
            Problem(
                "extradition_intended",
                _(
                    "Confirm that extradition will be sought once the person is found: INTERPOL requires this assurance (INTERPOL RPD Art. 84(2))."
                ),
                RED_EXTRADITION,
            )
        )
    elif request.extradition_intended is False:
        problems.append(
            Problem(
                "extradition_intended",
                _(
                    "A Red notice is published only if extradition will be sought once the person is found; to locate "
                    "the person without seeking extradition, request a Blue notice (INTERPOL RPD Art. 84(2) and Art. 82)."
                ),
                RED_EXTRADITION,
            )
        )


def _check_red_penalty(request: NoticeRequest, problems: list[Problem]) -> None:
    cite = "INTERPOL RPD Art. 83(1)(a)(ii)"
    if request.purpose == Purpose.PROSECUTION and not request.max_penalty_life:
        months = request.max_penalty_months
        if months is None:
            message = _(
                "Give the maximum penalty the offence carries: for prosecution it must be punishable by at least two years' imprisonment (%(cite)s)."
            ) % {"cite": cite}
            problems.append(Problem("max_penalty_months", message, RED_PENALTY))
        elif months < MIN_PENALTY_MONTHS:
            message = _(
                "The offence carries at most %(months)s months' imprisonment; a Red notice for prosecution needs an offence "
                "punishable by at least two years (%(cite)s)."
            ) % {"months": months, "cite": cite}
            problems.append(Problem("max_penalty_months", message, RED_PENALTY))
    elif request.purpose == Purpose.SENTENCE:
        months = request.sentence_remaining_months
        if months is None:
            message = _("Give how many months of the sentence are left to serve: at least six are needed (%(cite)s).") % {"cite": cite}
            problems.append(Problem("sentence_remaining_months", message, RED_PENALTY))
        elif months < MIN_SENTENCE_LEFT_MONTHS:
            message = _(
                "Only %(months)s months of the sentence are left to serve; a Red notice to serve a sentence needs at least six (%(cite)s)."
            ) % {"months": months, "cite": cite}
            problems.append(Problem("sentence_remaining_months", message, RED_PENALTY))


def _check_red_judicial_data(request: NoticeRequest, problems: list[Problem]) -> None:
    cite = "INTERPOL RPD Art. 83, judicial data"

    def need(field: str, message: str, **extra) -> None:
        problems.append(Problem(field, message % {"cite": cite, **extra}, RED_JUDICIAL_DATA))

    if not request.warrant_kind:
        need("warrant_kind", _("A Red notice needs an arrest warrant or a court decision: say which, with its number and date (%(cite)s)."))
    elif request.purpose == Purpose.SENTENCE and request.warrant_kind != WarrantKind.COURT_DECISION:
        need(
            "warrant_kind",
            _("A person sought to serve a sentence needs the court decision (conviction), not an arrest warrant (%(cite)s)."),
        )
    if not request.warrant_number.strip():
        need("warrant_number", _("Give the number of the arrest warrant or court decision (%(cite)s)."))
    if request.warrant_date is None:
        need("warrant_date", _("Give the date of the arrest warrant or court decision (%(cite)s)."))
    if not request.issuing_court.strip():
        need("issuing_court", _("Name the court or authority that issued the warrant or decision (%(cite)s)."))
    if not request.law:
        need("law", _("Say which law covers the offence: BNS, IPC or a special or local law (%(cite)s)."))
    if not request.sections.strip():
        need("sections", _("Give the sections of law the person is charged or convicted under (%(cite)s)."))
    summary = request.facts_summary.strip()
    if not summary:
        need("facts_summary", _("Write a summary of facts: what the person did, when and where (%(cite)s)."))
    elif len(summary) < MIN_FACTS_SUMMARY:
        message = _(
            "The summary of facts is too short: describe what the person did, when and where, in at least %(min)s characters (%(cite)s)."
        )
        need("facts_summary", message, min=MIN_FACTS_SUMMARY)


def _check_red_identifiers(request: NoticeRequest, has_photo: bool, problems: list[Problem]) -> None:
    cite = "INTERPOL RPD Art. 83, sufficient identifiers"
    _require_name_sex_birth(request, RED_IDENTIFIERS, cite, problems)
    described = bool(
        (request.height_cm and (request.eye_colour.strip() or request.hair_colour.strip())) or request.distinguishing_marks.strip()
    )
    if not (_biometrics(request, has_photo) or request.identity_documents or described):
        message = _(
            "Add at least one more identifier: a photograph, fingerprints, a DNA profile, an identity document, or a physical "
            "description (height with eye or hair colour, or distinguishing marks) (%(cite)s)."
        ) % {"cite": cite}
        problems.append(Problem("__all__", message, RED_IDENTIFIERS))


# --- Yellow: RPD Art. 90 --------------------------------------------------------------------------------------------------


def _check_yellow(request: NoticeRequest, has_photo: bool, today: datetime.date, problems: list[Problem]) -> None:
    cite = "INTERPOL RPD Art. 90(3)(a)"
    _require_name_sex_birth(request, YELLOW_IDENTIFIERS, cite, problems)
    if not (_biometrics(request, has_photo) or _any_description(request)):
        message = _(
            "Add a physical description (height, eye or hair colour, distinguishing marks), a photograph, fingerprints or a DNA profile (%(cite)s)."
        ) % {"cite": cite}
        problems.append(Problem("__all__", message, YELLOW_IDENTIFIERS))


# --- Black ----------------------------------------------------------------------------------------------------------------


def _check_black(request: NoticeRequest, has_photo: bool, today: datetime.date, problems: list[Problem]) -> None:
    rule, cite = KIND_RULES[NoticeKind.BLACK]
    if not (_biometrics(request, has_photo) or request.distinguishing_marks.strip()):
        message = _("To identify the body, add a photograph, fingerprints, a DNA profile or distinguishing marks (%(cite)s).") % {
            "cite": cite
        }
        problems.append(Problem("__all__", message, rule))


# --- Blue: RPD Art. 88 ----------------------------------------------------------------------------------------------------


def _check_blue(request: NoticeRequest, has_photo: bool, today: datetime.date, problems: list[Problem]) -> None:
    rule, cite = KIND_RULES[NoticeKind.BLUE]
    if _facts(request).get("purpose") == "identify":
        if not (_biometrics(request, has_photo) or _any_description(request)):
            message = _("To identify a person, add a photograph, fingerprints, a DNA profile or a physical description (%(cite)s).") % {
                "cite": cite
            }
            problems.append(Problem("__all__", message, rule))
    elif not (_named(request) or _biometrics(request, has_photo)):
        problems.append(Problem("__all__", _name_or_biometrics_message(cite), rule))


# --- Green: RPD Art. 89 ---------------------------------------------------------------------------------------------------


def _check_green(request: NoticeRequest, has_photo: bool, today: datetime.date, problems: list[Problem]) -> None:
    rule, cite = KIND_RULES[NoticeKind.GREEN]
    if not (_named(request) or _biometrics(request, has_photo)):
        problems.append(Problem("__all__", _name_or_biometrics_message(cite), rule))


def _name_or_biometrics_message(cite: str) -> str:
    return _(
        "Give the person's family name and forename(s), or a photograph, fingerprints or a DNA profile, so that police "
        "abroad can recognise the person (%(cite)s)."
    ) % {"cite": cite}


# --- Orange ---------------------------------------------------------------------------------------------------------------


def _check_orange(request: NoticeRequest, has_photo: bool, today: datetime.date, problems: list[Problem]) -> None:
    rule, cite = KIND_RULES[NoticeKind.ORANGE]
    facts = _facts(request)
    until = _parse_date(facts.get("imminent_until"))
    if until is not None and until < today:
        message = _(
            "An Orange notice warns of a serious and imminent threat; the date the threat was expected until has passed (%(cite)s)."
        ) % {"cite": cite}
        problems.append(Problem("facts.imminent_until", message, rule))
    if facts.get("threat_kind") == "person" and not (_named(request) or _biometrics(request, has_photo)):
        problems.append(Problem("__all__", _name_or_biometrics_message(cite), rule))


# --- Purple, Silver, UN Special: their facts carry what they need; Silver and UN also name someone -------------------


def _check_purple(request: NoticeRequest, has_photo: bool, today: datetime.date, problems: list[Problem]) -> None:
    """Purple notices are about methods, not persons: the required facts are enough."""


def _check_silver(request: NoticeRequest, has_photo: bool, today: datetime.date, problems: list[Problem]) -> None:
    rule, cite = KIND_RULES[NoticeKind.SILVER]
    if not request.family_name.strip():
        message = _(
            "Name the person whose assets are sought: a Silver notice concerns assets linked to a person's criminal activities (%(cite)s)."
        )
        problems.append(Problem("family_name", message % {"cite": cite}, rule))


def _check_un_special(request: NoticeRequest, has_photo: bool, today: datetime.date, problems: list[Problem]) -> None:
    rule, cite = KIND_RULES[NoticeKind.UN_SPECIAL]
    if not request.family_name.strip():
        message = _("Give the name of the individual or entity as it appears on the UN sanctions list (%(cite)s).")
        problems.append(Problem("family_name", message % {"cite": cite}, rule))


_KIND_CHECKS = {
    NoticeKind.RED: _check_red,
    NoticeKind.YELLOW: _check_yellow,
    NoticeKind.BLUE: _check_blue,
    NoticeKind.BLACK: _check_black,
    NoticeKind.GREEN: _check_green,
    NoticeKind.ORANGE: _check_orange,
    NoticeKind.PURPLE: _check_purple,
    NoticeKind.SILVER: _check_silver,
    NoticeKind.UN_SPECIAL: _check_un_special,
}


# --- Flags for the NCB: Article 3 and the categories RPD Art. 83(1)(a)(i) excludes ---------------------------------------


def _texts(request: NoticeRequest) -> list[tuple[str, str]]:
    texts = [("offence", request.offence), ("facts_summary", request.facts_summary), ("sections", request.sections)]
    texts += [(f"facts.{key}", value) for key, value in _facts(request).items() if isinstance(value, str)]
    return [(field, text) for field, text in texts if text and text.strip()]


def _sections(request: NoticeRequest) -> list[str]:
    return re.findall(r"(?<![\w])(\d+[A-Z]{0,2})(?![\w])", (request.sections or "").upper())


def _flag(request: NoticeRequest) -> list[Problem]:
    found: list[Problem] = []
    is_red = request.kind == NoticeKind.RED
    texts = _texts(request)
    claimed: dict[str, list[tuple[int, int]]] = {field: [] for field, _text in texts}
    for category in FLAG_CATEGORIES:
        if category.red_only and not is_red:
            continue
        for field, text in texts:
            words = matches(text, category.words, claimed=claimed[field])
            if words:
                found.append(Problem(field, _flag_message(category, words), category.rule, blocking=False))
        sections = [s for s in _sections(request) if SECTION_FLAGS.get(request.law, {}).get(s) == category.name]
        if sections:
            shown = [f"s. {section} {request.law}" for section in sections]
            found.append(Problem("sections", _flag_message(category, shown), category.rule, blocking=False))
    return _merge_same_field(found)


def _merge_same_field(found: list[Problem]) -> list[Problem]:
    """The sections field can be flagged by its words and by its numbers: keep one flag per rule and field."""
    seen: set[tuple[str, str]] = set()
    merged = []
    for problem in found:
        if (problem.rule, problem.field) not in seen:
            seen.add((problem.rule, problem.field))
            merged.append(problem)
    return merged


def _flag_message(category: _FlagCategory, words: list[str]) -> str:
    quoted = ", ".join(f"“{word}”" for word in words)
    messages = {
        "political": _("%(words)s suggest an offence of a political character"),
        "military": _("%(words)s suggest an offence of a military character"),
        "religious": _("%(words)s suggest an offence of a religious character"),
        "racial": _("%(words)s suggest an offence of a racial character"),
        "cultural": _("%(words)s suggest an offence that raises controversial issues of behavioural or cultural norms"),
        "family": _("%(words)s suggest a family or private matter"),
        "private": _("%(words)s suggest an offence deriving from a private dispute"),
        "administrative": _("%(words)s suggest a breach of administrative laws or regulations"),
    }
    what = messages[category.name] % {"words": quoted}
    if category.red_only:
        return _(
            "%(what)s. Red notices may not be published for such offences unless they facilitate a serious crime or are "
            "linked to organised crime (%(cite)s). The NCB will decide."
        ) % {"what": what, "cite": RED_EXCLUSION}
    return _(
        "%(what)s. INTERPOL may not undertake any intervention or activities of a political, military, religious or racial "
        "character (%(cite)s). The NCB will decide."
    ) % {"what": what, "cite": ARTICLE_3}

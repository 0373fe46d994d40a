"""INTERPOL's rules: a complete request of each kind passes, and each broken rule is named, placed and cited.

Requests are unsaved NoticeRequest instances: the rules read fields, never the database.
"""

import datetime

import pytest

from notices import rules
from notices.kinds import FACT_KINDS, KIND_FACTS
from notices.models import Law, NoticeKind, NoticeRequest, Purpose, Sex, WarrantKind

pytestmark = []

TODAY = datetime.date(2025, 6, 1)
COUNTRIES = {"IN", "AE", "GB", "NP", "US", "TH"}


def _request(kind: str, fields: dict, facts: dict, changes: dict) -> NoticeRequest:
    fact_changes = changes.pop("facts", {})
    return NoticeRequest(kind=kind, **{**fields, **changes}, facts={**facts, **fact_changes})


def valid_red(**changes) -> NoticeRequest:
    fields = dict(
        family_name="Sharma",
        forenames="Rakesh Kumar",
        sex=Sex.MALE,
        date_of_birth=datetime.date(1980, 4, 12),
        year_of_birth=1980,
        nationalities=["IN"],
        height_cm=172,
        eye_colour="brown",
        hair_colour="black",
        fingerprints_available=True,
        offence="Murder",
        law=Law.BNS,
        sections="103(1)",
        max_penalty_life=True,
        purpose=Purpose.PROSECUTION,
        warrant_kind=WarrantKind.ARREST_WARRANT,
        warrant_number="NBW 12/2024",
        warrant_date=datetime.date(2024, 3, 1),
        issuing_court="Court of the Chief Judicial Magistrate, Saket, New Delhi",
        facts_summary="On 14 January 2024 at Saket, New Delhi, the accused shot dead a shopkeeper and fled to Dubai on 20 January 2024.",
        extradition_intended=True,
    )
    return _request(NoticeKind.RED, fields, {"offence_category": "murder"}, changes)


def valid_yellow(**changes) -> NoticeRequest:
    fields = dict(family_name="Verma", forenames="Anjali", sex=Sex.FEMALE, year_of_birth=2011, nationalities=["IN"], height_cm=140)
    facts = {
        "disappeared_on": "2025-03-02",
        "disappeared_at": "Paharganj, New Delhi, India",
        "circumstances": "Left school at 2 pm and did not come home; last seen boarding a bus towards the railway station.",
        "is_minor": True,
    }
    return _request(NoticeKind.YELLOW, fields, facts, changes)


def valid_blue(**changes) -> NoticeRequest:
    fields = dict(family_name="Khan", forenames="Imran", sex=Sex.MALE, year_of_birth=1975)
    facts = {"purpose": "locate", "reason": "Suspect in FIR 45/2024, PS Connaught Place: cheating investors of 4 crore rupees."}
    return _request(NoticeKind.BLUE, fields, facts, changes)


def valid_black(**changes) -> NoticeRequest:
    fields = dict(sex=Sex.MALE, fingerprints_available=True)
    facts = {
        "found_on": "2025-05-20",
        "found_at": "Yamuna bank near ITO bridge, New Delhi",
        "body_description": "Male, about 35, 170 cm, blue jeans, tattoo of an anchor on the left forearm.",
        "cause_of_death": "Drowning",
        "estimated_age": "30 to 40 years",
    }
    return _request(NoticeKind.BLACK, fields, facts, changes)


def valid_green(**changes) -> NoticeRequest:
    fields = dict(family_name="Das", forenames="Bikash", sex=Sex.MALE, year_of_birth=1970)
    facts = {
        "criminal_activities": "Sexual abuse of children in orphanages he ran in Kolkata between 2005 and 2015.",
        "risk_to_public": "Released in 2024, he has applied for jobs with children's charities abroad.",
        "conviction_details": "Convicted by the POCSO Court, Kolkata, case 12/2016, 8 years' imprisonment.",
    }
    return _request(NoticeKind.GREEN, fields, facts, changes)


def valid_orange(**changes) -> NoticeRequest:
    facts = {
        "threat_kind": "object",
        "threat_description": "Parcel bombs disguised as courier packages of sweets are being sent to jewellers.",
        "imminent_until": "2025-12-31",
    }
    return _request(NoticeKind.ORANGE, {}, facts, changes)


def valid_purple(**changes) -> NoticeRequest:
    facts = {
        "modus_operandi": "Callers pose as customs officers and demand fees to release a parcel in the victim's name.",
        "linked_cases": "FIR 101/2025 Cyber PS North",
    }
    return _request(NoticeKind.PURPLE, {}, facts, changes)


def valid_silver(**changes) -> NoticeRequest:
    fields = dict(family_name="Mehta", forenames="Sunil", sex=Sex.MALE, year_of_birth=1968)
    facts = {
        "assets_description": "Villas, bank accounts and a shipping company bought with the proceeds of a bank fraud.",
        "asset_locations": "AE, GB",
        "linked_offence": "Bank fraud and money laundering",
        "proceedings": "ECIR 5/2023, Directorate of Enforcement, Mumbai",
    }
    return _request(NoticeKind.SILVER, fields, facts, changes)


def valid_un_special(**changes) -> NoticeRequest:
    fields = dict(family_name="Example", forenames="Abu")
    facts = {
        "sanctions_committee": "1267/1989/2253 ISIL (Da'esh) and Al-Qaida Sanctions Committee",
        "un_reference": "QDi.999",
        "measures": "Asset freeze, travel ban and arms embargo",
    }
    return _request(NoticeKind.UN_SPECIAL, fields, facts, changes)


VALID = {
    NoticeKind.RED: valid_red,
    NoticeKind.YELLOW: valid_yellow,
    NoticeKind.BLUE: valid_blue,
    NoticeKind.BLACK: valid_black,
    NoticeKind.GREEN: valid_green,
    NoticeKind.ORANGE: valid_orange,
    NoticeKind.PURPLE: valid_purple,
    NoticeKind.SILVER: valid_silver,
    NoticeKind.UN_SPECIAL: valid_un_special,
}


def check(request: NoticeRequest, **kwargs) -> list[rules.Problem]:
    return rules.check(request, today=TODAY, countries=COUNTRIES, **kwargs)


def where(problems) -> list[tuple[str, str]]:
    return [(problem.rule, problem.field) for problem in problems]


# --- Baselines ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(VALID), ids=[f"a complete {kind} request has no problem at all" for kind in VALID])
def test_a_complete_request_has_no_problem_at_all(kind):
    assert check(VALID[kind]()) == []


def test_every_kind_of_notice_has_its_facts_described():
    assert set(KIND_FACTS) == set(NoticeKind.values)
    for kind, facts in KIND_FACTS.items():
        assert len({fact.key for fact in facts}) == len(facts), kind
        for fact in facts:
            assert fact.kind in FACT_KINDS and str(fact.label), (kind, fact.key)
            assert bool(fact.choices) == (fact.kind == "choice"), (kind, fact.key)


# --- One row per rule: a complete request, one change, the rule that refuses it --------------------------------------

DQ, ISO = rules.DATA_QUALITY, rules.COUNTRY_CODES
SERIOUS, PENALTY, PURPOSE = rules.RED_SERIOUS_CRIME, rules.RED_PENALTY, rules.RED_PURPOSE
JUDICIAL, IDENTIFIERS, EXTRADITION = rules.RED_JUDICIAL_DATA, rules.RED_IDENTIFIERS, rules.RED_EXTRADITION
YELLOW, YELLOW_IDS = rules.YELLOW_CONDITIONS, rules.YELLOW_IDENTIFIERS
BLUE, GREEN, BLACK, ORANGE, PURPLE, SILVER, UN = (
    rules.KIND_RULES[kind][0] for kind in ("blue", "green", "black", "orange", "purple", "silver", "un_special")
)

# What each rule's message must cite.
CITATIONS = {
    DQ: "INTERPOL RPD Art. 12",
    ISO: "ISO 3166-1",
    PURPOSE: "INTERPOL RPD Art. 82",
    SERIOUS: "INTERPOL RPD Art. 83(1)(a)(i)",
    PENALTY: "INTERPOL RPD Art. 83(1)(a)(ii)",
    JUDICIAL: "INTERPOL RPD Art. 83",
    IDENTIFIERS: "INTERPOL RPD Art. 83",
    EXTRADITION: "INTERPOL RPD Art. 84(2)",
    YELLOW: "INTERPOL RPD Art. 90(2)",
    YELLOW_IDS: "INTERPOL RPD Art. 90(3)(a)",
    BLUE: "INTERPOL RPD Art. 88",
    GREEN: "INTERPOL RPD Art. 89",
    BLACK: "INTERPOL RPD, provisions on Black notices",
    ORANGE: "INTERPOL RPD, provisions on Orange notices",
    PURPLE: "INTERPOL RPD, provisions on Purple notices",
    SILVER: "INTERPOL Silver Notice pilot (2025)",
    UN: "AG-2005-RES-05",
}

FUTURE, BEFORE_1900 = datetime.date(2030, 1, 1), datetime.date(1899, 12, 31)
SENTENCED = dict(purpose=Purpose.SENTENCE, warrant_kind=WarrantKind.COURT_DECISION)
ONLY_A_NAME = dict(fingerprints_available=False, height_cm=None, eye_colour="", hair_colour="")


def refused(sentence: str, request: NoticeRequest, rule: str, field: str):
    return pytest.param(request, rule, field, id=sentence)


RULES = [
    # Every kind: the data must be accurate (RPD Art. 12); nationalities are ISO 3166-1 codes
    refused("a birth date in the future is refused", valid_red(date_of_birth=FUTURE, year_of_birth=None), DQ, "date_of_birth"),
    refused("a birth date before 1900 is refused", valid_red(date_of_birth=BEFORE_1900, year_of_birth=None), DQ, "date_of_birth"),
    refused("a birth year in the future is refused", valid_red(date_of_birth=None, year_of_birth=2031), DQ, "year_of_birth"),
    refused("a birth year before 1900 is refused", valid_yellow(year_of_birth=1899), DQ, "year_of_birth"),
    refused("a birth year that contradicts the birth date is refused", valid_red(year_of_birth=1981), DQ, "year_of_birth"),
    refused("a warrant dated tomorrow is refused", valid_red(warrant_date=TODAY + datetime.timedelta(days=1)), DQ, "warrant_date"),
    refused("a height of three metres is refused", valid_red(height_cm=300), DQ, "height_cm"),
    refused("a height under 40 cm is refused", valid_yellow(height_cm=39), DQ, "height_cm"),
    refused("a weight of one kilogram is refused", valid_red(weight_kg=1), DQ, "weight_kg"),
    refused("a weight over 400 kg is refused", valid_red(weight_kg=401), DQ, "weight_kg"),
    refused("a nationality written out in full is refused", valid_red(nationalities=["India"]), ISO, "nationalities"),
    refused("a nationality code in lower case is refused", valid_red(nationalities=["in"]), ISO, "nationalities"),
    refused("a nationality code no country has is refused", valid_red(nationalities=["IN", "XX"]), ISO, "nationalities"),
    refused(
        "a fact date not written YYYY-MM-DD is refused", valid_yellow(facts={"disappeared_on": "02/03/2025"}), DQ, "facts.disappeared_on"
    ),
    refused("a fact date that does not exist is refused", valid_yellow(facts={"disappeared_on": "2025-02-30"}), DQ, "facts.disappeared_on"),
    refused("a disappearance in the future is refused", valid_yellow(facts={"disappeared_on": "2026-01-01"}), DQ, "facts.disappeared_on"),
    refused("a body found before 1900 is refused", valid_black(facts={"found_on": "1890-01-01"}), DQ, "facts.found_on"),
    refused("a yes-or-no fact answered otherwise is refused", valid_yellow(facts={"is_minor": "maybe"}), DQ, "facts.is_minor"),
    # Red: a serious ordinary-law crime, above the penalty threshold (RPD Art. 83(1)(a))
    refused("a red request without the offence is refused", valid_red(offence=""), SERIOUS, "offence"),
    refused(
        "a red request without an offence category is refused", valid_red(facts={"offence_category": ""}), SERIOUS, "facts.offence_category"
    ),
    refused(
        "an offence category not on the list is refused",
        valid_red(facts={"offence_category": "jaywalking"}),
        SERIOUS,
        "facts.offence_category",
    ),
    refused(
        "a penalty under two years is refused for prosecution",
        valid_red(max_penalty_life=False, max_penalty_months=12),
        PENALTY,
        "max_penalty_months",
    ),
    refused(
        "twenty-three months is not enough for prosecution",
        valid_red(max_penalty_life=False, max_penalty_months=23),
        PENALTY,
        "max_penalty_months",
    ),
    refused("a prosecution without the maximum penalty is refused", valid_red(max_penalty_life=False), PENALTY, "max_penalty_months"),
    refused(
        "five months left to serve is not enough", valid_red(**SENTENCED, sentence_remaining_months=5), PENALTY, "sentence_remaining_months"
    ),
    refused("a sentence without the time left to serve is refused", valid_red(**SENTENCED), PENALTY, "sentence_remaining_months"),
    # Red: sought for prosecution or to serve a sentence (RPD Art. 82)
    refused("a red request that says neither prosecution nor sentence is refused", valid_red(purpose=""), PURPOSE, "purpose"),
    # Red: judicial data (RPD Art. 83)
    refused("a red request with no warrant or court decision is refused", valid_red(warrant_kind=""), JUDICIAL, "warrant_kind"),
    refused("a red request without the warrant number is refused", valid_red(warrant_number=""), JUDICIAL, "warrant_number"),
    refused("a red request without the warrant date is refused", valid_red(warrant_date=None), JUDICIAL, "warrant_date"),
    refused("a red request without the issuing court is refused", valid_red(issuing_court=" "), JUDICIAL, "issuing_court"),
    refused(
        "a sentence resting on an arrest warrant instead of the conviction is refused",
        valid_red(purpose=Purpose.SENTENCE, sentence_remaining_months=36),
        JUDICIAL,
        "warrant_kind",
    ),
    refused("a red request without the law is refused", valid_red(law=""), JUDICIAL, "law"),
    refused("a red request without the sections is refused", valid_red(sections=""), JUDICIAL, "sections"),
    refused("a red request without a summary of facts is refused", valid_red(facts_summary=""), JUDICIAL, "facts_summary"),
    refused("a one-line summary of facts is refused", valid_red(facts_summary="Killed a man in Delhi."), JUDICIAL, "facts_summary"),
    # Red: sufficient identifiers (RPD Art. 83)
    refused("a red request without the family name is refused", valid_red(family_name=""), IDENTIFIERS, "family_name"),
    refused("a red request without the forenames is refused", valid_red(forenames=""), IDENTIFIERS, "forenames"),
    refused("a red request without the sex is refused", valid_red(sex=""), IDENTIFIERS, "sex"),
    refused(
        "a red request without even the year of birth is refused",
        valid_red(date_of_birth=None, year_of_birth=None),
        IDENTIFIERS,
        "date_of_birth",
    ),
    refused("a wanted person known by name alone is refused", valid_red(**ONLY_A_NAME), IDENTIFIERS, "__all__"),
    refused(
        "a height alone is not a physical description",
        valid_red(fingerprints_available=False, eye_colour="", hair_colour=""),
        IDENTIFIERS,
        "__all__",
    ),
    # Red: the assurance that extradition will be sought (RPD Art. 84(2))
    refused(
        "a red request that does not answer on extradition is refused",
        valid_red(extradition_intended=None),
        EXTRADITION,
        "extradition_intended",
    ),
    refused("a red request without extradition is refused", valid_red(extradition_intended=False), EXTRADITION, "extradition_intended"),
    # Yellow (RPD Art. 90)
    refused(
        "a missing person without the date of disappearance is refused",
        valid_yellow(facts={"disappeared_on": None}),
        YELLOW,
        "facts.disappeared_on",
    ),
    refused(
        "a missing person without the place of disappearance is refused",
        valid_yellow(facts={"disappeared_at": ""}),
        YELLOW,
        "facts.disappeared_at",
    ),
    refused(
        "a missing person without the circumstances is refused", valid_yellow(facts={"circumstances": "  "}), YELLOW, "facts.circumstances"
    ),
    refused("a missing person without a family name is refused", valid_yellow(family_name=""), YELLOW_IDS, "family_name"),
    refused("a missing person without forenames is refused", valid_yellow(forenames=""), YELLOW_IDS, "forenames"),
    refused("a missing person without the sex is refused", valid_yellow(sex=""), YELLOW_IDS, "sex"),
    refused("a missing person without a year of birth is refused", valid_yellow(year_of_birth=None), YELLOW_IDS, "date_of_birth"),
    refused("a missing person with no description photo or biometrics is refused", valid_yellow(height_cm=None), YELLOW_IDS, "__all__"),
    # Black
    refused("a body without the date it was found is refused", valid_black(facts={"found_on": None}), BLACK, "facts.found_on"),
    refused("a body without the place it was found is refused", valid_black(facts={"found_at": ""}), BLACK, "facts.found_at"),
    refused("a body without a description is refused", valid_black(facts={"body_description": ""}), BLACK, "facts.body_description"),
    refused("a body with no photo fingerprints DNA or marks is refused", valid_black(fingerprints_available=False), BLACK, "__all__"),
    # Blue (RPD Art. 88)
    refused("a blue request that does not say what it seeks is refused", valid_blue(facts={"purpose": ""}), BLUE, "facts.purpose"),
    refused("a blue request seeking an arrest is refused", valid_blue(facts={"purpose": "arrest"}), BLUE, "facts.purpose"),
    refused("a blue request not linked to a criminal investigation is refused", valid_blue(facts={"reason": ""}), BLUE, "facts.reason"),
    refused(
        "a blue request to locate someone with no name or biometrics is refused", valid_blue(family_name="", forenames=""), BLUE, "__all__"
    ),
    refused(
        "a blue request to identify someone with nothing to go on is refused", valid_blue(facts={"purpose": "identify"}), BLUE, "__all__"
    ),
    # Green (RPD Art. 89)
    refused(
        "a green request without the criminal activities is refused",
        valid_green(facts={"criminal_activities": ""}),
        GREEN,
        "facts.criminal_activities",
    ),
    refused(
        "a green request without the threat to public safety is refused",
        valid_green(facts={"risk_to_public": ""}),
        GREEN,
        "facts.risk_to_public",
    ),
    refused("a green request with no name or biometrics is refused", valid_green(family_name="", forenames=""), GREEN, "__all__"),
    # Orange
    refused(
        "an orange request that does not say what the threat is is refused",
        valid_orange(facts={"threat_kind": ""}),
        ORANGE,
        "facts.threat_kind",
    ),
    refused(
        "an orange request without the threat described is refused",
        valid_orange(facts={"threat_description": ""}),
        ORANGE,
        "facts.threat_description",
    ),
    refused(
        "an orange threat that is no longer imminent is refused",
        valid_orange(facts={"imminent_until": "2025-05-31"}),
        ORANGE,
        "facts.imminent_until",
    ),
    refused(
        "an orange warning about a person nobody can recognise is refused", valid_orange(facts={"threat_kind": "person"}), ORANGE, "__all__"
    ),
    # Purple
    refused(
        "a purple request without the modus operandi is refused", valid_purple(facts={"modus_operandi": ""}), PURPLE, "facts.modus_operandi"
    ),
    # Silver (pilot)
    refused(
        "a silver request without the assets is refused", valid_silver(facts={"assets_description": ""}), SILVER, "facts.assets_description"
    ),
    refused(
        "a silver request without where the assets may be is refused",
        valid_silver(facts={"asset_locations": ""}),
        SILVER,
        "facts.asset_locations",
    ),
    refused(
        "a silver request without the linked crime is refused", valid_silver(facts={"linked_offence": ""}), SILVER, "facts.linked_offence"
    ),
    refused("a silver request that names nobody is refused", valid_silver(family_name=""), SILVER, "family_name"),
    # INTERPOL-UN Security Council Special Notice
    refused(
        "a special notice without the sanctions committee is refused",
        valid_un_special(facts={"sanctions_committee": ""}),
        UN,
        "facts.sanctions_committee",
    ),
    refused(
        "a special notice without the UN list reference is refused", valid_un_special(facts={"un_reference": ""}), UN, "facts.un_reference"
    ),
    refused("a special notice without the measures is refused", valid_un_special(facts={"measures": ""}), UN, "facts.measures"),
    refused("a special notice that names nobody is refused", valid_un_special(family_name=""), UN, "family_name"),
]


@pytest.mark.parametrize(("request_", "rule", "field"), RULES)
def test_each_broken_rule_is_refused_by_name_and_cited(request_, rule, field):
    problems = check(request_)
    assert where(problems) == [(rule, field)]
    assert problems[0].blocking
    assert CITATIONS[rule] in problems[0].message


def test_every_rule_id_has_a_row_in_the_table():
    assert {row.values[1] for row in RULES} == set(CITATIONS)


# --- Thresholds and alternatives that are enough --------------------------------------------------------------------------

PASSPORT = [{"type": "passport", "number": "Z1234567", "country": "IN"}]


def enough(sentence: str, request: NoticeRequest, **options):
    return pytest.param(request, options, id=sentence)


ENOUGH = [
    enough("six months left to serve is enough for a sentence", valid_red(**SENTENCED, sentence_remaining_months=6)),
    enough("exactly two years is enough for prosecution", valid_red(max_penalty_life=False, max_penalty_months=24)),
    enough("life imprisonment is enough without a number of months", valid_red(max_penalty_life=True, max_penalty_months=None)),
    enough("a photograph completes the identifiers of a wanted person", valid_red(**ONLY_A_NAME), has_photo=True),
    enough("a passport completes the identifiers of a wanted person", valid_red(**ONLY_A_NAME, identity_documents=PASSPORT)),
    enough(
        "distinguishing marks complete the identifiers of a wanted person",
        valid_red(**ONLY_A_NAME, distinguishing_marks="Scar above the right eye"),
    ),
    enough("DNA completes the identifiers of a wanted person", valid_red(**ONLY_A_NAME, dna_available=True)),
    enough("a year of birth is enough without the full date", valid_red(date_of_birth=None)),
    enough("a DNA profile completes the identifiers of a missing person", valid_yellow(height_cm=None, dna_available=True)),
    enough("a photograph of the body is enough to identify it", valid_black(fingerprints_available=False), has_photo=True),
    enough(
        "a blue request to identify needs no name",
        valid_blue(family_name="", forenames="", facts={"purpose": "identify"}, distinguishing_marks="Cobra tattoo"),
    ),
    enough("a fact date kept as a date object is accepted", valid_yellow(facts={"disappeared_on": datetime.date(2025, 3, 2)})),
    enough("two known nationalities are accepted", valid_red(nationalities=["IN", "NP"])),
]


@pytest.mark.parametrize(("request_", "options"), ENOUGH)
def test_what_is_enough_is_accepted(request_, options):
    assert rules.blocking(check(request_, **options)) == []


def test_six_months_left_to_serve_is_enough_for_a_sentence():
    request = valid_red(purpose=Purpose.SENTENCE, warrant_kind=WarrantKind.COURT_DECISION, sentence_remaining_months=6)
    assert check(request) == []


def test_a_penalty_under_two_years_is_refused_for_prosecution():
    problems = check(valid_red(max_penalty_life=False, max_penalty_months=18))
    assert where(problems) == [("RPD 83(1)(a)(ii)", "max_penalty_months")]
    assert "18 months" in problems[0].message and "two years" in problems[0].message


def test_a_red_request_without_a_warrant_is_refused():
    problems = check(valid_red(warrant_kind="", warrant_number="", warrant_date=None))
    assert {problem.field for problem in rules.blocking(problems)} == {"warrant_kind", "warrant_number", "warrant_date"}
    assert all("RPD Art. 83" in problem.message for problem in problems)


def test_a_birth_date_in_the_future_is_refused():
    problems = check(valid_red(date_of_birth=TODAY + datetime.timedelta(days=1), year_of_birth=None))
    assert where(problems) == [("RPD 12", "date_of_birth")]


def test_a_birth_date_today_is_not_in_the_future():
    assert check(valid_yellow(date_of_birth=TODAY, year_of_birth=None)) == []


def test_countries_are_checked_only_when_the_caller_gives_them():
    request = valid_red(nationalities=["XX"])
    assert rules.check(request, today=TODAY) == []
    assert where(rules.check(request, today=TODAY, countries=COUNTRIES)) == [("ISO 3166-1", "nationalities")]


def test_today_defaults_to_the_local_date():
    assert rules.check(valid_red(warrant_date=datetime.date(2999, 1, 1)))[0].field == "warrant_date"


# --- Article 3 and the categories excluded from Red notices: flags for the NCB, never blocking -----------------------


def test_sedition_is_flagged_for_the_ncb_under_article_3():
    problems = check(valid_red(offence="Sedition"))
    assert rules.blocking(problems) == []
    [flag] = rules.flags(problems)
    assert (flag.rule, flag.field, flag.blocking) == ("Art. 3 political", "offence", False)
    assert "“Sedition”" in flag.message and "Constitution Art. 3" in flag.message and "NCB will decide" in flag.message


def test_a_cheque_dishonour_case_is_flagged_as_a_private_dispute():
    request = valid_red(offence="Dishonour of cheque", law=Law.SLL, sections="138 NI Act", facts={"offence_category": "fraud_economic"})
    problems = check(request)
    assert rules.blocking(problems) == []
    assert where(rules.flags(problems)) == [("RPD 83(1)(a)(i) private dispute", "offence"), ("RPD 83(1)(a)(i) private dispute", "sections")]
    assert all("RPD Art. 83(1)(a)(i)" in flag.message and "private dispute" in flag.message for flag in rules.flags(problems))


POLITICAL, MILITARY, RELIGIOUS, RACIAL = "Art. 3 political", "Art. 3 military", "Art. 3 religious", "Art. 3 racial"
CULTURAL, FAMILY = "RPD 83(1)(a)(i) cultural", "RPD 83(1)(a)(i) family"
PRIVATE, ADMINISTRATIVE = "RPD 83(1)(a)(i) private dispute", "RPD 83(1)(a)(i) administrative"
WAR = "The accused is charged with waging war against the Government of India by raising funds abroad for an armed group."
SENTIMENTS = "He posted videos online hurting religious sentiments of a community in Bareilly in 2023."
MARRIAGE = "The couple had a matrimonial dispute; she alleges dowry harassment by the husband, who now lives in Toronto."


def flagged(sentence: str, request: NoticeRequest, rule: str, field: str):
    return pytest.param(request, rule, field, id=sentence)


FLAGGED = [
    flagged("waging war against the government is flagged as political", valid_red(facts_summary=WAR), POLITICAL, "facts_summary"),
    flagged("insulting the national flag is flagged as political", valid_red(offence="Insulting the national flag"), POLITICAL, "offence"),
    flagged(
        "criminal defamation of officials is flagged as political",
        valid_red(offence="Criminal defamation of officials"),
        POLITICAL,
        "offence",
    ),
    flagged("sedition written in Hindi is flagged as political", valid_red(offence="राजद्रोह"), POLITICAL, "offence"),
    flagged("section 124A IPC is flagged as sedition", valid_red(law=Law.IPC, sections="124A, 120B"), POLITICAL, "sections"),
    flagged("section 152 BNS is flagged as endangering sovereignty", valid_red(law=Law.BNS, sections="152"), POLITICAL, "sections"),
    flagged("desertion is flagged as military", valid_red(offence="Desertion from the Indian Army"), MILITARY, "offence"),
    flagged("blasphemy is flagged as religious", valid_red(offence="Blasphemy"), RELIGIOUS, "offence"),
    flagged("hurting religious sentiments is flagged as religious", valid_red(facts_summary=SENTIMENTS), RELIGIOUS, "facts_summary"),
    flagged("apostasy is flagged as religious", valid_red(offence="Apostasy"), RELIGIOUS, "offence"),
    flagged("section 299 BNS is flagged as religious", valid_red(law=Law.BNS, sections="299"), RELIGIOUS, "sections"),
    flagged(
        "promoting enmity between groups is flagged as racial", valid_red(offence="Promoting enmity between groups"), RACIAL, "offence"
    ),
    flagged("adultery is flagged as a matter of cultural norms", valid_red(offence="Adultery"), CULTURAL, "offence"),
    flagged("witchcraft is flagged as a matter of cultural norms", valid_red(offence="Witchcraft"), CULTURAL, "offence"),
    flagged("begging is flagged as a matter of cultural norms", valid_red(offence="Begging"), CULTURAL, "offence"),
    flagged("a dowry and matrimonial dispute is flagged as a family matter", valid_red(facts_summary=MARRIAGE), FAMILY, "facts_summary"),
    flagged("a custody dispute is flagged as a family matter", valid_red(offence="Child custody dispute"), FAMILY, "offence"),
    flagged("section 498A IPC is flagged as a family matter", valid_red(law=Law.IPC, sections="498A, 406"), FAMILY, "sections"),
    flagged("a visa overstay is flagged as administrative", valid_red(offence="Visa overstay"), ADMINISTRATIVE, "offence"),
    flagged("a traffic offence is flagged as administrative", valid_red(offence="Traffic violation"), ADMINISTRATIVE, "offence"),
    flagged("a breach of contract is flagged as a private dispute", valid_red(offence="Breach of contract"), PRIVATE, "offence"),
]


@pytest.mark.parametrize(("request_", "rule", "field"), FLAGGED)
def test_words_interpol_may_not_touch_are_flagged_for_the_ncb(request_, rule, field):
    problems = check(request_)
    assert rules.blocking(problems) == []
    assert where(rules.flags(problems)) == [(rule, field)]
    assert "The NCB will decide" in problems[0].message


def test_article_3_applies_to_every_kind_of_notice():
    problems = check(valid_green(facts={"criminal_activities": "Blasphemy against the prophet in public sermons in 2019 and 2021."}))
    assert where(problems) == [("Art. 3 religious", "facts.criminal_activities")]
    assert not problems[0].blocking


def test_the_red_exclusions_do_not_flag_a_yellow_notice_for_a_child_taken_in_a_custody_dispute():
    circumstances = "Taken to Bangkok by her father during a child custody dispute, in breach of a court order."
    assert check(valid_yellow(facts={"circumstances": circumstances})) == []


def test_words_match_whole_words_only_and_in_any_case():
    assert rules.matches("The treasurer was charged with desertification offences", rules.POLITICAL_WORDS + rules.MILITARY_WORDS) == []
    assert rules.matches("SEDITION and Sedition and sedition", rules.POLITICAL_WORDS) == ["SEDITION"]
    assert rules.matches("a cheque   dishonour case", rules.PRIVATE_DISPUTE_WORDS) == ["cheque dishonour"]
    assert rules.matches("धार्मिक भावनाओं को ठेस पहुँचाई", rules.RELIGIOUS_WORDS) == ["धार्मिक भावनाओं"]
    assert rules.matches("राजद्रोहियों", rules.POLITICAL_WORDS) == []


def test_section_numbers_are_read_in_their_own_code():
    assert check(valid_red(law=Law.IPC, sections="302")) == []  # murder under the IPC, not BNS 302 (religious feelings)
    assert where(check(valid_red(law=Law.BNS, sections="302"))) == [("Art. 3 religious", "sections")]


# --- All at once ---------------------------------------------------------------------------------------------------------


def test_every_problem_is_reported_at_once():
    problems = check(NoticeRequest(kind=NoticeKind.RED, offence="Sedition", date_of_birth=datetime.date(2030, 1, 1), height_cm=300))
    assert set(where(rules.blocking(problems))) == {
        ("RPD 12", "date_of_birth"),
        ("RPD 12", "height_cm"),
        ("RPD 83(1)(a)(i)", "facts.offence_category"),
        ("RPD 82", "purpose"),
        ("RPD 83 judicial data", "warrant_kind"),
        ("RPD 83 judicial data", "warrant_number"),
        ("RPD 83 judicial data", "warrant_date"),
        ("RPD 83 judicial data", "issuing_court"),
        ("RPD 83 judicial data", "law"),
        ("RPD 83 judicial data", "sections"),
        ("RPD 83 judicial data", "facts_summary"),
        ("RPD 83 identifiers", "family_name"),
        ("RPD 83 identifiers", "forenames"),
        ("RPD 83 identifiers", "sex"),
        ("RPD 83 identifiers", "__all__"),
        ("RPD 84(2)", "extradition_intended"),
    }
    assert where(rules.flags(problems)) == [("Art. 3 political", "offence")]


def test_every_message_cites_its_rule():
    requests = [NoticeRequest(kind=kind, offence="Sedition", nationalities=["xx"], height_cm=1) for kind in NoticeKind.values]
    for problem in [problem for request in requests for problem in check(request)]:
        assert "INTERPOL" in problem.message or "ISO 3166-1" in problem.message, problem


def test_blocking_and_flags_split_the_problems():
    problems = check(valid_red(offence="Sedition", warrant_kind=""))
    assert rules.blocking(problems) + rules.flags(problems) == sorted(problems, key=lambda problem: not problem.blocking)
    assert [problem.rule for problem in rules.blocking(problems)] == ["RPD 83 judicial data"]
    assert [problem.rule for problem in rules.flags(problems)] == ["Art. 3 political"]


def test_an_unknown_kind_is_refused():
    assert where(check(NoticeRequest(kind="pink"))) == [("notice kinds", "kind")]


def test_a_missing_fact_is_asked_for_by_its_label_in_a_sentence_that_reads():
    request = valid_blue()
    request.facts.pop("purpose")
    (message,) = [problem.message for problem in check(request) if problem.field == "facts.purpose"]
    assert message.startswith("Fill in “what the notice seeks”: INTERPOL needs it for a Blue notice (")

"""Name matching: transliteration, normalisation, phonetic keys and the token-wise score."""

import pytest

from records import names


@pytest.mark.parametrize(
    ("devanagari", "latin"),
    [
        ("मोहम्मद इरफ़ान क़ुरैशी", "mohammad irfan quraishi"),
        ("राजेश कुमार शर्मा", "rajesh kumar sharma"),
        ("वीरेंद्र सिंह", "virendra singh"),
        ("हरप्रीत कौर", "harprit kaur"),
        ("कमला", "kamla"),
        ("कृष्ण", "krishna"),
        ("लक्ष्मी", "lakshmi"),
    ],
)
def test_devanagari_is_written_as_indians_spell_names(devanagari, latin):
    assert names.transliterate(devanagari) == latin


def test_honorifics_go_and_abbreviations_are_expanded():
    assert names.normalise("Sh. Md. Irfan s/o Abdul") == ("mohammad", "irfan")
    assert names.normalise("Smt. Kumari Laxmi") == ("laxmi",)
    assert names.normalise("R.K. Sharma") == ("r", "k", "sharma")


@pytest.mark.parametrize(
    ("a", "b"),
    [("Virender", "Birender"), ("Lakshmi", "Laxmi"), ("Qureshi", "Kureshi"), ("Sateesh", "Satish"), ("Phool", "Fool"),
     ("Zakir", "Jakir"), ("Shabnam", "Sabnam"), ("Dharmender", "Dharmendar"), ("Singh", "Sing"), ("Mohd", "Mohammad")],
)  # fmt: skip
def test_spellings_that_sound_alike_share_a_phonetic_key(a, b):
    assert names.phonetic(names.normalise(a)[0]) == names.phonetic(names.normalise(b)[0])


def test_initials_word_order_and_a_missing_middle_name_still_score_high():
    assert names.name_score("Rajesh Kumar Sharma", "R. K. Sharma").score >= 0.85
    assert names.name_score("Rajesh Kumar Sharma", "Sharma Rajesh Kumar").score >= 0.9
    assert names.name_score("Rajesh Kumar Sharma", "Rajesh Sharma").score >= 0.85
    assert names.name_score("Raj Kumar Verma", "Rajkumar Verma").score >= 0.9


def test_a_different_person_with_a_shared_surname_scores_low():
    assert names.name_score("Rajesh Kumar Sharma", "Anil Sharma").score < 0.7
    assert names.name_score("Rajesh Sharma", "Sunita Devi").score == 0


def test_the_score_explains_itself():
    result = names.name_score("Mohammad Irfan Qureshi", "Md. Irfan Kureshi")
    assert result.score > 0.95
    assert any("sounds alike" in line for line in result.explanation)


def test_mixed_scripts_are_detected():
    assert names.scripts_in("Rajesh कुमार") == {"latin", "devanagari"}

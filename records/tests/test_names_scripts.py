"""Names in every Indian script: filed under the Latin spelling, found from Latin and found by a query in the script."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from records import matching, name_index, names, services
from records.importer import Importer, _split_lines, import_file, jsonl
from records.models import Person
from records.tests.test_import import by_line

# script, the name written in it, the name as commonly spelt in Latin
NAMES = [
    ("devanagari", "राजेश कुमार", "Rajesh Kumar"),
    ("devanagari", "सुनीता यादव", "Sunita Yadav"),
    ("bengali-assamese", "রাজেশ কুমার", "Rajesh Kumar"),
    ("bengali-assamese", "সৌরভ গাঙ্গুলী", "Sourav Ganguly"),
    ("bengali-assamese", "ৰাজেশ বৰা", "Rajesh Bora"),  # Assamese ৰ
    ("gurmukhi", "ਰਾਜੇਸ਼ ਕੁਮਾਰ", "Rajesh Kumar"),
    ("gurmukhi", "ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ ਸਿੱਧੂ", "Gurpreet Singh Sidhu"),
    ("gujarati", "રાજેશ કુમાર", "Rajesh Kumar"),
    ("gujarati", "નરેન્દ્ર પટેલ", "Narendra Patel"),
    ("odia", "ରାଜେଶ କୁମାର", "Rajesh Kumar"),
    ("odia", "ସୁବ୍ରତ ମହାପାତ୍ର", "Subrata Mohapatra"),
    ("tamil", "ராஜேஷ் குமார்", "Rajesh Kumar"),
    ("tamil", "முருகன் செல்வம்", "Murugan Selvam"),
    ("tamil", "செந்தில் குமார்", "Senthil Kumar"),
    ("telugu", "రాజేష్ కుమార్", "Rajesh Kumar"),
    ("telugu", "వెంకటేశ్వర రావు", "Venkateswara Rao"),
    ("kannada", "ರಾಜೇಶ್ ಕುಮಾರ್", "Rajesh Kumar"),
    ("kannada", "ಮಂಜುನಾಥ್ ಗೌಡ", "Manjunath Gowda"),
    ("malayalam", "രാജേഷ് കുമാർ", "Rajesh Kumar"),
    ("malayalam", "സുരേഷ് ഗോപി", "Suresh Gopi"),
    ("urdu", "راجیش کمار", "Rajesh Kumar"),
    ("urdu", "جاوید اختر", "Javed Akhtar"),
    ("urdu", "فاطمہ بیگم", "Fatima Begum"),
]
IDS = [f"{script}-{latin}" for script, _native, latin in NAMES]


def save(external_id: str, name: str, **data):
    return services.person_save(data={"external_id": external_id, "source": "test", "name": name, "roles": ["accused"], **data})


@pytest.mark.parametrize(("script", "native", "latin"), NAMES, ids=IDS)
def test_each_script_is_named(script, native, latin):
    assert names.scripts_in(native) == {script}


@pytest.mark.parametrize(("script", "native", "latin"), NAMES, ids=IDS)
def test_a_native_name_sounds_like_its_latin_spelling(script, native, latin):
    result = names.name_score(native, latin)
    assert result.score >= 0.95 and not any("similar spelling" in line for line in result.explanation), result


def test_rajesh_kumar_in_tamil_urdu_and_latin_has_the_same_phonetic_keys():
    keys = {tuple(names.phonetic(t) for t in names.normalise(n)) for n in ("ராஜேஷ் குமார்", "راجیش کمار", "Rajesh Kumar")}
    assert keys == {("rjs", "kmr")}


@pytest.mark.parametrize(("script", "native", "latin"), NAMES, ids=IDS)
def test_a_person_saved_in_their_script_is_found_from_the_latin_spelling(people, script, native, latin):
    person = save("X1", native)
    assert person.name == native  # kept as written; filed under the Latin spelling
    found = matching.screen_person(latin)
    assert found and found[0].external_id == "X1", f"{latin} → {[(m.name, m.score) for m in found]}"
    assert found[0].score >= matching.STRONG and not found[0].weak


@pytest.mark.parametrize(("script", "native", "latin"), NAMES, ids=IDS)
def test_a_person_saved_in_latin_is_found_from_a_query_in_another_script(people, script, native, latin):
    save("X1", latin)
    found = matching.screen_person(native)
    assert found and found[0].external_id == "X1", f"{native} → {[(m.name, m.score) for m in found]}"
    assert found[0].score >= matching.STRONG and not found[0].weak


def test_a_police_search_in_bengali_finds_the_record_in_latin_with_the_fathers_name_and_year(people, delhi_uo):
    save("X1", "Amit Das", father_name="Subhash Das", birth_year=1984)
    save("X2", "Amit Das", father_name="Ramen Das", birth_year=1961)
    results = services.person_search(
        user=delhi_uo, purpose="FIR 44/2026 PS Saket, verification", name="অমিত দাস", father_name="সুভাষ দাস", dob="1984"
    )
    assert results[0].person.external_id == "X1" and results[0].strong
    assert any("father's name agrees" in line for line in results[0].match.explanation)


def test_a_police_search_in_latin_finds_a_record_in_urdu(people, delhi_uo):
    save("X1", "محمد عرفان قریشی", father_name="عبدالقادر", birth_year=1990)
    results = services.person_search(
        user=delhi_uo, purpose="FIR 45/2026 PS Saket, verification", name="Mohd Irfan Kureshi", father_name="Abdul Qadir", dob="1990"
    )
    assert results[0].person.external_id == "X1" and results[0].strong


def test_tamil_spellings_that_differ_in_voicing_agree_only_when_tamil_is_written():
    assert names.name_score("சுந்தர் ராஜ்", "Sundar Raj").score >= 0.9  # சுந்தர் is filed as suntar
    assert names.name_score("suntar raj", "Sundar Raj").score < 0.9  # in Latin, t and d are different letters
    assert names.name_score("Harpreet Kaur", "Harpreet Gaur").score < 0.9


def test_a_tamil_query_is_also_read_as_spoken():
    assert names.readings("முருகன் செல்வம்")[:2] == (("murukan", "selvam"), ("murugan", "selvam"))
    assert ("alagiri",) in names.readings("அழகிரி")  # ழ: zh or l
    assert names.readings("Murugan Selvam") == (("murugan", "selvam"),)


@pytest.mark.parametrize(
    ("urdu", "latin"),
    [("محمد", "mahmd"), ("علی", "ali"), ("جاوید", "javed"), ("محمود", "mahmud"), ("یوسف", "yusf"), ("پرویز", "prvez"),
     ("فاطمہ", "fatma"), ("شاہ", "shah"), ("راجیو", "rajev"), ("بھٹی", "bhti")],
)  # fmt: skip
def test_urdu_vowels_that_are_not_written_are_left_to_the_phonetic_key(urdu, latin):
    assert names.transliterate(urdu) == latin


@pytest.mark.parametrize(("script", "native", "latin"), NAMES, ids=IDS)
def test_a_name_in_any_indian_script_is_accepted(script, native, latin):
    services.check_name(native, "name")


def test_a_name_mixing_two_indian_scripts_is_refused_naming_both():
    with pytest.raises(ValidationError) as error:
        services.check_name("রাজেশ कुमार", "name")
    assert error.value.message_dict["name"] == ["The name mixes scripts (bengali-assamese, devanagari)."]


def test_a_name_in_a_script_the_records_cannot_read_is_refused_naming_the_field_and_the_script(db):
    with pytest.raises(ValidationError) as error:
        save("X1", "Rajesh Kumar", father_name="රාජේෂ් කුමාර්")  # Sinhala
    message = error.value.message_dict["father_name"][0]
    assert message.startswith("The father's name is written in a script the records cannot read (sinhala)")
    assert "tamil" in message and "urdu" in message


def test_transliteration_of_a_word_is_cached():
    names.word_to_latin.cache_clear()
    names.normalise.cache_clear()
    names.normalise("ராஜேஷ் குமார்")
    names.normalise("குமார் ராஜேஷ்")
    info = names.word_to_latin.cache_info()
    assert (info.misses, info.hits) == (2, 2)


def test_a_bulk_import_files_names_in_every_script_under_the_keys_a_search_looks_for(db, tmp_path):
    rows = [{"external_id": f"N{n}", "name": native, "dob": "1990"} for n, (_script, native, _latin) in enumerate(NAMES)]
    path = tmp_path / "rows.jsonl"
    path.write_text(jsonl(rows), encoding="utf-8")
    report = import_file(path, progress=False)
    assert report.imported == len(NAMES) and report.rejected == 0
    for person in Person.objects.all():
        assert name_index.keys_held([person.pk])[person.pk] == services.keys_for(person), person.name
    assert matching.screen_person("Manjunath Gowda", dob="1990")[0].name == "ಮಂಜುನಾಥ್ ಗೌಡ"


def test_the_quick_way_through_a_block_reads_names_in_every_script_as_the_general_way_does(db):
    rows = [{"external_id": f"N{n}", "name": native, "father_name": native} for n, (_script, native, _latin) in enumerate(NAMES)]
    block = jsonl(rows).encode()
    names._learnt.clear()
    checker = Importer(Path("unused.jsonl"), use_copy=True, progress=False).checker
    quick = checker.prepare((1, block), base=1000)
    assert ("tamil", "முருகன்") in names._learnt  # the block's new words were given to aksharamukha at once
    general = checker.prepare(_split_lines(1, block), base=1000)
    assert by_line(quick, 1000) == by_line(general, 1000) and len(quick.lines) == len(NAMES)

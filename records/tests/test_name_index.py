"""The name index: persons are filed under their keys, moved when their name changes, merged segments read the same."""

import pytest

from records import matching, name_index, services
from records.models import NameKeyStat, NamePosting, Person

pytestmark = pytest.mark.django_db


def save(ext: str, name: str, father: str = "", dob: str | None = None) -> Person:
    data = {"external_id": ext, "source": "test", "name": name, "father_name": father}
    if dob:
        data["dob"] = dob
    return services.person_save(data=data)


def filed_under(person: Person) -> set[str]:
    return name_index.keys_held([person.pk]).get(person.pk, set())


def test_a_saved_person_is_filed_under_exactly_its_keys():
    person = save("A1", "Rajesh Kumar Sharma", "Suresh Sharma", "1982-07-30")
    assert filed_under(person) == services.keys_for(person)
    assert {"p:rjs|srm", "n:rk|srm", "f:srm|srs", "y:srm|1982"} <= filed_under(person)
    assert NameKeyStat.objects.get(key=name_index.ALL).count == 1


def test_a_renamed_person_leaves_its_old_keys_and_the_counts_follow():
    person = save("A1", "Ramesh Verma", "Mohan Verma")
    save("A2", "Ramesh Gupta")
    assert name_index.counts({"t:rms"}) == {"t:rms": 2}
    person = save("A1", "Suresh Verma", "Mohan Verma")
    assert name_index.counts({"t:rms", "t:srs"}) == {"t:rms": 1, "t:srs": 1}
    assert filed_under(person) == services.keys_for(person)
    assert NameKeyStat.objects.get(key=name_index.ALL).count == 2


def test_single_saves_top_up_one_small_segment_instead_of_adding_rows():
    for n in range(5):
        save(f"S{n}", "Sunita Devi", f"Father{n}")
    assert NamePosting.objects.filter(key="p:db|snt").count() == 1
    assert name_index.counts({"p:db|snt"}) == {"p:db|snt": 5}


def test_merging_segments_changes_nothing_a_search_sees():
    people = [save(f"M{n}", "Virender Singh", "Balwant Singh", f"{1970 + n}-01-01") for n in range(12)]
    for person in people:  # as an import in many small batches leaves them: one segment per person
        name_index.remove({person.pk: services.keys_for(person)}, persons_gone=0)
        name_index.add({person.pk: services.keys_for(person)}, persons_new=0, bulk=True)
    assert NamePosting.objects.filter(key="p:brndr|sng").count() == 12
    before = [m.person_id for m in matching.screen_person("Birender Singh", father_name="Balwant Singh", dob="1975")]
    assert name_index.compact() > 0
    assert NamePosting.objects.filter(key="p:brndr|sng").count() == 1
    assert [m.person_id for m in matching.screen_person("Birender Singh", father_name="Balwant Singh", dob="1975")] == before
    assert before[0] == people[5].pk

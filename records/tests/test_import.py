"""Importing records: validation with reasons, idempotency by external_id, resumption from the checkpoint."""

import io
import json
import random
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.management import call_command

from records import name_index, names, services, synthetic
from records.importer import Importer, KeyTables, _split_lines, import_file, jsonl
from records.matching import screen_person
from records.models import Fir, NameKeyStat, NamePosting, Person

pytestmark = pytest.mark.django_db
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "records.jsonl"


def write(tmp_path, rows, name="rows.jsonl") -> Path:
    path = tmp_path / name
    path.write_text(jsonl(rows) if isinstance(rows, list) else rows, encoding="utf-8")
    return path


def snapshot():
    return (
        list(Person.objects.order_by("pk").values()),
        sorted((key, pk) for key, blob in NamePosting.objects.values_list("key", "ids") for pk in name_index.decode(blob)),
        sorted(NameKeyStat.objects.values_list("key", "count")),
    )


def test_the_example_file_imports_cleanly_into_the_demo_data(tmp_path):
    call_command("seed_demo", stdout=io.StringIO())  # what `make run` sets up: its FIRs are at a demo station
    path = tmp_path / "records.jsonl"
    path.write_text(EXAMPLE.read_text(encoding="utf-8"))
    report = import_file(path, progress=False)
    assert report.rejected == 0 and report.imported > 5
    assert Fir.objects.filter(station__code="DEMO-77-2").count() == 2
    assert screen_person("Md Irfan Kureshi")[0].name.startswith("Mohammad Irfan")


def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    path = write(tmp_path, [{"external_id": f"X{n}", "name": f"Ramesh Kumar {s}"} for n, s in enumerate(["Verma", "Gupta", "Yadav"])])
    first = import_file(path, progress=False)
    before = snapshot()
    second = import_file(path, progress=False, resume=False)
    assert first.imported == 3 and second.imported == 0 and second.unchanged == 3
    assert snapshot() == before


def test_a_changed_row_updates_the_person_and_its_keys(tmp_path):
    import_file(write(tmp_path, [{"external_id": "X1", "name": "Ramesh Verma"}]), progress=False)
    import_file(write(tmp_path, [{"external_id": "X1", "name": "Suresh Verma"}], "second.jsonl"), progress=False)
    assert Person.objects.get().name == "Suresh Verma"
    assert "t:rms" not in name_index.counts({"t:rms", "t:srs"}) and "t:srs" in name_index.counts({"t:srs"})
    assert screen_person("Suresh Verma")[0].external_id == "X1"


def test_bad_rows_are_rejected_with_their_reasons_and_never_altered(tmp_path, delhi_station):
    rows = [
        {"external_id": "OK", "name": "Sunita Devi", "dob": "1988"},
        {"external_id": "", "name": "No Id"},
        {"external_id": "E1", "name": "  "},
        {"external_id": "E2", "name": "Rajesh कुमार"},
        {"external_id": "E3", "name": "Anil", "dob": "1990-02-30"},
        {"external_id": "E4", "name": "Anil", "dob": "2999"},
        {"type": "fir", "external_id": "F1", "station": "T-DL-PS1", "year": 2025, "number": 5, "registered_on": "2025-03-01",
         "sections": [{"law": "BNS", "section": "303(2)"}]},
        {"type": "fir", "external_id": "F2", "station": "T-DL-PS1", "year": 2025, "number": 5, "registered_on": "2025-03-02",
         "sections": [{"law": "BNS", "section": "303(2)"}]},
    ]  # fmt: skip
    text = jsonl(rows) + "{not json\n"
    path = write(tmp_path, text)
    report = import_file(path, progress=False)
    rejected = [json.loads(line) for line in Path(report.rejected_file).read_text().splitlines()]
    reasons = {r["line"]: " ".join(r["reasons"]) for r in rejected}
    assert report.imported == 2 and report.rejected == 7
    assert "external_id is missing" in reasons[2]
    assert "empty" in reasons[3]
    assert "mixes scripts" in reasons[4]
    assert "not a real date" in reasons[5]
    assert "impossible" in reasons[6]
    assert "already exists" in reasons[8]
    assert "not valid JSON" in reasons[9]
    assert Person.objects.get().name == "Sunita Devi" and Fir.objects.count() == 1


def test_an_interrupted_import_resumes_after_the_last_committed_batch(tmp_path, monkeypatch):
    path = write(tmp_path, [{"external_id": f"R{n}", "name": f"Person Number {chr(97 + n)}bc"} for n in range(10)])
    importer = Importer(path, batch_size=4, commit_every=4, progress=False)
    original, calls = importer._commit, []

    def failing_commit(batch, report, last_line):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("power cut")
        original(batch, report, last_line)

    monkeypatch.setattr(importer, "_commit", failing_commit)
    with pytest.raises(RuntimeError):
        importer.run()
    assert Person.objects.count() == 4
    assert json.loads(importer.checkpoint_path.read_text())["line"] == 4
    report = import_file(path, batch_size=4, progress=False)
    assert report.skipped_before_checkpoint == 4 and report.imported == 6
    assert Person.objects.count() == 10


def test_csv_is_read_too(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("external_id,name,father_name,dob,sex,state,aliases\nC1,Virender Singh,Balwant Singh,1990,M,Haryana,Billu|Veeru\n")
    assert import_file(path, progress=False).imported == 1
    assert Person.objects.get().aliases == ["Billu", "Veeru"]
    assert screen_person("Billu")[0].external_id == "C1"


def test_the_command_prints_a_report_and_screen_persons_answers_per_line(tmp_path, capsys):
    path = write(tmp_path, [{"external_id": "S1", "name": "Harpreet Kaur Gill", "father_name": "Gurdeep Singh"}])
    call_command("import_records", str(path), "--no-progress")
    assert json.loads(capsys.readouterr().out)["imported"] == 1
    queries = write(tmp_path, [{"id": "q1", "name": "हरप्रीत कौर गिल"}], "queries.jsonl")
    call_command("screen_persons", str(queries))
    line = json.loads(capsys.readouterr().out.strip())
    assert line["id"] == "q1" and line["results"][0]["external_id"] == "S1"


def test_worker_processes_import_the_same_as_one_process(tmp_path):
    rows = [{"external_id": f"W{n}", "name": f"Ramesh Kumar {s}", "father_name": "Mohan Lal", "dob": f"{1970 + n}"}
            for n, s in enumerate(["Verma", "Gupta", "Yadav", "Sharma", "Singh", "Khan", "Das"])]  # fmt: skip
    rows.insert(3, {"external_id": "", "name": "No Id"})
    import_file(write(tmp_path, rows, "one.jsonl"), progress=False, workers=0, batch_size=3)
    alone = [(p["external_id"], p["name_norm"]) for p in Person.objects.order_by("external_id").values()]
    keys_alone = sorted(name_index.counts({k for p in Person.objects.all() for k in services.keys_for(p)}).items())
    Person.objects.all().delete()
    NamePosting.objects.all().delete()
    report = import_file(write(tmp_path, rows, "two.jsonl"), progress=False, workers=2, batch_size=3)
    assert report.imported == 7 and report.rejected == 1
    assert [(p["external_id"], p["name_norm"]) for p in Person.objects.order_by("external_id").values()] == alone
    assert sorted(name_index.counts({k for p in Person.objects.all() for k in services.keys_for(p)}).items()) == keys_alone
    assert screen_person("Ramesh Yadav", father_name="Mohan Lal", dob="1972")[0].external_id == "W2"


def test_rows_of_every_shape_are_read_as_before(tmp_path):
    rows = [
        {"external_id": "A1", "name": "Rajesh Kumar Sharma", "father_name": "Mohan Lal", "dob": "1980-05-01", "aliases": ["Pappu"]},
        {"external_id": "A2", "name": "राजेश शर्मा", "sex": "male", "state": "delhi", "id_numbers": [{"type": "pan", "number": "abcde1234f"}]},
        {"external_id": "A3", "name": "Sunita\tDevi \\ Rani", "age": "34", "sensitive": True},
        {"external_id": "A4", "name": "Vishwanathapratapsinghchaudharyramachandran Kumar", "father_name": "Chandrashekharavenkataraghavendra"},
        {"external_id": 5, "name": "Anil Yadav", "dob": " 1975 ", "state": 7},
        {"external_id": "B1", "name": 12},
        {"external_id": "B2", "name": "Anil Verma", "sex": ["M"], "roles": ["bad", {"x": 1}]},
        {"external_id": "B3", "name": "Anil Verma", "age": "old"},
    ]  # fmt: skip
    path = write(tmp_path, jsonl(rows) + '\n[1, 2]\n{"external_id": "B4", "name": NaN}\n')
    report = import_file(path, progress=False)
    rejected = {r["line"]: r for r in map(json.loads, Path(report.rejected_file).read_text().splitlines())}
    assert report.imported == 5 and set(rejected) == {6, 7, 8, 10, 11}
    assert rejected[6]["reasons"] == ["name must be text"] and rejected[6]["row"] == rows[5]
    assert rejected[7]["reasons"] == [
        "sex must be M, F, X or U (['M'])",
        "roles must be a list of " + ", ".join(sorted(Person.Role.values)),
    ]
    assert rejected[8]["reasons"] == ["age is not a number (old)"]
    assert rejected[10]["reasons"] == ["a line must hold one JSON object"]
    assert rejected[11]["reasons"] == ["name must be text"]
    assert Person.objects.get(external_id="A3").name == "Sunita\tDevi \\ Rani"
    assert Person.objects.get(external_id="5").state_id is not None
    for person in Person.objects.all():  # filed under exactly the keys a search looks for (an age gives a year too)
        keys = services.keys_for(person)
        assert name_index.keys_held([person.pk]).get(person.pk, set()) == keys, person.external_id
    assert any(key.startswith("y:") for key in services.keys_for(Person.objects.get(external_id="A3")))


def by_line(prepared, base: int) -> dict:
    """A chunk's persons by line: source, external_id, row hash, COPY line after the id, name keys; ids from base on."""
    keys = defaultdict(set)
    for key, ids in prepared.segments.postings().items():
        for pk in ids:
            keys[pk].add(key)
    out = {}
    for i, number in enumerate(prepared.lines):
        pk, tail = prepared.copy_line(i).split("\t", 1)
        assert int(pk) == base + i
        out[number] = (prepared.sources[i], prepared.external_ids[i], prepared.hashes[i], tail, keys[int(pk)])
    return out


def test_the_quick_way_through_a_block_reads_every_row_as_the_general_way_does():
    """RowChecker reads a block of JSON Lines column-wise for COPY, falling back to the row-by-row way for anything
    out of the ordinary; both must give the same persons, keys and rejections. The quick way gives the rows it takes
    the chunk's first ids, so persons are compared by line."""
    rows = [
        {"external_id": "Q1", "name": "Rajesh Kumar Sharma", "father_name": "Mohan Lal", "dob": "1980-05-01", "sex": "M", "state": "Delhi"},
        {"external_id": "Q2", "name": "Sunita Devi", "dob": "1975", "roles": ["missing", "victim"], "source": "cctns-dl"},
        {"external_id": "Q3", "name": "Rajesh Kumar Sharma", "father_name": "", "dob": None, "sex": "male", "state": "dl"},
        {"external_id": " Q4 ", "name": "राजेश शर्मा", "name_native": "राजेश शर्मा", "sensitive": 1},
        {"external_id": "Q5", "name": "Anil Yadav", "aliases": ["Pappu"], "id_numbers": [{"type": "pan", "number": "ABCDE1234F"}]},
        {"external_id": "Q6", "name": "Anil Yadav", "age": 40, "addresses": [{"line": "12 Main Road"}]},
        {"external_id": "Q7", "name": "Anil \\ Yadav"},
        {"external_id": "Q8", "name": "Anil Yadav", "dob": "2999-01-01"},
        {"external_id": "Q9", "name": "Anil Yadav", "state": "Atlantis", "sex": "Q"},
        {"external_id": "Q10", "name": "Anil Yadav", "father_name": "राम Lal", "name_native": "Anil अनिल"},
        {"external_id": "", "name": "Nobody"},
        {"external_id": "Q12", "name": "R. K."},
        {"type": "vehicle", "external_id": "V1", "registration": "DL 01 AB 1234"},
        {"external_id": "Q13", "name": "Vishwanathapratapsinghchaudharyramachandran Kumar", "father_name": "Chandrashekharavenkataraghavendra"},
        {"external_id": "Q14", "name": "Sunita Devi", "dob": "1975", "roles": ["missing", "victim"], "source": "x" * 41},
        {"external_id": "Q" * 101, "name": "Sunita Devi"},
        {"external_id": "Q15", "name": "Sunita Devi", "roles": "missing"},
        {"external_id": "Q17", "name": "Sunita Devi", "father_name": "Ram Lal", "sex": "F", "state": "Delhi", "roles": ["accused"], "sensitive": True, "age": ""},
        {"external_id": "   ", "name": "Sunita Devi"},
        {"external_id": "Q18", "name": "Sunita Devi", "roles": ["accused", "nobody"]},
        {"external_id": "Q19", "name": "Sunita Devi", "source": "", "dob": "31-12-1990"},
    ]  # fmt: skip
    block = (jsonl(rows) + "\n   \nnot json\n[1]\n").encode() + b'{"external_id": "Q16", "name": "Anil \xff"}\n'
    checker = Importer(Path("unused.jsonl"), use_copy=True, progress=False).checker
    quick = checker.prepare((5, block), base=1000)
    general = checker.prepare(_split_lines(5, block), base=1000)
    for name in ("first", "last", "read", "rejected", "others"):
        assert getattr(quick, name) == getattr(general, name), name
    assert by_line(quick, 1000) == by_line(general, 1000)
    assert len(quick.lines) == 10 and len(quick.rejected) == 13 and len(quick.others) == 1
    assert quick.rejected[-1][1] == ["not UTF-8 text"]
    assert "Rajesh Kumar Sharma" in checker._fast_name  # the quick way was taken


def test_the_importers_numbered_name_keys_are_the_keys_search_looks_names_up_by():
    rng = random.Random(3)
    samples = [synthetic.person(rng, n)["name"] for n in range(3000)] + [
        "R. K. Sharma", "Sharma R K", "Singh Singh", "A B C D E F G H", "Wasim W. Khan", "मोहम्मद इरफ़ान क़ुरैशी",
        "Sri Ram Kumar Ji", "Lakshmi", "L", "Md. Irfan Kureshi", "Raj Kumar Raj", "X" * 60 + " Kumar", "Jn Gy Dny",
    ]  # fmt: skip
    tables = KeyTables()
    for name in samples:
        tokens = names.normalise(name)
        number = tables.name(tokens)
        own, ends = set(names.name_keys(tokens)), names.first_last_codes(tokens)
        if number is None:  # left to the general way: a key too long for the index
            assert max(map(len, own)) > 48 or max(map(len, ends)) > 30, name
            continue
        assert tables.keys_of(number) == (own, ends), name
    assert tables.name(names.normalise("X" * 60 + " Kumar")) is None


def test_blank_lines_keep_the_line_numbers_in_the_report(tmp_path):
    rows = [{"external_id": f"L{n}", "name": "Ramesh Verma" if n != 4 else ""} for n in range(6)]
    text = "\n\n" + jsonl(rows[:3]) + "\n   \n" + jsonl(rows[3:])
    report = import_file(write(tmp_path, text), progress=False, workers=2, batch_size=2)
    rejected = [json.loads(line) for line in Path(report.rejected_file).read_text().splitlines()]
    assert report.imported == 5 and [r["line"] for r in rejected] == [9]
    assert json.loads(Path(report.checkpoint_file).read_text())["line"] == 10


@pytest.mark.parametrize("workers", [0, 2])
def test_a_line_that_is_not_utf8_is_rejected_and_the_lines_around_it_are_imported(tmp_path, workers):
    rows = [{"external_id": f"E{n}", "name": "Ramesh Verma"} for n in range(3)]
    path = tmp_path / "rows.jsonl"
    path.write_bytes(jsonl(rows[:1]).encode() + b'{"external_id": "E9", "name": "Ramesh \xe9"}\n' + jsonl(rows[1:]).encode())
    report = import_file(path, progress=False, workers=workers, batch_size=2)
    rejected = [json.loads(line) for line in Path(report.rejected_file).read_text().splitlines()]
    assert report.imported == 3 and [(r["line"], r["reasons"]) for r in rejected] == [(2, ["not UTF-8 text"])]
    assert set(Person.objects.values_list("external_id", flat=True)) == {"E0", "E1", "E2"}


def test_of_two_rows_with_one_external_id_the_later_line_is_rejected_whichever_way_each_was_read(tmp_path):
    rows = [
        {"external_id": "T1", "name": "Ramesh Verma", "aliases": ["Pappu"]},  # read the general way
        {"external_id": "T1", "name": "Ramesh Verma"},  # read the quick way on PostgreSQL, so placed first in its chunk
    ]
    report = import_file(write(tmp_path, rows), progress=False, batch_size=100)
    rejected = [json.loads(line) for line in Path(report.rejected_file).read_text().splitlines()]
    assert report.imported == 1 and [(r["line"], r["reasons"]) for r in rejected] == [(2, ["external_id T1 appears twice in the file"])]
    assert Person.objects.get(external_id="T1").aliases == ["Pappu"]


def test_an_external_id_met_twice_in_one_source_is_rejected_the_second_time_but_not_in_another_source(tmp_path):
    rows = [
        {"external_id": "D1", "name": "Ramesh Verma", "source": "cctns-dl"},
        {"external_id": "D2", "name": "Suresh Verma", "source": "cctns-dl"},
        {"external_id": "D1", "name": "Mahesh Verma", "source": "cctns-dl"},
        {"external_id": "D1", "name": "Dinesh Verma", "source": "cctns-up"},
    ]
    report = import_file(write(tmp_path, rows), progress=False, batch_size=2)
    rejected = [json.loads(line) for line in Path(report.rejected_file).read_text().splitlines()]
    assert report.imported == 3 and [(r["line"], r["reasons"]) for r in rejected] == [(3, ["external_id D1 appears twice in the file"])]
    assert Person.objects.get(source="cctns-dl", external_id="D1").name == "Ramesh Verma"
    assert Person.objects.get(source="cctns-up", external_id="D1").name == "Dinesh Verma"

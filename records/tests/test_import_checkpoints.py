"""An import's checkpoint belongs to one file's content and one database, and lives under VAR_DIR; the benchmarks
refuse to measure an import that did not happen."""

import io
import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from directory.models import Agency, District, PoliceStation, State, UnitOffice
from records import importer
from records.importer import Importer, database_identity, file_identity, import_file, jsonl
from records.models import NameKeyStat, NamePosting, Person

pytestmark = pytest.mark.django_db
ROWS = [{"external_id": f"R{n}", "name": f"Person Number {chr(97 + n)}bc"} for n in range(10)]


@pytest.fixture
def rows_file(tmp_path) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    path = folder / "rows.jsonl"
    path.write_text(jsonl(ROWS), encoding="utf-8")
    return path


def become_another_database() -> None:
    """What a fresh database is to the importer: no records, and first migrated at another time."""
    Person.objects.all().delete()
    NamePosting.objects.all().delete()
    NameKeyStat.objects.all().delete()
    first = MigrationRecorder.Migration.objects.order_by("pk").first()
    MigrationRecorder.Migration.objects.filter(pk=first.pk).update(applied=first.applied - timedelta(days=1))


def interrupted_import(path: Path, monkeypatch, **options) -> Importer:
    """An import of 4 rows a transaction that stops in its second transaction, as at a power cut."""
    run = Importer(path, batch_size=4, commit_every=4, progress=False, **options)
    original, calls = run._commit, []

    def failing_commit(batch, report, last_line):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("power cut")
        original(batch, report, last_line)

    monkeypatch.setattr(run, "_commit", failing_commit)
    with pytest.raises(RuntimeError):
        run.run()
    assert Person.objects.count() == 4 and json.loads(run.checkpoint_path.read_text())["line"] == 4
    return run


def test_a_file_imported_into_one_database_is_imported_whole_into_a_fresh_one(rows_file):
    first = import_file(rows_file, progress=False)
    become_another_database()
    second = import_file(rows_file, progress=False)
    assert first.imported == 10 and second.skipped_before_checkpoint == 0 and second.imported == 10
    assert Person.objects.count() == 10
    [notice] = second.notices
    assert (
        notice.startswith(f"Not resuming from {first.checkpoint_file}: that checkpoint (after line 10")
        and f"is for the {connection.vendor} database" in notice
    )
    assert second.checkpoint_file != first.checkpoint_file


def test_an_interrupted_import_resumes_after_its_last_committed_line_on_the_same_database(rows_file, monkeypatch):
    run = interrupted_import(rows_file, monkeypatch)
    at = json.loads(run.checkpoint_path.read_text())["at"]
    report = import_file(rows_file, batch_size=4, progress=False)
    assert report.skipped_before_checkpoint == 4 and report.read == 6 and report.imported == 6
    assert Person.objects.count() == 10
    assert report.notices == [
        f"Resuming {rows_file} after line 4, as its checkpoint {run.checkpoint_path} for this database says ({at}); --restart reads "
        "the file from the start."
    ]


def test_an_interrupted_import_does_not_resume_on_another_database(rows_file, monkeypatch):
    interrupted_import(rows_file, monkeypatch)
    become_another_database()
    report = import_file(rows_file, batch_size=4, progress=False)
    assert report.skipped_before_checkpoint == 0 and report.imported == 10
    assert "Not resuming from" in report.notices[0] and "after line 4" in report.notices[0]


def test_the_checkpoint_of_a_file_changed_since_is_reported_stale_and_the_file_imported_whole(rows_file, monkeypatch):
    interrupted_import(rows_file, monkeypatch)
    rows_file.write_text(jsonl([{**row, "father_name": "Mohan Lal"} for row in ROWS]), encoding="utf-8")
    report = import_file(rows_file, batch_size=4, progress=False)
    assert report.skipped_before_checkpoint == 0 and report.read == 10 and report.imported == 10
    [notice] = report.notices
    assert notice.startswith(f"Not resuming: {rows_file} has changed since its checkpoint") and "the checkpoint is stale" in notice
    assert set(Person.objects.values_list("father_name", flat=True)) == {"Mohan Lal"}


def test_a_foreign_checkpoint_named_on_the_command_line_is_reported_and_not_obeyed(rows_file, tmp_path, capsys):
    checkpoint = tmp_path / "mine.checkpoint"
    call_command("import_records", str(rows_file), "--no-progress", "--checkpoint", str(checkpoint))
    assert json.loads(capsys.readouterr().out)["imported"] == 10
    become_another_database()
    err = io.StringIO()
    call_command("import_records", str(rows_file), "--no-progress", "--checkpoint", str(checkpoint), stderr=err)
    out = json.loads(capsys.readouterr().out)
    assert out["imported"] == 10 and out["skipped_before_checkpoint"] == 0
    there, here = json.loads(checkpoint.read_text())["database"], database_identity()
    assert there == here  # the checkpoint now holds for this database
    host = f" on {here['host']}" if here["host"] else ""
    assert err.getvalue().startswith(f"Not resuming: the checkpoint {checkpoint} (after line 10, ")
    assert (
        f"not for this one, the {here['vendor']} database {here['name']}{host} (id {here['id']}). Importing {rows_file} whole."
        in err.getvalue()
    )


def test_restart_ignores_the_checkpoint(rows_file):
    import_file(rows_file, progress=False)
    report = import_file(rows_file, progress=False, resume=False)
    assert report.read == 10 and report.unchanged == 10 and report.notices == []


def test_nothing_is_written_beside_the_input_file(rows_file, capsys):
    rows_file.write_text(jsonl(ROWS) + "{not json\n", encoding="utf-8")
    call_command("import_records", str(rows_file), "--no-progress")
    out = json.loads(capsys.readouterr().out)
    assert out["rejected"] == 1
    assert sorted(os.listdir(rows_file.parent)) == ["rows.jsonl"]
    imports = Path(settings.VAR_DIR) / "imports"
    assert Path(out["checkpoint_file"]).parent.parent == imports and Path(out["rejected_file"]).parent.parent == imports
    assert json.loads(Path(out["rejected_file"]).read_text())["line"] == 11


def test_an_older_importers_checkpoint_beside_the_file_is_reported_and_not_obeyed(rows_file):
    Path(f"{rows_file}.checkpoint").write_text(json.dumps({"line": 10, "file": str(rows_file), "at": "2026-11-01T10:00:00"}))
    report = import_file(rows_file, progress=False)
    assert report.imported == 10 and report.notices[0].startswith(f"Not used: {rows_file}.checkpoint, a checkpoint an older importer left")


def test_a_big_file_is_known_by_its_size_time_and_pieces_and_a_small_one_by_all_of_it(tmp_path, monkeypatch):
    path = tmp_path / "big.jsonl"
    path.write_bytes(b"x" * 5000 + b"\n")
    small = file_identity(path)
    assert small.startswith("sha256:")
    monkeypatch.setattr(importer, "WHOLE_HASH_LIMIT", 1000)
    monkeypatch.setattr(importer, "SAMPLE_BYTES", 100)
    big = file_identity(path)
    assert big.startswith("sampled:") and file_identity(path) == big
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    assert file_identity(path) != big
    with path.open("r+b") as handle:  # the same size and time, another start
        handle.write(b"y")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert file_identity(path) != big


@pytest.fixture
def empty_directory():
    """A database without the reference data: no states, districts, agencies or stations."""
    PoliceStation.objects.all().delete()
    UnitOffice.objects.all().delete()
    Agency.objects.all().delete()
    District.objects.all().delete()
    State.objects.all().delete()


def test_bench_ingest_without_the_reference_data_fails_saying_what_to_run(empty_directory):
    with pytest.raises(CommandError, match=r"the directory has no states.*Run `python manage.py load_reference` first"):
        call_command("bench_ingest", records=20, stdout=io.StringIO())
    assert not Person.objects.exists()


def test_bench_search_without_the_reference_data_fails_saying_what_to_run(empty_directory):
    with pytest.raises(CommandError, match=r"bench_search could not load .*Run `python manage.py load_reference` first"):
        call_command("bench_search", records=20, queries=5, stdout=io.StringIO())


def test_bench_ingest_prints_its_line_and_fails_when_it_imports_fewer_persons_than_asked():
    out = io.StringIO()
    call_command("bench_ingest", records=20, stdout=out)
    assert json.loads(out.getvalue())["imported"] == 20
    out = io.StringIO()
    with pytest.raises(
        CommandError, match=r"Only 0 of 20 synthetic persons were imported: 20 were there already \(add new ones with --offset 20\)\."
    ):
        call_command("bench_ingest", records=20, stdout=out)
    line = json.loads(out.getvalue())
    assert line["records"] == 20 and line["imported"] == 0

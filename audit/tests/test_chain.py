"""The audit trail: intact after normal use, keys rotated, the database refusing changes (tampering: test_tampering.py)."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from audit import checkpoints, keys
from audit import services as audit
from audit.models import AuditCheckpoint, AuditEntry, AuditSeal
from audit.tests.conftest import HMAC_KEY, entry_id, tampering

pytestmark = pytest.mark.django_db


def test_an_untouched_trail_verifies_sealed_entries_and_those_awaiting_the_seal(five_entries, delhi_ilo, trail_keys):
    audit.record(actor=delhi_ilo, action="test.after")
    report = audit.verify_chain()
    assert report.ok, report.problem
    assert (report.checked, report.sealed, report.pending, report.anchored, report.checkpoints) == (6, 5, 1, 5, 1)
    assert len(list(trail_keys.glob("*.checkpoint"))) == 1


def test_sealing_gives_the_entries_their_places_in_the_order_they_were_written(five_entries, seal):
    assert [AuditEntry.objects.get(pk=e.pk).seq for e in five_entries] == [1, 2, 3, 4, 5]
    assert seal().sealed == 0  # nothing new: no second checkpoint
    assert AuditCheckpoint.objects.count() == 1


def test_an_entry_records_who_from_which_office_what_and_from_where(delhi_ilo, five_entries):
    entry = five_entries[0]
    assert entry.actor_username == "delhi_ilo"
    assert entry.office == "Delhi Police"
    assert entry.ip == "10.0.0.1"
    assert entry.at is not None


def test_writing_an_entry_is_one_insert_and_takes_no_lock(delhi_ilo, django_assert_num_queries):
    with django_assert_num_queries(1) as queries:
        audit.record(actor=delhi_ilo, action="test.one")
    assert queries.captured_queries[0]["sql"].startswith("INSERT")


def test_entries_under_a_retired_key_still_verify_when_it_is_kept(delhi_ilo, seal, settings):
    audit.record(actor=delhi_ilo, action="test.before_rotation")
    seal()
    settings.AUDIT_HMAC_KEY, settings.AUDIT_HMAC_KEYS = "the-next-key-0123456789abcdef-xyz", [HMAC_KEY]
    audit.record(actor=delhi_ilo, action="test.after_rotation")
    seal()
    report = audit.verify_chain()
    assert report.ok, report.problem
    assert report.sealed == 2
    settings.AUDIT_HMAC_KEYS = []  # the retired key lost
    report = audit.verify_chain()
    assert not report.ok and report.first_bad_seq == 1
    assert "entry #1 is under an unknown key" in report.problem


def test_checkpoints_signed_with_a_retired_signing_key_still_verify_when_its_public_key_is_kept(delhi_ilo, seal, settings):
    audit.record(actor=delhi_ilo, action="test.before_rotation")
    seal()
    old_public = keys.verify_keys()[0].text
    settings.AUDIT_SIGNING_KEY = keys.generate()["AUDIT_SIGNING_KEY"]
    settings.AUDIT_SIGNING_PUBLIC_KEYS = [old_public]
    audit.record(actor=delhi_ilo, action="test.after_rotation")
    assert seal().sealed == 1
    assert audit.verify_chain().ok
    settings.AUDIT_SIGNING_PUBLIC_KEYS = []
    assert "not signed by a known key" in audit.verify_chain().problem


def test_audit_verify_seals_exits_zero_when_intact_and_non_zero_naming_the_bad_entry(five_entries, delhi_ilo, capsys, trail_keys):
    call_command("audit_verify")
    assert (
        f"intact: 5 entries (5 sealed, 0 awaiting the next seal; 5 covered by the checkpoint exported to {trail_keys})"
        in capsys.readouterr().out
    )
    audit.record(actor=delhi_ilo, action="test.later")
    call_command("audit_verify")  # seals it first
    assert "intact: 6 entries (6 sealed, 0 awaiting the next seal" in capsys.readouterr().out
    with tampering() as cursor:
        cursor.execute("UPDATE audit_auditentry SET purpose = 'edited' WHERE id = %s", [entry_id(4)])
    with pytest.raises(CommandError, match="entry #4 was altered after it was written. The first bad entry is #4"):
        call_command("audit_verify")


def test_audit_verify_checks_a_copy_with_only_the_keys_and_checkpoints_it_is_given(five_entries, trail_keys, tmp_path, capsys, settings):
    """An auditor outside the installation: the HMAC key, the public key, the exported checkpoints, read-only."""
    key_file = tmp_path / "hmac.keys"
    key_file.write_text(HMAC_KEY + "\n")
    public = keys.verify_keys()[0].text
    settings.AUDIT_SIGNING_KEY = keys.generate()["AUDIT_SIGNING_KEY"]  # the auditor does not hold the signing key
    settings.AUDIT_HMAC_KEY = "an-unrelated-key-0123456789abcdef"
    options = ["--no-seal", "--json", "--checkpoints", str(trail_keys), "--hmac-key-file", str(key_file), "--public-key", public]
    call_command("audit_verify", *options)
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] and result["anchored"] == 5
    with pytest.raises(CommandError, match="not signed by a known key"):
        call_command("audit_verify", *options[:-2])


def test_entries_cannot_be_changed_or_deleted_through_the_application(five_entries):
    entry = AuditEntry.objects.get(pk=five_entries[0].pk)
    entry.action = "test.changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditSeal.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database-level guard is PostgreSQL's trigger")
@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_auditentry SET action = 'x'", "DELETE FROM audit_auditseal", "UPDATE audit_auditcheckpoint SET tree_size = 1"],
)
def test_postgresql_itself_refuses_to_change_the_trail(five_entries, statement):
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)


def test_the_periodic_seal_seals_the_trail_and_exports_a_checkpoint(delhi_ilo, settings, trail_keys, django_capture_on_commit_callbacks):
    from jobs import services as jobs
    from jobs.models import PeriodicJob

    assert list(settings.PERIODIC_JOBS)[-1] == "audit.services.seal_periodic"  # enqueued last: it seals what the other jobs wrote too
    settings.PERIODIC_JOBS = {"audit.services.seal_periodic": 300}
    entry = audit.record(actor=delhi_ilo, action="test.tick")
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.tick() == ["audit.services.seal_periodic"]
        jobs.run_ready()
    job = PeriodicJob.objects.get(path="audit.services.seal_periodic")
    sealing = job.last_result
    assert job.last_outcome == PeriodicJob.Outcome.OK and sealing["sealed"] >= 1 and sealing["tree_size"] == sealing["sealed"]
    assert AuditEntry.objects.get(pk=entry.pk).seq is not None
    assert checkpoints.path_for(trail_keys, sealing["tree_size"]).exists()


def test_audit_verify_without_sealing_says_which_entries_await_the_seal_and_audit_seal_seals_them(five_entries, delhi_ilo, capsys):
    audit.record(actor=delhi_ilo, action="test.later")
    call_command("audit_verify", "--no-seal")
    out = capsys.readouterr().out
    assert "intact: 6 entries (5 sealed, 1 awaiting the next seal" in out
    assert "checked by their MAC only; seal them with manage.py audit_seal." in out
    call_command("audit_seal")
    assert json.loads(capsys.readouterr().out)["sealed"] == 1

"""The audit chain: intact when untouched; altered, deleted and reordered entries are named."""

import contextlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from audit import services as audit
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def tampering():
    """What an attacker with database access does: lift the PostgreSQL guard, write raw SQL (rolled back with the test)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses while deferred FK checks are pending
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        yield cursor
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only")


@pytest.fixture
def five_entries(delhi_ilo):
    return [audit.record(actor=delhi_ilo, action=f"test.step{i}", data={"i": i}, ip="10.0.0.1") for i in range(1, 6)]


def test_an_untouched_chain_verifies(five_entries):
    report = audit.verify_chain()
    assert report.ok and report.checked == 5


def test_each_entry_carries_the_hash_of_the_one_before(five_entries):
    for before, after in zip(five_entries, five_entries[1:], strict=False):
        assert after.prev_hash == before.hash


def test_an_entry_records_who_from_which_office_what_and_from_where(delhi_ilo, five_entries):
    entry = five_entries[0]
    assert entry.actor_username == "delhi_ilo"
    assert entry.office == "Delhi Police"
    assert entry.ip == "10.0.0.1"
    assert entry.at is not None


def test_an_altered_entry_is_named(five_entries):
    with tampering() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'test.innocent' WHERE seq = 3")
    report = audit.verify_chain()
    assert not report.ok and report.first_bad_seq == 3
    assert "altered" in report.problem


def test_a_deleted_entry_is_named(five_entries):
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq = 2")
    report = audit.verify_chain()
    assert not report.ok and report.first_bad_seq == 2
    assert "missing" in report.problem


def test_deleting_the_newest_entry_is_noticed(five_entries):
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq = 5")
    report = audit.verify_chain()
    assert not report.ok and "deleted at the end" in report.problem


def test_reordered_entries_are_named(five_entries):
    with tampering() as cursor:
        cursor.execute("UPDATE audit_auditentry SET seq = 1000 WHERE seq = 2")
        cursor.execute("UPDATE audit_auditentry SET seq = 2 WHERE seq = 4")
        cursor.execute("UPDATE audit_auditentry SET seq = 4 WHERE seq = 1000")
    report = audit.verify_chain()
    assert not report.ok and report.first_bad_seq == 2
    assert "reordered" in report.problem


def test_a_rehashed_forgery_still_breaks_the_link_to_the_next_entry(five_entries):
    forged = AuditEntry.objects.get(seq=3)
    forged.action = "test.innocent"
    new_hash = audit.compute_hash(forged)
    with tampering() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = %s, hash = %s WHERE seq = 3", ["test.innocent", new_hash])
    report = audit.verify_chain()
    assert not report.ok and report.first_bad_seq == 4


def test_audit_verify_exits_zero_when_intact_and_non_zero_naming_the_bad_entry(five_entries, capsys):
    call_command("audit_verify")
    assert "intact: 5 entries" in capsys.readouterr().out
    with tampering() as cursor:
        cursor.execute("UPDATE audit_auditentry SET purpose = 'edited' WHERE seq = 4")
    with pytest.raises(CommandError, match="entry #4"):
        call_command("audit_verify")


def test_entries_cannot_be_changed_or_deleted_through_the_application(five_entries):
    entry = AuditEntry.objects.get(seq=1)
    entry.action = "test.changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(seq=1).update(action="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database-level guard is PostgreSQL's trigger")
def test_postgresql_itself_refuses_to_update_an_entry(five_entries):
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'x' WHERE seq = 1")

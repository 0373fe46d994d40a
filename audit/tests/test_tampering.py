"""Every way a database administrator could tamper with the trail: `manage.py audit_verify` exits 1 and names it.

Each tampering is raw SQL with the append-only triggers switched off first (on PostgreSQL), as a DBA would do it.
"""

import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit import checkpoints, keys
from audit import services as audit
from audit.merkle import Frontier
from audit.models import AuditCheckpoint, AuditEntry, AuditSeal
from audit.tests.conftest import SIGNING_SEED, entry_id, tampering

pytestmark = pytest.mark.django_db


def audit_verify(*options: str) -> tuple[int, str]:
    """Run `manage.py audit_verify`: the exit code it gives the shell, and what it says."""
    out = io.StringIO()
    try:
        call_command("audit_verify", *options, stdout=out)
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, out.getvalue()


def test_an_untouched_trail_exits_0(five_entries):
    code, message = audit_verify()
    assert code == 0
    assert "Audit chain intact: 5 entries (5 sealed, 0 awaiting the next seal; 5 covered by the checkpoint exported" in message


def test_an_altered_entry_is_named(five_entries):
    with tampering() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'test.innocent' WHERE id = %s", [entry_id(3)])
    code, message = audit_verify()
    assert code == 1
    assert "entry #3 was altered after it was written. The first bad entry is #3." in message


def test_an_altered_entry_not_sealed_yet_is_named_by_its_time_action_and_id(five_entries, delhi_ilo):
    late = audit.record(actor=delhi_ilo, action="test.late")
    with tampering() as cursor:
        cursor.execute("UPDATE audit_auditentry SET purpose = 'edited' WHERE id = %s", [late.pk])
    code, message = audit_verify("--no-seal")
    assert code == 1
    assert f"(test.late, id {late.pk}), not sealed yet, was altered after it was written or is forged" in message


def test_a_deleted_entry_is_named(five_entries):
    with tampering() as cursor:
        doomed = entry_id(2)
        cursor.execute("DELETE FROM audit_auditseal WHERE seq = 2")
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [doomed])
    code, message = audit_verify()
    assert code == 1
    assert "entry #2 is missing (deleted). The first bad entry is #2." in message


def test_a_deleted_entry_whose_seal_was_left_is_named(five_entries):
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry_id(4)])
        code, message = audit_verify()
        cursor.execute("DELETE FROM audit_auditseal WHERE seq = 4")  # the foreign key is checked when the test ends
    assert code == 1
    assert "entry #4 is missing (deleted). The first bad entry is #4." in message


def test_a_deleted_entry_with_the_later_ones_renumbered_is_named(five_entries):
    with tampering() as cursor:
        doomed = entry_id(2)
        cursor.execute("DELETE FROM audit_auditseal WHERE seq = 2")
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [doomed])
        for seq in (3, 4, 5):
            cursor.execute("UPDATE audit_auditseal SET seq = %s WHERE seq = %s", [seq - 1, seq])
    code, message = audit_verify()
    assert code == 1
    assert message.startswith("Audit trail broken: entry #2 does not follow entry #1 (reordered or replaced)")
    assert "The first bad entry is #2." in message


def test_reordered_entries_are_named(five_entries):
    second, fourth = entry_id(2), entry_id(4)
    with tampering() as cursor:
        cursor.execute("UPDATE audit_auditseal SET entry_id = -1 WHERE seq = 4")  # each entry has one seal
        cursor.execute("UPDATE audit_auditseal SET entry_id = %s WHERE seq = 2", [fourth])
        cursor.execute("UPDATE audit_auditseal SET entry_id = %s WHERE seq = 4", [second])
    code, message = audit_verify()
    assert code == 1
    assert message.startswith("Audit trail broken: entry #2 does not follow entry #1 (reordered or replaced)")
    assert "The first bad entry is #2." in message


def test_an_inserted_copy_of_an_entry_is_named(five_entries):
    """A copied row carries a genuine MAC; its nonce shows it is not a second entry that happens to be alike."""
    columns = "at, actor_id, actor_username, office, action, target_type, target_id, target_repr, purpose, ip, data, nonce, key_id, mac"
    with tampering() as cursor:
        cursor.execute(f"INSERT INTO audit_auditentry ({columns}) SELECT {columns} FROM audit_auditentry WHERE id = %s", [entry_id(2)])
    code, message = audit_verify()  # seals the copy first, as #6
    assert code == 1
    assert "entry #6 is a copy of entry #2 (inserted). The first bad entry is #6." in message


def test_a_rewrite_with_recomputed_hashes_by_someone_without_the_hmac_key_is_named(five_entries):
    """Without the key the administrator can only recompute plain hashes, and the head: the entry's MAC does not match."""
    forged = AuditEntry.objects.get(pk=entry_id(3))
    forged.action = "test.innocent"
    plain = hashlib.sha256(audit._canonical(forged)).hexdigest()
    prev = bytes.fromhex(AuditSeal.objects.get(seq=2).hash)
    frontier = Frontier()
    with tampering() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = %s, mac = %s WHERE id = %s", ["test.innocent", plain, forged.pk])
        for seal in AuditSeal.objects.order_by("seq"):
            mac = AuditEntry.objects.get(pk=seal.entry_id).mac
            if seal.seq >= 3:
                prev = hashlib.sha256(seal.seq.to_bytes(8, "big") + bytes.fromhex(mac) + prev).digest()
                cursor.execute("UPDATE audit_auditseal SET hash = %s WHERE seq = %s", [prev.hex(), seal.seq])
            frontier.append(bytes.fromhex(AuditSeal.objects.get(seq=seal.seq).hash))
        cursor.execute(
            "UPDATE audit_auditcheckpoint SET root_hash = %s, frontier = %s", [frontier.root().hex(), json.dumps(frontier.to_json())]
        )
    code, message = audit_verify()
    assert code == 1
    assert "entry #3 was altered after it was written" in message and "The first bad entry is #3." in message


def test_a_rewrite_by_someone_holding_the_hmac_key_but_not_the_signing_key_is_caught_by_the_exported_checkpoint(two_checkpoints):
    """Even a stolen HMAC key is not enough: every MAC and seal checks, but the roots were signed with the other key and exported."""
    key = keys.current_hmac_key()
    forged = AuditEntry.objects.get(pk=entry_id(4))
    forged.purpose = "nothing to see"
    with tampering() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET purpose = %s, mac = %s WHERE id = %s", [forged.purpose, audit.entry_mac(forged, key), forged.pk]
        )
        prev = bytes.fromhex(AuditSeal.objects.get(seq=3).hash)
        for seq in (4, 5):
            prev = audit.seal_hash(seq, AuditEntry.objects.get(pk=entry_id(seq)).mac, prev, key)
            cursor.execute("UPDATE audit_auditseal SET hash = %s WHERE seq = %s", [prev.hex(), seq])
        cursor.execute("DELETE FROM audit_auditcheckpoint WHERE tree_size = 5")  # it could not sign a new one
    code, message = audit_verify()
    assert code == 1
    assert "entries #4 to #5 do not match the checkpoint exported at" in message
    assert "the trail was rewritten (by someone holding the HMAC key, since every MAC checks)" in message
    assert "The first bad entry is #4." in message


def test_a_truncated_tail_with_the_head_moved_back_is_named_and_not_sealed_over(two_checkpoints, delhi_ilo, seal):
    with tampering() as cursor:
        doomed = [entry_id(4), entry_id(5)]
        cursor.execute("DELETE FROM audit_auditseal WHERE seq > 3")
        cursor.execute("DELETE FROM audit_auditentry WHERE id IN (%s, %s)", doomed)
        cursor.execute("DELETE FROM audit_auditcheckpoint WHERE tree_size = 5")  # the database's head now says 3
    audit.record(actor=delhi_ilo, action="test.afterwards")  # the next request: its entry must not take #4 unnoticed
    with pytest.raises(audit.SealRefused, match="covers 5 entries, but the trail in the database ends at #3"):
        seal()
    code, message = audit_verify()
    assert code == 1
    assert "the trail ends at entry #3, but the checkpoint exported at" in message
    assert "covers 5 entries: entries #4 to #5 were deleted (the end cut off). The first bad entry is #4." in message


def test_the_trail_removed_whole_is_named_and_not_sealed_again(two_checkpoints, seal):
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditcheckpoint")
        cursor.execute("DELETE FROM audit_auditseal")
        cursor.execute("DELETE FROM audit_auditentry")
    with pytest.raises(audit.SealRefused, match="holds checkpoints of a trail this database does not have"):
        seal()
    code, message = audit_verify()
    assert code == 1
    assert "is of a trail this database does not hold" in message and "The first bad entry is #1." in message


def test_the_checkpoints_removed_from_the_database_stop_the_sealer_and_are_named(five_entries, delhi_ilo):
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditcheckpoint")
    audit.record(actor=delhi_ilo, action="test.afterwards")
    code, message = audit_verify()
    assert code == 1
    assert "5 entries are sealed, but the database holds no checkpoint of them: its checkpoints were deleted" in message


def test_a_forged_checkpoint_is_named(two_checkpoints, trail_keys, settings):
    """Signed with a key the verifier was not given: a checkpoint claiming a shorter trail, as a cover for cutting it."""
    origin = AuditCheckpoint.objects.first().origin
    settings.AUDIT_SIGNING_KEY = keys.generate()["AUDIT_SIGNING_KEY"]  # not the trail's key
    forged = checkpoints.sign(origin, 2, bytes(32), AuditCheckpoint.objects.first().at)
    settings.AUDIT_SIGNING_KEY = SIGNING_SEED
    checkpoints.path_for(trail_keys, 2).write_text(forged)
    code, message = audit_verify()
    assert code == 1
    assert "the exported checkpoint 000000000002.checkpoint is not valid: it is not signed by a known key" in message


def test_an_altered_checkpoint_is_named(two_checkpoints, trail_keys):
    path = checkpoints.path_for(trail_keys, 5)
    lines = path.read_text().split("\n")
    lines[2] = "A" * 43 + "="  # another root
    path.write_text("\n".join(lines))
    code, message = audit_verify()
    assert code == 1
    assert "the exported checkpoint 000000000005.checkpoint is not valid: its signature does not match its text" in message


def test_a_forged_checkpoint_in_the_database_is_named(five_entries):
    row = AuditCheckpoint.objects.get()
    with tampering() as cursor:
        cursor.execute("UPDATE audit_auditcheckpoint SET note = %s", [row.note.replace("\n5\n", "\n4\n")])
    code, message = audit_verify("--no-seal")
    assert code == 1
    assert "the checkpoint of 5 entries in the database is not valid: its signature does not match its text" in message

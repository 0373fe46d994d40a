"""Sealing: the RFC 9162 tree, the order of concurrent writers, and a sealer that refuses to certify a tampered trail."""

import threading

import pytest
from django.db import connection, connections, transaction

from audit import checkpoints
from audit import services as audit
from audit.merkle import Frontier, tree_hash
from audit.models import AuditEntry
from audit.tests.conftest import tampering

# The Merkle roots of the first 1 to 8 leaves of RFC 6962's reference test data (certificate-transparency).
RFC_LEAVES = [b"", b"\x00", b"\x10", b"\x20\x21", b"\x30\x31", b"\x40\x41\x42\x43", bytes(range(0x50, 0x58)), bytes(range(0x60, 0x70))]
RFC_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def test_the_tree_grown_leaf_by_leaf_has_the_roots_of_the_rfc_test_vectors():
    frontier = Frontier()
    for leaf, root in zip(RFC_LEAVES, RFC_ROOTS, strict=True):
        frontier.append(leaf)
        assert frontier.root().hex() == root


def test_the_tree_resumed_from_a_stored_frontier_has_the_same_root_as_the_whole_tree():
    leaves = [n.to_bytes(4, "big") for n in range(70)]
    frontier = Frontier()
    for n, leaf in enumerate(leaves, start=1):
        frontier = Frontier.from_json(frontier.size, frontier.to_json())
        frontier.append(leaf)
        assert frontier.root() == tree_hash(leaves[:n])


@pytest.mark.django_db
def test_the_sealer_refuses_to_go_on_from_a_trail_that_does_not_end_where_its_checkpoint_says(delhi_ilo, seal):
    for i in range(3):
        audit.record(actor=delhi_ilo, action=f"test.step{i}")
    seal()
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditseal WHERE seq = 3")
    audit.record(actor=delhi_ilo, action="test.next")
    with pytest.raises(audit.SealRefused, match=r"does not end where its last checkpoint says \(#3\)"):
        seal()


@pytest.mark.django_db
def test_an_exported_checkpoint_is_never_replaced_by_another_of_the_same_size(delhi_ilo, seal, trail_keys):
    audit.record(actor=delhi_ilo, action="test.one")
    seal()
    path = checkpoints.path_for(trail_keys, 1)
    original = path.read_text()
    with pytest.raises(checkpoints.CheckpointConflict, match="already holds another checkpoint of 1 entries"):
        checkpoints.export(original.replace("time ", "time 1"), 1, trail_keys)
    assert path.read_text() == original


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
def test_an_entry_committed_while_an_earlier_writer_is_still_open_waits_so_that_none_is_sealed_out_of_order(transactional_db):
    opened, release = threading.Event(), threading.Event()

    def slow_request():
        try:
            with transaction.atomic():
                audit.record(action="test.slow", username="slow")
                opened.set()
                assert release.wait(20), "the test never let the slow request commit"
        finally:
            connections.close_all()

    slow = threading.Thread(target=slow_request)
    slow.start()
    try:
        assert opened.wait(20), "the slow request did not write its entry"
        audit.record(action="test.fast", username="fast")  # committed at once, though written after
        assert audit.seal().sealed == 0
        assert AuditEntry.objects.get(action="test.fast").seq is None
    finally:
        release.set()
        slow.join(20)
    assert not slow.is_alive()
    assert audit.seal().sealed == 2
    assert [entry.action for entry in AuditEntry.objects.order_by("seal__seq")] == ["test.slow", "test.fast"]
    report = audit.verify_chain()
    assert report.ok and report.anchored == 2, report.problem


@pytest.mark.skipif(connection.vendor != "postgresql", reason="transaction ids are PostgreSQL's")
@pytest.mark.django_db
def test_entries_written_after_a_seal_in_the_same_transaction_are_sealed_by_the_next(delhi_ilo, seal):
    audit.record(actor=delhi_ilo, action="test.before")

    def another_transaction_commits():  # one that began after this one, and ends first
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT pg_current_xact_id()")
        finally:
            connections.close_all()

    other = threading.Thread(target=another_transaction_commits)
    other.start()
    other.join(20)
    assert seal().sealed == 1
    audit.record(actor=delhi_ilo, action="test.after")
    assert seal().sealed == 1

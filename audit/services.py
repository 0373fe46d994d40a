"""Writing, sealing and verifying the audit trail. Every module records through `record`.

`record` inserts one row, keyed with an HMAC, inside the caller's transaction, and takes no lock. `seal` (run by
`manage.py workflow_tick`, `audit_seal` and `audit_verify`) gives the committed entries their places in a keyed
chain and an RFC 9162 Merkle tree, and signs and exports a checkpoint. `verify_chain` recomputes everything with
the keys and checks it against the exported checkpoints.
"""

import hmac
import json
import logging
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from audit import checkpoints, keys
from audit.context import client_ip
from audit.merkle import Frontier
from audit.models import AuditCheckpoint, AuditEntry, AuditSeal

logger = logging.getLogger(__name__)

GENESIS = bytes(32)
SEAL_LOCK = 0x6F70_6175_6469_7401  # pg_advisory_xact_lock's key: one sealer at a time
SEAL_MAX_WAIT = timedelta(minutes=5)
_IP_FIELD = AuditEntry._meta.get_field("ip")
ENTRY_FIELDS = (
    "id", "at", "actor_id", "actor_username", "office", "action", "target_type", "target_id", "target_repr",
    "purpose", "ip", "data", "nonce", "key_id", "mac",
)  # fmt: skip


def _canonical(entry) -> bytes:
    """Every field of an entry as it reads back from the database, in one fixed byte form."""
    fields = {
        "at": entry.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor_id": entry.actor_id,
        "actor_username": entry.actor_username,
        "office": entry.office,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "target_repr": entry.target_repr,
        "purpose": entry.purpose,
        "ip": entry.ip,
        "data": entry.data,
        "nonce": entry.nonce,
        "key_id": entry.key_id,
    }
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def entry_mac(entry, key: keys.HmacKey) -> str:
    return hmac.digest(key.secret, b"openpol audit entry\x00" + _canonical(entry), "sha256").hex()


def seal_hash(seq: int, mac: str, prev: bytes, key: keys.HmacKey) -> bytes:
    """A seal covers its place, its entry's MAC and the seal before it, so nothing can be moved, dropped or slipped in."""
    message = b"openpol audit seal\x00" + seq.to_bytes(8, "big") + bytes.fromhex(mac) + prev
    return hmac.digest(key.secret, message, "sha256")


def record(
    *,
    actor=None,
    action: str,
    target: models.Model | type[models.Model] | None = None,
    purpose: str = "",
    data: dict | None = None,
    ip: str | None = None,
    username: str = "",
) -> AuditEntry:
    """Write one entry, inside the caller's transaction (it commits or rolls back with the change); one INSERT, no lock.

    `target` is the object the entry is about, or a model for a list of its rows (the entry names the type alone)."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    key = keys.current_hmac_key()
    target_type, target_id, target_repr = _target(target)
    entry = AuditEntry(
        at=timezone.now(),
        actor=actor if authenticated else None,
        actor_username=(actor.get_username() if authenticated else username)[:150],
        office=(actor.office_label if authenticated else "")[:300],
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr[:300],
        purpose=purpose,
        ip=_IP_FIELD.get_prep_value(ip if ip is not None else client_ip.get()),  # as it will read back
        data=json.loads(json.dumps(data or {}, default=str)),
        nonce=secrets.token_hex(8),
        key_id=key.id,
    )
    entry.mac = entry_mac(entry, key)
    # One plain INSERT: the ORM's save() costs several times the statement itself, and every read is audited.
    with connection.cursor() as cursor:
        cursor.execute(_INSERT[connection.vendor == "postgresql"], [
            connection.ops.adapt_datetimefield_value(entry.at), entry.actor_id, entry.actor_username, entry.office, entry.action,
            entry.target_type, entry.target_id, entry.target_repr, entry.purpose, entry.ip,
            json.dumps(entry.data, ensure_ascii=False), entry.nonce, entry.key_id, entry.mac,
        ])  # fmt: skip
        entry.pk, entry.xid = cursor.fetchone()
    entry._state.adding, entry._state.db = False, connection.alias
    return entry


def _target(target: models.Model | type[models.Model] | None) -> tuple[str, str, str]:
    """What an entry names as its object (type, id, in words): one row, a list of a model's rows (no id), or nothing."""
    if target is None:
        return "", "", ""
    if isinstance(target, type):
        return target._meta.label_lower, "", str(target._meta.verbose_name_plural)
    return target._meta.label_lower, str(target.pk), str(target)


def read(
    *, actor, target: models.Model | type[models.Model], shown_as: str = "page", purpose: str = "", data: dict | None = None
) -> AuditEntry:
    """Write the entry for one sensitive read: who saw which object, how (a page, a PDF, the API...), and why.

    Called by `accounts.access.fetch`, the one way views and the API fetch a sensitive object, so it cannot be forgotten.
    A list (`target` a model, `data` what it was narrowed to) is one read of its page, however many rows it shows.
    """
    return record(actor=actor, action="access.read", target=target, purpose=purpose, data={"as": shown_as, **(data or {})})


def read_if_changed(*, actor, target: models.Model, shown_as: str, shown: dict) -> AuditEntry | None:
    """The entry for a read that a page repeats every few seconds (a poll), written only when the poll shows something
    (`shown`: what it showed, e.g. the messages that arrived; empty for nothing) that differs from what the user's last
    audited read of the object showed. An open page then leaves an entry when what it shows changes, not at every poll."""
    if not shown:
        return None
    last = (
        AuditEntry.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk), actor_id=actor.pk, action="access.read")
        .order_by("-id")
        .values_list("data", flat=True)
        .first()
    )
    seen = json.loads(json.dumps(shown, default=str))  # as the entry stores it
    if last is not None and all(last.get(key) == value for key, value in seen.items()):
        return None
    return read(actor=actor, target=target, shown_as=shown_as, data=shown)


_INSERT = {  # by "is it PostgreSQL"; xid is the column's default there
    True: "INSERT INTO audit_auditentry (at, actor_id, actor_username, office, action, target_type, target_id, target_repr,"
    " purpose, ip, data, nonce, key_id, mac) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s::inet, %s::jsonb, %s, %s, %s)"
    " RETURNING id, xid",
    False: "INSERT INTO audit_auditentry (at, actor_id, actor_username, office, action, target_type, target_id, target_repr,"
    " purpose, ip, data, nonce, key_id, mac) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    " RETURNING id, xid",
}


# --- Sealing -------------------------------------------------------------------------------------------------


class SealRefused(RuntimeError):
    """The trail in the database does not match its last checkpoint: sealing on would certify a tampered trail."""


@dataclass(frozen=True)
class SealReport:
    sealed: int
    tree_size: int
    checkpoint: str = ""  # the exported file, when this run wrote one
    seconds: float = 0.0


def checkpoint_dir(origin: str = "") -> Path:
    """AUDIT_CHECKPOINT_DIR; unset (local use), a folder per trail under var/, named by the trail's id."""
    if settings.AUDIT_CHECKPOINT_DIR:
        return Path(settings.AUDIT_CHECKPOINT_DIR)
    return Path(settings.VAR_DIR) / "audit-checkpoints" / (origin.rpartition("/")[2] or "none")


def _resume(latest: AuditCheckpoint | None, verify_keys: list[keys.VerifyKey]) -> tuple[Frontier, bytes, str]:
    """Where the last seal stopped, after checking that the trail still ends where its signed checkpoint says."""
    last_seq = AuditSeal.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    if latest is None:
        if last_seq:
            raise SealRefused(f"seals up to #{last_seq} exist but no checkpoint does: run manage.py audit_verify")
        origin = f"{settings.AUDIT_LOG_ORIGIN}/{secrets.token_hex(8)}"
        if settings.AUDIT_CHECKPOINT_DIR and checkpoints.exported(checkpoint_dir(origin)):
            raise SealRefused(
                f"{settings.AUDIT_CHECKPOINT_DIR} holds checkpoints of a trail this database does not have "
                "(its seals were removed, or the folder belongs to another installation): run manage.py audit_verify"
            )
        return Frontier(), GENESIS, origin
    try:
        signed = checkpoints.parse(latest.note, verify_keys)
    except checkpoints.BadCheckpoint as exc:
        raise SealRefused(f"the last checkpoint in the database is not valid ({exc}): run manage.py audit_verify") from None
    frontier = Frontier.from_json(latest.tree_size, latest.frontier)
    if signed.tree_size != latest.tree_size or signed.root != frontier.root() or last_seq != latest.tree_size:
        raise SealRefused(f"the trail does not end where its last checkpoint says (#{latest.tree_size}): run manage.py audit_verify")
    if beyond := _exported_beyond(latest, verify_keys):
        raise SealRefused(
            f"the checkpoint exported at {_when(beyond)} covers {beyond.tree_size} entries, but the trail in the database "
            f"ends at #{latest.tree_size} (its end was cut off): run manage.py audit_verify"
        )
    prev = AuditSeal.objects.filter(seq=last_seq).values_list("hash", flat=True).first()
    return frontier, bytes.fromhex(prev) if prev else GENESIS, latest.origin


def _exported_beyond(latest: AuditCheckpoint, verify_keys: list[keys.VerifyKey]) -> checkpoints.Checkpoint | None:
    """The newest genuine exported checkpoint of this trail, if it covers more than the database's last one does.

    Sealing on from a trail whose end was cut off, with its head moved back, would sign a second history."""
    for path in checkpoints.newest_first(checkpoint_dir(latest.origin)):
        try:
            signed = checkpoints.parse(path.read_text(encoding="utf-8", errors="replace"), verify_keys)
        except checkpoints.BadCheckpoint:
            continue  # a forged file must not stop the seal; audit_verify names it
        if signed.origin == latest.origin:
            return signed if signed.tree_size > latest.tree_size else None
    return None


@dataclass(frozen=True)
class _Writers:
    """PostgreSQL: which writing transactions may still commit entries, by transaction id."""

    oldest_open_here: int  # every entry of an older transaction is committed or rolled back (own transaction aside)
    own: int | None  # this transaction, whose own entries it may seal
    floor: int  # no entry still to come has an older id (any database's open writer, this one included)


def _writers() -> _Writers:
    """The oldest writer still open in this database, so that those of other databases on the server do not hold the
    seal back; the floor counts them all, and the writers pg_stat_activity does not show this role, to stay safe."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text, pg_current_xact_id_if_assigned()::text::bigint")
        text, own = cursor.fetchone()
        # Read after the snapshot: a writer open then and still open now is listed; one that ended since has committed.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT backend_xid::text::bigint FROM pg_stat_activity"
            " WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
            " UNION ALL SELECT transaction::text::bigint FROM pg_prepared_xacts WHERE database = current_database()"
        )
        ours = {row[0] for row in cursor.fetchall()}  # 32-bit ids; the snapshot's are 64-bit (epoch and id)
    xmin, xmax, in_progress = text.split(":")
    open_here = [xid for xid in map(int, filter(None, in_progress.split(","))) if (xid & 0xFFFFFFFF) in ours and xid != own]
    return _Writers(min(open_here, default=int(xmax)), own, min(int(xmin), own or int(xmin)))


def _unsealed(latest: AuditCheckpoint | None, after: int, limit: int, writers: _Writers | None) -> list[tuple[int, str]]:
    """The next entries that can be sealed, in the order they were written: none that an open transaction may precede.

    An entry that has waited SEAL_MAX_WAIT behind a transaction still open is sealed all the same: a long import
    must not hold back the whole trail (its own entries are sealed when it commits, after the later ones)."""
    with connection.cursor() as cursor:
        if writers is None:  # SQLite: one writer at a time, so every entry this transaction sees is committed (or its own)
            cursor.execute(
                "SELECT e.id, e.mac FROM audit_auditentry e WHERE e.id > %s"
                " AND NOT EXISTS (SELECT 1 FROM audit_auditseal s WHERE s.entry_id = e.id) ORDER BY e.id LIMIT %s",
                [max(after, latest.last_entry_id if latest else 0), limit],
            )
        else:
            cursor.execute(
                "SELECT e.id, e.mac FROM audit_auditentry e"
                " WHERE e.xid >= %s AND (e.xid < %s OR e.xid = %s OR e.at < %s) AND e.id > %s"
                # OFFSET 0 keeps the check a probe of the seals' index per candidate: as an anti-join, the planner
                # would hash every seal ever made at every run.
                " AND NOT EXISTS (SELECT 1 FROM audit_auditseal s WHERE s.entry_id = e.id OFFSET 0) ORDER BY e.id LIMIT %s",
                [
                    (latest.snapshot_xmin or 0) if latest else 0,  # the last seal's floor: nothing unsealed is older
                    writers.oldest_open_here,
                    writers.own,
                    timezone.now() - SEAL_MAX_WAIT,
                    after,
                    limit,
                ],
            )
        return cursor.fetchall()


def _insert_seals(seals: list[tuple[int, int, str, str]], postgres: bool) -> None:
    """Plain rows, without a model instance each: COPY on PostgreSQL (the sealer's time is mostly this)."""
    with connection.cursor() as cursor:
        if postgres:
            with cursor.copy("COPY audit_auditseal (seq, entry_id, key_id, hash) FROM STDIN") as copy:
                for row in seals:
                    copy.write_row(row)
        else:
            cursor.executemany("INSERT INTO audit_auditseal (seq, entry_id, key_id, hash) VALUES (%s, %s, %s, %s)", seals)


def seal(*, batch_size: int = 20_000) -> SealReport:
    """Seal every entry that is safe to seal, sign a checkpoint over the whole trail and export it (after commit)."""
    started = time.monotonic()
    key = keys.current_hmac_key()
    postgres = connection.vendor == "postgresql"
    with transaction.atomic():
        writers = None
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK])
            writers = _writers()  # taken after the lock, before reading: safe for every entry read below
        latest = AuditCheckpoint.objects.order_by("-tree_size").first()
        frontier, prev, origin = _resume(latest, keys.verify_keys())
        sealed, after = 0, 0
        while rows := _unsealed(latest, after, batch_size, writers):
            seals = []
            for entry_id, mac in rows:
                seq = frontier.size + 1
                prev = seal_hash(seq, mac, prev, key)
                frontier.append(prev)
                seals.append((seq, entry_id, key.id, prev.hex()))
            _insert_seals(seals, postgres)
            sealed, after = sealed + len(rows), rows[-1][0]
        directory = checkpoint_dir(origin)
        if not sealed:
            if latest is not None:  # a file lost to a failed export is written again
                transaction.on_commit(lambda: checkpoints.export(latest.note, latest.tree_size, directory), robust=False)
            return SealReport(0, frontier.size, seconds=time.monotonic() - started)
        at = timezone.now()
        note = checkpoints.sign(origin, frontier.size, frontier.root(), at)
        AuditCheckpoint.objects.create(
            tree_size=frontier.size,
            root_hash=frontier.root().hex(),
            at=at,
            origin=origin,
            note=note,
            frontier=frontier.to_json(),
            snapshot_xmin=writers.floor if writers else None,
            last_entry_id=max(after, latest.last_entry_id if latest else 0),
        )
        # Exported only once committed: a file for a seal that rolled back would look like a cut-off trail.
        transaction.on_commit(lambda: checkpoints.export(note, frontier.size, directory), robust=False)
    return SealReport(sealed, frontier.size, str(checkpoints.path_for(directory, frontier.size)), time.monotonic() - started)


def seal_periodic() -> dict:
    """Listed in WORKFLOW_PERIODIC, run by `manage.py workflow_tick`: seal, and say so rather than stop the other jobs."""
    try:
        report = seal()
    except (SealRefused, checkpoints.CheckpointConflict, OSError) as exc:
        logger.error("audit trail not sealed: %s", exc)
        return {"error": str(exc)}
    return {"sealed": report.sealed, "tree_size": report.tree_size}


# --- Verifying -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int  # entries checked, sealed or not
    problem: str = ""  # the first problem, in words
    first_bad_seq: int | None = None
    sealed: int = 0
    pending: int = 0  # entries not sealed yet: their own MAC is checked, their place not yet
    anchored: int = 0  # entries covered by the newest checkpoint exported outside the database
    checkpoints: int = 0  # exported checkpoints checked
    problems: tuple[str, ...] = ()


@dataclass
class _Findings:
    found: list[tuple[float, str, int | None]] = field(default_factory=list)

    def add(self, seq: int | None, text: str) -> None:
        self.found.append((seq if seq is not None else float("inf"), text, seq))

    def first(self) -> tuple[str, int | None]:
        _, text, seq = min(self.found, key=lambda item: item[0])
        return text, seq


def _when(checkpoint: checkpoints.Checkpoint) -> str:
    return timezone.localtime(checkpoint.at).strftime("%Y-%m-%d %H:%M")


def verify_chain(
    batch_size: int = 5000,
    *,
    checkpoint_directory: Path | None = None,
    hmac_keys: dict[str, keys.HmacKey] | None = None,
    verify_keys: list[keys.VerifyKey] | None = None,
) -> ChainReport:
    """Recompute every MAC, seal and Merkle root with the keys, and compare them with the signed checkpoints.

    Names the first entry that was altered, deleted, moved, copied or cut off, and any checkpoint that is forged.
    """
    hmac_keys = hmac_keys if hmac_keys is not None else keys.hmac_keys()
    verify_keys = verify_keys if verify_keys is not None else keys.verify_keys()
    findings = _Findings()

    # The checkpoints: those in the database (which its administrator could delete) and those exported (which they cannot).
    anchors: dict[int, tuple[checkpoints.Checkpoint, str]] = {}
    origin = ""
    rows = list(AuditCheckpoint.objects.order_by("tree_size"))
    for row in rows:
        try:
            signed = checkpoints.parse(row.note, verify_keys)
        except checkpoints.BadCheckpoint as exc:
            findings.add(row.tree_size, f"the checkpoint of {row.tree_size} entries in the database is not valid: {exc}")
            continue
        origin = origin or signed.origin
        if signed.origin != origin or signed.tree_size != row.tree_size:
            findings.add(row.tree_size, f"the checkpoint of {row.tree_size} entries in the database was altered")
            continue
        anchors[signed.tree_size] = (signed, "the checkpoint in the database")
    if not origin and rows:
        origin = rows[-1].origin  # not signed, but it names the folder; the files there say whether it is this trail's
    directory = checkpoint_directory or (checkpoint_dir(origin) if origin or settings.AUDIT_CHECKPOINT_DIR else None)
    notes = checkpoints.exported(directory) if directory else []
    if not origin and AuditSeal.objects.exists():  # the database's checkpoints are gone, its seals are not: the files name the trail
        origin = next((signed.origin for signed in _parsed(notes, verify_keys)), "")
    exported: list[checkpoints.Checkpoint] = []
    for path, note in notes:
        try:
            signed = checkpoints.parse(note, verify_keys)
        except checkpoints.BadCheckpoint as exc:
            findings.add(None, f"the exported checkpoint {path.name} is not valid: {exc}")
            continue
        if signed.origin != origin:
            findings.add(
                1,
                f"the exported checkpoint {path.name} ({signed.tree_size} entries, {_when(signed)}) is of a trail this database "
                f"does not hold{f' (it holds {origin})' if origin else ''}: the trail was removed or restarted",
            )
            continue
        known = anchors.get(signed.tree_size)
        if known and known[0].root != signed.root:
            findings.add(None, f"two different checkpoints of {signed.tree_size} entries were signed: {path.name} and {known[1]}")
        exported.append(signed)
        anchors[signed.tree_size] = (signed, f"the checkpoint exported at {_when(signed)}")

    # The sealed trail, in order: each entry's MAC, each seal's link to the one before, the Merkle roots.
    frontier, prev, expected, checked = Frontier(), GENESIS, 1, 0
    good_up_to = 0  # the largest checkpoint matched so far
    last = 0
    columns = ("seq", "key_id", "hash", *(f"entry__{name}" for name in ENTRY_FIELDS))
    while batch := list(AuditSeal.objects.filter(seq__gt=last).order_by("seq").values_list(*columns)[:batch_size]):
        for seq, seal_key_id, stored, *values in batch:
            entry = _Row(values)
            linked = True
            if seq != expected:
                missing = f"entry #{expected} is" if seq == expected + 1 else f"entries #{expected} to #{seq - 1} are"
                findings.add(expected, f"{missing} missing (deleted)")
                linked = False  # the seal after a gap cannot link; one finding is enough
            key = hmac_keys.get(entry.key_id)
            if key is None:
                findings.add(seq, f"entry #{seq} is under an unknown key ({entry.key_id}): forged, or its key is not in AUDIT_HMAC_KEYS")
            elif not hmac.compare_digest(entry_mac(entry, key), entry.mac):
                findings.add(seq, f"entry #{seq} was altered after it was written")
            seal_key = hmac_keys.get(seal_key_id)
            try:
                stored_bytes = bytes.fromhex(stored)
                good = seal_key is not None and hmac.compare_digest(seal_hash(seq, entry.mac, prev, seal_key), stored_bytes)
            except ValueError:
                stored_bytes, good = GENESIS, False
            if linked and not good:
                findings.add(seq, f"entry #{seq} does not follow entry #{seq - 1} (reordered or replaced)")
            frontier.append(stored_bytes)
            prev, expected, last, checked = stored_bytes, seq + 1, seq, checked + 1
            anchor = anchors.get(frontier.size)
            if anchor and frontier.size == seq:
                if anchor[0].root == frontier.root():
                    good_up_to = frontier.size
                elif not any(good_up_to < (found[2] or 0) <= seq for found in findings.found):  # else already explained
                    findings.add(
                        good_up_to + 1,
                        f"entries #{good_up_to + 1} to #{seq} do not match {anchor[1]}: the trail was rewritten"
                        " (by someone holding the HMAC key, since every MAC checks)",
                    )
    sealed = last
    if sealed and not AuditCheckpoint.objects.filter(tree_size__gte=sealed).exists():  # asked now: a seal may have run meanwhile
        signed_up_to = AuditCheckpoint.objects.order_by("-tree_size").values_list("tree_size", flat=True).first()
        if signed_up_to is None:
            findings.add(None, f"{sealed} entries are sealed, but the database holds no checkpoint of them: its checkpoints were deleted")
        else:
            findings.add(
                signed_up_to + 1,
                f"entries #{signed_up_to + 1} to #{sealed} were sealed outside the sealer: no checkpoint in the database covers them",
            )
    newest = max(anchors, default=0)
    if newest > sealed:
        signed, where = anchors[newest]
        findings.add(
            sealed + 1,
            f"the trail ends at entry #{sealed}, but {where} covers {newest} entries: "
            f"entries #{sealed + 1} to #{newest} were deleted (the end cut off)",
        )

    # A copy of a genuine entry carries a valid MAC: two rows with one MAC show it.
    copies = AuditEntry.objects.values("mac").annotate(n=models.Count("id")).filter(n__gt=1).values_list("mac", flat=True)[:5]
    for mac in copies:
        rows = list(AuditEntry.objects.filter(mac=mac).order_by("id").select_related("seal"))
        where = [f"#{row.seq}" if row.seq else f"id {row.pk} (not sealed yet)" for row in rows]
        findings.add(rows[-1].seq, f"entry {where[-1]} is a copy of entry {where[0]} (inserted)")

    # Entries not sealed yet: their place is not fixed, but their content is already keyed.
    pending, last_id = 0, 0
    unsealed = AuditEntry.objects.filter(seal__isnull=True).order_by("id")
    while batch := list(unsealed.filter(id__gt=last_id).values_list(*ENTRY_FIELDS)[:batch_size]):
        for values in batch:
            entry = _Row(values)
            key = hmac_keys.get(entry.key_id)
            if key is None or not hmac.compare_digest(entry_mac(entry, key), entry.mac):
                findings.add(
                    None,
                    f"the entry of {timezone.localtime(entry.at):%Y-%m-%d %H:%M:%S} ({entry.action}, id {entry.id}), "
                    "not sealed yet, was altered after it was written or is forged",
                )
            last_id, pending = entry.id, pending + 1

    anchored = max((signed.tree_size for signed in exported), default=0)
    if not findings.found:
        return ChainReport(True, checked + pending, sealed=sealed, pending=pending, anchored=anchored, checkpoints=len(exported))
    problem, first_bad = findings.first()
    problems = tuple(text for _, text, _ in sorted(findings.found, key=lambda item: item[0]))
    if len(problems) > 1:
        problem += f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})"
    return ChainReport(False, checked + pending, problem, first_bad, sealed, pending, anchored, len(exported), problems[:50])


def _parsed(notes: list[tuple[Path, str]], verify_keys: list[keys.VerifyKey]):
    """The exported checkpoints that a known key signed, in order."""
    for _path, note in notes:
        try:
            yield checkpoints.parse(note, verify_keys)
        except checkpoints.BadCheckpoint:
            continue


class _Row:
    """An entry read as plain values (no model instance per row): enough for its MAC."""

    __slots__ = ENTRY_FIELDS

    def __init__(self, values):
        for name, value in zip(ENTRY_FIELDS, values, strict=True):
            setattr(self, name, value)

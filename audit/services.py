"""Writing and verifying the audit trail. Every module records through `record`."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from django.db import models, transaction
from django.utils import timezone

from audit.context import client_ip
from audit.models import AuditEntry, AuditHead

GENESIS_HASH = "0" * 64


def _canonical(entry: AuditEntry) -> bytes:
    at = entry.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    fields = {
        "seq": entry.seq,
        "at": at,
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
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_canonical(entry)).hexdigest()


@transaction.atomic
def record(
    *,
    actor=None,
    action: str,
    target: models.Model | None = None,
    purpose: str = "",
    data: dict | None = None,
    ip: str | None = None,
    username: str = "",
) -> AuditEntry:
    """Append one entry to the chain, inside the caller's transaction (it commits or rolls back with the change)."""
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS_HASH})
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    entry = AuditEntry(
        seq=head.seq + 1,
        at=timezone.now(),
        actor=actor if authenticated else None,
        actor_username=(actor.get_username() if authenticated else username)[:150],
        office=(actor.office_label if authenticated else "")[:300],
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:300] if target is not None else "",
        purpose=purpose,
        ip=ip if ip is not None else client_ip.get(),
        data=json.loads(json.dumps(data or {}, default=str)),
        prev_hash=head.hash,
    )
    entry.hash = compute_hash(entry)
    entry.save()
    AuditHead.objects.filter(pk=1).update(seq=entry.seq, hash=entry.hash)
    return entry


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    problem: str = ""
    first_bad_seq: int | None = None


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Walk the chain in order and report the first entry that was altered, deleted or moved."""
    expected_seq, expected_prev, checked = 1, GENESIS_HASH, 0
    last_id = 0
    while True:
        batch = list(AuditEntry.objects.filter(seq__gt=last_id).order_by("seq")[:batch_size])
        if not batch:
            break
        for entry in batch:
            if entry.seq != expected_seq:
                return ChainReport(False, checked, f"entry #{expected_seq} is missing (deleted)", expected_seq)
            if entry.prev_hash != expected_prev:
                return ChainReport(
                    False, checked, f"entry #{entry.seq} does not follow entry #{entry.seq - 1} (reordered or replaced)", entry.seq
                )
            if compute_hash(entry) != entry.hash:
                return ChainReport(False, checked, f"entry #{entry.seq} was altered after it was written", entry.seq)
            expected_seq, expected_prev = entry.seq + 1, entry.hash
            checked += 1
        last_id = batch[-1].seq
    head = AuditHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if head_seq != checked or head_hash != expected_prev:
        return ChainReport(
            False, checked, f"the chain ends at entry #{checked} but entry #{head_seq} was written (deleted at the end)", checked + 1
        )
    return ChainReport(True, checked)

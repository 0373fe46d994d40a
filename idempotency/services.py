"""Every write on idempotency keys: claiming one for a request, storing its answer, forgetting old ones."""

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from idempotency.models import IdempotencyKey

# The IETF draft lets the server say how long a key is remembered; a retry comes within minutes, an audit never needs it.
LIFETIME = timedelta(hours=24)

_local_lock = threading.Lock()
_local_in_flight: set[tuple[str, str]] = set()


def _lock_id(owner: str, key: str) -> int:
    """A signed 64-bit number for PostgreSQL's advisory locks."""
    digest = hashlib.sha256(f"{owner}\n{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def request_transaction(owner: str, key: str, *, wait: bool) -> Iterator[bool]:
    """The transaction a keyed request runs in; yields False at once, without waiting, when another request with
    the same key is still being processed and `wait` is off.

    The claim on the key is the row inserted in this transaction, so a crash leaves no trace of it. The unique
    index makes a second copy wait for the first; to answer 409 instead, PostgreSQL is asked for an advisory lock
    released at commit, and SQLite, which runs one writer at a time anyway, is guarded inside this process.
    """
    local = connection.vendor != "postgresql" and not wait
    if local:
        with _local_lock:
            busy = (owner, key) in _local_in_flight
            if not busy:
                _local_in_flight.add((owner, key))
        if busy:
            yield False
            return
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql" and not wait and not _advisory_lock(owner, key):
                yield False
                return
            yield True
    finally:
        if local:
            with _local_lock:
                _local_in_flight.discard((owner, key))


def _advisory_lock(owner: str, key: str) -> bool:
    """PostgreSQL: take the key's lock until this transaction ends, unless another transaction holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_lock_id(owner, key)])
        return cursor.fetchone()[0]


def key_find(*, owner: str, key: str, now: datetime | None = None) -> IdempotencyKey | None:
    """The answered request this client sent with this key, unless it is older than LIFETIME (then it is forgotten)."""
    record = IdempotencyKey.objects.filter(owner=owner, key=key).first()
    if record is not None and record.created_at <= (now or timezone.now()) - LIFETIME:
        record.delete()
        return None
    return record


def key_claim(*, owner: str, key: str, fingerprint: str, method: str, path: str) -> tuple[IdempotencyKey, bool]:
    """Claim the key for this request, or, when a concurrent copy committed first, return that copy's row (created False).

    Inside the request's transaction: until it commits, the row is invisible and a second insert of the same key waits.
    """
    try:
        with transaction.atomic():
            record = IdempotencyKey.objects.create(
                owner=owner,
                key=key,
                fingerprint=fingerprint,
                method=method,
                path=path[:2000],
                status=0,  # never committed so: the answer replaces it in the same transaction, or the row goes
                body=b"",
                created_at=timezone.now(),
            )
    except IntegrityError:
        return IdempotencyKey.objects.get(owner=owner, key=key), False
    return record, True


def key_answer(record: IdempotencyKey, *, status: int, headers: dict[str, str], body: bytes) -> None:
    """Keep the answer a retry will get."""
    record.status, record.headers, record.body = status, headers, body
    record.save(update_fields=["status", "headers", "body"])


def key_release(record: IdempotencyKey) -> None:
    """The request was refused or not kept: the same key may be sent again, e.g. with the mistake corrected."""
    record.delete()


def keys_purge(now: datetime | None = None) -> int:
    """Forget the keys older than LIFETIME. Listed in WORKFLOW_PERIODIC, run by `manage.py workflow_tick`."""
    deleted, _ = IdempotencyKey.objects.filter(created_at__lte=(now or timezone.now()) - LIFETIME).delete()
    return deleted

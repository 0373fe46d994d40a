"""The inverted index of name keys that person search reads: key → the persons carrying it, and how many they are.

A key's persons are kept in `NamePosting` rows ("segments"), each a packed array of person ids with its length; a
bulk import writes one segment per key per batch (for common keys a few rows hold a hundred thousand persons, where a
table of (key, person) rows would need one row each), a single save adds to a small segment. How many persons carry
a key is the sum of its segments' lengths, read from the (key, n) index, so that search reads the rare keys and
skips the common ones; `NameKeyStat` "*" counts the persons indexed. Removing a person takes its id out of the
segments of the keys it had. Everything here runs the same on SQLite and PostgreSQL; on PostgreSQL the bulk writes
go through COPY and compaction runs in SQL.
"""

import struct
import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Count, Q, Sum

from records.models import NameKeyStat, NamePosting

ALL = "*"  # the NameKeyStat row counting the persons in the index
SMALL = 1024  # a single save adds to a segment of at most this many ids instead of starting a new one
COMPACT_BELOW = 8192  # compaction merges the segments of a key held by fewer persons than this …
COMPACT_OVER = 8  # … once it has more than this many (a common key's are read seldom, and then their ids dominate)

if array("I").itemsize != 4:  # pragma: no cover - every platform Django runs on
    raise ImportError("records.name_index needs 4-byte unsigned ints")


def encode(ids: Iterable[int]) -> bytes:
    """Person ids as little-endian unsigned 32-bit integers."""
    packed = ids if isinstance(ids, array) else array("I", ids)
    if sys.byteorder == "big":  # pragma: no cover
        packed = array("I", packed)
        packed.byteswap()
    return packed.tobytes()


def decode(blob) -> array:
    ids = array("I")
    ids.frombytes(bytes(blob))
    if sys.byteorder == "big":  # pragma: no cover
        ids.byteswap()
    return ids


# --- Reading ------------------------------------------------------------------------------------------


def counts(keys: Iterable[str]) -> dict[str, int]:
    """How many persons carry each of these keys (absent keys are left out)."""
    found = NamePosting.objects.filter(key__in=list(keys)).values("key").annotate(total=Sum("n")).values_list("key", "total")
    return {key: total for key, total in found if total}


def total() -> int:
    return NameKeyStat.objects.filter(key=ALL).values_list("count", flat=True).first() or 0


def persons_of(keys: Iterable[str]) -> dict[str, list[array]]:
    """The person ids of each key, as the arrays of its segments (one query)."""
    found: dict[str, list[array]] = defaultdict(list)
    for key, blob in NamePosting.objects.filter(key__in=list(keys)).values_list("key", "ids"):
        found[key].append(decode(blob))
    return found


# --- Writing ------------------------------------------------------------------------------------------


def stats_add(delta: Counter) -> None:
    """Add (or, with negative counts, take away) persons per statistic (here only ALL, the persons indexed)."""
    delta = {k: v for k, v in delta.items() if v}
    if not delta:
        return
    table = NameKeyStat._meta.db_table
    upsert = f"INSERT INTO {table} (key, count) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET count = {table}.count + excluded.count"  # noqa: S608
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(delta) > 1000:
            cursor.execute("CREATE TEMP TABLE IF NOT EXISTS records_keystat_stage (key varchar(48), count integer) ON COMMIT DELETE ROWS")
            with cursor.cursor.copy("COPY records_keystat_stage (key, count) FROM STDIN") as copy:
                copy.write("".join(f"{k}\t{v}\n" for k, v in delta.items()))
            cursor.execute(
                f"INSERT INTO {table} (key, count) SELECT key, count FROM records_keystat_stage "  # noqa: S608
                f"ON CONFLICT (key) DO UPDATE SET count = {table}.count + excluded.count"
            )
            cursor.execute("TRUNCATE records_keystat_stage")
        else:
            cursor.executemany(upsert, list(delta.items()))


@dataclass
class Segments:
    """New segments, one per key, made in bulk (records.importer) and cheap to pass between processes: the keys, how
    many ids each has, and all their ids in that order (each key's ascending) as little-endian unsigned 32-bit ints."""

    keys: list[str] = field(default_factory=list)
    counts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype="<u4"))

    @classmethod
    def of(cls, postings: dict[str, array]) -> "Segments":
        keys = [key for key, ids in postings.items() if ids]
        if not keys:
            return cls()
        counts = np.array([len(postings[key]) for key in keys], dtype=np.int64)
        ids = np.concatenate([np.frombuffer(encode(postings[key]), dtype="<u4") for key in keys])
        return cls(keys, counts, ids)

    def __len__(self) -> int:
        return len(self.keys)

    def runs(self) -> Iterator[tuple[str, np.ndarray]]:
        """(key, its ids) in order."""
        ends = np.cumsum(self.counts)
        return zip(self.keys, (self.ids[a:b] for a, b in zip((ends - self.counts).tolist(), ends.tolist(), strict=True)), strict=True)

    def postings(self) -> dict[str, array]:
        return {key: decode(ids.tobytes()) for key, ids in self.runs()}


_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
_COPY_ROW = struct.Struct(">hi")  # a row's field count, the key's length (then the key)
_COPY_NUMBERS = struct.Struct(">iqiqiii")  # lo, hi and n, each with its length, and the length of the ids (then the ids)


def segments_copy(runs: Iterable[tuple[str, Any]]) -> None:
    """PostgreSQL: new segments from (key, ids) with ids ascending: a numpy array of little-endian unsigned 32-bit
    ints, or a list of such arrays joined in order (a key's part of each chunk of an import group). Binary COPY: the
    ids go as they are, without hex."""
    parts = [_COPY_HEADER]
    for key, held in runs:
        ids = held if isinstance(held, np.ndarray) else held[0] if len(held) == 1 else np.concatenate(held)
        if not len(ids):
            continue
        encoded = key.encode()
        parts += (
            _COPY_ROW.pack(5, len(encoded)),
            encoded,
            _COPY_NUMBERS.pack(8, int(ids[0]), 8, int(ids[-1]), 4, len(ids), 4 * len(ids)),
            ids.astype("<u4", copy=False).tobytes(),
        )
    if len(parts) == 1:
        return
    parts.append(b"\xff\xff")
    table = NamePosting._meta.db_table
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} (key, lo, hi, n, ids) FROM STDIN (FORMAT BINARY)") as copy:  # noqa: S608
        copy.write(b"".join(parts))


def segments_write(postings: dict[str, array]) -> None:
    """New segments, one per key, each with its ids ascending (COPY on PostgreSQL)."""
    if not postings:
        return
    if connection.vendor == "postgresql":
        segments_copy((key, np.frombuffer(encode(ids), dtype="<u4")) for key, ids in postings.items())
        return
    NamePosting.objects.bulk_create(
        [NamePosting(key=key, lo=ids[0], hi=ids[-1], n=len(ids), ids=encode(ids)) for key, ids in postings.items()], batch_size=2000
    )


def add(keys_by_person: dict[int, Iterable[str]], *, persons_new: int | None = None, bulk: bool | None = None) -> None:
    """Index these persons under these keys (`persons_new` of them new to the index, by default all). A bulk write
    starts new segments; a small one tops up small segments."""
    grouped: dict[str, list[int]] = defaultdict(list)
    delta: Counter = Counter()
    for pk in sorted(keys_by_person):
        for key in keys_by_person[pk]:
            grouped[key].append(pk)
    delta[ALL] += len(keys_by_person) if persons_new is None else persons_new
    bulk = len(keys_by_person) > 50 if bulk is None else bulk
    if bulk:
        segments_write({key: array("I", ids) for key, ids in grouped.items()})
    else:
        _top_up(grouped)
    stats_add(delta)


def _top_up(grouped: dict[str, list[int]]) -> None:
    small = {}
    for segment in NamePosting.objects.filter(key__in=list(grouped), n__lt=SMALL).order_by("key", "-hi"):
        small.setdefault(segment.key, segment)
    changed, new = [], {}
    for key, ids in grouped.items():
        segment = small.get(key)
        if segment is None:
            new[key] = array("I", ids)
            continue
        merged = sorted(set(decode(segment.ids)).union(ids))
        segment.ids, segment.n, segment.lo, segment.hi = encode(merged), len(merged), merged[0], merged[-1]
        changed.append(segment)
    NamePosting.objects.bulk_update(changed, ["ids", "n", "lo", "hi"], batch_size=500)
    segments_write(new)


def remove(keys_by_person: dict[int, Iterable[str]], *, persons_gone: int | None = None) -> None:
    """Take these persons out of the segments of these keys (`persons_gone` of them leave the index, by default all)."""
    grouped: dict[str, set[int]] = defaultdict(set)
    for pk, keys in keys_by_person.items():
        for key in keys:
            grouped[key].add(pk)
    delta: Counter = Counter({ALL: -(len(keys_by_person) if persons_gone is None else persons_gone)})
    if not grouped:
        stats_add(delta)
        return
    lo, hi = min(keys_by_person), max(keys_by_person)
    changed, emptied = [], []
    segments = NamePosting.objects.filter(key__in=list(grouped), lo__lte=hi, hi__gte=lo)
    for segment in segments.iterator(chunk_size=500):
        gone = grouped[segment.key]
        ids = decode(segment.ids)
        kept = array("I", (i for i in ids if i not in gone))
        if len(kept) == len(ids):
            continue
        if not kept:
            emptied.append(segment.pk)
            continue
        segment.ids, segment.n, segment.lo, segment.hi = encode(kept), len(kept), kept[0], kept[-1]
        changed.append(segment)
    NamePosting.objects.filter(pk__in=emptied).delete()
    NamePosting.objects.bulk_update(changed, ["ids", "n", "lo", "hi"], batch_size=500)
    stats_add(delta)


def keys_held(pks: list[int]) -> dict[int, set[str]]:
    """The keys under which these persons are indexed, found by reading every segment whose range holds them (slow on
    a big index: callers that know a person's old keys pass them instead)."""
    held: dict[int, set[str]] = {pk: set() for pk in pks}
    if not pks:
        return held
    where = Q()
    for pk in pks:
        where |= Q(lo__lte=pk, hi__gte=pk)
    for key, blob in NamePosting.objects.filter(where).values_list("key", "ids").iterator(chunk_size=500):
        ids = decode(blob)
        for pk in pks:
            if pk in ids:
                held[pk].add(key)
    return {pk: keys for pk, keys in held.items() if keys}


def compact(keys: Iterable[str] | None = None) -> int:
    """Merge the segments of rare keys that have many of them (after imports in many batches, many single saves) into
    one; returns how many keys were merged. Searching is right without it, only slower to read such keys."""
    crowded = NamePosting.objects.all()
    if keys is not None:
        crowded = crowded.filter(key__in=list(keys))
    crowded = crowded.values("key").annotate(c=Count("id"), total=Sum("n"))
    todo = crowded.filter(c__gt=COMPACT_OVER, total__lt=COMPACT_BELOW).values_list("key", flat=True)
    if connection.vendor == "postgresql":
        table = NamePosting._meta.db_table
        sql, params = todo.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH doomed AS (DELETE FROM {table} WHERE key IN ({sql}) RETURNING key, lo, hi, n, ids) "  # noqa: S608
                f"INSERT INTO {table} (key, lo, hi, n, ids) "
                "SELECT key, min(lo), max(hi), sum(n), string_agg(ids, ''::bytea ORDER BY lo) FROM doomed GROUP BY key",
                params,
            )
            return cursor.rowcount
    todo = list(todo)
    for start in range(0, len(todo), 500):
        chunk = todo[start : start + 500]
        merged: dict[str, array] = {}
        doomed = []
        for segment in NamePosting.objects.filter(key__in=chunk).order_by("lo").only("pk", "key", "ids"):
            merged.setdefault(segment.key, array("I")).extend(decode(segment.ids))
            doomed.append(segment.pk)
        NamePosting.objects.filter(pk__in=doomed).delete()
        segments_write({key: array("I", sorted(ids)) for key, ids in merged.items()})
    return len(todo)

"""Bulk import of records from JSON Lines or CSV: validated, idempotent by external_id, resumable, fast on PostgreSQL.

The format is described in records/README.md. Each row is validated; a rejected row is written with its reasons to
the report file and never silently altered. The file is read in chunks (batch_size rows; the first and the last ones
smaller, so that writing starts early and little is left at the end) and committed in groups of chunks (commit_every rows), each group in one transaction, after
which the checkpoint file holds the last committed line number, so an interrupted import resumes where it stopped.
A checkpoint belongs to one file's content and one database (file_identity, database_identity): another database, or
the file changed since, imports the file whole, and says so. Checkpoints and reports live under settings.VAR_DIR.
Big files are read and validated in worker processes, chunk by chunk, while this process writes the chunks in order.
On PostgreSQL new persons go straight into the table through COPY, and their name keys into the name index
(records.name_index) as one segment per key and group; elsewhere through the ORM.
"""

import csv
import gc
import hashlib
import io
import json
import multiprocessing
import os
import sys
import time
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import accumulate, compress, islice
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec
import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.text import slugify

from directory.models import PoliceStation, State
from records import matching, name_index, names, services
from records.models import Fir, NamePosting, Person, Vehicle

SEXES = {"M": "M", "F": "F", "X": "X", "U": "U", "": "U", "MALE": "M", "FEMALE": "F", "TRANSGENDER": "X", "OTHER": "X", "UNKNOWN": "U"}
ROLES = {value for value, _ in Person.Role.choices}
# What an import writes of a person (after its id). The others are left to the database's defaults: district and
# photo are never imported, created_at is the time of the transaction.
PERSON_COLUMNS = (
    "source external_id name name_native name_norm aliases father_name father_norm sex dob birth_year age age_recorded_on "
    "state_id addresses id_numbers roles sensitive row_hash"
).split()


class Rejected(Exception):
    """A row that cannot be imported, with the reasons."""


@dataclass
class Report:
    read: int = 0
    imported: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped_before_checkpoint: int = 0
    seconds: float = 0.0
    reasons: Counter = field(default_factory=Counter)
    rejected_file: str = ""
    checkpoint_file: str = ""
    notices: list = field(default_factory=list)  # what was done with a checkpoint found, in words

    def as_dict(self) -> dict:
        return {k: (dict(v) if isinstance(v, Counter) else v) for k, v in self.__dict__.items()}


class Progress:
    """A progress bar on stderr with the rate and the time left, redrawn at most five times a second."""

    def __init__(self, total: int, stream=None, enabled: bool = True):
        self.total, self.stream, self.enabled = total, stream or sys.stderr, enabled
        self.started = self.last = time.monotonic()

    def update(self, done: int, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not force and now - self.last < 0.2):
            return
        self.last = now
        elapsed = max(now - self.started, 1e-6)
        rate = done / elapsed
        left = (self.total - done) / rate if rate and self.total else 0
        share = done / self.total if self.total else 1
        bar = "#" * int(share * 30)
        self.stream.write(f"\r[{bar:<30}] {done:,}/{self.total:,} {share:6.1%} {rate:,.0f} rows/s, {_duration(left)} left ")
        self.stream.flush()

    def finish(self, done: int) -> None:
        self.update(done, force=True)
        if self.enabled:
            self.stream.write("\n")


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def read_rows(path: Path) -> Iterator[tuple[int, dict | None, str]]:
    """(line number, row or None, error) for every data line of a JSON Lines or CSV file."""
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            for number, row in enumerate(reader, start=2):
                if None in row:
                    yield number, None, "more values than columns"
                    continue
                yield number, _csv_row(row), ""
        return
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                yield number, None, f"not valid JSON ({error.msg})"
                continue
            if not isinstance(row, dict):
                yield number, None, "a line must hold one JSON object"
                continue
            yield number, row, ""


def _csv_row(row: dict) -> dict:
    """CSV cells are text; lists are written separated by '|' (aliases, roles) and sections as 'LAW:section|…'."""
    out = {k: v for k, v in row.items() if v not in ("", None)}
    for key in ("aliases", "roles"):
        if key in out:
            out[key] = [part.strip() for part in out[key].split("|") if part.strip()]
    if "id_numbers" in out:
        out["id_numbers"] = [{"type": p.split(":", 1)[0], "number": p.split(":", 1)[-1]} for p in out["id_numbers"].split("|")]
    if "sections" in out:
        out["sections"] = [{"law": p.split(":", 1)[0], "section": p.split(":", 1)[-1]} for p in out["sections"].split("|")]
    return out


def row_hash(row: dict) -> str:
    return hashlib.md5(json.dumps(row, sort_keys=True, ensure_ascii=False).encode(), usedforsecurity=False).hexdigest()


@lru_cache(maxsize=200_000)
def name_problem(value: str) -> str:
    """What is wrong with a name ('' if nothing), as services.check_name says it."""
    try:
        services.check_name(value, "name")
    except ValidationError as error:
        return error.message_dict["name"][0].replace("The name", "the name")
    return ""


_loads = json.loads
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: str) -> str:
    """A value for PostgreSQL's COPY text format."""
    return value.translate(_COPY_ESCAPES)


@lru_cache(maxsize=4096)
def _json_list(items: tuple) -> str:
    return _text(json.dumps(list(items), ensure_ascii=False))


def _json(value) -> str:
    if not value:
        return "[]"
    try:
        return _json_list(tuple(value))
    except TypeError:  # unhashable items (dicts): not worth caching
        return _text(json.dumps(value, ensure_ascii=False))


class Row(msgspec.Struct, gc=False):
    """The fields of a row that the importer reads, decoded straight from the JSON text; a field absent from the row
    is None (`type` is "person", as for a row without one). Values are taken as they come and validated after."""

    type: Any = "person"
    external_id: Any = None
    source: Any = None
    name: Any = None
    name_native: Any = None
    father_name: Any = None
    dob: Any = None
    age: Any = None
    age_recorded_on: Any = None
    sex: Any = None
    state: Any = None
    roles: Any = None
    aliases: Any = None
    id_numbers: Any = None
    addresses: Any = None
    sensitive: Any = None


ROW_FIELDS = Row.__struct_fields__
_decode_row = msgspec.json.Decoder(Row).decode
NULL = "\\N"  # COPY text's NULL


UNREADABLE = (msgspec.DecodeError, UnicodeDecodeError)  # msgspec's ValidationError is a DecodeError


def _decode_or_none(text: str | bytes, decode=_decode_row):
    """The line decoded (by default as a Row), or None if it cannot be."""
    try:
        return decode(text)
    except UNREADABLE:
        return None


def _row_of(row: dict) -> Row:
    return Row(**{k: row[k] for k in ROW_FIELDS if k in row})


@dataclass
class Prepared:
    """A chunk of the file read, validated and made ready to write; persons are held column-wise (cheap to pass
    between processes): their line, source, external_id, row hash, COPY text (all the chunk's lines in one string,
    `offsets` marking where each begins) or cleaned fields, and the name keys as index segments (with a base) or
    grouped as key → positions in the chunk (without)."""

    first: int = 0
    last: int = 0
    read: int = 0
    lines: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    external_ids: list = field(default_factory=list)
    hashes: list = field(default_factory=list)
    copy: str = ""
    offsets: array = field(default_factory=lambda: array("q"))
    clean: list = field(default_factory=list)
    postings: dict = field(default_factory=dict)
    base: int | None = None
    segments: name_index.Segments | None = None
    rejected: list = field(default_factory=list)
    others: list = field(default_factory=list)

    def copy_line(self, i: int) -> str:
        return self.copy[self.offsets[i] : self.offsets[i + 1]]

    def hash_of(self, i: int) -> str:
        """The row hash of the i-th person: the last column of its COPY line, when the hashes were not kept apart."""
        return self.hashes[i] if self.hashes else self.copy_line(i)[-33:-1]

    # Passed between processes with its lists of short strings packed into one string each (with their lengths), a
    # list of one value repeated as that value, and without the hashes its COPY text holds: pickling hundreds of
    # thousands of small objects took longer than the rest of the chunk.
    PACKED = ("sources", "external_ids", "hashes")

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["lines"] = array("q", self.lines)
        if self.copy:
            state["hashes"] = []
        for name in self.PACKED:
            values = state[name]
            if values and values.count(values[0]) == len(values):
                state[name] = (values[0], len(values))
            else:
                state[name] = ("".join(values), array("q", map(len, values)))
        return state

    def __setstate__(self, state: dict) -> None:
        state["lines"] = state["lines"].tolist()
        for name in self.PACKED:
            text, lengths = state[name]
            if isinstance(lengths, int):
                state[name] = [text] * lengths
            else:
                ends = list(accumulate(lengths))
                state[name] = [text[end - length : end] for end, length in zip(ends, lengths, strict=True)]
        self.__dict__.update(state)

    def key_postings(self) -> dict[str, array]:
        """Key → ids (or positions), read back from the segments when only they were kept."""
        if self.postings or self.segments is None:
            return self.postings
        return self.segments.postings()


@lru_cache(maxsize=1 << 17)
def _name_info(value: str) -> tuple[str, str, tuple[str, ...], str]:
    """A name as written → (stripped, what is wrong with it or '', its normalised tokens, name_norm)."""
    value = value.strip()
    tokens = names.normalise(value)
    return value, name_problem(value), tokens, " ".join(tokens)[:200]


def _block_lines(first: int, block: bytes) -> tuple[Any, list[bytes]]:
    """A block of a JSON Lines file (lines ending in \\n, the first numbered `first`) as the numbers and texts of
    its lines that are not blank."""
    lines = block.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    numbers: Any = range(first, first + len(lines))
    if any(not line or line.isspace() for line in lines):
        kept = [(number, line) for number, line in zip(numbers, lines, strict=True) if line and not line.isspace()]
        numbers, lines = [number for number, _ in kept], [line for _, line in kept]
    return numbers, lines


def _line_text(line: bytes) -> tuple[str | None, str]:
    """A line of the file as text, or the error: the file must be UTF-8."""
    try:
        return line.decode("utf-8"), ""
    except UnicodeDecodeError:
        return None, "not UTF-8 text"


def _split_lines(first: int, block: bytes) -> list:
    """A block of a JSON Lines file as items for prepare()."""
    numbers, lines = _block_lines(first, block)
    items = []
    for number, line in zip(numbers, lines, strict=True):
        text, error = _line_text(line)
        items.append((number, text, None, error))
    return items


def _all_roles(roles: list) -> bool:
    try:
        return ROLES.issuperset(roles)
    except TypeError:  # an unhashable item (a list, an object) is no role
        return False


class KeyTables:
    """Names, sounds and keys numbered within a worker process, so that _prepare_block makes a chunk's name keys and
    groups them by key column-wise (numpy) instead of row by row: a name is learnt once with its own keys and the
    sounds of its ends; a row then only brings the numbers of its name and father's sound and its year of birth."""

    def __init__(self):
        self.key_ids: dict[str, int] = {}
        self.key_names: list[str] = [""]  # no key is numbered 0
        self.code_ids: dict[str, int] = {}
        self.code_names: list[str] = []
        self.own_start, self.own_count, self.own_flat = array("q"), array("q"), array("q")
        self.end1, self.end2 = array("q"), array("q")
        self.parts: dict[str, tuple[bool, int, str]] = {}
        self.t_keys: dict[int, int] = {}
        self.p_keys: dict[tuple[int, int], int] = {}
        self.i_keys: dict[tuple[int, str], int] = {}
        self.n_keys: dict[tuple[int, str], int] = {}
        self.long_keys: set[int] = set()

    def is_big(self) -> bool:
        return len(self.key_names) > 4_000_000 or len(self.own_start) > 1_000_000

    def key(self, text: str) -> int:
        found = self.key_ids.get(text)
        if found is None:
            found = self.key_ids[text] = len(self.key_names)
            self.key_names.append(text)
        return found

    def code(self, text: str) -> int:
        """A sound's number; -1 for none."""
        if not text:
            return -1
        found = self.code_ids.get(text)
        if found is None:
            found = self.code_ids[text] = len(self.code_names)
            self.code_names.append(text)
        return found

    def name(self, tokens: tuple[str, ...]) -> int | None:
        """Number a name (its tokens, names.normalise) with its own keys, names.name_keys, and the sounds of its ends,
        names.first_last_codes, made here from the numbers of its parts' sounds: a key's text is made once, not per
        name. None if a key may be too long for the index: matching.person_keys cuts those keys to 48 characters,
        and the general way takes such names (with ends of at most 30, a father's sound of at most 15 and a year, no
        other key is)."""
        tokens = tokens[: names.MAX_TOKENS]
        parts_of = self.parts
        parts = [parts_of.get(token) or self._part(token) for token in tokens]
        codes = [part[1] for part in parts if part[0]]
        own: set[int] = set()
        ends: list[int] = []
        if codes:
            if -1 in codes:
                return None
            composite, of_t, of_p, of_i, of_n = self._composite, self.t_keys.get, self.p_keys.get, self.i_keys.get, self.n_keys.get
            for code in codes:
                own.add(of_t(code) or composite("t", code, code))
            for i, a in enumerate(codes):
                for b in codes[i + 1 :]:
                    if a != b:
                        own.add(of_p((a, b)) or composite("p", a, b))
            full = [i for i, part in enumerate(parts) if part[0]]
            first, last = full[0], full[-1]
            if len(tokens) > 1:
                if last != 0:
                    own.add(of_i((codes[-1], parts[0][2])) or composite("i", codes[-1], parts[0][2]))
                if first != len(tokens) - 1:
                    own.add(of_i((codes[0], parts[-1][2])) or composite("i", codes[0], parts[-1][2]))
            if last:
                initials = "".join([part[2] for part in parts[:last]])
                own.add(of_n((codes[-1], initials)) or composite("n", codes[-1], initials))
            ends = [codes[0]] if codes[0] == codes[-1] else [codes[0], codes[-1]]
            if (self.long_keys and not self.long_keys.isdisjoint(own)) or any(len(self.code_names[end]) > 30 for end in ends):
                return None
        number = len(self.own_start)
        self.own_start.append(len(self.own_flat))
        self.own_count.append(len(own))
        self.own_flat.extend(own)
        self.end1.append(ends[0] if ends else -1)
        self.end2.append(ends[1] if len(ends) > 1 else -1)
        return number

    def _part(self, token: str) -> tuple[bool, int, str]:
        """A name part → (whether it is a full part, not an initial; the number of its sound; its initial)."""
        found = self.parts[token] = (len(token) > 1, self.code(names.phonetic(token)), names.initial(token))
        return found

    def _composite(self, kind: str, code: int, other: int | str) -> int:
        """The number of a key, made the first time: a sound alone (t), two sounds (p), a sound with an initial (i)
        or with the initials before it (n). Numbers start at 1, so that a key found is never false."""
        sound = self.code_names[code]
        if kind == "t":
            text, held = f"t:{sound}", self.t_keys
        elif kind == "p":
            a, b = sorted((sound, self.code_names[other]))
            text, held = f"p:{a}|{b}", self.p_keys
        else:
            text, held = f"{kind}:{other}|{sound}", self.i_keys if kind == "i" else self.n_keys
        found = held[code if kind == "t" else (code, other)] = self.key(text)
        if len(text) > 48:
            self.long_keys.add(found)
        return found

    def keys_of(self, number: int) -> tuple[set[str], tuple[str, ...]]:
        """What is held for a name: its own keys and the sounds of its ends."""
        start, count = self.own_start[number], self.own_count[number]
        own = {self.key_names[key] for key in self.own_flat[start : start + count]}
        return own, tuple(self.code_names[end] for end in (self.end1[number], self.end2[number]) if end >= 0)

    def segments(
        self, row_ids: array, name_numbers: array, fathers: array, years: array, extra: dict[str, list[int]]
    ) -> name_index.Segments:
        """The chunk's index segments: its quick rows' keys (each row by its id, its name's number, its father's
        sound's number or -1 and its year of birth or 0) and `extra`, key → ids of the rows read the general way.
        Each key's ids ascend."""
        rows = len(name_numbers)
        names_ = np.frombuffer(name_numbers, dtype=np.int64) if rows else np.zeros(0, dtype=np.int64)
        fathers_ = np.frombuffer(fathers, dtype=np.int64) if rows else np.zeros(0, dtype=np.int64)
        years_ = np.frombuffer(years, dtype=np.int64) if rows else np.zeros(0, dtype=np.int64)
        pks = np.frombuffer(row_ids, dtype=np.int64) if rows else np.zeros(0, dtype=np.int64)
        # the names' own keys: each row repeated once per key of its name
        counts = np.frombuffer(self.own_count, dtype=np.int64)[names_] if rows else np.zeros(0, dtype=np.int64)
        row_of = np.repeat(np.arange(rows), counts)
        within = np.arange(len(row_of)) - np.repeat(np.cumsum(counts) - counts, counts)
        starts = np.frombuffer(self.own_start, dtype=np.int64)[names_] if rows else counts
        flat = np.frombuffer(self.own_flat, dtype=np.int64) if len(self.own_flat) else np.zeros(1, dtype=np.int64)
        keys, ids = [flat[starts[row_of] + within]], [pks[row_of]]
        # the ends' sounds with the father's sound (f:) and with the year of birth (y:)
        for table in (self.end1, self.end2):
            ends = np.frombuffer(table, dtype=np.int64)[names_] if rows else names_
            for prefix, other in (("f", fathers_), ("y", years_)):
                have = (ends >= 0) & (other > (-1 if prefix == "f" else 0))
                pairs = (ends[have] << 32) | other[have]
                unique, where = np.unique(pairs, return_inverse=True)
                codes = self.code_names
                if prefix == "f":
                    texts = [f"f:{codes[pair >> 32]}|{codes[pair & 0xFFFFFFFF]}" for pair in unique.tolist()]
                else:
                    texts = [f"y:{codes[pair >> 32]}|{pair & 0xFFFFFFFF}" for pair in unique.tolist()]
                numbered = np.array([self.key(text) for text in texts], dtype=np.int64)
                keys.append(numbered[where.reshape(-1)] if len(unique) else np.zeros(0, dtype=np.int64))
                ids.append(pks[have])
        for key, held in extra.items():
            keys.append(np.full(len(held), self.key(key), dtype=np.int64))
            ids.append(np.array(held, dtype=np.int64))
        # grouped by key, ids ascending: one sort of key << 32 | id
        both = np.sort((np.concatenate(keys) << 32) | np.concatenate(ids))
        if not len(both):
            return name_index.Segments()
        key_of = both >> 32
        first = np.flatnonzero(np.concatenate(([True], key_of[1:] != key_of[:-1])))
        names = self.key_names
        return name_index.Segments(
            [names[key] for key in key_of[first].tolist()], np.diff(first, append=len(both)), (both & 0xFFFFFFFF).astype("<u4")
        )


@dataclass
class _Chunk:
    """A Prepared being filled: its persons' name keys as key → ids (or positions), ascending, and its COPY lines."""

    out: Prepared
    grouped: defaultdict = field(default_factory=lambda: defaultdict(list))
    copy_lines: list = field(default_factory=list)

    def finish(self, for_copy: bool, segments: name_index.Segments | None = None) -> Prepared:
        """The Prepared, with its COPY text and its name keys: `segments` made already, or from `grouped`."""
        out = self.out
        if for_copy:
            out.copy = "".join(self.copy_lines)
            out.offsets = array("q", accumulate(map(len, self.copy_lines), initial=0))
        if segments is not None:
            out.segments = segments
            return out
        postings = {key: array("I", ids) for key, ids in self.grouped.items()}
        if out.base is not None and for_copy:
            out.segments = name_index.Segments.of(postings)  # postings are read back from them if ever needed
        else:
            out.postings = postings
        return out


class QuickRow(msgspec.Struct, gc=False):
    """A person row as the quick way (RowChecker._prepare_block) takes it, typed so that msgspec turns away, while
    decoding, every row with anything out of the ordinary: another type, an id or name that is not text, a source over
    40 characters, an age, aliases, identity numbers, addresses. Such a row goes the general way."""

    external_id: str
    name: str
    type: Literal["person"] = "person"
    source: Annotated[str, msgspec.Meta(max_length=40)] | None = None
    name_native: str | None = None
    father_name: str | None = None
    dob: str | None = None
    age: Literal[""] | None = None
    age_recorded_on: Any = None  # read only with an age
    sex: str | None = None
    state: str | None = None
    roles: tuple[str, ...] | None = None
    aliases: Annotated[list, msgspec.Meta(max_length=0)] | None = None
    id_numbers: Annotated[list, msgspec.Meta(max_length=0)] | None = None
    addresses: Annotated[list, msgspec.Meta(max_length=0)] | None = None
    sensitive: bool | None = None


_decode_quick = msgspec.json.Decoder(QuickRow).decode
_QUICK_LINE = "{}\t{}\t{}\t{}{}{}{}\t{}\t{}\t\\N\t\\N\t{}\t[]\t[]\t{}\t{}\t{}\n".format  # PERSON_COLUMNS, as copy_tail
_SENSITIVE = {None: "f", False: "f", True: "t"}


class _Lookup(dict):
    """What the values of one field turn into for the quick way, worked out by `learn` the first time a value is met
    (None: the value is not for the quick way, and its rows go the general way)."""

    def __init__(self, learn, known=()):
        super().__init__(known)
        self.learn = learn

    def __missing__(self, value):
        found = self[value] = self.learn(value)
        return found

    def of(self, values: list) -> list:
        return list(map(self.__getitem__, values))


class RowChecker:
    """Validates person rows and readies them for writing; no database access, so that it runs in worker processes.
    What is worked out per name, date or state is kept, since they repeat from row to row."""

    def __init__(self, *, states: dict, source: str, today: date, for_copy: bool):
        self.states, self.source, self.today, self.for_copy = states, source, today, for_copy
        self._dobs: dict[str, tuple] = {}
        # what values turn into, for _prepare_block
        self._forget_names()
        self._fast_dob = _Lookup(self._learn_dob, {None: (f"{NULL}\t{NULL}", 0), "": (f"{NULL}\t{NULL}", 0)})
        self._fast_native = _Lookup(self._learn_native, {None: "", "": ""})
        self._fast_sexes = _Lookup(self._learn_sex, {**SEXES, None: "U"})
        self._fast_states = _Lookup(self._learn_state, {None: NULL, "": NULL, **{label: str(pk) for label, pk in states.items()}})
        self._fast_roles = _Lookup(self._learn_roles, {None: "[]", (): "[]"})

    def prepare(self, items, base: int | None = None) -> Prepared:
        """Items are (line number, JSON text, or the row already read, error), or a block of JSON Lines as (number of
        its first line, its bytes). With `base` (PostgreSQL: ids reserved for the chunk) each person of the chunk gets
        an id from base on, its COPY line and index segments are final."""
        collecting = gc.isenabled()
        gc.disable()  # a chunk makes millions of small objects and no cycles: collecting would only slow it down
        try:
            return self._prepare(items, base)
        finally:
            if collecting:
                gc.enable()

    def _prepare(self, items, base: int | None) -> Prepared:
        if isinstance(items, tuple):
            if self.for_copy and base is not None:
                return self._prepare_block(*items, base)
            items = _split_lines(*items)
        out = Prepared(first=items[0][0] if items else 0, last=items[-1][0] if items else 0, read=len(items), base=base)
        chunk = _Chunk(out)
        for number, text, row, error in items:
            self._take(chunk, number, text, row, error)
        return chunk.finish(self.for_copy)

    def _prepare_block(self, first: int, block: bytes, base: int) -> Prepared:
        """A block of JSON Lines for COPY, read column by column. The rows msgspec can decode as QuickRow are taken
        field by field: what each name, date, state or list of roles turns into is looked up (rows repeat them, so
        it is worked out once, in _learn_*), and the COPY lines are made in one step. They get the first ids of the
        chunk, in the order of the file. The other rows (an error, a backslash, anything QuickRow turns away, a
        value not fit for the quick way) go the general way (_take) after them, which gives the same result for the
        rows both can read; the tests hold the two to that."""
        numbers, lines = _block_lines(first, block)
        try:
            records = list(map(_decode_quick, lines))
        except UNREADABLE:
            records = [_decode_or_none(line, _decode_quick) for line in lines]
        out = Prepared(first=numbers[0] if lines else 0, last=numbers[-1] if lines else 0, read=len(lines), base=base)
        chunk = _Chunk(out)
        if self._tables.is_big() or len(self._fast_father) > 500_000:  # names repeat, but their set is open
            self._forget_names()
        general: set[int] = set()  # positions in the block of the rows that go the general way
        if None in records:
            general.update(i for i, record in enumerate(records) if record is None)
        if b"\\" in block:  # escapes in the JSON: their values would need escaping for COPY
            general.update(i for i, line in enumerate(lines) if b"\\" in line)
        quick = [i for i in range(len(records)) if i not in general] if general else range(len(records))
        rows = [records[i] for i in quick] if general else records
        external_ids = list(map(str.strip, map(attrgetter("external_id"), rows)))
        if not block.isascii():  # names in Indian scripts: their new words transliterated at once, one call per script
            names.learn([*map(attrgetter("name"), rows), *map(attrgetter("father_name"), rows)])
        columns = {
            "name": self._fast_name.of(list(map(attrgetter("name"), rows))),
            "father": self._fast_father.of(list(map(attrgetter("father_name"), rows))),
            "dob": self._fast_dob.of(list(map(attrgetter("dob"), rows))),
            "native": self._fast_native.of(list(map(attrgetter("name_native"), rows))),
            "sex": self._fast_sexes.of(list(map(attrgetter("sex"), rows))),
            "state": self._fast_states.of(list(map(attrgetter("state"), rows))),
            "roles": self._fast_roles.of(list(map(attrgetter("roles"), rows))),
        }
        unfit = {j for values in columns.values() if None in values for j, value in enumerate(values) if value is None}
        if external_ids and (min(map(len, external_ids)) == 0 or max(map(len, external_ids)) > 100):
            unfit.update(j for j, external_id in enumerate(external_ids) if not 0 < len(external_id) <= 100)
        if unfit:  # these rows go the general way too
            general.update(quick[j] for j in unfit)
            keep = [j not in unfit for j in range(len(rows))]
            quick, rows, external_ids = list(compress(quick, keep)), list(compress(rows, keep)), list(compress(external_ids, keep))
            columns = {name: list(compress(values, keep)) for name, values in columns.items()}
        count = len(rows)
        names_, fathers, dobs = columns["name"], columns["father"], columns["dob"]
        default_source = _text(str(self.source)[:40])
        sources = [source or default_source for source in map(attrgetter("source"), rows)]
        md5 = hashlib.md5
        hashes = [md5(line, usedforsecurity=False).hexdigest() for line in map(bytes.strip, (lines[i] for i in quick))]
        pks = range(base, base + count)
        chunk.copy_lines = list(
            map(
                _QUICK_LINE,
                pks,
                sources,
                external_ids,
                map(itemgetter(0), names_),
                columns["native"],
                map(itemgetter(1), names_),
                map(itemgetter(0), fathers),
                columns["sex"],
                map(itemgetter(0), dobs),
                columns["state"],
                columns["roles"],
                map(_SENSITIVE.__getitem__, map(attrgetter("sensitive"), rows)),
                hashes,
            )
        )
        out.lines = [numbers[i] for i in quick] if general else list(numbers)
        out.sources, out.external_ids, out.hashes = sources, external_ids, hashes
        for i in sorted(general):
            self._take_line(chunk, numbers[i], lines[i], None)
        key_rows = (
            array("q", pks),
            array("q", map(itemgetter(2), names_)),
            array("q", map(itemgetter(1), fathers)),
            array("q", map(itemgetter(1), dobs)),
        )
        return chunk.finish(True, segments=self._tables.segments(*key_rows, chunk.grouped))

    def _forget_names(self) -> None:
        self._tables = KeyTables()
        self._fast_name = _Lookup(self._learn_name)
        self._fast_father = _Lookup(self._learn_father, {None: ("\t", -1), "": ("\t", -1)})

    # What a value turns into for _prepare_block, or None if it is not for the quick way (something is wrong with it,
    # or it is out of the ordinary): its rows then go the general way.

    def _learn_name(self, name: str) -> tuple[str, str, int] | None:
        """A name → (its COPY text up to the native name, from the native name to the father's name, its number)."""
        value, problem, tokens, norm = _name_info(name)
        if problem or len(value) > 200:
            return None
        number = self._tables.name(tokens)
        return None if number is None else (f"{value}\t", f"\t{norm}\t[]\t", number)

    def _learn_father(self, father: str) -> tuple[str, int] | None:
        """A father's name → (its COPY text, the number of its sound)."""
        value, problem, tokens, norm = _name_info(father)
        code = names.father_code(tokens)
        if problem or len(value) > 200 or len(code) > 15:
            return None
        return f"{value}\t{norm}", self._tables.code(code)

    def _learn_dob(self, dob: str) -> tuple[str, int] | None:
        """A date of birth → (its COPY text: the date and the year, the year or 0)."""
        day, year, problems = self._dob(dob.strip()) if dob.strip() else (None, None, ())
        if problems:
            return None
        return f"{day.isoformat() if day else NULL}\t{year or NULL}", year or 0

    @staticmethod
    def _learn_native(native: str) -> str | None:
        value = native.strip()
        if value and len(names.scripts_in(value)) > 1:
            return None
        return value[:200]

    @staticmethod
    def _learn_sex(sex: str) -> str | None:
        return SEXES.get(sex.strip().upper())

    def _learn_state(self, state: str) -> str | None:
        pk = self.states.get(state.strip().lower())
        return None if pk is None else str(pk)

    @staticmethod
    def _learn_roles(roles: tuple) -> str | None:
        return _json(roles) if _all_roles(roles) else None

    def _take_line(self, chunk: "_Chunk", number: int, line: bytes, record: "Row | None") -> None:
        text, error = _line_text(line)
        self._take(chunk, number, text, None, error, record)

    def _take(self, chunk: "_Chunk", number: int, text: str | None, row: dict | None, error: str, record: "Row | None" = None) -> None:
        """Read, check and ready one row (the general way): JSON text or a row already read (CSV), or the error
        found reading it; `record` is the text already decoded."""
        out = chunk.out
        if text is not None and record is None and not error:
            record = _decode_or_none(text)
            if record is None:  # say what is wrong as the json module does
                try:
                    row = _loads(text)
                except ValueError as problem:
                    row, error = None, f"not valid JSON ({getattr(problem, 'msg', problem)})"
                else:
                    if not isinstance(row, dict):
                        row, error = None, "a line must hold one JSON object"
        if error:
            out.rejected.append((number, [error], row))
            return
        if record is None:
            record = _row_of(row)
        if record.type != "person":
            out.others.append((number, row if row is not None else _loads(text)))
            return
        problems: list[str] = []
        external_id = record.external_id
        external_id = external_id.strip() if type(external_id) is str else str(external_id or "").strip()
        if not external_id:
            problems.append("external_id is missing")
        elif len(external_id) > 100:
            problems.append("external_id is longer than 100 characters")
        clean = self.person(record, problems)
        if problems:
            out.rejected.append((number, problems, row if row is not None else _loads(text)))
            return
        source = record.source
        source = str(self.source)[:40] if not source else (source if type(source) is str and len(source) <= 40 else str(source)[:40])
        digest = hashlib.md5(text.strip().encode(), usedforsecurity=False).hexdigest() if text is not None else row_hash(row)
        position = len(out.lines)
        pk = position if out.base is None else out.base + position
        year = clean["birth_year"] or matching.birth_year_of(None, None, clean["age"], clean["age_recorded_on"])
        for key in matching.person_keys(
            clean["name_tokens"], clean["father_tokens"], clean["aliases"], clean["id_numbers"], birth_year=year
        ):
            chunk.grouped[key].append(pk)
        out.lines.append(number)
        out.sources.append(source)
        out.external_ids.append(external_id)
        out.hashes.append(digest)
        if self.for_copy:
            escaped = text is None or "\\" in text
            chunk.copy_lines.append(f"{pk}{self.copy_tail(clean, _text(source), external_id, digest, escaped=escaped)}")
        else:
            clean.update(source=source, external_id=external_id, row_hash=digest)
            del clean["name_tokens"], clean["father_tokens"]
            out.clean.append(clean)

    def copy_tail(self, c: dict, source_text: str, external_id: str, digest: str, escaped: bool) -> str:
        """The person as a line of COPY text after its id (PERSON_COLUMNS in order; the source already escaped). Text
        read from JSON holds no tab, newline or backslash unless the JSON line has a backslash (escaped=False then
        spares escaping each value)."""
        null = NULL
        dob, age, recorded, state = c["dob"], c["age"], c["age_recorded_on"], c["state_id"]
        esc = _text if escaped else str
        return (
            f"\t{source_text}\t{esc(external_id)}\t{esc(c['name'])}\t{esc(c['name_native'])}\t{c['name_norm']}\t"
            f"{_json(c['aliases'])}\t{esc(c['father_name'])}\t{c['father_norm']}\t{c['sex']}\t"
            f"{dob.isoformat() if dob else null}\t{c['birth_year'] or null}\t{null if age is None else age}\t"
            f"{recorded.isoformat() if recorded else null}\t{state or null}\t{_json(c['addresses'])}\t"
            f"{_json(c['id_numbers'])}\t{_json(c['roles'])}\t{'t' if c['sensitive'] else 'f'}\t{digest}\n"
        )

    def _name(self, value, key: str, problems: list, required: bool) -> tuple[str, tuple[str, ...], str]:
        """(name, its tokens, name_norm), with what is wrong with it in `problems`."""
        if value is None or value == "":
            if required:
                problems.append(f"{key} is empty")
            return "", (), ""
        if not isinstance(value, str):
            problems.append(f"{key} must be text")
            return "", (), ""
        value, problem, tokens, norm = _name_info(value)
        if problem:
            problems.append(f"{key}: {problem}")
        return value, tokens, norm

    def _date(self, value, key: str, problems: list) -> date | None:
        if value in (None, ""):
            return None
        try:
            parsed = date.fromisoformat(str(value))
        except ValueError:
            problems.append(f"{key} is not a real date in the form YYYY-MM-DD ({value})")
            return None
        if parsed > self.today or parsed.year < 1900:
            problems.append(f"{key} is impossible ({value})")
        return parsed

    def _dob(self, dob: str) -> tuple[date | None, int | None, tuple[str, ...]]:
        """A date of birth as written → (date, year of birth, problems)."""
        found = self._dobs.get(dob)
        if found is None:
            problems: list[str] = []
            day, year = None, None
            if len(dob) == 4 and dob.isdigit():
                if not 1900 <= int(dob) <= self.today.year:
                    problems.append(f"dob is impossible ({dob})")
                year = int(dob)
            else:
                day = self._date(dob, "dob", problems)
                year = day.year if day else None
            found = (day, year, tuple(problems))
            if len(self._dobs) < 1_000_000:
                self._dobs[dob] = found
        return found

    def person(self, row, problems: list) -> dict:
        """Validate a person row (a Row, or a dict as read from CSV); what is wrong goes into `problems`."""
        r = _row_of(row) if isinstance(row, dict) else row
        name, name_tokens, name_norm = self._name(r.name, "name", problems, required=True)
        father, father_tokens, father_norm = self._name(r.father_name, "father_name", problems, required=False)
        out = {"name": name, "father_name": father, "dob": None, "birth_year": None, "age": None, "age_recorded_on": None}
        dob = r.dob
        if dob:
            dob = dob.strip() if type(dob) is str else str(dob).strip()
            if dob:
                out["dob"], out["birth_year"], dob_problems = self._dob(dob)
                if dob_problems:
                    problems.extend(dob_problems)
        age = r.age
        if age is not None and age != "":
            try:
                out["age"] = int(age)
                out["age_recorded_on"] = self._date(r.age_recorded_on, "age_recorded_on", problems) or self.today
                if not 0 <= out["age"] <= 120:
                    problems.append(f"age is impossible ({age})")
            except (TypeError, ValueError):
                problems.append(f"age is not a number ({age})")
        sex = r.sex or ""
        sex = SEXES.get(sex) if type(sex) is str else None
        if sex is None:
            sex = SEXES.get(str(r.sex or "").strip().upper())
            if sex is None:
                problems.append(f"sex must be M, F, X or U ({r.sex})")
        out["sex"] = sex or "U"
        state = r.state or ""
        out["state_id"] = None
        if state:
            out["state_id"] = (self.states.get(state) if type(state) is str else None) or self.states.get(str(state).strip().lower())
            if out["state_id"] is None:
                problems.append(f"state is unknown ({state})")
        roles = r.roles or []
        if not isinstance(roles, list) or not _all_roles(roles):
            problems.append(f"roles must be a list of {', '.join(sorted(ROLES))}")
        aliases = r.aliases or []
        if aliases:
            if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
                problems.append("aliases must be a list of names")
                aliases = []
            for alias in aliases:
                if len(names.scripts_in(alias)) > 1:
                    problems.append(f"alias {alias!r} mixes scripts")
        ids = r.id_numbers or []
        if not isinstance(ids, list):
            problems.append("id_numbers must be a list")
            ids = []
        native = r.name_native
        native = (native.strip() if type(native) is str else str(native).strip()) if native else ""
        if native and len(names.scripts_in(native)) > 1:
            problems.append("name_native mixes scripts")
        if len(name) > 200 or len(father) > 200:
            problems.append("a name is longer than 200 characters")
        out.update(
            name_native=native[:200],
            aliases=aliases,
            roles=roles if isinstance(roles, list) else [],
            id_numbers=ids,
            addresses=r.addresses or [],
            sensitive=bool(r.sensitive),
            name_norm=name_norm,
            father_norm=father_norm,
            name_tokens=name_tokens,
            father_tokens=father_tokens,
        )
        return out


_checker: RowChecker | None = None  # the worker process's, set when its pool starts


def _worker_init(checker: RowChecker) -> None:
    global _checker  # noqa: PLW0603 - one per worker process
    _checker = checker


def _size(chunk) -> int:
    """How many rows a chunk may hold: ids are reserved for each (a block of the file: one per line)."""
    return chunk[1].count(b"\n") if isinstance(chunk, tuple) else len(chunk)


def _worker_prepare(items, base):
    return _checker.prepare(items, base)


# A checkpoint is keyed to the file's content. A file of up to WHOLE_HASH_LIMIT bytes is known by the SHA-256 of all of
# it (milliseconds). A bigger one is known by its size, its modification time and the SHA-256 of SAMPLE_BYTES at its
# start, its end and SAMPLES points between, not by a hash of all of it: that is one more full read of the file before
# every run and every resume, about a second per GB on this machine when the file is in the page cache and a minute or
# more for 10 GB when it is not, as long as importing the first few hundred thousand rows. What a checkpoint must not
# be fooled by is another export put in the file's place, which differs in size, time or those pieces; an edit that
# keeps all three is made on purpose. The safe way to be wrong is cheap: a copy of the file (a new modification time)
# is taken for another file and imported whole, which changes nothing already there (each row's hash is kept).
WHOLE_HASH_LIMIT = 16 << 20
SAMPLE_BYTES = 1 << 20
SAMPLES = 8


def file_identity(path: Path) -> str:
    """The file's content as a checkpoint is keyed to it (see above): "sha256:…" or "sampled:…"."""
    with path.open("rb") as handle:
        stat = os.fstat(handle.fileno())
        if stat.st_size <= WHOLE_HASH_LIMIT:
            return f"sha256:{hashlib.sha256(handle.read()).hexdigest()}"
        digest = hashlib.sha256(f"{stat.st_size}:{stat.st_mtime_ns}:".encode())
        last = stat.st_size - SAMPLE_BYTES
        for k in range(SAMPLES + 2):
            handle.seek(last * k // (SAMPLES + 1))
            digest.update(handle.read(SAMPLE_BYTES))
        return f"sampled:{digest.hexdigest()}"


def database_identity() -> dict:
    """The database an import writes to, as its checkpoints are keyed: its vendor and name, on PostgreSQL its oid,
    and when it was first migrated (Django's first migration record), so that a database dropped and made again
    under the same name, or another server's of that name, is another database. Its host is there to be read."""
    vendor, name = connection.vendor, str(connection.settings_dict["NAME"])
    if vendor == "sqlite" and name != ":memory:" and not name.startswith("file:"):
        name = str(Path(name).resolve())
    oid = ""
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
            oid = str(cursor.fetchone()[0])
    born = MigrationRecorder.Migration.objects.order_by("pk").values_list("applied", flat=True).first()
    key = hashlib.sha256(json.dumps([vendor, name, oid, born.isoformat() if born else ""]).encode()).hexdigest()[:16]
    return {"id": key, "vendor": vendor, "name": name, "host": str(connection.settings_dict.get("HOST") or "")}


def _database_words(database: dict | None) -> str:
    if not database:
        return "no database in particular (an older importer's checkpoint)"
    host = f" on {database['host']}" if database.get("host") else ""
    return f"the {database.get('vendor')} database {database.get('name')}{host} (id {database.get('id')})"


def _read_checkpoint(path: Path) -> dict | None:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
        return found if isinstance(found, dict) and int(found["line"]) >= 0 else None
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return None


class Importer:
    """Reads, validates and writes one file; see the module docstring."""

    def __init__(self, path, *, source: str = "import", batch_size: int = 5000, report_path=None, checkpoint_path=None,
                 resume: bool = True, progress: bool = True, use_copy: bool | None = None, workers: int | None = None,
                 compact: bool = True, commit_every: int = 1_000_000, notice=None):  # fmt: skip
        self.path = Path(path)
        self.source = source
        self.batch_size = batch_size
        self.database = database_identity()
        # By default under VAR_DIR/imports/<database>/, never beside the file (a source tree, a read-only share): one
        # checkpoint and one report per database and file path, the file's name and a hash of its full path
        self.default_checkpoint = checkpoint_path is None
        imports = Path(settings.VAR_DIR) / "imports" / f"{self.database['vendor']}-{self.database['id']}"
        stem = f"{slugify(self.path.stem)[:60] or 'file'}-{hashlib.sha256(str(self.path.resolve()).encode()).hexdigest()[:12]}"
        self.report_path = Path(report_path or imports / f"{stem}.rejected.jsonl")
        self.checkpoint_path = Path(checkpoint_path or imports / f"{stem}.checkpoint")
        self.notice = notice
        self.content = ""  # file_identity, when the run begins
        self.resume = resume
        self.show_progress = progress
        self.use_copy = connection.vendor == "postgresql" if use_copy is None else use_copy
        self.workers = workers
        self.compact = compact
        self.commit_every = commit_every
        self._segments: dict[str, list] = {}  # key → its ids in the group being written, a numpy array per chunk
        self._segments_persons = 0
        self.states = {}
        for pk, name, lgd, iso in State.objects.values_list("pk", "name", "lgd_code", "iso_code"):
            for label in (name, name.lower(), str(lgd), iso, iso.lower()):
                self.states[label] = pk
        self.stations: dict[str, PoliceStation] = {}
        self.seen_ids: set[tuple[str, str]] = set()  # FIRs and vehicles met in this run: (type, external_id)
        self.seen_persons: dict[str, set[str]] = {}  # source → external_ids of the persons met in this run
        self.seen_firs: set[tuple[int, int, int]] = set()
        self.fresh_sources: set[str] = set()
        self.known_sources: set[str] = set()
        self.today = date.today()
        self.checker = RowChecker(states=self.states, source=source, today=self.today, for_copy=self.use_copy)
        self._rejects = None

    # --- the run ---

    def run(self) -> Report:
        report = Report(rejected_file=str(self.report_path), checkpoint_file=str(self.checkpoint_path))
        started = time.monotonic()
        self.content = file_identity(self.path)
        start_after = self._resume_point(report) if self.resume else 0
        total = self._count_lines() if self.show_progress else 0
        progress = Progress(total, enabled=self.show_progress)
        mode = "a" if start_after else "w"
        last_line = start_after
        self.report_path.parent.mkdir(parents=True, exist_ok=True)
        self.checkpoint_path.parent.mkdir(parents=True, exist_ok=True)
        with self.report_path.open(mode, encoding="utf-8") as self._rejects:
            chunks = self._prepared(start_after, report)
            done = False
            while not done:  # a group of chunks per transaction, its index segments merged and written at its end
                done, rows = True, 0
                with transaction.atomic():
                    for prepared in chunks:
                        if prepared.read:
                            last_line = prepared.last
                        self._commit(prepared, report, last_line)
                        progress.update(last_line)
                        rows += prepared.read
                        if rows >= self.commit_every:
                            done = False
                            break
                    self._write_segments()
                    self._rejects.flush()
                self._write_checkpoint(last_line)
            progress.finish(last_line)
        if self.use_copy and report.imported:
            if self.compact:
                name_index.compact()
            with connection.cursor() as cursor:  # fresh statistics, so that search plans use the new rows' indexes
                cursor.execute(f"ANALYZE {Person._meta.db_table}, {NamePosting._meta.db_table}")
        report.seconds = round(time.monotonic() - started, 3)
        return report

    def _count_lines(self) -> int:
        with self.path.open("rb") as handle:
            return sum(piece.count(b"\n") for piece in iter(lambda: handle.read(1 << 20), b""))

    def _chunks(self, start_after: int, report: Report) -> Iterator[list]:
        """The file's data lines after the checkpoint in chunks of batch_size: (number, text, row, error)."""
        chunk: list = []
        if self.path.suffix.lower() != ".csv":
            yield from self._blocks(start_after, report)
            return
        rows = ((number, None, row, error) for number, row, error in read_rows(self.path))
        for item in rows:
            if item[0] <= start_after:
                report.skipped_before_checkpoint += 1
                continue
            chunk.append(item)
            if len(chunk) >= self.batch_size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def _blocks(self, start_after: int, report: Report) -> Iterator[tuple[int, bytes]]:
        """A JSON Lines file after the checkpoint as (number of the first line, its bytes) holding batch_size lines,
        split into rows where they are read (in the workers); one string passes between processes much faster than
        a list of lines, and the file is read in large pieces, not line by line. The first blocks are smaller (from
        batch_size / 16, doubling), so that writing starts while the workers read on, and so are the last (half of
        what is left, as far as the size of the file tells), so that little is left to write once they are read."""
        with self.path.open("rb") as handle:
            file_size = os.fstat(handle.fileno()).st_size
            number = 0
            for line in islice(handle, start_after):
                number += 1
                if line.strip():
                    report.skipped_before_checkpoint += 1
            smallest = size = min(self.batch_size, max(1000, self.batch_size // 16))
            line_bytes, carry = 256, b""  # bytes per line, as read so far; what was read beyond the last block
            while True:
                parts = [carry]
                lines = carry.count(b"\n")
                while lines < size:  # read a little less than the lines wanted should take, then the rest line by line
                    want = size - lines
                    piece = handle.read(max(int(want * line_bytes * 0.97), 1)) if want > 64 else handle.readline()
                    if not piece:
                        break
                    parts.append(piece)
                    lines += piece.count(b"\n")
                block = b"".join(parts)
                if not block:
                    return
                if lines > size:  # cut after the size-th line
                    ends = np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == ord("\n"))
                    block, carry = block[: ends[size - 1] + 1], block[ends[size - 1] + 1 :]
                    lines = size
                else:
                    carry = b""
                line_bytes = max(1, len(block) // max(lines, 1))
                yield number + 1, block if block.endswith(b"\n") else block + b"\n"
                number += lines if block.endswith(b"\n") else lines + 1
                left = (file_size - handle.tell() + len(carry)) // line_bytes
                size = min(2 * size, self.batch_size, max(smallest, left // 2))

    def _prepared(self, start_after: int, report: Report) -> Iterator[Prepared]:
        """Chunks read and validated, in file order: in worker processes for big files, else here."""
        workers = self.workers
        if workers is None:
            size = self.path.stat().st_size
            workers = min(os.cpu_count() or 1, 4) if size > 2_000_000 else 0
        if workers <= 0:
            for chunk in self._chunks(start_after, report):
                yield self.checker.prepare(chunk, self._reserve_ids(_size(chunk)))
            return
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, initializer=_worker_init, initargs=(self.checker,)) as pool:
            pending: deque = deque()
            for chunk in self._chunks(start_after, report):
                pending.append(pool.apply_async(_worker_prepare, (chunk, self._reserve_ids(_size(chunk)))))
                if len(pending) > workers:
                    yield pending.popleft().get()
            while pending:
                yield pending.popleft().get()

    def _reserve_ids(self, count: int) -> int | None:
        """PostgreSQL: take `count` consecutive person ids from the table's sequence, so that a chunk is written with
        its ids and index known beforehand (the lock keeps other inserts from drawing ids in between; ids of rows
        that turn out rejected or already there are left unused, as a sequence may)."""
        if not self.use_copy:
            return None
        table = Person._meta.db_table
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute(f"SELECT pg_get_serial_sequence('{table}', 'id')")
            (sequence,) = cursor.fetchone()
            cursor.execute("SELECT nextval(%s)", [sequence])
            (first,) = cursor.fetchone()
            if count > 1:
                cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
        return first

    def _write_checkpoint(self, line: int) -> None:
        """The last committed line, with the file's content and the database it holds for; replaced whole, so that
        an import stopped while writing it leaves the previous one."""
        data = {"line": line, "file": str(self.path.resolve()), "content": self.content, "database": self.database}
        data["at"] = timezone.now().isoformat()
        part = self.checkpoint_path.with_name(f"{self.checkpoint_path.name}.part")
        part.write_text(json.dumps(data), encoding="utf-8")
        os.replace(part, self.checkpoint_path)

    def _say(self, report: Report, text: str) -> None:
        report.notices.append(text)
        if self.notice is not None:
            self.notice(text)

    def _resume_point(self, report: Report) -> int:
        """The line to resume after: the checkpoint's, when it was made for this file's content and this database.
        Any other checkpoint of the file (the file changed since, another database) is reported and not obeyed."""
        path, found = self.checkpoint_path, _read_checkpoint(self.checkpoint_path)
        legacy = Path(f"{self.path}.checkpoint")
        if legacy != path and legacy.exists():
            self._say(
                report,
                f"Not used: {legacy}, a checkpoint an older importer left beside the file (checkpoints are now kept in {path.parent}); it may be deleted.",
            )
        if found is not None:
            at, line = found.get("at", "?"), int(found["line"])
            if (found.get("database") or {}).get("id") != self.database["id"]:
                self._say(
                    report,
                    f"Not resuming: the checkpoint {path} (after line {line}, {at}) was made for {_database_words(found.get('database'))}, not for this one, {_database_words(self.database)}. Importing {self.path} whole.",
                )
                return 0
            if found.get("content") != self.content:
                self._say(
                    report,
                    f"Not resuming: {self.path} has changed since its checkpoint {path} was written (after line {line}, {at}); the checkpoint is stale. Importing the file whole.",
                )
                return 0
            self._say(
                report,
                f"Resuming {self.path} after line {line}, as its checkpoint {path} for this database says ({at}); --restart reads the file from the start.",
            )
            return line
        if self.default_checkpoint:  # this file's checkpoints for other databases: none applies here
            for other in sorted(path.parent.parent.glob(f"*/{path.name}")):
                theirs = _read_checkpoint(other)
                if other.parent != path.parent and theirs is not None and theirs.get("content") == self.content:
                    self._say(
                        report,
                        f"Not resuming from {other}: that checkpoint (after line {theirs['line']}, {theirs.get('at', '?')}) is for {_database_words(theirs.get('database'))}, not for this one, {_database_words(self.database)}. Importing {self.path} whole.",
                    )
        return 0

    def _reject(self, report: Report, number: int, reasons: list[str], row) -> None:
        report.rejected += 1
        for reason in reasons:
            report.reasons[reason.split(" (")[0]] += 1
        self._rejects.write(json.dumps({"line": number, "reasons": reasons, "row": row}, ensure_ascii=False) + "\n")

    def _commit(self, batch: Prepared, report: Report, last_line: int) -> None:
        report.read += batch.read
        keep, twice = self._first_of_their_ids(batch)
        rejected = list(batch.rejected) + twice
        others = []
        for number, row in batch.others:
            try:
                kind, clean = self.validate(row)
            except Rejected as problem:
                rejected.append((number, problem.args[0], row))
                continue
            others.append((kind, clean))
        for number, reasons, row in sorted(rejected, key=lambda r: r[0]):
            self._reject(report, number, reasons, row)
        if batch.lines:
            written = self.write_persons_copy(batch, keep) if self.use_copy else self.write_persons_orm(batch, keep)
            report.imported += written
            report.unchanged += len(keep) - written
        for kind, clean in others:
            written = self.write_fir(clean) if kind == "fir" else self.write_vehicle(clean)
            report.imported += written
            report.unchanged += 1 - written

    def _first_of_their_ids(self, batch: Prepared) -> tuple[list[int], list[tuple]]:
        """The positions of the chunk's persons whose (source, external_id) this run has not met before, and the
        others rejected. A chunk from one source with none met before (the common case) is checked as a whole."""
        ids = batch.external_ids
        sources = set(batch.sources)
        if len(sources) == 1:
            seen = self.seen_persons.setdefault(sources.pop(), set())
            if seen.isdisjoint(ids) and len(set(ids)) == len(ids):
                seen.update(ids)
                return list(range(len(ids))), []
        keep, rejected = [], []
        for i in sorted(range(len(ids)), key=batch.lines.__getitem__):  # in file order: the quick rows come first
            source, ext = batch.sources[i], ids[i]
            seen = self.seen_persons.setdefault(source, set())
            if ext in seen:
                rejected.append((batch.lines[i], [f"external_id {ext} appears twice in the file"], {"external_id": ext}))
            else:
                seen.add(ext)
                keep.append(i)
        return sorted(keep), rejected

    # --- validation of FIRs and vehicles (persons: RowChecker) ---

    def validate(self, row: dict) -> tuple[str, dict]:
        kind = row.get("type", "person")
        external_id = str(row.get("external_id") or "").strip()
        problems = []
        if not external_id:
            problems.append("external_id is missing")
        elif (kind, external_id) in self.seen_ids:
            problems.append(f"external_id {external_id} appears twice in the file")
        validator = {"person": self.checker.person, "fir": self.validate_fir, "vehicle": self.validate_vehicle}.get(kind)
        if validator is None:
            raise Rejected([f"unknown type {kind!r} (person, fir or vehicle)"])
        clean = validator(row, problems)
        if problems:
            raise Rejected(problems)
        self.seen_ids.add((kind, external_id))
        clean["external_id"] = external_id
        clean["source"] = str(row.get("source") or self.source)[:40]
        clean["row_hash"] = row_hash(row)
        return kind, clean

    def _date(self, value, key: str, problems: list) -> date | None:
        return self.checker._date(value, key, problems)

    def validate_fir(self, row: dict, problems: list) -> dict:
        code = str(row.get("station") or "")
        station = self.stations.get(code)
        if station is None:
            station = PoliceStation.objects.filter(code=code).select_related("district").first()
            if station is None:
                problems.append(f"station is unknown ({code})")
                return {}
            self.stations[code] = station
        try:
            year, number = int(row.get("year")), int(row.get("number"))
        except (TypeError, ValueError):
            problems.append("year and number must be whole numbers")
            return {}
        registered_on = self._date(row.get("registered_on"), "registered_on", problems)
        if registered_on is None:
            problems.append("registered_on is missing") if not row.get("registered_on") else None
        elif registered_on.year != year:
            problems.append(f"registered_on ({registered_on}) is not in the FIR's year {year}")
        key = (station.pk, year, number)
        duplicate = key in self.seen_firs or (
            Fir.objects.filter(station=station, year=year, number=number).exclude(external_id=row.get("external_id")).exists()
        )
        if duplicate:
            problems.append(f"FIR number {number}/{year} already exists at station {code}")
        self.seen_firs.add(key)
        sections = row.get("sections") or []
        if not sections:
            problems.append("sections are missing")
        for section in sections:
            if not isinstance(section, dict) or section.get("law") not in ("BNS", "IPC", "SLL") or not section.get("section"):
                problems.append(f"a section must have a law (BNS, IPC, SLL) and a section ({section})")
            elif registered_on and section["law"] == "BNS" and registered_on < date(2024, 7, 1):
                problems.append(f"BNS section {section['section']} in an FIR registered before 1 July 2024")
        return {
            "station": station,
            "district": station.district,
            "year": year,
            "number": number,
            "registered_on": registered_on,
            "place": str(row.get("place") or "")[:300],
            "complainant_name": str(row.get("complainant_name") or "")[:200],
            "narrative": str(row.get("narrative") or ""),
            "property_details": row.get("property") or [],
            "accused_details": row.get("accused") or [],
            "is_zero_fir": bool(row.get("zero_fir", False)),
            "sensitive": bool(row.get("sensitive", False)),
            "sections": sections,
        }

    def validate_vehicle(self, row: dict, problems: list) -> dict:
        if not any(row.get(k) for k in ("registration", "chassis", "engine")):
            problems.append("a vehicle needs a registration, chassis or engine number")
        status = row.get("status", "stolen")
        if status not in dict(Vehicle.Status.choices):
            problems.append(f"status is unknown ({status})")
        return {
            "registration": str(row.get("registration") or ""),
            "chassis": str(row.get("chassis") or ""),
            "engine": str(row.get("engine") or ""),
            "make": str(row.get("make") or "")[:60],
            "model": str(row.get("model") or "")[:60],
            "colour": str(row.get("colour") or "")[:30],
            "status": status,
            "reported_on": self._date(row.get("reported_on"), "reported_on", problems),
        }

    # --- writing persons ---

    def _existing(self, batch: Prepared, keep: list[int]) -> dict[tuple[str, str], tuple[int, str]]:
        """(source, external_id) → (id, row hash) of the chunk's persons already in the database. A source that had
        no persons when this run began is not looked up: what this run wrote of it is caught as a duplicate line."""
        found = {}
        for source in set(batch.sources) - self.fresh_sources - self.known_sources:
            if Person.objects.filter(source=source).exists():
                self.known_sources.add(source)
            else:
                self.fresh_sources.add(source)
        if self.fresh_sources.issuperset(batch.sources):
            return found
        by_source: dict[str, list[str]] = {}
        for i in keep:
            by_source.setdefault(batch.sources[i], []).append(batch.external_ids[i])
        table = Person._meta.db_table
        for source, external_ids in by_source.items():
            if source in self.fresh_sources:
                continue
            for start in range(0, len(external_ids), 20_000):
                some = external_ids[start : start + 20_000]
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        # probe the (source, external_id) index per id: a plan that reads the whole source (as stale
                        # statistics after a bulk load can suggest) would make each batch slower than the last
                        cursor.execute("SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off")
                        cursor.execute(
                            f"SELECT external_id, id, row_hash FROM {table} WHERE source = %s AND external_id = ANY(%s)",  # noqa: S608
                            [source, some],
                        )
                        rows = cursor.fetchall()
                        cursor.execute("RESET enable_bitmapscan; RESET enable_seqscan")
                else:
                    rows = []
                    for part in range(0, len(some), 500):
                        rows += Person.objects.filter(source=source, external_id__in=some[part : part + 500]).values_list(
                            "external_id", "pk", "row_hash"
                        )
                for ext, pk, digest in rows:
                    found[(source, ext)] = (pk, digest)
        return found

    def _sort_out(self, batch: Prepared, keep: list[int]) -> tuple[list[int], dict[int, int]]:
        """The positions of new persons, and position → id of changed ones (unchanged ones are left alone)."""
        existing = self._existing(batch, keep) if keep else {}
        if not existing:
            return keep, {}
        new, changed = [], {}
        for i in keep:
            found = existing.get((batch.sources[i], batch.external_ids[i]))
            if found is None:
                new.append(i)
            elif found[1] != batch.hash_of(i):
                changed[i] = found[0]
        return new, changed

    def _add_segments(self, segments: name_index.Segments, persons: int) -> None:
        """Keep a chunk's index segments to write with the rest of its group: one segment per key for the whole group
        instead of one per chunk. Chunks come in the order of their ids, so a key's ids stay ascending."""
        held = self._segments
        for key, ids in segments.runs():
            found = held.get(key)
            if found is None:
                held[key] = [ids]
            else:
                found.append(ids)
        self._segments_persons += persons

    def _write_segments(self) -> None:
        name_index.segments_copy(self._segments.items())
        if self._segments_persons:
            name_index.stats_add(Counter({name_index.ALL: self._segments_persons}))
        self._segments, self._segments_persons = {}, 0

    @staticmethod
    def _old_keys(pks: list[int]) -> dict[int, set[str]]:
        return {person.pk: services.keys_for(person) for person in Person.objects.filter(pk__in=pks)}

    @staticmethod
    def _index(batch: Prepared, final: dict[int, int], persons_new: int) -> None:
        """Write the chunk's name keys for some of its persons: `final` maps what the chunk holds (reserved id or
        position) to the person's id."""
        postings = {}
        for key, held in batch.key_postings().items():
            ids = array("I", sorted(final[x] for x in held if x in final))
            if ids:
                postings[key] = ids
        name_index.segments_write(postings)
        name_index.stats_add(Counter({name_index.ALL: persons_new}))

    def write_persons_copy(self, batch: Prepared, keep: list[int]) -> int:
        """PostgreSQL: new persons are COPied straight into the table with the ids reserved for the chunk, changed ones
        updated from a staging table, and the name keys written as one index segment per key."""
        new, changed = self._sort_out(batch, keep)
        table, base = Person._meta.db_table, batch.base
        columns = f"id, {', '.join(PERSON_COLUMNS)}"
        with connection.cursor() as cursor:
            if new:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # noqa: S608
                    if len(new) == len(batch.lines):
                        copy.write(batch.copy)
                    else:
                        for start in range(0, len(new), 10_000):
                            copy.write("".join(batch.copy_line(i) for i in new[start : start + 10_000]))
            if changed:
                old = self._old_keys(list(changed.values()))
                cursor.execute(
                    f"CREATE TEMP TABLE IF NOT EXISTS records_person_stage ON COMMIT DELETE ROWS AS SELECT {columns} FROM {table} WITH NO DATA"  # noqa: S608
                )
                with cursor.cursor.copy(f"COPY records_person_stage ({columns}) FROM STDIN") as copy:
                    lines = (batch.copy_line(i) for i in changed)
                    copy.write("".join(f"{pk}{line[line.index(chr(9)) :]}" for pk, line in zip(changed.values(), lines, strict=True)))
                updates = ", ".join(f"{c} = s.{c}" for c in PERSON_COLUMNS if c not in ("source", "external_id"))
                cursor.execute(f"UPDATE {table} p SET {updates} FROM records_person_stage s WHERE p.id = s.id")  # noqa: S608
                cursor.execute("TRUNCATE records_person_stage")
                name_index.remove(old, persons_gone=0)
        if len(new) == len(batch.lines) and batch.segments is not None:  # all new: its segments join the group's
            self._add_segments(batch.segments, len(new))
        elif new or changed:
            self._index(batch, {**{base + i: base + i for i in new}, **{base + i: pk for i, pk in changed.items()}}, len(new))
        return len(new) + len(changed)

    def write_persons_orm(self, batch: Prepared, keep: list[int]) -> int:
        """Elsewhere (SQLite): insert new persons, update changed ones, leave identical ones alone."""
        new, changed = self._sort_out(batch, keep)
        created = Person.objects.bulk_create([Person(**batch.clean[i]) for i in new], batch_size=2000)
        if changed:
            old = self._old_keys(list(changed.values()))
            fields = [c for c in PERSON_COLUMNS if c not in ("source", "external_id")]
            Person.objects.bulk_update([Person(pk=pk, **batch.clean[i]) for i, pk in changed.items()], fields, batch_size=1000)
            name_index.remove(old, persons_gone=0)
        self._index(batch, {**{i: p.pk for i, p in zip(new, created, strict=True)}, **changed}, len(new))
        return len(new) + len(changed)

    def write_fir(self, clean: dict) -> int:
        existing = Fir.objects.filter(source=clean["source"], external_id=clean["external_id"]).values_list("pk", flat=True).first()
        if existing:
            return 0  # FIRs are registered once; corrections go through the services, not a re-import
        data = dict(clean)
        sections = data.pop("sections")
        data.pop("row_hash")
        services.fir_create(data=data, sections=sections)
        return 1

    def write_vehicle(self, clean: dict) -> int:
        data = services.vehicle_fields({k: v for k, v in clean.items() if k != "row_hash"})
        source, ext = data.pop("source"), data.pop("external_id")
        vehicle = Vehicle.objects.filter(source=source, external_id=ext).first()
        if vehicle is not None and all(getattr(vehicle, k) == v for k, v in data.items()):
            return 0
        Vehicle.objects.update_or_create(source=source, external_id=ext, defaults=data)
        return 1


def import_file(path, **options) -> Report:
    return Importer(path, **options).run()


def jsonl(rows: list[dict]) -> str:
    buffer = io.StringIO()
    for row in rows:
        buffer.write(json.dumps(row, ensure_ascii=False) + "\n")
    return buffer.getvalue()

"""Bulk import of records from JSON Lines or CSV: validated, idempotent by external_id, resumable, fast on PostgreSQL.

The format is described in records/README.md. Each row is validated; a rejected row is written with its reasons to
the report file and never silently altered. Rows are committed in batches, each in one transaction, after which the
checkpoint file holds the last committed line number, so an interrupted import resumes where it stopped.
On PostgreSQL persons go through COPY into a staging table and INSERT … ON CONFLICT; elsewhere through the ORM.
"""

import csv
import hashlib
import io
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from directory.models import PoliceStation, State
from records import matching, names, services
from records.models import Fir, Person, PersonNameKey, Vehicle

SEXES = {"M": "M", "F": "F", "X": "X", "U": "U", "": "U", "MALE": "M", "FEMALE": "F", "TRANSGENDER": "X", "OTHER": "X", "UNKNOWN": "U"}
ROLES = {value for value, _ in Person.Role.choices}
PERSON_COLUMNS = (
    "source external_id name name_native name_norm aliases father_name father_norm sex dob birth_year age age_recorded_on "
    "state_id district_id addresses id_numbers photo roles sensitive row_hash created_at"
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


class Importer:
    """Reads, validates and writes one file; see the module docstring."""

    def __init__(self, path, *, source: str = "import", batch_size: int = 5000, report_path=None, checkpoint_path=None,
                 resume: bool = True, progress: bool = True, use_copy: bool | None = None):  # fmt: skip
        self.path = Path(path)
        self.source = source
        self.batch_size = batch_size
        self.report_path = Path(report_path or f"{self.path}.rejected.jsonl")
        self.checkpoint_path = Path(checkpoint_path or f"{self.path}.checkpoint")
        self.resume = resume
        self.show_progress = progress
        self.use_copy = connection.vendor == "postgresql" if use_copy is None else use_copy
        self.states = {}
        for pk, name, lgd, iso in State.objects.values_list("pk", "name", "lgd_code", "iso_code"):
            self.states[name.lower()] = self.states[str(lgd)] = self.states[iso.lower()] = pk
        self.stations: dict[str, PoliceStation] = {}
        self.seen_ids: set[tuple[str, str]] = set()
        self.seen_firs: set[tuple[int, int, int]] = set()
        self.today = date.today()

    # --- the run ---

    def run(self) -> Report:
        report = Report()
        started = time.monotonic()
        start_after = self._checkpoint() if self.resume else 0
        total = sum(1 for _ in self.path.open(encoding="utf-8")) if self.show_progress else 0
        progress = Progress(total, enabled=self.show_progress)
        mode = "a" if start_after else "w"
        with self.report_path.open(mode, encoding="utf-8") as rejects:
            batch: list[tuple[int, str, dict]] = []
            last_line = start_after
            for number, row, error in read_rows(self.path):
                if number <= start_after:
                    report.skipped_before_checkpoint += 1
                    continue
                report.read += 1
                last_line = number
                try:
                    if error:
                        raise Rejected([error])
                    kind, clean = self.validate(row)
                except Rejected as rejected:
                    report.rejected += 1
                    for reason in rejected.args[0]:
                        report.reasons[reason.split(" (")[0]] += 1
                    rejects.write(json.dumps({"line": number, "reasons": rejected.args[0], "row": row}, ensure_ascii=False) + "\n")
                    continue
                batch.append((number, kind, clean))
                if len(batch) >= self.batch_size:
                    self._commit(batch, report, last_line)
                    rejects.flush()
                    batch = []
                    progress.update(number)
            self._commit(batch, report, last_line)
            progress.finish(last_line)
        report.seconds = round(time.monotonic() - started, 3)
        return report

    def _checkpoint(self) -> int:
        try:
            return int(json.loads(self.checkpoint_path.read_text())["line"])
        except (FileNotFoundError, ValueError, KeyError):
            return 0

    def _commit(self, batch: list, report: Report, last_line: int) -> None:
        with transaction.atomic():
            persons = [clean for _n, kind, clean in batch if kind == "person"]
            if persons:
                written = self.write_persons_copy(persons) if self.use_copy else self.write_persons_orm(persons)
                report.imported += written
                report.unchanged += len(persons) - written
            for _n, kind, clean in batch:
                if kind == "fir":
                    written = self.write_fir(clean)
                elif kind == "vehicle":
                    written = self.write_vehicle(clean)
                else:
                    continue
                report.imported += written
                report.unchanged += 1 - written
        self.checkpoint_path.write_text(json.dumps({"line": last_line, "file": str(self.path), "at": timezone.now().isoformat()}))

    # --- validation ---

    def validate(self, row: dict) -> tuple[str, dict]:
        kind = row.get("type", "person")
        external_id = str(row.get("external_id") or "").strip()
        problems = []
        if not external_id:
            problems.append("external_id is missing")
        elif (kind, external_id) in self.seen_ids:
            problems.append(f"external_id {external_id} appears twice in the file")
        validator = {"person": self.validate_person, "fir": self.validate_fir, "vehicle": self.validate_vehicle}.get(kind)
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

    def _name(self, row: dict, key: str, problems: list, required: bool) -> str:
        value = row.get(key)
        if value in (None, ""):
            if required:
                problems.append(f"{key} is empty")
            return ""
        if not isinstance(value, str):
            problems.append(f"{key} must be text")
            return ""
        try:
            services.check_name(value.strip(), key)
        except ValidationError as error:
            problems.append(f"{key}: {error.message_dict[key][0]}".replace(" The name", " the name"))
        return value.strip()

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

    def validate_person(self, row: dict, problems: list) -> dict:
        name = self._name(row, "name", problems, required=True)
        father = self._name(row, "father_name", problems, required=False)
        out = {"name": name, "father_name": father, "dob": None, "birth_year": None, "age": None, "age_recorded_on": None}
        dob = str(row.get("dob") or "").strip()
        if dob:
            if len(dob) == 4 and dob.isdigit():
                if not 1900 <= int(dob) <= self.today.year:
                    problems.append(f"dob is impossible ({dob})")
                out["birth_year"] = int(dob)
            else:
                out["dob"] = self._date(dob, "dob", problems)
                out["birth_year"] = out["dob"].year if out["dob"] else None
        if row.get("age") not in (None, ""):
            try:
                out["age"] = int(row["age"])
                out["age_recorded_on"] = self._date(row.get("age_recorded_on"), "age_recorded_on", problems) or self.today
                if not 0 <= out["age"] <= 120:
                    problems.append(f"age is impossible ({row['age']})")
            except (TypeError, ValueError):
                problems.append(f"age is not a number ({row['age']})")
        sex = str(row.get("sex") or "").strip().upper()
        if sex not in SEXES:
            problems.append(f"sex must be M, F, X or U ({row.get('sex')})")
        out["sex"] = SEXES.get(sex, "U")
        state = str(row.get("state") or "").strip()
        out["state_id"] = None
        if state:
            out["state_id"] = self.states.get(state.lower())
            if out["state_id"] is None:
                problems.append(f"state is unknown ({state})")
        roles = row.get("roles") or []
        if not isinstance(roles, list) or any(r not in ROLES for r in roles):
            problems.append(f"roles must be a list of {', '.join(sorted(ROLES))}")
        aliases = row.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            problems.append("aliases must be a list of names")
            aliases = []
        for alias in aliases:
            if len(names.scripts_in(alias)) > 1:
                problems.append(f"alias {alias!r} mixes scripts")
        ids = row.get("id_numbers") or []
        if not isinstance(ids, list):
            problems.append("id_numbers must be a list")
            ids = []
        native = str(row.get("name_native") or "").strip()
        if native and len(names.scripts_in(native)) > 1:
            problems.append("name_native mixes scripts")
        out.update(
            name_native=native[:200],
            aliases=aliases,
            roles=roles if isinstance(roles, list) else [],
            id_numbers=ids,
            addresses=row.get("addresses") or [],
            sensitive=bool(row.get("sensitive", False)),
            **services.normalised_fields(name, father),
        )
        if len(name) > 200 or len(father) > 200:
            problems.append("a name is longer than 200 characters")
        return out

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

    # --- writing ---

    def write_persons_orm(self, rows: list[dict]) -> int:
        """Insert new persons, update changed ones, leave identical ones alone; returns how many were written."""
        by_key = {(r["source"], r["external_id"]): r for r in rows}
        existing = {}
        for source in {r["source"] for r in rows}:
            ids = [e for s, e in by_key if s == source]
            for pk, ext, digest in Person.objects.filter(source=source, external_id__in=ids).values_list("pk", "external_id", "row_hash"):
                existing[(source, ext)] = (pk, digest)
        new, changed = [], []
        for key, row in by_key.items():
            if key not in existing:
                new.append(Person(**row))
            elif existing[key][1] != row["row_hash"]:
                changed.append(Person(pk=existing[key][0], **row))
        Person.objects.bulk_create(new, batch_size=2000)
        if changed:
            fields = [c for c in PERSON_COLUMNS if c not in ("source", "external_id", "created_at", "photo")]
            Person.objects.bulk_update(changed, fields, batch_size=1000)
        services.person_keys_replace(new, fresh=True)
        if changed:
            services.person_keys_replace(changed)
        return len(new) + len(changed)

    def write_persons_copy(self, rows: list[dict]) -> int:
        """PostgreSQL: COPY into a staging table, INSERT … ON CONFLICT, then COPY the name keys of what was written."""
        table, keys_table = Person._meta.db_table, PersonNameKey._meta.db_table
        columns = PERSON_COLUMNS
        now = timezone.now()
        keys_by_ext: dict[tuple[str, str], set[str]] = {}
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS records_person_stage ON COMMIT DELETE ROWS AS SELECT {', '.join(columns)} FROM {table} WITH NO DATA"  # noqa: S608
            )
            raw = cursor.cursor
            with raw.copy(f"COPY records_person_stage ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    keys_by_ext[(row["source"], row["external_id"])] = matching.person_keys(
                        tuple(row["name_norm"].split()), tuple(row["father_norm"].split()), row["aliases"], row["id_numbers"]
                    )
                    values = {"district_id": None, **row, "photo": "", "created_at": now}
                    for j in ("aliases", "addresses", "id_numbers", "roles"):
                        values[j] = json.dumps(values[j], ensure_ascii=False)
                    copy.write_row([values[c] for c in columns])
            updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in ("source", "external_id", "created_at"))
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM records_person_stage "  # noqa: S608
                f"ON CONFLICT (source, external_id) DO UPDATE SET {updates} WHERE {table}.row_hash <> excluded.row_hash "
                "RETURNING id, source, external_id, (xmax = 0) AS inserted"
            )
            written = cursor.fetchall()
            cursor.execute("TRUNCATE records_person_stage")
            delta: Counter = Counter()
            updated = [pk for pk, _s, _e, inserted in written if not inserted]
            if updated:
                cursor.execute(f"DELETE FROM {keys_table} WHERE person_id = ANY(%s) RETURNING key", [updated])  # noqa: S608
                delta.subtract(k for (k,) in cursor.fetchall())
            with raw.copy(f"COPY {keys_table} (person_id, key) FROM STDIN") as copy:
                for pk, source, ext, _inserted in written:
                    for key in keys_by_ext[(source, ext)]:
                        copy.write_row((pk, key))
                        delta[key] += 1
            self._stats_copy(cursor, delta)
        return len(written)

    @staticmethod
    def _stats_copy(cursor, delta: Counter) -> None:
        delta = {k: v for k, v in delta.items() if v}
        if not delta:
            return
        cursor.execute("CREATE TEMP TABLE IF NOT EXISTS records_keystat_stage (key varchar(48), count integer) ON COMMIT DELETE ROWS")
        with cursor.cursor.copy("COPY records_keystat_stage (key, count) FROM STDIN") as copy:
            for item in delta.items():
                copy.write_row(item)
        cursor.execute(
            "INSERT INTO records_namekeystat (key, count) SELECT key, count FROM records_keystat_stage "
            "ON CONFLICT (key) DO UPDATE SET count = records_namekeystat.count + excluded.count"
        )
        cursor.execute("TRUNCATE records_keystat_stage")

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

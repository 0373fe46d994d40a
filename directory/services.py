"""Writes to the directory: loading the shipped reference data and importing police station lists."""

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, models, transaction

from directory.models import Agency, Country, District, PoliceStation, State

DATA_DIR = Path(__file__).resolve().parent / "data"
# India's bounding box, generous by a few km: a station outside it is a typo.
INDIA_LAT = (6.0, 37.6)
INDIA_LON = (68.0, 97.5)


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _float(value: str) -> float | None:
    return float(value) if value not in ("", None) else None


def _sync(model: type[models.Model], key: str, rows: list[dict]) -> tuple[int, int]:
    """Create missing rows and update changed ones; returns (created, updated). Unchanged rows are not written."""
    existing = {getattr(obj, key): obj for obj in model.objects.all()}
    created, updated = [], []
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            created.append(model(**row))
            continue
        changed = [name for name, value in row.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, row[name])
            updated.append(obj)
    model.objects.bulk_create(created)
    for obj in updated:
        obj.save()
    return len(created), len(updated)


@transaction.atomic
def reference_data_load() -> dict[str, tuple[int, int]]:
    """Load states, districts, countries and agencies from directory/data (sources in SOURCES.md)."""
    report = {}
    report["states"] = _sync(
        State,
        "lgd_code",
        [
            {
                "lgd_code": int(r["lgd_code"]),
                "name": r["name"],
                "name_hi": r["name_hi"],
                "kind": r["kind"],
                "iso_code": r["iso_code"],
                "capital": r["capital"],
                "lat": _float(r["lat"]),
                "lon": _float(r["lon"]),
            }
            for r in _rows("states.csv")
        ],
    )
    states = {s.lgd_code: s for s in State.objects.all()}
    report["districts"] = _sync(
        District,
        "lgd_code",
        [
            {
                "lgd_code": int(r["lgd_code"]),
                "name": r["name"],
                "state": states[int(r["state_lgd_code"])],
                "lat": _float(r["lat"]),
                "lon": _float(r["lon"]),
            }
            for r in _rows("districts.csv")
        ],
    )
    report["countries"] = _sync(
        Country, "iso2", [{"iso2": r["iso2"], "iso3": r["iso3"], "name": r["name"]} for r in _rows("countries.csv")]
    )
    report["agencies"] = _sync(
        Agency,
        "code",
        [
            {
                "code": r["code"],
                "name": r["name"],
                "name_hi": r["name_hi"],
                "kind": r["kind"],
                "state": states[int(r["state_lgd_code"])] if r["state_lgd_code"] else None,
            }
            for r in _rows("agencies.csv")
        ],
    )
    return report


# --- Importing police stations ----------------------------------------------------------------

STATION_COLUMNS = ("code", "name", "district_lgd_code", "lat", "lon")
STATION_OPTIONAL = ("agency_code", "address", "pincode", "phone", "email")


@dataclass
class StationImport:
    errors: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0


def stations_import(path: Path) -> StationImport:
    """Validate every row of a station CSV; write all of them in one transaction only if none is bad."""
    result = StationImport()
    try:
        handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115 - closed below
    except OSError as error:
        result.errors.append(f"cannot read {path}: {error.strerror}")
        return result
    with handle:
        reader = csv.DictReader(handle)
        missing = [column for column in STATION_COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            result.errors.append(
                f"line 1: missing column(s) {', '.join(missing)}; expected {', '.join(STATION_COLUMNS + STATION_OPTIONAL)}"
            )
            return result
        districts = {d.lgd_code: d for d in District.objects.select_related("state")}
        agencies = {a.code: a for a in Agency.objects.all()}
        police_of_state = {a.state_id: a for a in Agency.objects.filter(kind=Agency.Kind.STATE_POLICE)}
        stations, seen_codes, seen_names = [], {}, {}
        for line, row in enumerate(reader, start=2):
            problems, station = _station_from_row(row, districts, agencies, police_of_state)
            code = (row.get("code") or "").strip()
            if code in seen_codes:
                problems.append(f"code {code} already used on line {seen_codes[code]}")
            seen_codes.setdefault(code, line)
            if station is not None:
                name_key = (station.district.lgd_code, station.name.lower())
                if name_key in seen_names:
                    problems.append(f"a station named {station.name} in this district is already on line {seen_names[name_key]}")
                seen_names.setdefault(name_key, line)
            if problems:
                result.errors.extend(f"line {line}: {problem}" for problem in problems)
            elif station is not None:
                stations.append(station)
    if result.errors:
        return result
    if not stations:
        result.errors.append("the file has no station rows")
        return result
    try:
        _stations_write(stations, result)
    except IntegrityError:
        result.created = result.updated = 0
        result.errors.append("a station with the same name already exists in one of the districts under another code; nothing was imported")
    return result


@transaction.atomic
def _stations_write(stations: list[PoliceStation], result: StationImport) -> None:
    existing = {s.code: s for s in PoliceStation.objects.filter(code__in=[s.code for s in stations])}
    for station in stations:
        current = existing.get(station.code)
        if current is None:
            result.created += 1
        else:
            station.pk = current.pk
            result.updated += 1
    fields = ["name", "district", "agency", "address", "pincode", "phone", "email", "lat", "lon", "is_demo"]
    new, known = [s for s in stations if s.pk is None], [s for s in stations if s.pk is not None]
    PoliceStation.objects.bulk_create(new, batch_size=1000)
    PoliceStation.objects.bulk_update(known, fields, batch_size=1000)


PINCODE = re.compile(r"^[1-9][0-9]{5}$")


def _station_from_row(row, districts, agencies, police_of_state) -> tuple[list[str], PoliceStation | None]:
    problems = []
    value = {key: (row.get(key) or "").strip() for key in STATION_COLUMNS + STATION_OPTIONAL}
    for column in ("code", "name", "district_lgd_code", "lat", "lon"):
        if not value[column]:
            problems.append(f"{column} is empty")
    if value["code"] and not re.fullmatch(r"[A-Za-z0-9._/-]{1,32}", value["code"]):
        problems.append("code may hold only letters, digits and . _ / - (at most 32)")
    district = None
    if value["district_lgd_code"]:
        if not value["district_lgd_code"].isdigit():
            problems.append(f"district_lgd_code {value['district_lgd_code']!r} is not a number")
        else:
            district = districts.get(int(value["district_lgd_code"]))
            if district is None:
                problems.append(f"no district has LGD code {value['district_lgd_code']}")
    coordinates = []
    for column, (low, high) in (("lat", INDIA_LAT), ("lon", INDIA_LON)):
        if not value[column]:
            continue
        try:
            number = float(value[column])
        except ValueError:
            problems.append(f"{column} {value[column]!r} is not a number")
            continue
        if not low <= number <= high:
            problems.append(f"{column} {number} lies outside India ({low} to {high})")
        coordinates.append(number)
    if value["pincode"] and not PINCODE.match(value["pincode"]):
        problems.append(f"pincode {value['pincode']!r} is not a 6-digit Indian PIN code")
    agency = None
    if value["agency_code"]:
        agency = agencies.get(value["agency_code"])
        if agency is None:
            problems.append(f"no agency has the code {value['agency_code']}")
    elif district is not None:
        agency = police_of_state.get(district.state_id)
        if agency is None:
            problems.append(f"no police force is known for {district.state.name}; give agency_code")
    if problems:
        return problems, None
    station = PoliceStation(
        code=value["code"],
        name=value["name"],
        district=district,
        agency=agency,
        address=value["address"],
        pincode=value["pincode"],
        phone=value["phone"],
        email=value["email"],
        lat=coordinates[0],
        lon=coordinates[1],
        is_demo=False,
    )
    return [], station

"""Clearly fake national records at the demo police stations, so that every list, search and check has something to
show after `make run`: FIRs with their sections, complainants, accused and victims (Devanagari names, aliases),
vehicles (some stolen, some recovered), arrests (BNSS s.37), proclaimed offenders (BNSS s.84), wanted and missing
persons, unidentified persons and bodies. Every record has source "demo"; a second run changes nothing."""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from directory.models import PoliceStation
from records import services, synthetic
from records.models import Arrest, Fir, Involvement, Person, ProclaimedOffender, Vehicle

SOURCE = "demo"
# (what happened, sections under the BNS, the IPC sections of the same offence, the brief facts)
OFFENCES = (
    ("theft", [("BNS", "303(2)")], [("IPC", "379")], "A mobile phone was stolen from the complainant's bag in a crowded market."),
    ("vehicle", [("BNS", "303(2)")], [("IPC", "379")], "The complainant's vehicle was stolen from outside the house at night."),
    (
        "burglary",
        [("BNS", "331(4)"), ("BNS", "305")],
        [("IPC", "457"), ("IPC", "380")],
        "The house was broken into at night and jewellery stolen.",
    ),
    ("robbery", [("BNS", "309(4)")], [("IPC", "392")], "Two persons on a motorcycle snatched the complainant's chain at knife-point."),
    ("cheating", [("BNS", "318(4)")], [("IPC", "420")], "A caller posing as a bank officer took the OTP and emptied the account."),
    ("hurt", [("BNS", "115(2)")], [("IPC", "323")], "The accused beat the complainant after a quarrel over parking."),
    ("murder", [("BNS", "103(1)")], [("IPC", "302")], "The body of a shopkeeper was found with stab wounds; the accused fled."),
    ("ndps", [("SLL", "20")], [("SLL", "20")], "Ganja was recovered from the accused at a check-post."),
)
RTO = {"UT": "UK", "CT": "CG", "OR": "OD", "TG": "TS"}  # where the vehicle registration code differs from ISO 3166-2:IN
MAKES = (("Honda", "Activa 6G", "two_wheeler"), ("Hero", "Splendor Plus", "two_wheeler"), ("Bajaj", "Pulsar 150", "two_wheeler"),
         ("Maruti Suzuki", "Swift", "car"), ("Hyundai", "Creta", "car"), ("TVS", "Jupiter", "two_wheeler"))  # fmt: skip
COLOURS = ("Black", "Grey", "Red", "White", "Blue", "Silver")


def seed_records(*, stations: int = 30, firs_per_station: int = 6, seed: int = 2026) -> dict[str, int]:
    """Create the demo records once (nothing when demo records exist); the counts created."""
    if Fir.objects.filter(source=SOURCE).exists():
        return {}
    demo_stations = list(PoliceStation.objects.filter(is_demo=True).select_related("district__state").order_by("code"))
    if not demo_stations:
        return {}
    first = [s for s in demo_stations if s.district.state.iso_code == "IN-DL"][:2]  # the demo accounts' own state first
    step = max(1, len(demo_stations) // stations)
    chosen = first + [s for s in demo_stations[::step] if s not in first][: stations - len(first)]
    rng = random.Random(seed)
    counts = {"firs": 0, "persons": 0, "vehicles": 0, "arrests": 0, "proclaimed": 0, "missing": 0, "unidentified": 0}
    with transaction.atomic():
        for station in chosen:
            for n in range(1, firs_per_station + 1):
                _fir(rng, station, n, counts)
            _missing_and_unidentified(rng, station, counts)
    return counts


def _when(rng: random.Random) -> datetime:
    """Mostly the last year and a half (BNS), a few before 1 July 2024 (IPC)."""
    days = rng.choice([rng.randint(1, 60)] * 3 + [rng.randint(60, 500), rng.randint(600, 1200)])
    at = timezone.localdate() - timedelta(days=days)
    return timezone.make_aware(datetime.combine(at, time(rng.randint(0, 23), rng.choice([0, 15, 30, 45]))))


def _person_data(rng: random.Random, n: int, *, role: str, external_id: str, station, **extra) -> dict:
    fake = synthetic.person(rng, n)
    native = [synthetic.DEVANAGARI.get(token) for token in fake["name"].split()]
    aliases = []
    if role in (Person.Role.ACCUSED, Person.Role.WANTED) and rng.random() < 0.3:
        alias = synthetic.variant(rng, fake["name"], rng.choice(["transliteration", "v_b", "sh_s", "doubled"]))
        aliases = [alias] if alias and alias != fake["name"] else []
    dob = fake["dob"]
    return {
        "source": SOURCE,
        "external_id": external_id,
        "name": fake["name"],
        "name_native": " ".join(native) if all(native) else "",
        "aliases": aliases,
        "father_name": fake["father_name"],
        "sex": fake["sex"],
        "dob": date.fromisoformat(dob) if len(dob) == 10 else None,
        "birth_year": int(dob[:4]),
        "state_id": station.district.state_id,
        "district_id": station.district_id,
        "addresses": [f"House {rng.randint(1, 400)}, Demo Colony, {station.district.name}"],
        "roles": [role],
        **extra,
    }


def _fir(rng: random.Random, station, n: int, counts: dict) -> None:
    kind, bns, ipc, facts = rng.choice(OFFENCES)
    occurred = _when(rng)
    sections = bns if occurred.date() >= date(2024, 7, 1) else ipc
    registered_on = occurred.date() + timedelta(days=rng.choice([0, 0, 1, 2]))
    external_id = f"{station.code}/{occurred.year}/{n}"
    fir = services.fir_create(
        data={
            "source": SOURCE,
            "external_id": external_id,
            "station": station,
            "district": station.district,
            "place_district": station.district,
            "year": registered_on.year,
            "number": n,
            "registered_on": registered_on,
            "occurred_from": occurred,
            "information_received_at": occurred + timedelta(hours=rng.randint(1, 20)),
            "place": f"Near the {rng.choice(['bus stand', 'market', 'temple', 'railway station', 'school'])}, {station.name} (demo)",
            "narrative": f"{facts} (Invented demo case.)",
            "status": rng.choice([Fir.Status.REGISTERED] * 3 + [Fir.Status.CHARGESHEETED]),
        },
        sections=[{"law": law, "section": section, "act": "NDPS Act 1985" if law == "SLL" else ""} for law, section in sections],
    )
    counts["firs"] += 1
    complainant = services.person_save(
        data=_person_data(rng, rng.randrange(10**6), role=Person.Role.COMPLAINANT, external_id=f"{external_id}/c", station=station)
    )
    Fir.objects.filter(pk=fir.pk).update(complainant_name=complainant.name)
    Involvement.objects.create(person=complainant, fir=fir, role=Person.Role.COMPLAINANT)
    counts["persons"] += 1
    if kind == "vehicle":
        _vehicle(rng, station, fir, counts)
    for a in range(rng.choice([0, 1, 1, 2])):
        _accused(rng, station, fir, f"{external_id}/a{a}", counts)


def _vehicle(rng: random.Random, station, fir: Fir, counts: dict) -> None:
    code = station.district.state.iso_code.removeprefix("IN-")
    make, model, kind = rng.choice(MAKES)
    recovered = rng.random() < 0.25
    services.vehicle_save(
        data={
            "source": SOURCE,
            "external_id": f"{fir.external_id}/v",
            "registration": f"{RTO.get(code, code)}{rng.randint(1, 20):02d}{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{rng.randint(1, 9999):04d}",
            "chassis": f"MA{rng.randint(10**14, 10**15 - 1)}",
            "engine": f"E{rng.randint(10**9, 10**10 - 1)}",
            "make": make,
            "model": model,
            "kind": kind,
            "colour": rng.choice(COLOURS),
            "status": Vehicle.Status.RECOVERED if recovered else Vehicle.Status.STOLEN,
            "fir": fir,
            "reported_on": fir.registered_on,
            "recovered_on": fir.registered_on + timedelta(days=rng.randint(3, 40)) if recovered else None,
        }
    )
    counts["vehicles"] += 1


def _accused(rng: random.Random, station, fir: Fir, external_id: str, counts: dict) -> None:
    fate = rng.choice(["arrested", "arrested", "wanted", "proclaimed", "accused"])
    roles = {"arrested": ["accused", "arrested"], "wanted": ["accused", "wanted"], "proclaimed": ["accused", "proclaimed_offender"]}
    data = _person_data(rng, rng.randrange(10**6), role=Person.Role.ACCUSED, external_id=external_id, station=station)
    person = services.person_save(data={**data, "roles": roles.get(fate, ["accused"])})
    Involvement.objects.create(person=person, fir=fir, role=Person.Role.ACCUSED)
    counts["persons"] += 1
    if fate == "arrested":
        arrested_at = timezone.now() - timedelta(days=rng.randint(0, 25), hours=rng.randint(0, 23))
        Arrest.objects.create(
            source=SOURCE,
            external_id=external_id,
            person=person,
            fir=fir,
            arrested_at=max(arrested_at, fir.occurred_from + timedelta(hours=2)),
            place=f"{station.name} area (demo)",
            arrested_by=f"SI {rng.choice(['Demo-Sharma', 'Demo-Khan', 'Demo-Singh', 'Demo-Nair'])}",
            station=station,
            informed_person=f"{data['father_name']} (father)",
        )
        counts["arrests"] += 1
    elif fate == "proclaimed":
        ProclaimedOffender.objects.create(
            source=SOURCE,
            external_id=external_id,
            person=person,
            fir=fir,
            court=f"Court of the Chief Judicial Magistrate, {station.district.name} (demo)",
            proclaimed_on=fir.registered_on + timedelta(days=rng.randint(60, 200)),
            reward_inr=rng.choice([None, 5000, 10000, 25000]),
        )
        counts["proclaimed"] += 1


def _missing_and_unidentified(rng: random.Random, station, counts: dict) -> None:
    """One missing person reported at the station and, at every other station, an unidentified person or body found."""
    n = rng.randrange(10**6)
    found_on = timezone.localdate() - timedelta(days=rng.randint(1, 90))
    missing = _person_data(rng, n, role=Person.Role.MISSING, external_id=f"{station.code}/missing", station=station)
    services.person_save(data={**missing, "age": None})
    counts["missing"] += 1
    if rng.random() < 0.5:
        role = rng.choice([Person.Role.UNIDENTIFIED_PERSON, Person.Role.UNIDENTIFIED_BODY])
        services.person_save(
            data={
                "source": SOURCE,
                "external_id": f"{station.code}/unidentified",
                "name": "Unknown",
                "sex": rng.choice([Person.Sex.MALE, Person.Sex.FEMALE]),
                "age": rng.randint(8, 75),
                "age_recorded_on": found_on,
                "state_id": station.district.state_id,
                "district_id": station.district_id,
                "roles": [role],
                "addresses": [f"Found near the {rng.choice(['canal', 'highway', 'railway line', 'bus stand'])}, {station.name} (demo)"],
            }
        )
        counts["unidentified"] += 1

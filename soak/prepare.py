"""Set up a fresh database for a soak run and write the simulated users' credentials as JSON.

    DATABASE_URL=postgres://…/openpol_soak_x DEMO_MODE=1 python -m soak.prepare --accounts 500 --out creds.json

Migrates, loads the reference and demo data, collects the static files, then creates clearly fake soak accounts
(`soak.<pool>.<n>`, "(fake)" in the name, e-mail under `soak.openpol.invalid`): as many in each pool as there may be
simulated users of that kind, so that no two users share a TOTP device (django-otp refuses a code used twice).
Police accounts have a confirmed TOTP device and no forced password change; the API and stream pools also hold
bearer tokens. Then it imports synthetic persons to search, and makes some work for every inbox and list: notice
requests and references at several stages, broadcasts, crime alerts, Connect threads and citizen requests.
"""

import argparse
import json
import os
import random
import secrets
import sys
import time
from datetime import date, timedelta
from pathlib import Path

# (pool, role) in the order the credentials file lists them; api and stream clients are police officers too.
POOLS = ("ncb", "ilo", "uo", "district", "station", "analyst", "citizen", "api", "stream")
TOKEN_SCOPES = [
    "directory:read",
    "notices:read",
    "references:read",
    "broadcasts:read",
    "connect:read",
    "resources:read",
    "alerts:read",
    "alerts:write",
    "records:read",
    "citizen:read",
]
FAKE_DOMAIN = "soak.openpol.invalid"
# A Red notice request as in the demo data (openpol/demo.py), complete enough to pass INTERPOL's rules.
RED = {
    "date_of_birth": date(1981, 7, 9),
    "year_of_birth": 1981,
    "nationalities": ["IN"],
    "height_cm": 170,
    "eye_colour": "brown",
    "hair_colour": "black",
    "distinguishing_marks": "Mole above the right eyebrow (fake)",
    "offence": "Murder",
    "law": "BNS",
    "sections": "103(1)",
    "max_penalty_life": True,
    "purpose": "prosecution",
    "warrant_kind": "arrest_warrant",
    "warrant_date": date(2026, 2, 1),
    "issuing_court": "Soak Court of the Chief Judicial Magistrate (fake)",
    "facts_summary": "Invented soak-test case: the subject is alleged to have killed a trader and left India.",
    "extradition_intended": True,
    "facts": {"offence_category": "murder"},
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=50, help="Accounts in each pool (at least the number of simulated users).")
    parser.add_argument("--persons", type=int, default=20_000, help="Synthetic persons to import for the records searches.")
    parser.add_argument("--out", required=True, help="Where to write the credentials JSON.")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpol.settings")
    import django

    django.setup()
    from django.core.management import call_command

    started = time.monotonic()
    quiet = open(os.devnull, "w")  # noqa: SIM115 - the commands' chatter is not the harness's output
    steps = {}

    def step(name, *command, **options):
        began = time.monotonic()
        call_command(*command, stdout=quiet, stderr=quiet, **options)
        steps[name] = round(time.monotonic() - began, 1)

    step("migrate", "migrate", interactive=False, verbosity=0)
    step("load_reference", "load_reference")
    step("seed_demo", "seed_demo")
    step("collectstatic", "collectstatic", interactive=False, verbosity=0)
    step("persons", "bench_ingest", records=args.persons)
    step("example_records", "import_records", str(Path(__file__).resolve().parent.parent / "records" / "examples" / "records.jsonl"))

    rng = random.Random(args.seed)
    began = time.monotonic()
    password = f"Soak-{secrets.token_urlsafe(12)}"
    accounts = create_accounts(rng, args.accounts, password)
    steps["accounts"] = round(time.monotonic() - began, 1)
    began = time.monotonic()
    work = create_work(rng, accounts)
    steps["work"] = round(time.monotonic() - began, 1)
    credentials = {
        "password": password,
        "pools": {pool: [entry for _user, entry in accounts[pool]] for pool in POOLS},
        **work,
        "search": search_samples(rng),
    }
    Path(args.out).write_text(json.dumps(credentials))
    counts = {pool: len(accounts[pool]) for pool in POOLS}
    print(
        json.dumps({"prepared_in_s": round(time.monotonic() - started, 1), "steps_s": steps, "accounts": counts, "made": work["made"]}),
        file=sys.stderr,
    )
    return 0


def create_accounts(rng: random.Random, count: int, password: str) -> dict[str, list]:
    """`count` accounts in every pool, spread over the agencies, units, districts and stations of the demo data."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import ApiToken, Role, User
    from directory.models import Agency, District, PoliceStation, UnitOffice

    ncb = Agency.objects.get(kind=Agency.Kind.NCB)
    agencies = list(Agency.objects.exclude(kind=Agency.Kind.NCB).order_by("code"))
    units = list(UnitOffice.objects.filter(is_demo=True).exclude(agency=ncb).select_related("agency").order_by("code"))
    stations = list(PoliceStation.objects.filter(is_demo=True).select_related("agency", "district").order_by("code"))
    police_of_state = {a.state_id: a for a in Agency.objects.filter(kind=Agency.Kind.STATE_POLICE)}
    districts = [d for d in District.objects.order_by("lgd_code") if d.state_id in police_of_state]
    for places in (units, stations, districts):
        rng.shuffle(places)
    hashed = make_password(password)  # one Argon2 hash for all: every sign-in still verifies it in full

    def place(pool: str, n: int) -> dict:
        if pool == "ncb":
            return {"role": Role.NCB_ADMIN if n % 5 == 4 else Role.NCB_OFFICER, "agency": ncb}
        if pool == "ilo":
            return {"role": Role.ILO, "agency": agencies[n % len(agencies)]}
        if pool == "uo":
            unit = units[n % len(units)]
            return {"role": Role.UO, "agency": unit.agency, "unit": unit}
        if pool == "district":
            district = districts[n % len(districts)]
            return {"role": Role.DISTRICT_OFFICER, "agency": police_of_state[district.state_id], "district": district}
        if pool == "station" or (pool in ("api", "stream") and n % 4 != 3):
            station = stations[(n * 7 + (0 if pool == "station" else 1)) % len(stations)]
            return {"role": Role.STATION_OFFICER, "agency": station.agency, "station": station}
        if pool in ("api", "stream"):  # one in four a UO: alerts and records from a unit's side
            unit = units[(n * 3) % len(units)]
            return {"role": Role.UO, "agency": unit.agency, "unit": unit}
        if pool == "analyst":
            return {"role": Role.ANALYST}
        return {"role": Role.CITIZEN}

    users = []
    for pool in POOLS:
        for n in range(count):
            username = f"soak.{pool}.{n:04d}"
            users.append(
                User(
                    username=username,
                    first_name="Soak",
                    last_name=f"{pool.title()} {n} (fake)",
                    email=f"{username}@{FAKE_DOMAIN}",
                    password=hashed,
                    designation="Soak test account (fake)" if pool != "citizen" else "",
                    phone=f"+91 90000 {n:05d}" if pool == "citizen" else "",
                    must_change_password=False,
                    **place(pool, n),
                )
            )
    with transaction.atomic():
        User.objects.bulk_create(users, batch_size=1000)
        created = list(User.objects.filter(username__startswith="soak.").order_by("username"))
        ilo_of_agency = {}
        for user in created:
            if user.role == Role.ILO:
                ilo_of_agency.setdefault(user.agency_id, user)
        for user in created:  # a UO reports to an ILO of its agency (the demo ILO when no soak ILO sits there)
            if user.role == Role.UO:
                user.supervisor = ilo_of_agency.get(user.agency_id) or User.objects.filter(role=Role.ILO, agency_id=user.agency_id).first()
        User.objects.bulk_update([u for u in created if u.role == Role.UO], ["supervisor"], batch_size=1000)
        devices = [TOTPDevice(user=u, name="Soak authenticator", confirmed=True) for u in created if u.is_police]
        TOTPDevice.objects.bulk_create(devices, batch_size=1000)
        tokens, raw_tokens = [], {}
        for user in created:
            if user.username.startswith(("soak.api.", "soak.stream.")):
                key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
                tokens.append(
                    ApiToken(
                        user=user,
                        name="Soak client",
                        key_id=key_id,
                        secret_hash=ApiToken.hash_secret(secret),
                        scopes=TOKEN_SCOPES,
                        expires_at=_now() + timedelta(days=2),
                    )
                )
                raw_tokens[user.pk] = f"{ApiToken.PREFIX}_{key_id}_{secret}"
        ApiToken.objects.bulk_create(tokens, batch_size=1000)

    key_of = {d.user_id: d.key for d in TOTPDevice.objects.filter(user__username__startswith="soak.", confirmed=True)}
    pools: dict[str, list] = {pool: [] for pool in POOLS}
    for user in created:
        pool = user.username.split(".")[1]
        entry = {"username": user.username, "role": user.role}
        if user.pk in key_of:
            entry["totp_key"] = key_of[user.pk]
        if user.pk in raw_tokens:
            entry["token"] = raw_tokens[user.pk]
        if user.station_id:
            entry["station"] = user.station_id
        if user.district_id:
            entry["district_lgd"] = user.district.lgd_code
        pools[pool].append((user, entry))
    return pools


def _now():
    from django.utils import timezone

    return timezone.now()


def create_work(rng: random.Random, accounts: dict[str, list]) -> dict:
    """Something in every inbox and list, made through the services as officers and citizens would."""
    from django.conf import settings

    from alerts import services as alerts
    from broadcast import services as broadcast
    from citizen import services as citizen
    from connect import services as connect
    from directory.models import Agency
    from notices import services as notices
    from notices.models import NoticeKind
    from references import services as references

    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"  # nothing to send from here
    uos = [u for u, _e in accounts["uo"]]
    ncb = next(u for u, _e in accounts["ncb"] if u.role == "ncb_officer")
    made = {"notices": 0, "references": 0, "broadcasts": 0, "alerts": 0, "threads": 0, "citizen_requests": 0}

    for n, uo in enumerate(uos[:40]):
        family, forenames, sex = rng.choice(
            [("Kapoor", "Ravi", "M"), ("Rao", "Sunita", "F"), ("Khan", "Imran", "M"), ("Iyer", "Meera", "F")]
        )
        if n % 2:
            data = {
                "family_name": f"Soak-{family}",
                "forenames": forenames,
                "sex": sex,
                "year_of_birth": 2011,
                "height_cm": 140,
                "facts": {
                    "disappeared_on": "2026-10-01",
                    "disappeared_at": "Soak bus terminal (fake)",
                    "circumstances": "Left school and did not come home (fake).",
                },
            }
            request = notices.notice_draft_create(by=uo, kind=NoticeKind.YELLOW, data=data)
        else:
            data = {**RED, "family_name": f"Soak-{family}", "forenames": forenames, "sex": sex, "warrant_number": f"SOAK-NBW-{n}/2026"}
            request = notices.notice_draft_create(by=uo, kind=NoticeKind.RED, data=data)
        made["notices"] += 1
        if n % 3 and uo.supervisor is not None:
            notices.notice_submit(request=request, by=uo)
            if n % 3 == 2:
                notices.notice_forward(request=request, by=uo.supervisor, note="Checked (soak).")

    for n, uo in enumerate(uos[:20]):
        reference = references.reference_draft_create(
            by=uo,
            countries=[rng.choice(["AE", "GB", "SG", "TH", "US"])],
            data={
                "subjects": [{"name": f"Soak-Malhotra Arjun {n}", "dob": "1990-01-05", "nationality": "IN", "document": ""}],
                "offence": "Online investment fraud (soak, fake)",
                "law_sections": "BNS 318(4)",
                "facts": "Invented soak-test case: a fake investment app took money from many victims; the funds went abroad.",
                "assistance": ["trace_assets"],
                "handling_code": "H2",
            },
        )
        if uo.supervisor is not None:
            references.reference_submit(request=reference, by=uo)
        made["references"] += 1

    agencies = list(Agency.objects.filter(pk__in={u.agency_id for u, _e in accounts["ilo"]}).order_by("code")[:20])
    for n in range(6):
        item = broadcast.broadcast_register(
            by=ncb,
            data={
                "kind": "diffusion",
                "origin_country_id": rng.choice(["FR", "DE", "TH", "AE"]),
                "origin_reference": f"SOAK-{n:04d}",
                "title": f"Soak diffusion {n}: counterfeit currency network (fake)",
                "summary": "Invented soak-test item: police abroad ask whether the persons named are known.",
                "offence": "Counterfeiting currency",
                "urgency": "urgent",
                "handling_code": "H1",
                "persons": [{"name": "Jean Soak-Dupont", "dob": "1979-04-02", "nationalities": ["FR"]}],
            },
        )
        broadcast.broadcast_disseminate(
            item=item, by=ncb, agencies=agencies, purpose="action", due_at=_now() + timedelta(days=7), note="Soak (fake)."
        )
        made["broadcasts"] += 1

    for n, (officer, _entry) in enumerate(accounts["station"][:12]):
        alerts.alert_publish(
            by=officer,
            data={
                "category": rng.choice(["dacoity", "murder", "stolen_vehicle", "kidnapping"]),
                "urgency": "Immediate",
                "severity": "Severe",
                "certainty": "Likely",
                "headline": f"Soak alert {n} (fake): armed gang seen near the market",
                "description": "Invented soak-test alert: four men on two motorcycles.",
                "instruction": "Check vehicles at pickets.",
                "area_districts": [officer.station.district.lgd_code],
                "expires_at": _now() + timedelta(days=2),
                "persons": [{"name": "Ramesh Soak-Kumar", "aliases": [], "dob": "1985-03-02"}],
                "vehicles": [{"registration": f"DL 3S AB {1000 + n}", "chassis": "", "engine": ""}],
            },
        )
        made["alerts"] += 1

    for n, (ilo, _entry) in enumerate(accounts["ilo"][:10]):
        connect.thread_start(by=ncb, subject=f"Soak thread {n} (fake)", participants=[ilo], body="Please check your records (soak).")
        made["threads"] += 1
    for n, uo in enumerate(uos[:10]):
        ilo = uo.supervisor
        if ilo is not None:
            connect.thread_start(by=ilo, subject=f"Soak case {n} (fake)", participants=[uo], body="Any news on the accounts (soak)?")
            made["threads"] += 1

    stations = [(u.station, e) for u, e in accounts["station"]]
    for n, (person, _entry) in enumerate(accounts["citizen"][: max(1, len(accounts["citizen"]) // 2)]):
        station, _e = stations[n % len(stations)]
        citizen.request_create(
            by=person,
            service="complaint",
            details={
                "category": "theft",
                "occurred_on": "2026-10-10",
                "place": "Soak market (fake)",
                "description": "Phone stolen (soak).",
            },
            station=station,
        )
        made["citizen_requests"] += 1
    return {
        "stations": sorted({s.pk for s, _e in stations}),
        "districts": sorted({e["district_lgd"] for _u, e in accounts["district"]}),
        "made": made,
    }


def search_samples(rng: random.Random, count: int = 400) -> list[dict]:
    """Persons to look for: names as recorded, with the father's name and year of birth as an officer would have them."""
    from records.models import Person

    ids = list(Person.objects.filter(source="synthetic").values_list("pk", flat=True))
    chosen = rng.sample(ids, min(count, len(ids)))
    return [
        {"name": p.name, "father_name": p.father_name, "year": p.birth_year or (p.dob.year if p.dob else None), "sex": p.sex}
        for p in Person.objects.filter(pk__in=chosen)
    ]


if __name__ == "__main__":
    sys.exit(main())

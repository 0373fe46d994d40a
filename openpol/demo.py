"""Clearly fake demo data: unit offices, police stations and one account per role.

Idempotent: it creates what is missing and never changes what exists, so a second run changes nothing.
Every generated office is flagged `is_demo`, every person's surname ends in "(demo)" and every
e-mail address is under the reserved `.invalid` domain.
"""

import random
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, User
from directory.models import Agency, District, PoliceStation, UnitOffice

STATE_POLICE_UNITS = (
    "Crime Branch",
    "Criminal Investigation Department",
    "Cyber Crime Cell",
    "Economic Offences Wing",
    "Anti-Human Trafficking Unit",
    "Special Task Force",
    "Anti-Narcotics Task Force",
    "Intelligence Wing",
    "Anti-Terrorism Squad",
    "Missing Persons Bureau",
    "Foreigners Liaison Cell",
)
CENTRAL_UNITS = ("Headquarters", "North Zone", "South Zone", "East Zone", "West Zone", "North-East Zone")
NCB_UNITS = ("INTERPOL Police Cooperation Unit", "Notices Desk", "References Desk", "Broadcast Desk", "CBI Academy Training Cell")
STATION_SUFFIXES = ("Sadar", "City", "Rural")
FIRST_NAMES = (
    "Aarav",
    "Ananya",
    "Vikram",
    "Meera",
    "Rohan",
    "Kavita",
    "Arjun",
    "Priya",
    "Sanjay",
    "Neha",
    "Farhan",
    "Gurpreet",
    "Lalit",
    "Tenzin",
    "Joseph",
)
SURNAMES = ("Sharma", "Iyer", "Singh", "Das", "Khan", "Reddy", "Patil", "Nair", "Bose", "Gill", "Rao", "Mehta", "Lepcha", "Fernandes")
DEMO_PASSWORD_DEFAULT = "Demo-Only-Pass-2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    agency_code: str | None = None
    unit_name: str | None = None
    station: bool = False
    district: bool = False  # the SP office of the district of the agency's demo station
    first_login: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("sysadmin", Role.SYSADMIN),
    DemoAccount("ncb.admin", Role.NCB_ADMIN, "CBI"),
    DemoAccount("ncb.officer", Role.NCB_OFFICER, "CBI"),
    DemoAccount("ilo.delhi", Role.ILO, "PS-DL"),
    DemoAccount("uo.delhi", Role.UO, "PS-DL", unit_name="Crime Branch"),
    DemoAccount("ilo.maharashtra", Role.ILO, "PS-MH"),
    DemoAccount("district.delhi", Role.DISTRICT_OFFICER, "PS-DL", district=True),
    DemoAccount("station.delhi", Role.STATION_OFFICER, "PS-DL", station=True),
    DemoAccount("analyst", Role.ANALYST),
    DemoAccount("citizen.demo", Role.CITIZEN),
    DemoAccount("ilo.karnataka.new", Role.ILO, "PS-KA", first_login=True),
)


def demo_password() -> str:
    return getattr(settings, "DEMO_PASSWORD", DEMO_PASSWORD_DEFAULT)


def _nearest_district(districts: list[District], lat: float | None, lon: float | None) -> District | None:
    located = [d for d in districts if d.lat is not None]
    if not located or lat is None:
        return districts[0] if districts else None
    return min(located, key=lambda d: (d.lat - lat) ** 2 + (d.lon - lon) ** 2)


@transaction.atomic
def seed_offices() -> dict[str, int]:
    """Unit offices for every agency and three demo police stations in every district."""
    districts_by_state: dict[int, list[District]] = {}
    for district in District.objects.select_related("state").order_by("lgd_code"):
        districts_by_state.setdefault(district.state_id, []).append(district)

    existing_units = set(UnitOffice.objects.values_list("code", flat=True))
    units = []
    for agency in Agency.objects.select_related("state").order_by("code"):
        names = {Agency.Kind.NCB: NCB_UNITS, Agency.Kind.STATE_POLICE: STATE_POLICE_UNITS}.get(agency.kind, CENTRAL_UNITS)
        district = None
        if agency.state_id:
            district = _nearest_district(districts_by_state.get(agency.state_id, []), agency.state.lat, agency.state.lon)
        for number, name in enumerate(names, start=1):
            code = f"{agency.code}-U{number:02d}"
            if code not in existing_units:
                slug = code.lower()
                units.append(
                    UnitOffice(agency=agency, code=code, name=name, district=district, email=f"{slug}@demo.openpol.invalid", is_demo=True)
                )
    UnitOffice.objects.bulk_create(units)

    police_of_state = {a.state_id: a for a in Agency.objects.filter(kind=Agency.Kind.STATE_POLICE)}
    existing_stations = set(PoliceStation.objects.values_list("code", flat=True))
    stations = []
    for state_id, districts in districts_by_state.items():
        agency = police_of_state.get(state_id)
        for district in districts:
            lat = district.lat if district.lat is not None else district.state.lat
            lon = district.lon if district.lon is not None else district.state.lon
            rng = random.Random(district.lgd_code)  # the same coordinates on every machine
            for number, suffix in enumerate(STATION_SUFFIXES, start=1):
                code = f"DEMO-{district.lgd_code}-{number}"
                if code in existing_stations or agency is None or lat is None:
                    continue
                stations.append(
                    PoliceStation(
                        code=code,
                        name=f"{district.name} {suffix}",
                        district=district,
                        agency=agency,
                        address=f"Demo address, {district.name}, {district.state.name}",
                        phone=f"0{rng.randint(100, 999)}-{rng.randint(100000, 999999)}",
                        email=f"{code.lower()}@demo.openpol.invalid",
                        lat=round(lat + rng.uniform(-0.06, 0.06), 5),
                        lon=round(lon + rng.uniform(-0.06, 0.06), 5),
                        is_demo=True,
                    )
                )
    PoliceStation.objects.bulk_create(stations, batch_size=1000)
    return {"units": len(units), "stations": len(stations)}


@transaction.atomic
def seed_accounts() -> list[str]:
    """One account per role, plus an ILO for every agency; returns the usernames created."""
    created = []
    accounts = list(DEMO_ACCOUNTS)
    named_agencies = {a.agency_code for a in DEMO_ACCOUNTS if a.role == Role.ILO}
    for agency in Agency.objects.exclude(kind=Agency.Kind.NCB).exclude(code__in=named_agencies).order_by("code"):
        accounts.append(DemoAccount(f"ilo.{agency.code.lower()}", Role.ILO, agency.code))
    password_hash = None
    for index, spec in enumerate(accounts):
        if User.objects.filter(username=spec.username).exists():
            continue
        agency = Agency.objects.filter(code=spec.agency_code).first() if spec.agency_code else None
        unit = UnitOffice.objects.filter(agency=agency, name=spec.unit_name).first() if spec.unit_name else None
        demo_station = None
        if spec.station or spec.district:
            demo_station = PoliceStation.objects.filter(agency=agency, is_demo=True).select_related("district").order_by("code").first()
        station = demo_station if spec.station else None
        district = demo_station.district if spec.district and demo_station else None
        user = User(
            username=spec.username,
            first_name=FIRST_NAMES[index % len(FIRST_NAMES)],
            last_name=f"{SURNAMES[index % len(SURNAMES)]} (demo)",
            email=f"{spec.username}@demo.openpol.invalid",
            role=spec.role,
            agency=agency,
            unit=unit,
            station=station,
            district=district,
            designation="Demo officer" if spec.role != Role.CITIZEN else "",
            must_change_password=spec.first_login,
            supervisor=User.objects.filter(role=Role.ILO, agency=agency).order_by("pk").first() if spec.role == Role.UO else None,
        )
        if password_hash is None:
            user.set_password(demo_password())
            password_hash = user.password
        user.password = password_hash
        user.save()
        if user.is_police and not spec.first_login:
            TOTPDevice.objects.create(user=user, name="Demo authenticator", confirmed=True)
        created.append(spec.username)
    return created


@transaction.atomic
def seed_requests() -> int:
    """A few Delhi notice requests and a reference at different stages, so every inbox has something to show."""
    from datetime import date

    from notices import services as notices
    from notices.models import NoticeKind, NoticeRequest
    from references import services as references

    if NoticeRequest.objects.exists():
        return 0
    uo, ilo = User.objects.filter(username="uo.delhi").first(), User.objects.filter(username="ilo.delhi").first()
    ncb = User.objects.filter(username="ncb.officer").first()
    if not (uo and ilo and ncb):
        return 0
    red = {
        "family_name": "Demo-Kapoor",
        "forenames": "Ravi",
        "sex": "M",
        "date_of_birth": date(1981, 7, 9),
        "year_of_birth": 1981,
        "nationalities": ["IN"],
        "height_cm": 170,
        "eye_colour": "brown",
        "hair_colour": "black",
        "distinguishing_marks": "Mole above the right eyebrow (demo)",
        "offence": "Murder",
        "law": "BNS",
        "sections": "103(1)",
        "max_penalty_life": True,
        "purpose": "prosecution",
        "warrant_kind": "arrest_warrant",
        "warrant_number": "DEMO-NBW-1/2026",
        "warrant_date": date(2026, 2, 1),
        "issuing_court": "Demo Court of the Chief Judicial Magistrate, Delhi",
        "facts_summary": "Invented demo case: the subject is alleged to have killed a trader in Delhi and left India.",
        "extradition_intended": True,
        "facts": {"offence_category": "murder"},
    }
    waiting_ilo = notices.notice_draft_create(by=uo, kind=NoticeKind.RED, data=red)
    notices.notice_submit(request=waiting_ilo, by=uo)
    waiting_ncb = notices.notice_draft_create(
        by=uo, kind=NoticeKind.RED, data={**red, "forenames": "Sunita", "sex": "F", "family_name": "Demo-Rao"}
    )
    notices.notice_submit(request=waiting_ncb, by=uo)
    notices.notice_forward(request=waiting_ncb, by=ilo, note="Checked (demo).")
    yellow = {"family_name": "Demo-Kumari", "forenames": "Pooja", "sex": "F", "year_of_birth": 2011, "height_cm": 140}
    notices.notice_draft_create(
        by=uo,
        kind=NoticeKind.YELLOW,
        data={**yellow, "facts": {"disappeared_on": "2026-10-01", "disappeared_at": "Demo bus terminal, Delhi"}},
    )
    reference = references.reference_draft_create(
        by=uo,
        countries=["AE"],
        data={
            "subjects": [{"name": "Demo-Malhotra Arjun", "dob": "1990-01-05", "nationality": "IN", "document": ""}],
            "offence": "Online investment fraud (demo)",
            "law_sections": "BNS 318(4)",
            "facts": "Invented demo case: a fake investment app took money from many victims; the funds went to accounts abroad.",
            "assistance": ["trace_assets"],
            "handling_code": "H2",
        },
    )
    references.reference_submit(request=reference, by=uo)
    return 4

"""A compact world for the authorization matrix: the named personas, and one object of each kind in Delhi (the callers'
own jurisdiction) and one in Maharashtra (another state's), built once per test module.

`World.value(kind, variant)` gives the URL value that names an object: `variant` is "own" (Delhi's), "other"
(Maharashtra's, or another citizen's) or "missing" (a value that names nothing). `World.may_read(persona, kind, variant)`
says whether the persona may read that object at all (its role has the capability to read that kind, and its office
covers the object); an object it may not read must answer exactly like a missing one on every endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from accounts.access import can
from accounts.models import Role, User
from conftest import make_user
from directory.models import Agency, District, PoliceStation, UnitOffice

MISSING_PK = 987654321  # no row of any table has this id in a test database
MISSING_TEXT = "ZZ-NO-SUCH-0000"

PERSONAS = (
    "ncb_admin",
    "ncb_officer",
    "delhi_ilo",
    "delhi_uo",
    "delhi_district_officer",
    "delhi_station_officer",
    "analyst",
    "citizen",
    "sysadmin",
    "anonymous",
)
NATIONAL = {"ncb_admin", "ncb_officer", "analyst", "sysadmin"}  # sit in the national office: both states are theirs


@dataclass(frozen=True)
class Kind:
    """A kind of object: which capabilities let a role read it (any of them), and whether state borders apply."""

    read: tuple[str, ...]
    jurisdictional: bool = True  # False: national objects (the directory, training): "other" is merely another one
    citizen_owned: bool = False  # a citizen reads their own one


KINDS: dict[str, Kind] = {
    "notice": Kind(("notices.view",)),
    "reference": Kind(("references.view",)),
    "broadcast": Kind(("broadcast.view", "broadcast.manage")),
    "thread": Kind(("connect.use",)),
    "alert": Kind(("alerts.view",)),
    "citizen_request": Kind(("citizen.handle",), citizen_owned=True),
    "hit": Kind(("records.search",)),
    "fir": Kind(("records.search",)),  # the matrix's FIRs and persons are sensitive: the owning state's and the NCB's
    "person": Kind(("records.search",)),
    "vehicle": Kind(("records.search",), jurisdictional=False),  # the stolen-vehicle records are national
    "document": Kind(("resources.view", "resources.manage"), jurisdictional=False),
    "training": Kind(("resources.view", "training.manage"), jurisdictional=False),
    "enrolment": Kind(("resources.view", "training.manage")),
    "user": Kind(("users.view",)),
    "agency": Kind(("directory.view",), jurisdictional=False),
    "outbound": Kind(("transmission.operate",), jurisdictional=False),
}


@dataclass
class World:
    users: dict[str, User | None]
    objects: dict[str, dict[str, object]]  # kind -> {"own": obj, "other": obj}
    extra: dict[str, object] = field(default_factory=dict)

    def user(self, persona: str) -> User | None:
        return self.users[persona]

    def obj(self, kind: str, variant: str):
        return None if variant == "missing" else self.objects[kind][variant]

    def may_read(self, persona: str, kind: str, variant: str) -> bool:
        """May this persona read this object at all? (A generous yes: the view may still narrow it.)"""
        if variant == "missing":
            return False
        spec = KINDS[kind]
        user = self.users[persona]
        if user is None:
            return False
        if spec.citizen_owned and user.role == Role.CITIZEN:
            return variant == "own"
        if kind == "enrolment" and variant == "own" and persona == "delhi_uo":
            return True  # the enrolled officer themself
        if kind == "user" and self.objects[kind][variant].pk == user.pk:
            return True
        if kind == "thread":  # only its participants, not even NCB staff (messages are private)
            return self.objects[kind][variant].participants.filter(user=user).exists()
        if kind == "document" and variant == "other" and persona not in NATIONAL:
            return False  # a procedure open to no role but the NCB's
        if not any(can(user, capability) for capability in spec.read):
            return False
        if not spec.jurisdictional or variant == "own":
            return True
        return persona in NATIONAL  # the other state's object: only the national office covers it


def build() -> World:
    """Every persona and object, through the apps' own services (called inside the module's transaction)."""
    from alerts import services as alerts
    from alerts.tests.conftest import alert_data
    from broadcast import services as broadcast
    from citizen import services as citizen
    from citizen.tests.conftest import complaint_details
    from connect import services as connect
    from notices import services as notices
    from notices.models import NoticeKind
    from notices.tests.conftest import red_notice_data
    from records import matching
    from records import services as records
    from records.models import Involvement
    from references import services as references
    from resources import services as resources
    from resources.tests.conftest import session_data, upload_document
    from workflow import transmission

    ncb = Agency.objects.get(kind=Agency.Kind.NCB)
    delhi, maharashtra = Agency.objects.get(code="PS-DL"), Agency.objects.get(code="PS-MH")
    delhi_cb = UnitOffice.objects.create(agency=delhi, code="T-DL-CB", name="Crime Branch")
    mumbai_cb = UnitOffice.objects.create(agency=maharashtra, code="T-MH-CB", name="Crime Branch Mumbai")
    delhi_district = District.objects.filter(state=delhi.state).order_by("lgd_code").first()
    mumbai_district = District.objects.filter(state=maharashtra.state).order_by("lgd_code").first()
    delhi_station = PoliceStation.objects.create(
        code="T-DL-PS1", name="Connaught Place", district=delhi_district, agency=delhi, lat=28.63, lon=77.22, pincode="110001"
    )
    mumbai_station = PoliceStation.objects.create(
        code="T-MH-PS1", name="Colaba", district=mumbai_district, agency=maharashtra, lat=18.91, lon=72.82, pincode="400005"
    )

    users: dict[str, User | None] = {
        "ncb_admin": make_user("ncb_admin", Role.NCB_ADMIN, agency=ncb),
        "ncb_officer": make_user("ncb_officer", Role.NCB_OFFICER, agency=ncb),
        "delhi_ilo": make_user("delhi_ilo", Role.ILO, agency=delhi),
        "delhi_district_officer": make_user("delhi_sp", Role.DISTRICT_OFFICER, agency=delhi, district=delhi_district),
        "delhi_station_officer": make_user("delhi_sho", Role.STATION_OFFICER, agency=delhi, station=delhi_station),
        "analyst": make_user("analyst", Role.ANALYST),
        "citizen": make_user("citizen", Role.CITIZEN),
        "sysadmin": make_user("sysadmin", Role.SYSADMIN),
        "anonymous": None,
    }
    users["delhi_uo"] = make_user("delhi_uo", Role.UO, agency=delhi, unit=delhi_cb, supervisor=users["delhi_ilo"])
    mumbai_ilo = make_user("mumbai_ilo", Role.ILO, agency=maharashtra)
    mumbai_uo = make_user("mumbai_uo", Role.UO, agency=maharashtra, unit=mumbai_cb, supervisor=mumbai_ilo)
    mumbai_sho = make_user("mumbai_sho", Role.STATION_OFFICER, agency=maharashtra, station=mumbai_station)
    other_citizen = make_user("citizen_mh", Role.CITIZEN)
    ncb_officer, delhi_uo, delhi_ilo = users["ncb_officer"], users["delhi_uo"], users["delhi_ilo"]

    objects: dict[str, dict[str, object]] = {}

    def pair(kind: str, own, other) -> None:
        objects[kind] = {"own": own, "other": other}

    # International cooperation: a submitted Red notice request and a reference of each state's UO.
    def notice(uo):
        draft = notices.notice_draft_create(by=uo, kind=NoticeKind.RED, data=red_notice_data())
        notices.notice_submit(request=draft, by=uo)
        draft.refresh_from_db()
        return draft

    pair("notice", notice(delhi_uo), notice(mumbai_uo))

    def reference(uo):
        data = {
            "subjects": [{"name": "Malhotra Arjun", "dob": "1990-01-05", "nationality": "IN", "document": ""}],
            "offence": "Online investment fraud",
            "law_sections": "BNS 318(4)",
            "facts": "A fake investment app took money from many victims; the funds went to accounts abroad.",
            "assistance": ["trace_assets"],
            "handling_code": "H2",
        }
        return references.reference_draft_create(by=uo, countries=["AE"], data=data)

    pair("reference", reference(delhi_uo), reference(mumbai_uo))

    def broadcast_item(agency, origin_reference):
        item = broadcast.broadcast_register(
            by=ncb_officer,
            data={
                "kind": "diffusion",
                "origin_country_id": "FR",
                "origin_reference": origin_reference,
                "title": "Counterfeit currency network",
                "summary": "French police ask whether the persons named are known.",
                "offence": "Counterfeiting currency",
                "urgency": "urgent",
                "handling_code": "H1",
                "persons": [{"name": "Jean Dupont", "dob": "1979-04-02", "nationalities": ["FR"]}],
            },
        )
        (row,) = broadcast.broadcast_disseminate(
            item=item, by=ncb_officer, agencies=[agency], purpose="action", due_at=timezone.now() + timedelta(days=2)
        )
        return item, row

    (delhi_item, delhi_row), (mumbai_item, mumbai_row) = broadcast_item(delhi, "FR-1"), broadcast_item(maharashtra, "FR-2")
    pair("broadcast", delhi_item, mumbai_item)

    pair(
        "thread",
        connect.thread_start(by=delhi_ilo, subject="Hawala trail", participants=[delhi_uo], body="Any news on the accounts?"),
        connect.thread_start(by=mumbai_ilo, subject="Hawala trail", participants=[mumbai_uo], body="Any news on the accounts?"),
    )

    pair(
        "alert",
        alerts.alert_publish(by=users["delhi_station_officer"], data=alert_data()),
        alerts.alert_publish(by=mumbai_sho, data=alert_data(headline="Armed gang robbed a jeweller in Colaba")),
    )

    pair(
        "citizen_request",
        citizen.request_create(by=users["citizen"], service="complaint", details=complaint_details(), station=delhi_station),
        citizen.request_create(by=other_citizen, service="complaint", details=complaint_details(), station=mumbai_station),
    )

    # Records: a sensitive FIR (details only to the NCB and the owning state's police) with its sensitive person and a
    # stolen vehicle in each state, and a hit on each state's person.
    def records_of(station, suffix, name):
        fir = records.fir_create(
            data={
                "source": "test",
                "external_id": f"FIR-{suffix}",
                "station": station,
                "district": station.district,
                "year": 2025,
                "number": 77,
                "registered_on": timezone.localdate(),
                "sensitive": True,
            },
            sections=[{"law": "BNS", "section": "103(1)"}],
        )
        person = records.person_save(
            data={
                "external_id": f"P-{suffix}",
                "source": "test",
                "name": name,
                "father_name": "Mahesh Verma",
                "dob": "1984-03-14",
                "birth_year": 1984,
                "sex": "M",
                "roles": ["accused", "wanted"],
                "state_id": station.district.state_id,
                "sensitive": True,
            }
        )
        Involvement.objects.create(person=person, fir=fir, role="accused")
        vehicle = records.vehicle_save(
            data={"external_id": f"V-{suffix}", "source": "test", "registration": f"{suffix} 12 DE 0042", "status": "stolen", "fir": fir}
        )
        match = matching.Match(
            person_id=person.pk, external_id=person.external_id, source="test", name=name, score=0.9, weak=False, explanation=["name"]
        )
        hit = records.hit_create(source=fir, match=match, owner_agency=station.agency)
        return {"fir": fir, "person": person, "vehicle": vehicle, "hit": hit}

    delhi_records = records_of(delhi_station, "DL", "Rakesh Kumar Verma")
    mumbai_records = records_of(mumbai_station, "MH", "Suresh Kumar Patil")
    for kind in ("fir", "person", "vehicle", "hit"):
        pair(kind, delhi_records[kind], mumbai_records[kind])

    pair(
        "document",
        upload_document(users["ncb_admin"], title="INTERPOL Notices Manual", roles=("ilo", "uo")),
        upload_document(users["ncb_admin"], title="Secure channel key handling", roles=()),
    )
    training = resources.training_session_create(by=ncb_officer, data=session_data())
    pair("training", training, resources.training_session_create(by=ncb_officer, data=session_data(title="Cyber forensics")))
    pair(
        "enrolment",
        resources.enrolment_request(session=training, by=delhi_uo),
        resources.enrolment_request(session=training, by=mumbai_uo),
    )
    pair("user", delhi_uo, mumbai_uo)
    pair("agency", delhi, maharashtra)

    def outbound(request):
        return transmission.enqueue(
            request,
            payload={"reference": request.reference},
            destination="INTERPOL General Secretariat",
            destination_kind="interpol",
            by=ncb_officer,
        )

    pair("outbound", outbound(objects["notice"]["own"]), outbound(objects["notice"]["other"]))

    world = World(users=users, objects=objects)
    world.extra["rows"] = {"own": delhi_row, "other": mumbai_row}
    return world

import pytest

from accounts import services as account_services
from records import services


@pytest.fixture(autouse=True)
def _imports_under_a_var_dir_of_their_own(settings, tmp_path):
    """The importer keeps its checkpoints and reports under VAR_DIR: each test its own, never the repository's."""
    settings.VAR_DIR = tmp_path / "var"


def bearer(user, *scopes):
    raw = account_services.api_token_create(user=user, name="test", scopes=list(scopes or ["records:read", "records:write"]))
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


PEOPLE = [
    ("P1", "Mohammad Irfan Qureshi", "Abdul Qureshi", "1985-04-12", "M", "Delhi"),
    ("P2", "Lakshmi Devi", "Ram Prasad", "1979", "F", "Bihar"),
    ("P3", "Virender Singh", "Balwant Singh", "1990-01-02", "M", "Haryana"),
    ("P4", "Rajesh Kumar Sharma", "Suresh Sharma", "1982-07-30", "M", "Delhi"),
    ("P5", "Sunita Devi", "Mohan Lal", "1988", "F", "Uttar Pradesh"),
    ("P6", "Harpreet Kaur Gill", "Gurdeep Singh Gill", "1995-03-03", "F", "Punjab"),
    ("P7", "Rajkumar Verma", "Shyam Verma", "1975", "M", "Madhya Pradesh"),
    ("P8", "Siddharth Chatterjee", "Ashok Chatterjee", "1992-11-11", "M", "West Bengal"),
    ("P9", "Shabnam Shaikh", "Zakir Shaikh", "1990", "F", "Maharashtra"),
    ("P10", "Dharmender Yadav", "Bhola Yadav", "1980", "M", "Uttar Pradesh"),
    # neighbours that must not outrank the right person
    ("N1", "Ramesh Kumar Sharma", "Naresh Sharma", "1970", "M", "Rajasthan"),
    ("N2", "Anita Devi", "Ram Lal", "1960", "F", "Bihar"),
    ("N3", "Mohammad Imran Qureshi", "Salim Qureshi", "2001", "M", "Uttar Pradesh"),
    ("N4", "Surender Singh", "Balwant Singh", "1991", "M", "Haryana"),
]


@pytest.fixture
def people(db):
    from records.matching import resolve_state_id

    made = {}
    for ext, name, father, dob, sex, state in PEOPLE:
        made[ext] = services.person_save(
            data={
                "external_id": ext,
                "source": "test",
                "name": name,
                "father_name": father,
                "dob": dob if len(dob) == 10 else None,
                "birth_year": int(dob[:4]),
                "sex": sex,
                "state_id": resolve_state_id(state),
                "roles": ["accused"],
            }
        )
    return made


# --- Cross-matching: records owned by Maharashtra, items arriving from Delhi ---------------------------------


@pytest.fixture
def mumbai_fir(mumbai_station):
    from datetime import date

    return services.fir_create(
        data={
            "station": mumbai_station,
            "district": mumbai_station.district,
            "year": 2025,
            "number": 77,
            "registered_on": date(2025, 5, 2),
        },
        sections=[{"law": "BNS", "section": "103(1)"}],
    )


@pytest.fixture
def verma(mumbai_fir):
    """Wanted in a Mumbai FIR: the subject of Delhi's Red notice request (notices.tests.conftest.red_notice_data)."""
    from records.matching import resolve_state_id
    from records.models import Involvement

    person = services.person_save(
        data={
            "external_id": "MH-1",
            "source": "test",
            "name": "Rakesh Kumar Verma",
            "father_name": "Mahesh Verma",
            "dob": "1984-03-14",
            "birth_year": 1984,
            "sex": "M",
            "state_id": resolve_state_id("Maharashtra"),
            "roles": ["accused", "wanted"],
        }
    )
    Involvement.objects.create(person=person, fir=mumbai_fir, role="accused")
    return person


@pytest.fixture
def stolen_car(mumbai_fir):
    return services.vehicle_save(
        data={
            "external_id": "V-MH-1",
            "source": "test",
            "registration": "MH 12 DE 0042",
            "chassis": "MA3EWDE1S00123456",
            "status": "stolen",
            "fir": mumbai_fir,
        }
    )


@pytest.fixture
def karnataka_ilo(db):
    from accounts.models import Role
    from conftest import make_user
    from directory.models import Agency

    return make_user("karnataka_ilo", Role.ILO, agency=Agency.objects.get(code="PS-KA"))


def hit_mails(mailbox, count: int = 0, timeout: float = 5.0):
    """The e-mails about hits, once `count` of them arrived (other modules' mails, e.g. alerts to stations, are left out)."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        found = [m for m in mailbox.messages if "HIT/" in m["Subject"]]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.02)

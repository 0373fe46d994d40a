import pytest

from accounts import services as account_services
from records import services


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

"""Person search: variants find the right person, the purpose rule, the audit, access and the sensitive flag."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from records import services
from records.matching import screen_person
from records.tests.conftest import bearer

pytestmark = pytest.mark.django_db

# kind, query, the person it must find, whether it must be first
VARIANTS = [
    ("transliteration", "Md. Irfan Kureshi", "P1", True),
    ("devanagari", "मोहम्मद इरफ़ान क़ुरैशी", "P1", True),
    ("x_ksh", "Laxmi Devi", "P2", True),
    ("v_b", "Birender Singh", "P3", True),
    ("initials", "R. K. Sharma", "P4", False),
    ("word_order", "Sharma Rajesh Kumar", "P4", True),
    ("dropped_middle", "Rajesh Sharma", "P4", True),
    ("typo", "Sunitta Devi", "P5", True),
    ("typo_transposed", "Rajesh Kumar Shrama", "P4", True),
    ("dropped_middle_devanagari", "हरप्रीत गिल", "P6", True),
    ("joined_name", "Raj Kumar Verma", "P7", True),
    ("th_t", "Sidarth Chaterjee", "P8", True),
    ("sh_s", "Sabnam Saikh", "P9", True),
    ("dh_d_doubled", "Darmendar Yaadav", "P10", True),
    ("initials_surname_first", "Sharma R. K.", "P4", False),
    ("first_initial_only", "R. Sharma", "P4", False),
    ("split_name", "Raj Kumar Verma", "P7", True),
    ("middle_initial", "Rajesh K. Sharma", "P4", True),
]


@pytest.mark.parametrize(("kind", "query", "expected", "first"), VARIANTS, ids=[v[0] for v in VARIANTS])
def test_each_kind_of_variant_finds_the_right_person(people, kind, query, expected, first):
    found = [m.external_id for m in screen_person(query, limit=10)]
    assert expected in found, f"{kind}: {query} → {found}"
    if first:
        assert found[0] == expected, f"{kind}: {query} → {found}"


def test_fathers_name_and_year_lift_the_right_person_above_a_namesake(people):
    found = screen_person("R K Sharma", father_name="Suresh", dob="1982")
    assert found[0].external_id == "P4" and not found[0].weak


def test_a_common_name_alone_is_a_weak_match(people):
    for n in range(30):
        services.person_save(data={"external_id": f"C{n}", "source": "test", "name": "Sunita Devi", "father_name": f"F{n}"})
    results = screen_person("Sunita Devi", limit=5)
    assert results and all(m.weak for m in results)


def test_a_search_without_a_purpose_is_refused_and_audited(people, delhi_ilo):
    with pytest.raises(services.PurposeMissing):
        services.person_search(user=delhi_ilo, purpose="  ", name="Virender Singh")
    assert AuditEntry.objects.filter(action="records.search_refused", actor=delhi_ilo).exists()


def test_a_search_is_audited_with_its_query_purpose_and_result_count(people, delhi_uo):
    results = services.person_search(user=delhi_uo, purpose="FIR 12/2025 PS Saket, verification", name="Birender Singh")
    entry = AuditEntry.objects.get(action="records.person_search", actor=delhi_uo)
    assert entry.purpose == "FIR 12/2025 PS Saket, verification"
    assert entry.data["query"]["name"] == "Birender Singh" and entry.data["results"] == len(results) > 0


@pytest.mark.parametrize("persona", ["citizen", "analyst"])
def test_a_citizen_or_analyst_can_never_search(request, client, signed_in, people, persona):
    user = request.getfixturevalue(persona)
    browser = signed_in(user)
    assert browser.get(reverse("records:search"), {"purpose": "curious about a neighbour", "name": "Sunita"}).status_code == 403
    response = browser.post(
        "/api/v1/records/persons/search", {"purpose": "curious about a neighbour", "name": "Sunita"}, content_type="application/json"
    )
    assert response.status_code in (401, 403)  # a citizen holds no police session or token at all
    if persona == "analyst":
        api = client.post(
            "/api/v1/records/persons/search", {"purpose": "curious about a neighbour", "name": "Sunita"},
            content_type="application/json", **bearer(user, "records:read"),
        )  # fmt: skip
        assert api.status_code == 403
    assert not AuditEntry.objects.filter(action="records.person_search").exists()


def test_anonymous_is_refused(client):
    assert client.post("/api/v1/records/persons/search", {"name": "x"}, content_type="application/json").status_code == 401
    assert client.get(reverse("records:search")).status_code == 302


def test_the_api_ranks_with_score_and_explanation(client, people, delhi_station_officer):
    response = client.post(
        "/api/v1/records/persons/search",
        {"purpose": "GD entry 45 dated today", "name": "Md Irfan Kureshi", "father_name": "Abdul"},
        content_type="application/json",
        **bearer(delhi_station_officer),
    )
    assert response.status_code == 200
    first = response.json()[0]
    assert first["external_id"] == "P1" and first["score"] > 0.9 and first["explanation"]


def test_the_api_refuses_a_search_without_purpose(client, people, ncb_officer):
    response = client.post("/api/v1/records/persons/search", {"name": "Virender"}, content_type="application/json", **bearer(ncb_officer))
    assert response.status_code == 422


def test_the_page_shows_strong_and_weak_matches_apart(signed_in, people, mumbai_ilo):
    page = signed_in(mumbai_ilo).get(
        reverse("records:search"), {"purpose": "Case 7/2025 Colaba", "name": "Virender Singh", "father_name": "Balwant Singh"}
    )
    assert page.status_code == 200
    assert [r.person.external_id for r in page.context["strong"]][0] == "P3"


def test_the_batch_api_screens_many(client, people, ncb_officer):
    response = client.post(
        "/api/v1/records/persons/screen",
        {"purpose": "Screening the arrivals list", "queries": [{"id": "a", "name": "Laxmi Devi"}, {"id": "b", "name": "Birender Singh"}]},
        content_type="application/json",
        **bearer(ncb_officer),
    )
    assert [row["results"][0]["external_id"] for row in response.json()] == ["P2", "P3"]


@pytest.mark.parametrize(
    ("query", "recorded"),
    [("K. Ramesh", "Ramesh Krishnan"), ("Ramesh K.", "Krishnan Ramesh"), ("Rajkumar Yadav", "Raj Kumar Yadav")],
)
def test_a_south_indian_initial_or_a_joined_name_finds_the_person(query, recorded):
    person = services.person_save(data={"external_id": "S1", "source": "test", "name": recorded, "father_name": "Krishnan"})
    assert person.pk in [m.person_id for m in screen_person(query)]


def test_initials_with_father_and_year_find_the_one_among_namesakes(people):
    for n in range(20):  # other R. K. Sharmas: another father, or another year
        father = "Suresh Sharma" if n % 2 else f"Father{n} Sharma"
        services.person_save(data={"external_id": f"RK{n}", "source": "test", "name": "Ramesh Kumar Sharma", "father_name": father,
                                   "birth_year": 1960 + n})  # fmt: skip
    found = screen_person("R. K. Sharma", father_name="Suresh Sharma", dob="1982")
    assert found[0].external_id == "P4" and not found[0].weak
    assert "father's name agrees" in " ".join(found[0].explanation)

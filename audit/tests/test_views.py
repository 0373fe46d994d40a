import pytest

from audit import services as audit

pytestmark = pytest.mark.django_db


def test_the_ncb_administrator_browses_and_filters_the_trail(signed_in, ncb_admin, delhi_ilo, mumbai_ilo, django_assert_max_num_queries):
    audit.record(actor=delhi_ilo, action="users.create")
    audit.record(actor=mumbai_ilo, action="auth.login")
    client = signed_in(ncb_admin)
    with django_assert_max_num_queries(10):
        response = client.get("/audit/", {"actor": "delhi_ilo"})
    assert [e.action for e in response.context["page"]] == ["users.create"]
    response = client.get("/audit/", {"action": "auth."})
    assert {e.actor_username for e in response.context["page"]} == {"mumbai_ilo"}


def test_the_page_verifies_the_chain_on_request(signed_in, ncb_admin, delhi_ilo, seal):
    audit.record(actor=delhi_ilo, action="users.create")
    seal()
    audit.record(actor=delhi_ilo, action="users.update")
    response = signed_in(ncb_admin).get("/audit/", {"verify": "1"})
    assert response.context["report"].ok
    page = response.content.decode()
    assert "The chain is intact: 2 entries checked." in page
    assert "1 sealed, 1 of them covered by a signed checkpoint kept outside the database." in page
    assert "1 entry awaits the next seal." in page


def test_the_page_shows_sealed_entries_by_their_place_and_the_others_as_not_sealed_yet(signed_in, ncb_admin, delhi_ilo, seal):
    audit.record(actor=delhi_ilo, action="users.create")
    seal()
    audit.record(actor=delhi_ilo, action="users.update")
    page = signed_in(ncb_admin).get("/audit/").content.decode()
    assert "<td>1</td>" in page and "not sealed yet" in page


def test_the_page_names_the_first_bad_entry(signed_in, ncb_admin, delhi_ilo, seal):
    from audit.tests.conftest import tampering

    audit.record(actor=delhi_ilo, action="users.create")
    seal()
    with tampering() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'users.nothing' WHERE action = 'users.create'")
    page = signed_in(ncb_admin).get("/audit/", {"verify": "1"}).content.decode()
    assert "The chain is broken: entry #1 was altered after it was written" in page
    assert "The first bad entry is #1." in page


def test_a_bad_date_range_is_explained(signed_in, ncb_admin):
    response = signed_in(ncb_admin).get("/audit/", {"since": "2026-05-02", "until": "2026-05-01"})
    assert "before the start date" in response.content.decode()


@pytest.mark.parametrize("persona", ["delhi_ilo", "delhi_uo", "ncb_officer", "analyst", "citizen"])
def test_only_administrators_see_the_trail(request, signed_in, persona):
    assert signed_in(request.getfixturevalue(persona)).get("/audit/").status_code == 403


def test_the_audit_api_needs_the_audit_scope(client, ncb_admin):
    from accounts import services

    without = services.api_token_create(user=ncb_admin, name="x", scopes=["users:read"])
    with_scope = services.api_token_create(user=ncb_admin, name="y", scopes=["audit:read"])
    assert client.get("/api/v1/audit/entries", HTTP_AUTHORIZATION=f"Bearer {without}").status_code == 403
    response = client.get("/api/v1/audit/entries", HTTP_AUTHORIZATION=f"Bearer {with_scope}")
    assert response.status_code == 200
    assert response.json()["items"][0]["action"] == "api_token.create"


def test_the_audit_api_gives_sealed_entries_their_place_and_the_others_none(client, ncb_admin, delhi_ilo, seal):
    from accounts import services

    first = audit.record(actor=delhi_ilo, action="users.create")
    token = services.api_token_create(user=ncb_admin, name="y", scopes=["audit:read"])  # audited too: #2
    seal()
    later = audit.record(actor=delhi_ilo, action="users.update")
    items = client.get("/api/v1/audit/entries", HTTP_AUTHORIZATION=f"Bearer {token}").json()["items"]
    by_action = {item["action"]: item for item in items}
    assert by_action["users.update"]["seq"] is None and by_action["users.update"]["hash"] == later.mac
    assert by_action["users.create"]["seq"] == 1 and by_action["users.create"]["hash"] == first.mac
    assert by_action["api_token.create"]["seq"] == 2

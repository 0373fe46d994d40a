import pytest

from audit import services as audit
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_ncb_administrator_browses_and_filters_the_trail(signed_in, ncb_admin, delhi_ilo, mumbai_ilo, django_assert_max_num_queries):
    audit.record(actor=delhi_ilo, action="users.create")
    audit.record(actor=mumbai_ilo, action="auth.login")
    client = signed_in(ncb_admin)
    with django_assert_max_num_queries(11):  # the visit's own read entry among them
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
    assert [item["action"] for item in response.json()["items"][:2]] == ["access.read", "api_token.create"]  # the export's own read first


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


def reads_of_the_trail(user):
    return AuditEntry.objects.filter(action="access.read", actor=user, target_type="audit.auditentry")


def test_viewing_the_trail_leaves_one_read_entry_naming_its_filters(signed_in, ncb_admin, delhi_ilo):
    audit.record(actor=delhi_ilo, action="users.create")
    audit.record(actor=delhi_ilo, action="users.update")
    assert signed_in(ncb_admin).get("/audit/", {"actor": "delhi_ilo", "action": "users.create"}).status_code == 200
    (entry,) = reads_of_the_trail(ncb_admin)
    assert (entry.target_id, entry.data) == (
        "",
        {"as": "list", "query": {"actor": "delhi_ilo", "action": "users.create"}, "page": 1, "results": 1},
    )


def test_a_filter_change_or_the_next_page_through_htmx_is_one_more_read_of_that_page(signed_in, ncb_admin, delhi_ilo):
    for n in range(55):
        audit.record(actor=delhi_ilo, action="users.update", data={"n": n})
    browser = signed_in(ncb_admin)
    browser.get("/audit/")
    response = browser.get("/audit/", {"action": "users.", "page": 2}, HTTP_HX_REQUEST="true")
    assert len(response.context["page"]) == 5
    reads = reads_of_the_trail(ncb_admin).order_by("id")
    assert [(e.data["query"], e.data["page"]) for e in reads] == [({}, 1), ({"action": "users."}, 2)]


def test_the_page_says_who_read_the_trail_and_how_they_filtered_it(signed_in, ncb_admin, delhi_ilo):
    audit.record(actor=delhi_ilo, action="users.create")
    browser = signed_in(ncb_admin)
    browser.get("/audit/", {"actor": "delhi_ilo"})
    page = browser.get("/audit/", {"action": "access.read"}).content.decode()
    assert "Read audit entries as a list, page 1, filtered by actor “delhi_ilo”: 1 result." in page


def test_reading_the_trail_through_the_api_leaves_one_read_entry_naming_its_filters(client, ncb_admin):
    from accounts import services

    token = services.api_token_create(user=ncb_admin, name="y", scopes=["audit:read"])
    response = client.get("/api/v1/audit/entries", {"action": "api_token."}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    (entry,) = reads_of_the_trail(ncb_admin)
    assert entry.data == {"as": "api", "query": {"action": "api_token."}, "page": 1}


def test_a_refused_visit_to_the_trail_is_not_a_read_of_it(signed_in, delhi_ilo):
    assert signed_in(delhi_ilo).get("/audit/").status_code == 403
    assert not AuditEntry.objects.filter(action="access.read").exists()

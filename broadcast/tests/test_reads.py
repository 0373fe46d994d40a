"""Every read of a broadcast (or of one addressee's row) leaves one audit entry; where it did not reach, it answers
like a missing one."""

import pytest
from django.urls import reverse

from accounts import services as account_services
from audit.models import AuditEntry
from broadcast import services
from broadcast.tests.test_broadcast import item_data, soon

pytestmark = pytest.mark.django_db
MISSING = 999_999


@pytest.fixture
def sent(ncb_officer, delhi_police):
    """An item the NCB disseminated to Delhi Police for action, and Delhi's row."""
    item = services.broadcast_register(by=ncb_officer, data=item_data())
    (row,) = services.broadcast_disseminate(item=item, by=ncb_officer, agencies=[delhi_police], purpose="action", due_at=soon())
    return item, row


def bearer(user):
    raw = account_services.api_token_create(user=user, name="t", scopes=["broadcasts:read", "broadcasts:write"])
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def reads():
    return AuditEntry.objects.filter(action="access.read")


@pytest.mark.parametrize(("page", "shown_as"), [("broadcast:detail", "page"), ("broadcast:status", "status")])
def test_reading_a_broadcast_on_its_page_leaves_exactly_one_read_entry(signed_in, sent, delhi_ilo, page, shown_as):
    item, _row = sent
    assert signed_in(delhi_ilo).get(reverse(page, args=[item.pk])).status_code == 200
    assert list(reads().values_list("target_type", "target_id", "data__as")) == [("broadcast.broadcastitem", str(item.pk), shown_as)]


@pytest.mark.parametrize("path", ["", "/status"])
def test_reading_a_broadcast_through_the_api_leaves_exactly_one_read_entry(client, sent, delhi_ilo, path):
    item, _row = sent
    assert client.get(f"/api/v1/broadcasts/{item.pk}{path}", **bearer(delhi_ilo)).status_code == 200
    assert list(reads().values_list("actor__username", "target_id", "data__as")) == [("delhi_ilo", str(item.pk), "api")]


def test_acknowledging_reads_the_addressees_row_once(signed_in, client, sent, delhi_ilo):
    item, row = sent
    assert signed_in(delhi_ilo).post(reverse("broadcast:acknowledge", args=[item.pk, row.pk])).status_code == 302
    assert list(reads().values_list("target_type", "target_id", "data__as")) == [("broadcast.dissemination", str(row.pk), "page")]


def test_a_refused_step_shows_the_page_again_and_is_audited_as_one_read(signed_in, sent, delhi_ilo):
    item, row = sent
    services.dissemination_acknowledge(row=row, by=delhi_ilo)
    response = signed_in(delhi_ilo).post(reverse("broadcast:acknowledge", args=[item.pk, row.pk]))
    assert response.status_code == 400 and reads().count() == 1


def test_an_agency_it_did_not_reach_gets_404_as_for_a_missing_item_and_the_attempt_names_it(signed_in, client, sent, mumbai_ilo):
    item, row = sent
    browser = signed_in(mumbai_ilo)
    for pk in (item.pk, MISSING):
        assert browser.get(reverse("broadcast:detail", args=[pk])).status_code == 404
        assert browser.get(reverse("broadcast:status", args=[pk])).status_code == 404
    assert browser.post(reverse("broadcast:acknowledge", args=[item.pk, row.pk])).status_code == 404
    assert client.get(f"/api/v1/broadcasts/{item.pk}", **bearer(mumbai_ilo)).status_code == 404
    attempts = AuditEntry.objects.filter(action="access.out_of_jurisdiction", actor=mumbai_ilo)
    assert sorted((e.data["model"], e.data["lookup"]["pk"]) for e in attempts) == [
        ("broadcast.broadcastitem", str(item.pk)),
        ("broadcast.broadcastitem", str(item.pk)),
        ("broadcast.broadcastitem", str(item.pk)),
        ("broadcast.dissemination", str(row.pk)),
    ]
    assert not reads().exists()


def test_the_system_administrator_gets_403_on_the_list_and_404_on_any_item(signed_in, sent, sysadmin):
    item, row = sent
    browser = signed_in(sysadmin)
    assert browser.get(reverse("broadcast:list")).status_code == 403
    for pk in (item.pk, MISSING):
        assert browser.get(reverse("broadcast:detail", args=[pk])).status_code == 404
        assert browser.get(reverse("broadcast:status", args=[pk])).status_code == 404
        assert browser.post(reverse("broadcast:acknowledge", args=[pk, row.pk])).status_code == 404
    assert not reads().exists()


def status_reads(user, item):
    return reads().filter(actor=user, target_type="broadcast.broadcastitem", target_id=str(item.pk))


def test_a_second_poll_of_an_unchanged_status_leaves_no_new_entry(signed_in, sent, ncb_officer):
    item, _row = sent
    browser = signed_in(ncb_officer)
    for _poll in range(3):
        assert browser.get(reverse("broadcast:status", args=[item.pk]), HTTP_HX_REQUEST="true").status_code == 200
    assert list(status_reads(ncb_officer, item).values_list("data__as", flat=True)) == ["status"]


def test_a_poll_after_an_addressee_acknowledged_leaves_one_entry_saying_what_it_showed(signed_in, sent, ncb_officer, delhi_ilo):
    item, row = sent
    browser = signed_in(ncb_officer)
    status = reverse("broadcast:status", args=[item.pk])
    browser.get(status)
    services.dissemination_acknowledge(row=row, by=delhi_ilo)
    assert browser.get(status).status_code == 200
    browser.get(status)  # the same again: nothing new to audit
    entries = list(status_reads(ncb_officer, item).order_by("id"))
    assert [(e.data["as"], e.data["acknowledged"]) for e in entries] == [("status", 0), ("status", 1)]


def test_polls_after_opening_the_page_leave_no_entry_until_the_table_changes(signed_in, sent, ncb_officer, delhi_ilo):
    item, row = sent
    browser = signed_in(ncb_officer)
    assert browser.get(reverse("broadcast:detail", args=[item.pk])).status_code == 200
    browser.get(reverse("broadcast:status", args=[item.pk]))
    assert list(status_reads(ncb_officer, item).values_list("data__as", flat=True)) == ["page"]
    services.dissemination_report(row=row, by=delhi_ilo, findings="Subject traced in Rohini; statement recorded.", upload=None)
    browser.get(reverse("broadcast:status", args=[item.pk]))
    assert list(status_reads(ncb_officer, item).order_by("id").values_list("data__as", "data__reported")) == [("page", 0), ("status", 1)]


def test_each_officer_s_polls_are_audited_against_their_own_last_read(signed_in, sent, ncb_officer, delhi_ilo):
    item, _row = sent
    signed_in(ncb_officer).get(reverse("broadcast:status", args=[item.pk]))
    signed_in(delhi_ilo).get(reverse("broadcast:status", args=[item.pk]))
    assert sorted(reads().values_list("actor__username", flat=True)) == ["delhi_ilo", "ncb_officer"]

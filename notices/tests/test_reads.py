"""Every read of a notice request leaves one audit entry; outside the office it answers like a missing one; the owning
office sees who has looked."""

import pytest
from django.urls import reverse

from audit import services as audit
from audit.models import AuditEntry
from notices import services
from notices.tests.test_pages_and_api import bearer

pytestmark = pytest.mark.django_db
MISSING = 999_999


def reads_of(notice):
    return AuditEntry.objects.filter(action="access.read", target_type="notices.noticerequest", target_id=str(notice.pk))


@pytest.mark.parametrize(
    ("page", "shown_as"), [("notices:detail", "page"), ("notices:pdf", "pdf"), ("notices:interpol_json", "json"), ("notices:edit", "page")]
)
def test_reading_a_notice_on_a_page_leaves_exactly_one_read_entry_saying_as_what(signed_in, red_draft, delhi_uo, page, shown_as):
    assert signed_in(delhi_uo).get(reverse(page, args=[red_draft.pk])).status_code == 200
    (entry,) = reads_of(red_draft)
    assert (entry.actor, entry.data["as"], entry.target_repr) == (delhi_uo, shown_as, str(red_draft))


@pytest.mark.parametrize(("path", "shown_as"), [("", "api"), ("/pdf", "pdf"), ("/interpol.json", "json"), ("/validate", "api")])
def test_reading_a_notice_through_the_api_leaves_exactly_one_read_entry(client, red_draft, delhi_ilo, path, shown_as):
    assert client.get(f"/api/v1/notices/{red_draft.pk}{path}", **bearer(delhi_ilo)).status_code == 200
    assert list(reads_of(red_draft).values_list("actor__username", "data__as")) == [("delhi_ilo", shown_as)]


def test_a_refused_step_shows_the_page_again_and_is_audited_as_one_read(signed_in, red_draft, delhi_uo):
    response = signed_in(delhi_uo).post(reverse("notices:act", args=[red_draft.pk, "forward"]), {"version": red_draft.version})
    assert response.status_code == 403 and "notices/detail.html" in [t.name for t in response.templates]
    assert reads_of(red_draft).count() == 1


def test_another_states_ilo_gets_404_as_for_a_missing_notice_and_the_attempt_names_it(signed_in, client, red_draft, mumbai_ilo):
    browser = signed_in(mumbai_ilo)
    for name in ("detail", "pdf", "interpol_json", "edit"):
        assert browser.get(reverse(f"notices:{name}", args=[red_draft.pk])).status_code == 404
        assert browser.get(reverse(f"notices:{name}", args=[MISSING])).status_code == 404
    assert client.get(f"/api/v1/notices/{red_draft.pk}", **bearer(mumbai_ilo)).status_code == 404
    attempts = AuditEntry.objects.filter(action="access.out_of_jurisdiction", actor=mumbai_ilo)
    assert attempts.count() == 5  # the existing request's, four pages and the API; a missing one is nobody's attempt
    assert {(e.data["model"], e.data["lookup"]["pk"]) for e in attempts} == {("notices.noticerequest", str(red_draft.pk))}
    assert not reads_of(red_draft).exists()


def test_the_system_administrator_sees_no_notice_and_cannot_tell_which_exist(signed_in, red_draft, sysadmin):
    browser = signed_in(sysadmin)
    assert browser.get(reverse("notices:list")).status_code == 403
    red_draft.delete()  # the list answers the same with no request at all
    assert browser.get(reverse("notices:list")).status_code == 403


def test_the_system_administrator_gets_404_for_an_existing_notice_exactly_as_for_a_missing_one(signed_in, red_draft, sysadmin):
    browser = signed_in(sysadmin)
    for name in ("detail", "pdf", "interpol_json", "edit"):
        existing, missing = (browser.get(reverse(f"notices:{name}", args=[pk])) for pk in (red_draft.pk, MISSING))
        assert existing.status_code == missing.status_code == 404, name
    for pk in (red_draft.pk, MISSING):
        assert browser.post(reverse("notices:act", args=[pk, "submit"]), {"version": 1}).status_code == 404
        assert browser.get(reverse("notices:attachment", args=[pk, 1])).status_code == 404
        assert browser.get(f"/api/v1/notices/{pk}").status_code == 403  # the API refuses the role before any lookup
    assert not reads_of(red_draft).exists()


def test_the_owning_agencys_ilo_sees_who_has_looked_at_its_request(signed_in, client, red_draft, delhi_uo, delhi_ilo, ncb_officer):
    services.notice_submit(request=red_draft, by=delhi_uo)
    services.notice_forward(request=red_draft, by=delhi_ilo)
    signed_in(delhi_uo).get(reverse("notices:detail", args=[red_draft.pk]))
    signed_in(ncb_officer).get(reverse("notices:pdf", args=[red_draft.pk]))
    client.logout()
    client.get(f"/api/v1/notices/{red_draft.pk}/interpol.json", **bearer(ncb_officer))

    page = signed_in(delhi_ilo).get(reverse("notices:detail", args=[red_draft.pk]))
    reads = page.context["reads"]
    assert [(e.actor_username, e.how) for e in reads.entries] == [
        ("delhi_ilo", "on its page"),
        ("ncb_officer", "as INTERPOL JSON"),
        ("ncb_officer", "as a PDF"),
        ("delhi_uo", "on its page"),
    ]
    html = page.content.decode()
    assert "Who has looked at this" in html and "as a PDF" in html and "NCB-New Delhi" in html


def test_the_ncb_sees_the_access_history_and_the_drafting_uo_does_not(signed_in, red_draft, delhi_uo, ncb_officer):
    services.notice_submit(request=red_draft, by=delhi_uo)
    ncb_page = signed_in(ncb_officer).get(reverse("notices:detail", args=[red_draft.pk]))
    assert "Who has looked at this" in ncb_page.content.decode()
    uo_page = signed_in(delhi_uo).get(reverse("notices:detail", args=[red_draft.pk]))
    assert uo_page.context["reads"] is None and "Who has looked at this" not in uo_page.content.decode()


def test_the_access_history_shows_the_latest_50_reads_and_says_how_many_there_are(signed_in, red_draft, delhi_uo, delhi_ilo):
    for _ in range(60):
        audit.read(actor=delhi_uo, target=red_draft, shown_as="pdf")
    page = signed_in(delhi_ilo).get(reverse("notices:detail", args=[red_draft.pk]))
    assert len(page.context["reads"].entries) == 50 and page.context["reads"].total == 61
    assert "The latest 50 of 61 reads." in page.content.decode()

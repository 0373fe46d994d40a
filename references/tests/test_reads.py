"""Every read of a reference leaves one audit entry; outside the office it answers like a missing one; the owning office
sees who has looked."""

import pytest
from django.urls import reverse

from accounts import services as account_services
from audit.models import AuditEntry
from references import services

pytestmark = pytest.mark.django_db
MISSING = 999_999


def bearer(user):
    raw = account_services.api_token_create(user=user, name="t", scopes=["references:read", "references:write"])
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def reads_of(ref):
    return AuditEntry.objects.filter(action="access.read", target_type="references.referencerequest", target_id=str(ref.pk))


@pytest.mark.parametrize(("page", "shown_as"), [("references:detail", "page"), ("references:pdf", "pdf"), ("references:edit", "page")])
def test_reading_a_reference_on_a_page_leaves_exactly_one_read_entry(signed_in, draft, delhi_uo, page, shown_as):
    assert signed_in(delhi_uo).get(reverse(page, args=[draft.pk])).status_code == 200
    assert list(reads_of(draft).values_list("actor__username", "data__as")) == [("delhi_uo", shown_as)]


@pytest.mark.parametrize("path", ["", "/replies"])
def test_reading_a_reference_through_the_api_leaves_exactly_one_read_entry(client, draft, delhi_ilo, path):
    assert client.get(f"/api/v1/references/{draft.pk}{path}", **bearer(delhi_ilo)).status_code == 200
    assert list(reads_of(draft).values_list("actor__username", "data__as")) == [("delhi_ilo", "api")]


def test_a_refused_step_is_audited_as_one_read(signed_in, draft, delhi_uo):
    response = signed_in(delhi_uo).post(reverse("references:act", args=[draft.pk, "approve"]), {"version": draft.version})
    assert response.status_code == 403 and reads_of(draft).count() == 1


def test_another_states_ilo_gets_404_as_for_a_missing_reference_and_the_attempt_names_it(signed_in, client, draft, mumbai_ilo):
    browser = signed_in(mumbai_ilo)
    for name in ("detail", "pdf", "edit"):
        assert browser.get(reverse(f"references:{name}", args=[draft.pk])).status_code == 404
        assert browser.get(reverse(f"references:{name}", args=[MISSING])).status_code == 404
    assert client.get(f"/api/v1/references/{draft.pk}", **bearer(mumbai_ilo)).status_code == 404
    attempts = AuditEntry.objects.filter(action="access.out_of_jurisdiction", actor=mumbai_ilo)
    assert attempts.count() == 4
    assert {(e.data["model"], e.data["lookup"]["pk"]) for e in attempts} == {("references.referencerequest", str(draft.pk))}
    assert not reads_of(draft).exists()


def test_the_system_administrator_gets_403_on_the_list_and_404_on_any_reference(signed_in, draft, sysadmin):
    browser = signed_in(sysadmin)
    assert browser.get(reverse("references:list")).status_code == 403
    for name in ("detail", "pdf", "edit"):
        existing, missing = (browser.get(reverse(f"references:{name}", args=[pk])) for pk in (draft.pk, MISSING))
        assert existing.status_code == missing.status_code == 404, name
    for pk in (draft.pk, MISSING):
        assert browser.post(reverse("references:act", args=[pk, "submit"]), {"version": 1}).status_code == 404
        assert browser.post(reverse("references:reply", args=[pk]), {}).status_code == 404
    assert not reads_of(draft).exists()
    draft.delete()
    assert browser.get(reverse("references:list")).status_code == 403


def test_the_owning_agencys_ilo_and_the_ncb_see_who_has_looked_and_the_uo_does_not(
    signed_in,
    draft,
    delhi_uo,
    delhi_ilo,
    ncb_officer,
):
    services.reference_submit(request=draft, by=delhi_uo)
    services.reference_forward(request=draft, by=delhi_ilo)
    signed_in(delhi_uo).get(reverse("references:pdf", args=[draft.pk]))
    ilo_page = signed_in(delhi_ilo).get(reverse("references:detail", args=[draft.pk]))
    assert [(e.actor_username, e.how) for e in ilo_page.context["reads"].entries] == [
        ("delhi_ilo", "on its page"),
        ("delhi_uo", "as a PDF"),
    ]
    assert "Who has looked at this" in ilo_page.content.decode()
    ncb_page = signed_in(ncb_officer).get(reverse("references:detail", args=[draft.pk]))
    assert ncb_page.context["reads"].total == 3
    uo_page = signed_in(delhi_uo).get(reverse("references:detail", args=[draft.pk]))
    assert uo_page.context["reads"] is None and "Who has looked at this" not in uo_page.content.decode()

"""Interpol References: from a UO's request to the foreign replies and the closing outcome."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from audit.models import AuditEntry
from references import services
from references.models import ReferenceRequest
from references.tests.conftest import reference_data
from workflow import services as workflow
from workflow.models import OutboundMessage, Transition

pytestmark = pytest.mark.django_db
S = ReferenceRequest.Stage


def test_a_reference_goes_abroad_gets_replies_and_is_closed_with_an_outcome(
    draft, delhi_uo, delhi_ilo, ncb_officer, mailbox, django_capture_on_commit_callbacks
):
    services.reference_submit(request=draft, by=delhi_uo)
    services.reference_forward(request=draft, by=delhi_ilo)
    services.reference_approve(request=draft, by=ncb_officer)
    assert draft.stage == S.SENT
    destinations = sorted(OutboundMessage.objects.values_list("destination", flat=True))
    assert destinations == ["NCB Singapore (SG)", "NCB United Arab Emirates (AE)"]
    assert OutboundMessage.objects.first().payload["handling_code"] == "H2"

    with django_capture_on_commit_callbacks(execute=True):
        services.reference_reply_record(
            request=draft,
            by=ncb_officer,
            country="AE",
            received_on=timezone.localdate(),
            body="Two accounts identified at Emirates NBD; statements attached.",
        )
    draft.refresh_from_db()
    assert draft.stage == S.REPLIED
    assert any("Reply received" in m["Subject"] for m in mailbox.wait_for(1))

    services.reference_close(request=draft, by=ncb_officer, outcome="partial", note="UAE replied; Singapore did not.")
    draft.refresh_from_db()
    assert draft.stage == S.CLOSED and draft.outcome == "partial"
    actions = list(Transition.objects.filter(object_id=draft.pk).values_list("action", flat=True))
    assert actions == ["create", "submit", "forward", "approve", "record_reply", "close"]


def test_an_incomplete_reference_is_refused_field_by_field(delhi_uo):
    ref = services.reference_draft_create(
        by=delhi_uo, data=reference_data(facts="Too short.", assistance=[], subjects=[{"name": "", "dob": "2999-01-01"}]), countries=[]
    )
    with pytest.raises(ValidationError) as refused:
        services.reference_submit(request=ref, by=delhi_uo)
    assert {"countries", "assistance", "facts", "subjects"} <= set(refused.value.message_dict)
    ref.refresh_from_db()
    assert ref.stage == S.DRAFT


def test_a_country_that_is_not_an_interpol_member_is_refused(delhi_uo):
    with pytest.raises(ValidationError, match="Not INTERPOL member countries: KP"):
        services.reference_draft_create(by=delhi_uo, data=reference_data(), countries=["KP"])
    assert not ReferenceRequest.objects.exists()


def test_a_reply_from_a_country_not_asked_is_refused(draft, delhi_uo, delhi_ilo, ncb_officer):
    services.reference_submit(request=draft, by=delhi_uo)
    services.reference_forward(request=draft, by=delhi_ilo)
    services.reference_approve(request=draft, by=ncb_officer)
    with pytest.raises(ValidationError) as refused:
        services.reference_reply_record(
            request=draft, by=ncb_officer, country="FR", received_on=timezone.localdate() + timedelta(days=2), body=""
        )
    assert {"country", "received_on", "body"} <= set(refused.value.message_dict)


def test_only_the_ncb_records_replies(draft, delhi_uo, delhi_ilo, ncb_officer):
    services.reference_submit(request=draft, by=delhi_uo)
    services.reference_forward(request=draft, by=delhi_ilo)
    services.reference_approve(request=draft, by=ncb_officer)
    with pytest.raises(Exception, match="Only the NCB"):
        services.reference_reply_record(request=draft, by=delhi_ilo, country="AE", received_on=date.today(), body="x")


def test_an_overdue_foreign_reply_sends_a_reminder_to_the_countries_that_have_not_replied(
    draft, delhi_uo, delhi_ilo, ncb_officer, ncb_admin
):
    services.reference_submit(request=draft, by=delhi_uo)
    services.reference_forward(request=draft, by=delhi_ilo)
    services.reference_approve(request=draft, by=ncb_officer)
    services.reference_reply_record(request=draft, by=ncb_officer, country="AE", received_on=timezone.localdate(), body="Found him.")
    ReferenceRequest.objects.filter(pk=draft.pk).update(due_at=timezone.now() - timedelta(days=1))
    assert services.reference_reminders_send() == 1
    reminder = OutboundMessage.objects.filter(payload__type="reminder").get()
    assert reminder.destination == "NCB Singapore (SG)"
    assert services.reference_reminders_send() == 0  # not again before the new deadline
    draft.refresh_from_db()
    assert draft.due_at > timezone.now()
    assert AuditEntry.objects.filter(action="reference.reminder").count() == 1


def test_another_states_ilo_gets_404_on_the_page_and_the_api(signed_in, client, draft, mumbai_ilo):
    assert signed_in(mumbai_ilo).get(reverse("references:detail", args=[draft.pk])).status_code == 404
    raw = account_services.api_token_create(user=mumbai_ilo, name="t", scopes=["references:read"])
    assert client.get(f"/api/v1/references/{draft.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 404


def test_two_ncb_officers_approving_at_once_send_one_set_of_messages(draft, delhi_uo, delhi_ilo, ncb_officer, ncb_admin):
    services.reference_submit(request=draft, by=delhi_uo)
    services.reference_forward(request=draft, by=delhi_ilo)
    version = draft.version
    first, second = ReferenceRequest.objects.get(pk=draft.pk), ReferenceRequest.objects.get(pk=draft.pk)
    services.reference_approve(request=first, by=ncb_officer, expected_version=version)
    with pytest.raises(workflow.Conflict):
        services.reference_approve(request=second, by=ncb_admin, expected_version=version)
    with pytest.raises(workflow.Conflict):  # reloaded, but still acting on what they saw before
        services.reference_approve(request=ReferenceRequest.objects.get(pk=draft.pk), by=ncb_admin, expected_version=version)
    assert OutboundMessage.objects.count() == 2


def test_the_reference_journey_through_the_api(client, delhi_uo, delhi_ilo, ncb_officer):
    def headers(user):
        raw = account_services.api_token_create(user=user, name="t", scopes=["references:read", "references:write"])
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    uo, ilo, ncb = headers(delhi_uo), headers(delhi_ilo), headers(ncb_officer)
    created = client.post("/api/v1/references/", {"countries": ["ae"], **reference_data()}, content_type="application/json", **uo)
    assert created.status_code == 201, created.content
    ref_id = created.json()["id"]
    for step, who in (("submit", uo), ("forward", ilo), ("approve", ncb)):
        assert client.post(f"/api/v1/references/{ref_id}/steps/{step}", {}, content_type="application/json", **who).status_code == 200
    reply = client.post(
        f"/api/v1/references/{ref_id}/replies",
        {"country": "AE", "received_on": date.today().isoformat(), "body": "Located."},
        content_type="application/json",
        **ncb,
    )
    assert reply.status_code == 201
    assert client.get(f"/api/v1/references/{ref_id}/replies", **uo).json()[0]["body"] == "Located."


def test_a_reference_prints_as_a_pdf_with_its_replies(signed_in, draft, delhi_uo):
    response = signed_in(delhi_uo).get(reverse("references:pdf", args=[draft.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")
    assert AuditEntry.objects.filter(action="access.read", actor=delhi_uo, target_id=str(draft.pk), data__as="pdf").exists()


def test_through_the_api_a_return_without_a_comment_is_a_400_and_a_step_not_yours_a_403(client, draft, delhi_uo, delhi_ilo):
    services.reference_submit(request=draft, by=delhi_uo)

    def step(user, name, body):
        raw = account_services.api_token_create(user=user, name="t", scopes=["references:read", "references:write"])
        return client.post(
            f"/api/v1/references/{draft.pk}/steps/{name}", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
        )

    missing = step(delhi_ilo, "return", {})
    assert missing.status_code == 400 and "note" in missing.json()["errors"]
    assert step(delhi_uo, "approve", {"note": "mine"}).status_code == 403
    draft.refresh_from_db()
    assert draft.stage == draft.Stage.ILO_REVIEW

"""Broadcast: an item from abroad reaches the right agency, is acknowledged and acted on, and the NCB replies."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from audit.models import AuditEntry
from broadcast import services
from broadcast.models import BroadcastItem, Dissemination
from workflow import services as workflow
from workflow.models import OutboundMessage, Task

pytestmark = pytest.mark.django_db


def item_data(**overrides) -> dict:
    data = {
        "kind": "diffusion",
        "origin_country_id": "FR",
        "origin_reference": "FR-2026-0042",
        "title": "Counterfeit currency network with links to Delhi and Mumbai",
        "summary": "French police ask whether the two persons named are known and to locate them.",
        "offence": "Counterfeiting currency",
        "urgency": "urgent",
        "handling_code": "H1",
        "persons": [{"name": "Jean Dupont", "dob": "1979-04-02", "nationalities": ["FR"]}],
    }
    data.update(overrides)
    return data


@pytest.fixture
def item(ncb_officer):
    return services.broadcast_register(by=ncb_officer, data=item_data())


def soon(hours: int = 48):
    return timezone.now() + timedelta(hours=hours)


def test_the_ncb_disseminates_the_ilos_acknowledge_and_act_and_the_ncb_replies_and_closes(
    item, ncb_officer, delhi_ilo, mumbai_ilo, delhi_police, maharashtra_police, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rows = services.broadcast_disseminate(
            item=item, by=ncb_officer, agencies=[delhi_police, maharashtra_police], purpose="action", due_at=soon()
        )
    assert {m["To"] for m in mailbox.wait_for(2)} == {"delhi_ilo@example.invalid", "mumbai_ilo@example.invalid"}
    assert [t.reference for t in workflow.inbox_for(delhi_ilo)] == [item.reference]

    delhi_row = next(r for r in rows if r.agency == delhi_police)
    services.dissemination_acknowledge(row=delhi_row, by=delhi_ilo)
    services.dissemination_report(
        row=delhi_row, by=delhi_ilo, findings="Jean Dupont stayed at a Paharganj hotel in March; no current trace."
    )
    assert workflow.inbox_for(delhi_ilo).count() == 0

    draft = services.broadcast_reply_draft(item)
    assert "Paharganj" in draft and "FR-2026-0042" in draft
    services.broadcast_reply_send(item=item, by=ncb_officer, text=draft)
    message = OutboundMessage.objects.get()
    assert message.destination == "NCB France (FR)" and message.payload["their_reference"] == "FR-2026-0042"
    services.broadcast_close(item=item, by=ncb_officer, note="Answered; Mumbai found nothing.")
    item.refresh_from_db()
    assert item.stage == BroadcastItem.Stage.CLOSED
    assert not Task.objects.filter(closed_at__isnull=True).exists()


def test_acknowledging_twice_is_refused_and_changes_nothing(item, ncb_officer, delhi_ilo, delhi_police):
    (row,) = services.broadcast_disseminate(item=item, by=ncb_officer, agencies=[delhi_police], purpose="information", due_at=soon())
    services.dissemination_acknowledge(row=row, by=delhi_ilo)
    first = Dissemination.objects.get(pk=row.pk).acknowledged_at
    with pytest.raises(ValidationError, match="Already acknowledged by"):
        services.dissemination_acknowledge(row=row, by=delhi_ilo)
    assert Dissemination.objects.get(pk=row.pk).acknowledged_at == first


def test_a_restricted_item_cannot_be_passed_beyond_its_addressees(
    ncb_officer, delhi_ilo, delhi_police, maharashtra_police, delhi_crime_branch
):
    item = services.broadcast_register(by=ncb_officer, data=item_data(handling_code="H2"))
    (row,) = services.broadcast_disseminate(item=item, by=ncb_officer, agencies=[delhi_police], purpose="action", due_at=soon())
    with pytest.raises(workflow.IllegalMove, match="originator's permission"):
        services.dissemination_pass_on(row=row, by=delhi_ilo, units=[delhi_crime_branch], purpose="action", due_at=soon())
    with pytest.raises(workflow.IllegalMove, match="originator's permission"):
        services.broadcast_disseminate(item=item, by=ncb_officer, agencies=[maharashtra_police], purpose="information", due_at=soon())
    assert Dissemination.objects.count() == 1


def test_an_unrestricted_item_is_passed_on_by_the_ilo_to_its_own_units_only(
    item, ncb_officer, delhi_ilo, delhi_uo, delhi_police, delhi_crime_branch, mumbai_station
):
    from directory.models import UnitOffice

    (row,) = services.broadcast_disseminate(item=item, by=ncb_officer, agencies=[delhi_police], purpose="action", due_at=soon())
    (child,) = services.dissemination_pass_on(row=row, by=delhi_ilo, units=[delhi_crime_branch], purpose="action", due_at=soon(24))
    assert [t.reference for t in workflow.inbox_for(delhi_uo)] == [item.reference]
    services.dissemination_report(row=child, by=delhi_uo, findings="Checked the hotel registers of our area.")
    mumbai_unit = UnitOffice.objects.create(agency=mumbai_station.agency, code="T-MH-U1", name="Crime Branch")
    with pytest.raises(ValidationError, match="Not units of your agency"):
        services.dissemination_pass_on(row=row, by=delhi_ilo, units=[mumbai_unit], purpose="action", due_at=soon())


def test_an_overdue_addressee_is_reminded_once_a_day(
    item, ncb_officer, delhi_ilo, mumbai_ilo, delhi_police, maharashtra_police, mailbox, django_capture_on_commit_callbacks
):
    rows = services.broadcast_disseminate(
        item=item, by=ncb_officer, agencies=[delhi_police, maharashtra_police], purpose="action", due_at=soon(1)
    )
    services.dissemination_report(row=next(r for r in rows if r.agency == delhi_police), by=delhi_ilo, findings="Done.")
    Dissemination.objects.update(due_at=timezone.now() - timedelta(hours=2))
    mailbox.messages  # noqa: B018
    with django_capture_on_commit_callbacks(execute=True):
        assert services.broadcast_reminders_send() == 1
    reminder = mailbox.wait_for(1)[-1]
    assert reminder["To"] == "mumbai_ilo@example.invalid" and "Reminder" in reminder["Subject"]
    assert services.broadcast_reminders_send() == 0
    assert services.broadcast_reminders_send(now=timezone.now() + timedelta(hours=25)) == 1


def test_an_action_report_with_an_attachment_of_the_wrong_type_is_refused_and_nothing_changes(item, ncb_officer, delhi_ilo, delhi_police):
    (row,) = services.broadcast_disseminate(item=item, by=ncb_officer, agencies=[delhi_police], purpose="action", due_at=soon())
    script = SimpleUploadedFile("report.pdf", b"#!/bin/sh\nrm -rf /\n")
    with pytest.raises(ValidationError, match="not a file of an accepted type"):
        services.dissemination_report(row=row, by=delhi_ilo, findings="See file.", upload=script)
    assert Dissemination.objects.get(pk=row.pk).reported_at is None


def test_only_the_addressee_acknowledges(item, ncb_officer, mumbai_ilo, delhi_police):
    (row,) = services.broadcast_disseminate(item=item, by=ncb_officer, agencies=[delhi_police], purpose="action", due_at=soon())
    with pytest.raises(PermissionDenied):
        services.dissemination_acknowledge(row=row, by=mumbai_ilo)


def test_a_due_date_in_the_past_is_refused(item, ncb_officer, delhi_police):
    with pytest.raises(ValidationError, match="future"):
        services.broadcast_disseminate(
            item=item, by=ncb_officer, agencies=[delhi_police], purpose="action", due_at=timezone.now() - timedelta(hours=1)
        )
    assert not Dissemination.objects.exists()


def test_an_item_imports_from_interpol_json_and_bad_json_is_explained(ncb_officer):
    item = services.broadcast_import(
        by=ncb_officer,
        payload={
            "type": "diffusion",
            "issuing_country_id": "NP",
            "reference": "NP/123",
            "title": "Missing trekker",
            "summary": "Last seen near the border.",
            "handling_code": "H0",
            "persons": [{"forename": "ANNA", "name": "SMITH", "date_of_birth": "1995/06/01", "sex_id": "F", "nationalities": ["GB"]}],
        },
    )
    assert item.persons == [{"name": "Anna Smith", "dob": "1995-06-01", "nationalities": ["GB"], "sex": "F"}]
    with pytest.raises(ValidationError) as refused:
        services.broadcast_import(
            by=ncb_officer,
            payload={"type": "gossip", "issuing_country_id": "ZZ", "handling_code": "H9", "persons": [{"date_of_birth": "yesterday"}]},
        )
    assert {"kind", "origin_country", "handling_code", "persons[1]", "title"} <= set(refused.value.message_dict)


def test_another_agency_gets_404_on_the_page_and_the_api(signed_in, client, item, ncb_officer, delhi_police, mumbai_ilo, delhi_ilo):
    services.broadcast_disseminate(item=item, by=ncb_officer, agencies=[delhi_police], purpose="action", due_at=soon())
    assert signed_in(delhi_ilo).get(reverse("broadcast:detail", args=[item.pk])).status_code == 200
    assert signed_in(mumbai_ilo).get(reverse("broadcast:detail", args=[item.pk])).status_code == 404
    raw = account_services.api_token_create(user=mumbai_ilo, name="t", scopes=["broadcasts:read"])
    assert client.get(f"/api/v1/broadcasts/{item.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 404
    assert AuditEntry.objects.filter(action="access.out_of_jurisdiction", actor=mumbai_ilo).exists()


def test_an_ilo_cannot_register_or_disseminate(client, delhi_ilo):
    raw = account_services.api_token_create(user=delhi_ilo, name="t", scopes=["broadcasts:write"])
    response = client.post(
        "/api/v1/broadcasts/",
        {"kind": "diffusion", "origin_country": "FR", "title": "x", "summary": "y"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 403


def test_the_status_table_is_served_alone_for_live_refresh(signed_in, item, ncb_officer, delhi_police, django_assert_max_num_queries):
    services.broadcast_disseminate(item=item, by=ncb_officer, agencies=[delhi_police], purpose="action", due_at=soon())
    client = signed_in(ncb_officer)
    with django_assert_max_num_queries(12):  # the user's last read looked up, and this first poll's audit entry
        response = client.get(reverse("broadcast:status", args=[item.pk]))
    assert "Delhi Police" in response.content.decode() and "<html" not in response.content.decode()


def test_the_broadcast_journey_through_the_api(client, ncb_officer, delhi_ilo, delhi_police):
    def headers(user, *scopes):
        return {"HTTP_AUTHORIZATION": "Bearer " + account_services.api_token_create(user=user, name="t", scopes=list(scopes))}

    ncb, ilo = headers(ncb_officer, "broadcasts:read", "broadcasts:write"), headers(delhi_ilo, "broadcasts:read", "broadcasts:write")
    created = client.post(
        "/api/v1/broadcasts/",
        {"kind": "intelligence", "origin_country": "ae", "title": "Hawala route", "summary": "Details."},
        content_type="application/json",
        **ncb,
    )
    assert created.status_code == 201, created.content
    item_id = created.json()["id"]
    rows = client.post(
        f"/api/v1/broadcasts/{item_id}/disseminate",
        {"agencies": ["PS-DL"], "purpose": "action", "due_at": soon().isoformat()},
        content_type="application/json",
        **ncb,
    ).json()
    row_id = rows[0]["id"]
    assert client.post(f"/api/v1/broadcasts/{item_id}/rows/{row_id}/acknowledge", **ilo).json()["acknowledged_by"] == "delhi_ilo"
    assert client.post(f"/api/v1/broadcasts/{item_id}/rows/{row_id}/acknowledge", **ilo).status_code == 422
    client.post(
        f"/api/v1/broadcasts/{item_id}/rows/{row_id}/report", {"findings": "Two accounts frozen."}, content_type="application/json", **ilo
    )
    status = client.get(f"/api/v1/broadcasts/{item_id}/status", **ncb).json()
    assert status[0]["reported_at"] and not status[0]["overdue"]

"""Cross-matching: every person and vehicle of an incoming item is screened against the records as it arrives."""

import logging

import pytest
from django.contrib.contenttypes.models import ContentType

from alerts import services as alert_services
from alerts.tests.conftest import alert_data
from audit.models import AuditEntry
from broadcast import services as broadcast_services
from notices import services as notice_services
from notices.models import NoticeKind
from notices.tests.conftest import red_notice_data
from records import crossmatch, services
from records.models import Hit
from records.tests.conftest import hit_mails
from references import services as reference_services
from workflow.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted_notice(verma, delhi_uo, mumbai_ilo, mailbox, django_capture_on_commit_callbacks):
    """Delhi's Red notice request for Rakesh Kumar Verma, who is wanted in a Mumbai FIR, submitted to the ILO."""
    notice = notice_services.notice_draft_create(by=delhi_uo, kind=NoticeKind.RED, data=red_notice_data())
    with django_capture_on_commit_callbacks(execute=True):
        notice_services.notice_submit(request=notice, by=delhi_uo)
    return notice


def test_a_notice_for_a_person_in_the_records_creates_a_hit_and_emails_the_owner_office(
    submitted_notice, verma, delhi_uo, mumbai_ilo, maharashtra_police, delhi_police, mailbox
):
    hit = Hit.objects.get()
    assert hit.source == submitted_notice and hit.person == verma and not hit.weak
    assert hit.owner_agency == maharashtra_police and hit.handler_agency == delhi_police and hit.handled_by == delhi_uo
    assert hit.notified_at is not None and "date of birth agrees" in " ".join(hit.explanation)
    assert hit.screened["name"] == "Rakesh Kumar Verma"
    mails = hit_mails(mailbox, 2)
    to_owner = next(m for m in mails if m["To"] == mumbai_ilo.email)
    assert hit.reference in to_owner["Subject"] and "date of birth agrees" in mailbox.body(to_owner)
    assert "Rakesh Kumar Verma" in mailbox.body(to_owner) and hit.get_absolute_url() in mailbox.body(to_owner)
    assert any(m["To"] == delhi_uo.email for m in mails)
    task = Task.objects.get(content_type=ContentType.objects.get_for_model(Hit), object_id=hit.pk)
    assert task.office == f"agency:{maharashtra_police.pk}" and task.closed_at is None


def test_the_screening_is_audited_as_the_systems_not_a_users(submitted_notice):
    entry = AuditEntry.objects.get(action="records.screen")
    assert entry.actor is None and entry.actor_username == "system" and entry.purpose == ""
    assert entry.target_id == str(submitted_notice.pk) and entry.data["new"] == 1 and entry.data["notified"] == 1
    assert AuditEntry.objects.filter(action="records.hit_create", actor__isnull=True).count() == 1
    assert not AuditEntry.objects.filter(action="records.person_search").exists()


def test_an_alert_vehicle_matching_a_stolen_vehicle_creates_a_hit(
    stolen_car, delhi_station_officer, mumbai_ilo, maharashtra_police, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alert = alert_services.alert_publish(
            by=delhi_station_officer, data=alert_data(persons=[], vehicles=[{"registration": "mh-12-de-0042", "chassis": "XYZ"}])
        )
    hit = Hit.objects.get(vehicle=stolen_car)
    assert hit.source == alert and hit.owner_agency == maharashtra_police and hit.handled_by == delhi_station_officer
    assert "registration agrees (MH12DE0042)" in hit.explanation and "recorded as stolen" in hit.explanation
    assert any("chassis differs" in line for line in hit.explanation)
    assert any(m["To"] == mumbai_ilo.email for m in hit_mails(mailbox, 1))


def test_a_broadcast_person_seen_under_an_alias_is_found(verma, ncb_officer, django_capture_on_commit_callbacks):
    data = {
        "kind": "diffusion",
        "origin_country_id": "AE",
        "title": "Wanted for murder, seen in Dubai",
        "summary": "A man travelling as Rocky Kumar.",
        "persons": [{"name": "Rocky", "aliases": "Rakesh Kumar Varma", "dob": "1984-03-14"}],
    }
    with django_capture_on_commit_callbacks(execute=True):
        item = broadcast_services.broadcast_register(by=ncb_officer, data=data)
    hit = Hit.objects.get(person=verma)
    assert hit.source == item and hit.explanation[0] == "as Rakesh Kumar Varma" and not hit.weak


def test_a_common_name_only_match_does_not_notify_as_certain(ncb_officer, mailbox, django_capture_on_commit_callbacks):
    for n in range(30):
        services.person_save(data={"external_id": f"C{n}", "source": "test", "name": "Sunita Devi", "father_name": f"Father {n}"})
    data = {"kind": "diffusion", "origin_country_id": "NP", "title": "Missing woman", "summary": "-", "persons": [{"name": "Sunita Devi"}]}
    with django_capture_on_commit_callbacks(execute=True):
        broadcast_services.broadcast_register(by=ncb_officer, data=data)
    hits = list(Hit.objects.all())
    assert 0 < len(hits) <= 5
    assert all(h.weak and h.notified_at is None for h in hits)
    assert all("weak: only the name agrees and it is a common one" in h.explanation for h in hits)
    assert not Task.objects.filter(content_type=ContentType.objects.get_for_model(Hit)).exists()
    assert hit_mails(mailbox, timeout=0.2) == []


def test_a_reference_subject_is_screened_when_the_reference_is_submitted(verma, delhi_uo, django_capture_on_commit_callbacks):
    data = {
        "offence": "Murder",
        "facts": "The subject shot a shopkeeper dead in Connaught Place on 1 May 2025 and is believed to be in Dubai.",
        "assistance": ["locate_person"],
        "subjects": [{"name": "Rakesh Kumar Verma", "dob": "1984-03-14", "nationality": "IN", "document": ""}],
    }
    draft = reference_services.reference_draft_create(by=delhi_uo, data=data, countries=["AE"])
    assert not Hit.objects.exists()  # a draft is not screened: it changes until submitted
    with django_capture_on_commit_callbacks(execute=True):
        reference_services.reference_submit(request=draft, by=delhi_uo)
    assert Hit.objects.get().source == draft


def test_a_failed_screening_never_breaks_the_incoming_item(ncb_officer, monkeypatch, caplog, django_capture_on_commit_callbacks):
    def broken(subject):
        raise RuntimeError("the records database is unreachable")

    monkeypatch.setattr(crossmatch, "person_matches", broken)
    data = {"kind": "diffusion", "origin_country_id": "NP", "title": "Missing woman", "summary": "-", "persons": [{"name": "Sunita Devi"}]}
    with caplog.at_level(logging.ERROR, logger="records.crossmatch"), django_capture_on_commit_callbacks(execute=True):
        item = broadcast_services.broadcast_register(by=ncb_officer, data=data)
    assert item.pk and item.reference.startswith("BC/")
    assert "nightly run will retry" in caplog.text


def test_a_sensitive_person_is_shown_to_the_owner_and_not_to_the_handler(delhi_uo, mumbai_ilo, mailbox, django_capture_on_commit_callbacks):
    from records.matching import resolve_state_id

    services.person_save(
        data={
            "external_id": "MH-V1",
            "source": "test",
            "name": "Rakesh Kumar Verma",
            "dob": "1984-03-14",
            "sex": "M",
            "state_id": resolve_state_id("Maharashtra"),
            "roles": ["victim"],
            "sensitive": True,
        }
    )
    notice = notice_services.notice_draft_create(by=delhi_uo, kind=NoticeKind.RED, data=red_notice_data())
    with django_capture_on_commit_callbacks(execute=True):
        notice_services.notice_submit(request=notice, by=delhi_uo)
    hit = Hit.objects.get()
    assert Hit.objects.visible_to(mumbai_ilo).filter(pk=hit.pk).exists()
    assert not Hit.objects.visible_to(delhi_uo).filter(pk=hit.pk).exists()
    to_handler = next(m for m in hit_mails(mailbox, 2) if m["To"] == delhi_uo.email)
    body = mailbox.body(to_handler)
    assert "restricted record" in body and "MH-V1" not in body and "date of birth agrees" not in body

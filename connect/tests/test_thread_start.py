"""Starting a conversation: along the hierarchy only, refusals explained, audited, nothing saved."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from connect import services
from connect.models import Message, Participant, Thread
from connect.tests.conftest import pdf_upload

pytestmark = pytest.mark.django_db


def test_an_ilo_starts_a_thread_with_a_uo_of_its_agency(delhi_ilo, delhi_uo):
    thread = services.thread_start(by=delhi_ilo, subject="Case 7", participants=[delhi_uo], body="Call me.", attachments=[pdf_upload()])
    assert set(thread.participants.values_list("user__username", flat=True)) == {"delhi_ilo", "delhi_uo"}
    message = Message.objects.get(thread=thread)
    assert message.author == delhi_ilo and message.body == "Call me." and message.attachments.get().mime_type == "application/pdf"
    assert AuditEntry.objects.filter(action="connect.thread_start", actor=delhi_ilo, target_id=str(thread.pk)).exists()


def test_an_ilo_cannot_message_another_agencys_ilo_directly(delhi_ilo, mumbai_ilo):
    with pytest.raises(ValidationError) as refused:
        services.thread_start(by=delhi_ilo, subject="Quick question", participants=[mumbai_ilo], body="Hello Mumbai")
    assert "through a thread started by the NCB" in refused.value.message_dict["participants"][0]
    assert not Thread.objects.exists() and not Message.objects.exists()
    assert AuditEntry.objects.filter(action="connect.thread_refused", actor=delhi_ilo).exists()


def test_an_ilo_reaches_another_agencys_ilo_through_an_ncb_thread(ncb_officer, delhi_ilo, mumbai_ilo):
    thread = services.thread_start(by=ncb_officer, subject="Joint check", participants=[delhi_ilo, mumbai_ilo], body="Both, please.")
    services.message_post(by=delhi_ilo, thread=thread, body="Delhi here: the suspect's brother lives in Thane.")
    reply = services.message_post(by=mumbai_ilo, thread=thread, body="Mumbai here: we will visit Thane today.")
    assert reply.thread == thread
    assert list(thread.messages.values_list("author__username", flat=True)) == ["ncb_officer", "delhi_ilo", "mumbai_ilo"]


def test_a_uo_cannot_write_to_the_ncb_directly(delhi_uo, ncb_officer):
    with pytest.raises(ValidationError, match="through the agency's ILO"):
        services.thread_start(by=delhi_uo, subject="Help", participants=[ncb_officer], body="Hello NCB")
    assert not Thread.objects.exists()


def test_one_person_out_of_reach_refuses_the_whole_thread(delhi_ilo, delhi_uo, mumbai_ilo):
    with pytest.raises(ValidationError):
        services.thread_start(by=delhi_ilo, subject="Case", participants=[delhi_uo, mumbai_ilo], body="Hello")
    assert not Thread.objects.exists() and not Participant.objects.exists()


def test_a_thread_needs_a_subject_someone_and_something_to_say(delhi_ilo):
    with pytest.raises(ValidationError) as refused:
        services.thread_start(by=delhi_ilo, subject=" ", participants=[], body="")
    assert set(refused.value.message_dict) == {"subject", "participants", "body"}


def test_citizens_and_analysts_cannot_use_connect(citizen, analyst, delhi_ilo):
    for outsider in (citizen, analyst):
        with pytest.raises(PermissionDenied):
            services.thread_start(by=outsider, subject="Hi", participants=[delhi_ilo], body="Hello")


def test_the_ncb_adds_another_agencys_ilo_later_but_an_ilo_cannot(ncb_thread, ncb_officer, delhi_ilo, delhi_uo, maharashtra_police):
    from accounts.models import Role
    from conftest import make_user
    from directory.models import Agency

    kerala_ilo = make_user("kerala_ilo", Role.ILO, agency=Agency.objects.get(code="PS-KL"))
    with pytest.raises(ValidationError, match="ILO of another agency"):
        services.participant_add(by=delhi_ilo, thread=ncb_thread, user=kerala_ilo)
    with pytest.raises(ValidationError, match="through the agency's ILO"):
        services.participant_add(by=delhi_ilo, thread=ncb_thread, user=delhi_uo)
    assert AuditEntry.objects.filter(action="connect.participant_refused", actor=delhi_ilo).count() == 2
    services.participant_add(by=ncb_officer, thread=ncb_thread, user=kerala_ilo)
    assert ncb_thread.participants.filter(user=kerala_ilo).exists()

"""Training: sessions, nominations and requests, the capacity of a session, attendance and certificates."""

import threading
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import User
from audit.models import AuditEntry
from conftest import make_user
from resources import queries, services
from resources.models import Enrolment, TrainingSession
from resources.tests.conftest import begin, session_data

pytestmark = pytest.mark.django_db
S = Enrolment.Status


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


@pytest.fixture
def delhi_uo_2(delhi_police, delhi_cyber_cell):
    return make_user("delhi_uo2", "uo", agency=delhi_police, unit=delhi_cyber_cell)


# --- Sessions ------------------------------------------------------------------------------------


def test_the_ncb_schedules_a_session_with_places(ncb_officer):
    session = services.training_session_create(by=ncb_officer, data=session_data(capacity=25))
    assert session.capacity == 25 and session.created_by == ncb_officer
    assert AuditEntry.objects.filter(action="training.schedule", target_id=str(session.pk)).exists()


@pytest.mark.parametrize("persona", ["delhi_ilo", "delhi_uo", "analyst"])
def test_only_the_ncb_schedules_sessions(request, persona):
    with pytest.raises(PermissionDenied):
        services.training_session_create(by=request.getfixturevalue(persona), data=session_data())
    assert not TrainingSession.objects.exists()


def test_a_session_must_end_after_it_starts_and_take_place_somewhere(ncb_officer):
    start = timezone.now() + timedelta(days=3)
    with pytest.raises(ValidationError) as refused:
        services.training_session_create(by=ncb_officer, data=session_data(starts_at=start, ends_at=start - timedelta(hours=1), venue=""))
    assert set(refused.value.message_dict) == {"ends_at", "venue"}
    with pytest.raises(ValidationError, match="at least one place"):
        services.training_session_create(by=ncb_officer, data=session_data(capacity=0))
    online = services.training_session_create(
        by=ncb_officer, data=session_data(mode="online", venue="", link="https://meet.example.invalid/x")
    )
    assert online.mode == "online"
    assert TrainingSession.objects.count() == 1


# --- Nominations and requests ---------------------------------------------------------------------


def test_the_ncb_gives_any_officer_a_place_and_tells_them(training, ncb_officer, mumbai_ilo, mailbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = services.enrolment_nominate(session=training, officer=mumbai_ilo, by=ncb_officer)
    assert enrolment.status == S.ACCEPTED and enrolment.nominated_by == ncb_officer
    message = mailbox.wait_for(1)[0]
    assert training.title in message["Subject"] and "Accepted" in mailbox.body(message)


def test_an_ilo_nominates_an_officer_of_its_agency(training, delhi_ilo, delhi_uo):
    enrolment = services.enrolment_nominate(session=training, officer=delhi_uo, by=delhi_ilo)
    assert enrolment.status == S.NOMINATED and enrolment.status in Enrolment.HOLDS_PLACE
    assert AuditEntry.objects.filter(action="training.nominate", actor=delhi_ilo, data__officer="delhi_uo").exists()


def test_an_ilo_cannot_nominate_another_agencys_officer(training, mumbai_ilo, delhi_uo):
    with pytest.raises(Http404):
        services.enrolment_nominate(session=training, officer=delhi_uo, by=mumbai_ilo)
    with pytest.raises(Http404):
        queries.get_nominee_for_user(mumbai_ilo, delhi_uo.pk)
    assert not Enrolment.objects.exists()
    assert AuditEntry.objects.filter(action="access.out_of_jurisdiction", actor=mumbai_ilo).exists()


def test_a_uo_cannot_nominate(training, delhi_uo, delhi_uo_2):
    with pytest.raises(PermissionDenied):
        services.enrolment_nominate(session=training, officer=delhi_uo_2, by=delhi_uo)


def test_only_ilos_and_uos_can_be_trained(training, ncb_officer, ncb_admin, delhi_station_officer):
    for officer in (ncb_admin, delhi_station_officer):
        with pytest.raises(Http404):
            services.enrolment_nominate(session=training, officer=officer, by=ncb_officer)


def test_an_officer_asks_for_a_place_and_the_ncb_accepts_it(training, delhi_uo, ncb_admin):
    enrolment = services.enrolment_request(session=training, by=delhi_uo)
    assert enrolment.status == S.REQUESTED
    assert queries.get_session_for_user(delhi_uo, training.pk).places_taken == 0  # a request holds no place
    services.enrolment_accept(enrolment=enrolment, by=ncb_admin)
    enrolment.refresh_from_db()
    assert enrolment.status == S.ACCEPTED and enrolment.decided_by == ncb_admin
    assert queries.get_session_for_user(delhi_uo, training.pk).places_taken == 1


def test_an_ilo_may_back_its_officers_request(training, delhi_uo, delhi_ilo):
    services.enrolment_request(session=training, by=delhi_uo)
    enrolment = services.enrolment_nominate(session=training, officer=delhi_uo, by=delhi_ilo)
    assert enrolment.status == S.NOMINATED and Enrolment.objects.count() == 1


def test_an_officer_is_on_a_session_only_once(training, delhi_uo, delhi_ilo, ncb_officer):
    services.enrolment_nominate(session=training, officer=delhi_uo, by=delhi_ilo)
    with pytest.raises(ValidationError, match="already on this session's list"):
        services.enrolment_request(session=training, by=delhi_uo)
    with pytest.raises(ValidationError, match="already on this session's list"):
        services.enrolment_nominate(session=training, officer=delhi_uo, by=ncb_officer)
    assert Enrolment.objects.count() == 1


def test_the_ncb_cannot_ask_for_a_place_for_itself(training, ncb_officer):
    with pytest.raises(PermissionDenied):
        services.enrolment_request(session=training, by=ncb_officer)


def test_requests_and_the_ilos_nominations_close_when_the_session_begins(training, delhi_uo, delhi_ilo, ncb_officer):
    begin(training)
    with pytest.raises(ValidationError, match="no longer takes requests"):
        services.enrolment_request(session=training, by=delhi_uo)
    with pytest.raises(ValidationError, match="Nominations closed"):
        services.enrolment_nominate(session=training, officer=delhi_uo, by=delhi_ilo)
    # The NCB still may, to record who actually came.
    assert services.enrolment_nominate(session=training, officer=delhi_uo, by=ncb_officer).status == S.ACCEPTED


# --- Capacity --------------------------------------------------------------------------------------


def test_an_overbooked_session_refuses_the_next_enrolment_and_changes_nothing(ncb_officer, delhi_ilo, delhi_uo, delhi_uo_2, mumbai_ilo):
    session = services.training_session_create(by=ncb_officer, data=session_data(capacity=2))
    services.enrolment_nominate(session=session, officer=delhi_ilo, by=ncb_officer)
    services.enrolment_nominate(session=session, officer=delhi_uo, by=delhi_ilo)
    audit_count = AuditEntry.objects.count()

    with pytest.raises(ValidationError) as full:
        services.enrolment_nominate(session=session, officer=mumbai_ilo, by=ncb_officer)
    assert full.value.messages == ["This session is full (2 of 2 places taken)."]

    request = services.enrolment_request(session=session, by=delhi_uo_2)  # one may still ask, for a place freed later
    with pytest.raises(ValidationError, match=r"This session is full \(2 of 2 places taken\)"):
        services.enrolment_accept(enrolment=request, by=ncb_officer)
    request.refresh_from_db()
    assert request.status == S.REQUESTED
    assert sorted(Enrolment.objects.values_list("officer__username", "status")) == [
        ("delhi_ilo", "accepted"),
        ("delhi_uo", "nominated"),
        ("delhi_uo2", "requested"),
    ]
    assert AuditEntry.objects.count() == audit_count + 1  # only the request


def test_confirming_a_nomination_takes_no_second_place(ncb_officer, delhi_ilo, delhi_uo):
    session = services.training_session_create(by=ncb_officer, data=session_data(capacity=1))
    nomination = services.enrolment_nominate(session=session, officer=delhi_uo, by=delhi_ilo)
    assert services.enrolment_accept(enrolment=nomination, by=ncb_officer).status == S.ACCEPTED


def test_an_ilo_cannot_accept(training, delhi_uo, delhi_ilo):
    request = services.enrolment_request(session=training, by=delhi_uo)
    with pytest.raises(PermissionDenied):
        services.enrolment_accept(enrolment=request, by=delhi_ilo)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every writer; row locks matter on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_nominations_racing_for_the_last_place_cannot_both_win():
    from directory.models import Agency, State
    from directory.services import reference_data_load

    if not State.objects.exists():
        reference_data_load()
    ncb, delhi = Agency.objects.get(kind="ncb"), Agency.objects.get(code="PS-DL")
    boss = make_user("race_ncb", "ncb_officer", agency=ncb)
    officers = [make_user(f"race_ilo{i}", "ilo", agency=delhi) for i in range(2)]
    session = services.training_session_create(by=boss, data=session_data(capacity=1))
    start, outcomes = threading.Barrier(2), []

    def nominate(officer):
        try:
            start.wait()
            services.enrolment_nominate(session=session, officer=officer, by=boss)
            outcomes.append("won")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=nominate, args=(officer,)) for officer in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["This session is full (1 of 1 places taken).", "won"]
    assert Enrolment.objects.filter(session=session).count() == 1


# --- Attendance and certificates --------------------------------------------------------------------


@pytest.fixture
def attended(training, ncb_officer, delhi_ilo, delhi_uo):
    """Delhi's UO attended; Delhi's ILO was absent."""
    uo = services.enrolment_nominate(session=training, officer=delhi_uo, by=ncb_officer)
    ilo = services.enrolment_nominate(session=training, officer=delhi_ilo, by=ncb_officer)
    begin(training)
    services.attendance_record(session=training, by=ncb_officer, marks={uo.pk: True, ilo.pk: False})
    uo.refresh_from_db()
    ilo.refresh_from_db()
    return uo, ilo


def test_attendance_is_recorded_and_an_attendee_gets_a_certificate_number(attended):
    uo, ilo = attended
    assert (uo.status, ilo.status) == (S.ATTENDED, S.ABSENT)
    assert uo.certificate_number.startswith("OP-TRG-") and ilo.certificate_number is None
    entry = AuditEntry.objects.get(action="training.attendance")
    assert entry.data == {"attended": ["delhi_uo"], "absent": ["delhi_ilo"]}


def test_attendance_waits_for_the_session_to_begin(training, ncb_officer, delhi_uo):
    enrolment = services.enrolment_nominate(session=training, officer=delhi_uo, by=ncb_officer)
    with pytest.raises(ValidationError, match="once the session has begun"):
        services.attendance_record(session=training, by=ncb_officer, marks={enrolment.pk: True})
    enrolment.refresh_from_db()
    assert enrolment.status == S.ACCEPTED


def test_attendance_of_an_officer_never_accepted_is_refused_and_changes_nothing(training, ncb_officer, delhi_uo, delhi_ilo):
    accepted = services.enrolment_nominate(session=training, officer=delhi_ilo, by=ncb_officer)
    waiting = services.enrolment_request(session=training, by=delhi_uo)
    begin(training)
    with pytest.raises(ValidationError, match="never accepted"):
        services.attendance_record(session=training, by=ncb_officer, marks={accepted.pk: True, waiting.pk: True})
    with pytest.raises(ValidationError, match="Not enrolled in this session"):
        services.attendance_record(session=training, by=ncb_officer, marks={accepted.pk: True, 999999: True})
    assert sorted(Enrolment.objects.values_list("status", flat=True)) == [S.ACCEPTED, S.REQUESTED]


def test_an_officer_found_absent_after_all_loses_the_certificate(attended, training, ncb_officer):
    uo, _ = attended
    services.attendance_record(session=training, by=ncb_officer, marks={uo.pk: False})
    uo.refresh_from_db()
    assert uo.status == S.ABSENT and uo.certificate_number is None
    with pytest.raises(ValidationError, match="only to an officer who attended"):
        services.certificate_pdf(enrolment=uo, by=ncb_officer)


def test_a_certificate_is_a_pdf_only_for_an_officer_who_attended(attended, delhi_uo, delhi_ilo):
    uo, ilo = attended
    User.objects.filter(pk=delhi_uo.pk).update(first_name="Kavita", last_name="Sharma", designation="Inspector")
    content = services.certificate_pdf(enrolment=queries.get_enrolment_for_user(delhi_uo, uo.pk), by=delhi_uo)
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    for words in ("Certificate of training", "Kavita Sharma", "Inspector, Crime Branch, Delhi Police", "Working with INTERPOL notices"):
        assert words in text, words
    assert uo.certificate_number in text
    assert AuditEntry.objects.filter(action="training.certificate", actor=delhi_uo, data__certificate=uo.certificate_number).exists()
    with pytest.raises(ValidationError, match="only to an officer who attended"):
        services.certificate_pdf(enrolment=ilo, by=delhi_ilo)


def test_an_officer_sees_only_their_own_enrolments_and_an_ilo_its_agencys(attended, delhi_uo, delhi_ilo, mumbai_ilo, ncb_admin, delhi_uo_2):
    uo, ilo = attended
    assert set(queries.enrolments_for_user(delhi_uo)) == {uo}
    assert set(queries.enrolments_for_user(delhi_ilo)) == {uo, ilo}
    assert set(queries.enrolments_for_user(mumbai_ilo)) == set()
    assert set(queries.enrolments_for_user(ncb_admin)) == {uo, ilo}
    with pytest.raises(Http404):
        queries.get_enrolment_for_user(delhi_uo_2, uo.pk)  # a UO of another unit of the same agency
    with pytest.raises(Http404):
        queries.get_enrolment_for_user(mumbai_ilo, uo.pk)

"""The Resources pages and JSON API: who may open what, uploads through both, training steps, the OpenAPI document."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from resources import services
from resources.models import Document, Enrolment
from resources.tests.conftest import bearer, begin, pdf_upload, session_data, upload_document

pytestmark = pytest.mark.django_db
API = "/api/v1/resources"


def renamed_executable(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ\x90\x00\x03" + b"\x00" * 100, content_type="application/pdf")


@pytest.fixture
def for_ilos(ncb_admin):
    return upload_document(ncb_admin, title="ILO desk instructions", lines=("Only for liaison officers.",), roles=["ilo"])


@pytest.fixture
def attended_uo(training, ncb_officer, delhi_uo):
    enrolment = services.enrolment_nominate(session=training, officer=delhi_uo, by=ncb_officer)
    begin(training)
    services.attendance_record(session=training, by=ncb_officer, marks={enrolment.pk: True})
    enrolment.refresh_from_db()
    return enrolment


# --- Access ------------------------------------------------------------------------------------------


def test_anonymous_is_refused_by_pages_and_api(client, manual, attended_uo):
    for url in (
        reverse("resources:document_list"),
        reverse("resources:document_detail", args=[manual.pk]),
        reverse("resources:document_download", args=[manual.pk]),
        reverse("resources:training_list"),
        reverse("resources:training_coverage"),
        reverse("resources:certificate", args=[attended_uo.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for url in ("/documents", f"/documents/{manual.pk}", f"/documents/{manual.pk}/download", "/sessions", "/coverage"):
        assert client.get(API + url).status_code == 401, url
    assert client.post(API + "/sessions", data={}, content_type="application/json").status_code == 401
    manual.refresh_from_db()
    assert manual.download_count == 0


@pytest.mark.parametrize("persona", ["delhi_station_officer", "analyst", "citizen"])
def test_roles_without_resources_are_refused(request, signed_in, persona, manual):
    user = request.getfixturevalue(persona)
    browser = signed_in(user)
    assert browser.get(reverse("resources:document_list")).status_code == 403
    assert browser.get(reverse("resources:training_list")).status_code == 403


def test_a_document_not_open_to_a_role_answers_404_on_page_download_and_api(signed_in, client, for_ilos, delhi_uo, delhi_ilo):
    browser = signed_in(delhi_uo)
    assert browser.get(reverse("resources:document_detail", args=[for_ilos.pk])).status_code == 404
    assert browser.get(reverse("resources:document_download", args=[for_ilos.pk])).status_code == 404
    assert client.get(f"{API}/documents/{for_ilos.pk}", **bearer(delhi_uo)).status_code == 404
    assert client.get(f"{API}/documents/{for_ilos.pk}/download", **bearer(delhi_uo)).status_code == 404
    assert client.get(f"{API}/documents/{for_ilos.pk}", **bearer(delhi_ilo)).status_code == 200
    for_ilos.refresh_from_db()
    assert for_ilos.download_count == 0
    assert AuditEntry.objects.filter(action="access.out_of_jurisdiction", actor=delhi_uo).count() == 4


def test_another_agencys_certificate_and_enrolment_answer_404(signed_in, client, attended_uo, mumbai_ilo, delhi_ilo):
    assert signed_in(mumbai_ilo).get(reverse("resources:certificate", args=[attended_uo.pk])).status_code == 404
    assert client.get(f"{API}/enrolments/{attended_uo.pk}/certificate", **bearer(mumbai_ilo)).status_code == 404
    assert client.get(f"{API}/enrolments", **bearer(mumbai_ilo)).json()["items"] == []
    detail = client.get(f"{API}/sessions/{attended_uo.session_id}", **bearer(mumbai_ilo)).json()
    assert detail["enrolments"] == [] and detail["places_taken"] == 1
    # Delhi's ILO follows its own officers.
    assert client.get(f"{API}/enrolments/{attended_uo.pk}/certificate", **bearer(delhi_ilo)).status_code == 200


def test_read_only_cannot_write(client, ncb_admin, ncb_officer, manual, training, delhi_uo):
    read_only = bearer(ncb_admin, "resources:read")
    response = client.post(f"{API}/documents", {"title": "X", "category": "sop", "file": pdf_upload("x")}, **read_only)
    assert response.status_code == 403 and "resources:write" in response.json()["detail"]
    assert (
        client.post(f"{API}/documents/{manual.pk}/versions", {"change_note": "x", "file": pdf_upload("y")}, **read_only).status_code == 403
    )
    payload = {"officer_id": delhi_uo.pk}
    assert (
        client.post(
            f"{API}/sessions/{training.pk}/nominations", payload, content_type="application/json", **bearer(ncb_officer, "resources:read")
        ).status_code
        == 403
    )
    assert Document.objects.count() == 1 and manual.versions.count() == 1 and not Enrolment.objects.exists()


def test_the_library_is_not_writable_by_ilos_or_ncb_officers(client, signed_in, delhi_ilo, ncb_officer):
    assert (
        client.post(f"{API}/documents", {"title": "X", "category": "sop", "file": pdf_upload("x")}, **bearer(delhi_ilo)).status_code == 403
    )
    assert signed_in(ncb_officer).get(reverse("resources:document_upload")).status_code == 403
    assert not Document.objects.exists()


def test_an_ilo_cannot_schedule_accept_or_record_attendance(client, delhi_ilo, delhi_uo, training):
    headers = bearer(delhi_ilo)
    body = {**session_data(), "starts_at": session_data()["starts_at"].isoformat(), "ends_at": session_data()["ends_at"].isoformat()}
    assert client.post(f"{API}/sessions", body, content_type="application/json", **headers).status_code == 403
    request = services.enrolment_request(session=training, by=delhi_uo)
    assert client.post(f"{API}/enrolments/{request.pk}/accept", **headers).status_code == 403
    attendance = {"marks": [{"enrolment_id": request.pk, "attended": True}]}
    assert (
        client.post(f"{API}/sessions/{training.pk}/attendance", attendance, content_type="application/json", **headers).status_code == 403
    )
    request.refresh_from_db()
    assert request.status == Enrolment.Status.REQUESTED


# --- Documents through the pages ----------------------------------------------------------------------


def test_the_list_searches_filters_and_stays_within_a_few_queries(signed_in, manual, ncb_admin, delhi_ilo, django_assert_max_num_queries):
    for n in range(5):
        upload_document(ncb_admin, title=f"Form {n}", category="form", lines=(f"Form number {n}.",))
    browser = signed_in(delhi_ilo)
    with django_assert_max_num_queries(12):
        page = browser.get(reverse("resources:document_list"))
    assert page.status_code == 200 and len(page.context["page"]) == 6
    found = browser.get(reverse("resources:document_list"), {"q": "extradition"})
    assert list(found.context["page"]) == [manual]
    assert "1 document matches" in found.content.decode()
    assert len(browser.get(reverse("resources:document_list"), {"category": "form"}).context["page"]) == 5
    assert len(browser.get(reverse("resources:document_list"), {"language": "hi"}).context["page"]) == 0


def test_an_ncb_administrator_uploads_through_the_page(signed_in, ncb_admin, delhi_uo):
    browser = signed_in(ncb_admin)
    assert browser.get(reverse("resources:document_upload")).status_code == 200
    response = browser.post(
        reverse("resources:document_upload"),
        {
            "title": "Red notice checklist",
            "category": "template",
            "language": "en",
            "visible_to_roles": ["uo"],
            "file": pdf_upload("Check the arrest warrant date."),
        },
    )
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert document.visible_to_roles == ["uo"] and "arrest warrant" in document.current_version.body_text
    assert signed_in(delhi_uo).get(document.get_absolute_url()).status_code == 200


def test_a_bad_file_on_the_page_is_shown_next_to_the_file_field_and_nothing_is_saved(signed_in, ncb_admin):
    response = signed_in(ncb_admin).post(
        reverse("resources:document_upload"),
        {"title": "Manual", "category": "manual", "language": "en", "file": renamed_executable("x.pdf")},
    )
    assert response.status_code == 400
    assert "neither a PDF nor a plain-text file" in response.context["form"].errors["file"][0]
    assert not Document.objects.exists()


def test_a_new_version_and_a_change_of_audience_through_the_page(signed_in, manual, ncb_admin, delhi_uo):
    browser = signed_in(ncb_admin)
    detail = browser.get(manual.get_absolute_url())
    assert detail.status_code == 200 and "Versions, newest first" in detail.content.decode()
    response = browser.post(
        reverse("resources:document_version_add", args=[manual.pk]), {"change_note": "Chapter 5 added", "file": pdf_upload("Chapter 5.")}
    )
    assert response.status_code == 302 and manual.versions.count() == 2
    refused = browser.post(reverse("resources:document_version_add", args=[manual.pk]), {"change_note": "", "file": pdf_upload("6")})
    assert refused.status_code == 400 and manual.versions.count() == 2
    browser.post(
        reverse("resources:document_edit", args=[manual.pk]),
        {"title": manual.title, "category": "manual", "language": "en", "visible_to_roles": ["ilo"]},
    )
    assert signed_in(delhi_uo).get(manual.get_absolute_url()).status_code == 404


def test_a_download_from_the_page_is_the_file_counted_and_audited(signed_in, manual, delhi_ilo):
    response = signed_in(delhi_ilo).get(reverse("resources:document_download", args=[manual.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment") and response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    manual.refresh_from_db()
    assert manual.download_count == 1
    assert AuditEntry.objects.filter(action="resource.download", actor=delhi_ilo).count() == 1
    assert signed_in(delhi_ilo).get(reverse("resources:version_download", args=[manual.pk, 9])).status_code == 404


# --- Documents through the API ----------------------------------------------------------------------


def test_the_api_uploads_searches_and_downloads(client, ncb_admin, delhi_uo):
    response = client.post(
        f"{API}/documents",
        {
            "title": "Purple notice guide",
            "category": "manual",
            "language": "en",
            "visible_to_roles": ["ilo", "uo"],
            "description": "Modus operandi notices.",
            "file": pdf_upload("Concealment methods used by smugglers."),
        },
        **bearer(ncb_admin),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (
        body["visible_to_roles"] == ["ilo", "uo"] and body["current_version"] == 1 and body["versions"][0]["mime_type"] == "application/pdf"
    )

    found = client.get(f"{API}/documents", {"q": "smugglers"}, **bearer(delhi_uo, "resources:read")).json()
    assert [item["id"] for item in found["items"]] == [body["id"]]
    download = client.get(f"{API}/documents/{body['id']}/download", **bearer(delhi_uo, "resources:read"))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")
    assert client.get(f"{API}/documents/{body['id']}", **bearer(delhi_uo)).json()["download_count"] == 1


def test_the_api_refuses_a_bad_file_with_the_reason_and_saves_nothing(client, ncb_admin):
    response = client.post(
        f"{API}/documents",
        {"title": "Manual", "category": "manual", "file": renamed_executable("manual.pdf")},
        **bearer(ncb_admin),
    )
    assert response.status_code == 422
    assert "neither a PDF nor a plain-text file" in response.json()["errors"]["file"][0]
    assert not Document.objects.exists()


def test_the_api_adds_a_version_and_changes_the_audience(client, manual, ncb_admin, delhi_uo):
    headers = bearer(ncb_admin)
    version = client.post(
        f"{API}/documents/{manual.pk}/versions", {"change_note": "Revised", "file": pdf_upload("Revised text.")}, **headers
    )
    assert version.status_code == 201 and version.json()["number"] == 2
    changed = client.put(
        f"{API}/documents/{manual.pk}",
        {"title": "Notices manual", "category": "manual", "language": "en", "visible_to_roles": ["ilo"]},
        content_type="application/json",
        **headers,
    )
    assert changed.status_code == 200 and changed.json()["title"] == "Notices manual"
    assert client.get(f"{API}/documents/{manual.pk}", **bearer(delhi_uo)).status_code == 404


# --- Training through the pages -------------------------------------------------------------------------


def test_the_training_pages_show_sessions_places_and_one_own_status(
    signed_in, training, delhi_uo, ncb_officer, django_assert_max_num_queries
):
    services.enrolment_request(session=training, by=delhi_uo)
    browser = signed_in(delhi_uo)
    with django_assert_max_num_queries(12):
        listing = browser.get(reverse("resources:training_list"))
    assert listing.status_code == 200 and "Requested by the officer" in listing.content.decode()
    detail = browser.get(training.get_absolute_url())
    assert detail.status_code == 200 and "0 of 30 taken, 30 left" in detail.content.decode()
    assert detail.context["may_request"] is False and detail.context["nominate_form"] is None


def test_an_ncb_officer_schedules_a_session_through_the_page(signed_in, ncb_officer):
    browser = signed_in(ncb_officer)
    assert browser.get(reverse("resources:training_create")).status_code == 200
    data = session_data(mode="online", venue="", link="https://meet.example.invalid/notices")
    form = {**data, "starts_at": data["starts_at"].strftime("%Y-%m-%dT%H:%M"), "ends_at": data["ends_at"].strftime("%Y-%m-%dT%H:%M")}
    response = browser.post(reverse("resources:training_create"), form)
    assert response.status_code == 302
    bad = browser.post(reverse("resources:training_create"), {**form, "ends_at": form["starts_at"], "title": "Same time"})
    assert bad.status_code == 400 and "must end after it starts" in bad.content.decode()


def test_an_ilo_nominates_through_the_page_and_an_overbooked_session_says_so(signed_in, ncb_officer, delhi_ilo, delhi_uo, delhi_cyber_cell):
    from conftest import make_user

    session = services.training_session_create(by=ncb_officer, data=session_data(capacity=1))
    browser = signed_in(delhi_ilo)
    offered = browser.get(session.get_absolute_url()).context["nominate_form"].fields["officer"].widget.choices
    assert {label.split(" · ")[0] for value, label in offered if value} == {"Delhi"}  # Delhi's ILO and UO, no one from elsewhere
    assert browser.post(reverse("resources:training_nominate", args=[session.pk]), {"officer": delhi_uo.pk}).status_code == 302
    other = make_user("delhi_uo3", "uo", agency=delhi_uo.agency, unit=delhi_cyber_cell)
    full = browser.post(reverse("resources:training_nominate", args=[session.pk]), {"officer": other.pk})
    assert full.status_code == 400 and "This session is full (1 of 1 places taken)." in full.content.decode()
    assert Enrolment.objects.count() == 1


def test_an_ilo_nominating_another_agencys_officer_through_the_page_gets_404(signed_in, training, mumbai_ilo, delhi_uo):
    assert (
        signed_in(mumbai_ilo).post(reverse("resources:training_nominate", args=[training.pk]), {"officer": delhi_uo.pk}).status_code == 404
    )
    assert not Enrolment.objects.exists()


def test_request_accept_attendance_and_certificate_through_the_pages(signed_in, training, delhi_uo, ncb_officer):
    officer = signed_in(delhi_uo)
    assert officer.post(reverse("resources:training_request", args=[training.pk])).status_code == 302
    enrolment = Enrolment.objects.get()
    ncb = signed_in(ncb_officer)
    assert ncb.post(reverse("resources:enrolment_accept", args=[training.pk, enrolment.pk])).status_code == 302
    early = ncb.post(reverse("resources:training_attendance", args=[training.pk]), {f"enrolment_{enrolment.pk}": "attended"})
    assert early.status_code == 400  # not begun yet
    begin(training)
    page = ncb.get(training.get_absolute_url())
    assert f'name="enrolment_{enrolment.pk}"' in page.content.decode()
    assert (
        ncb.post(reverse("resources:training_attendance", args=[training.pk]), {f"enrolment_{enrolment.pk}": "attended"}).status_code == 302
    )
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ATTENDED
    certificate = signed_in(delhi_uo).get(reverse("resources:certificate", args=[enrolment.pk]))
    assert certificate.status_code == 200 and certificate["Content-Type"] == "application/pdf" and certificate.content.startswith(b"%PDF-")


def test_a_certificate_for_an_absent_officer_is_refused_with_the_reason(signed_in, client, training, ncb_officer, delhi_uo):
    enrolment = services.enrolment_nominate(session=training, officer=delhi_uo, by=ncb_officer)
    begin(training)
    services.attendance_record(session=training, by=ncb_officer, marks={enrolment.pk: False})
    page = signed_in(delhi_uo).get(reverse("resources:certificate", args=[enrolment.pk]))
    assert page.status_code == 400 and "only to an officer who attended" in page.content.decode()
    api = client.get(f"{API}/enrolments/{enrolment.pk}/certificate", **bearer(delhi_uo))
    assert api.status_code == 422 and "only to an officer who attended" in api.json()["errors"]["__all__"][0]


# --- Training through the API ---------------------------------------------------------------------------


def test_the_whole_training_journey_through_the_api(client, ncb_officer, delhi_ilo, delhi_uo, mumbai_ilo):
    ncb = bearer(ncb_officer)
    data = session_data(capacity=2)
    created = client.post(
        f"{API}/sessions",
        {**data, "starts_at": data["starts_at"].isoformat(), "ends_at": data["ends_at"].isoformat()},
        content_type="application/json",
        **ncb,
    )
    assert created.status_code == 201, created.content
    session_id = created.json()["id"]

    nominated = client.post(
        f"{API}/sessions/{session_id}/nominations", {"officer_id": delhi_uo.pk}, content_type="application/json", **bearer(delhi_ilo)
    )
    assert nominated.status_code == 201 and nominated.json()["status"] == "nominated"
    asked = client.post(f"{API}/sessions/{session_id}/requests", **bearer(mumbai_ilo))
    assert asked.status_code == 201 and asked.json()["status"] == "requested"
    accepted = client.post(f"{API}/enrolments/{asked.json()['id']}/accept", **ncb)
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"

    full = client.post(f"{API}/sessions/{session_id}/nominations", {"officer_id": delhi_ilo.pk}, content_type="application/json", **ncb)
    assert full.status_code == 422 and full.json()["errors"]["__all__"] == ["This session is full (2 of 2 places taken)."]

    begin(Enrolment.objects.get(pk=asked.json()["id"]).session)
    marks = {"marks": [{"enrolment_id": nominated.json()["id"], "attended": True}, {"enrolment_id": asked.json()["id"], "attended": False}]}
    recorded = client.post(f"{API}/sessions/{session_id}/attendance", marks, content_type="application/json", **ncb)
    assert recorded.status_code == 200 and {e["status"] for e in recorded.json()} == {"attended", "absent"}

    certificate = client.get(f"{API}/enrolments/{nominated.json()['id']}/certificate", **bearer(delhi_uo))
    assert certificate.status_code == 200 and certificate.content.startswith(b"%PDF-")
    detail = client.get(f"{API}/sessions/{session_id}", **ncb).json()
    assert detail["places_taken"] == 2 and len(detail["enrolments"]) == 2


def test_an_ilo_nominating_another_agencys_officer_through_the_api_gets_404(client, training, mumbai_ilo, delhi_uo):
    response = client.post(
        f"{API}/sessions/{training.pk}/nominations", {"officer_id": delhi_uo.pk}, content_type="application/json", **bearer(mumbai_ilo)
    )
    assert response.status_code == 404 and not Enrolment.objects.exists()


def test_the_join_link_is_shown_only_to_the_ncb_and_to_officers_on_the_list(client, ncb_officer, delhi_uo, delhi_ilo):
    data = session_data(mode="online", venue="", link="https://meet.example.invalid/secret")
    session = services.training_session_create(by=ncb_officer, data=data)
    services.enrolment_nominate(session=session, officer=delhi_uo, by=ncb_officer)
    assert client.get(f"{API}/sessions/{session.pk}", **bearer(delhi_uo)).json()["link"] == data["link"]
    assert client.get(f"{API}/sessions/{session.pk}", **bearer(ncb_officer)).json()["link"] == data["link"]
    assert client.get(f"{API}/sessions/{session.pk}", **bearer(delhi_ilo)).json()["link"] == ""
    assert client.get(f"{API}/sessions", **bearer(delhi_uo)).json()["items"][0]["link"] == data["link"]


def test_the_session_list_of_the_api_costs_the_same_for_many_sessions(client, ncb_officer, delhi_uo, django_assert_max_num_queries):
    for n in range(8):
        services.training_session_create(by=ncb_officer, data=session_data(title=f"Session {n}"))
    headers = bearer(delhi_uo, "resources:read")
    with django_assert_max_num_queries(8):
        assert len(client.get(f"{API}/sessions", **headers).json()["items"]) == 8


def test_every_endpoint_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    expected = [
        "/documents",
        "/documents/{document_id}",
        "/documents/{document_id}/versions",
        "/documents/{document_id}/download",
        "/sessions",
        "/sessions/{session_id}",
        "/sessions/{session_id}/nominations",
        "/sessions/{session_id}/requests",
        "/sessions/{session_id}/attendance",
        "/enrolments",
        "/enrolments/{enrolment_id}/accept",
        "/enrolments/{enrolment_id}/certificate",
        "/coverage",
    ]
    for path in expected:
        assert API + path in paths, path

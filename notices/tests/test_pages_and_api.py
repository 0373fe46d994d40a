"""The notices pages and JSON API: access, attachments, documents and formats."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import services as account_services
from audit.models import AuditEntry
from notices import services
from notices.interpol import from_interpol_json, to_interpol_json
from notices.models import NoticeKind, NoticeRequest
from notices.tests.conftest import png_upload, red_notice_data
from workflow.models import Attachment

pytestmark = pytest.mark.django_db


def bearer(user, *scopes):
    raw = account_services.api_token_create(user=user, name="test", scopes=list(scopes or ["notices:read", "notices:write"]))
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


# --- Access ---------------------------------------------------------------------------------


def test_anonymous_is_refused_by_pages_and_api(client, red_draft):
    assert client.get(reverse("notices:detail", args=[red_draft.pk])).status_code == 302
    assert client.get(f"/api/v1/notices/{red_draft.pk}").status_code == 401


def test_another_states_ilo_gets_404_on_page_pdf_json_and_api(signed_in, client, red_draft, mumbai_ilo):
    browser = signed_in(mumbai_ilo)
    for name in ("detail", "pdf", "interpol_json", "edit"):
        assert browser.get(reverse(f"notices:{name}", args=[red_draft.pk])).status_code == 404, name
    assert client.get(f"/api/v1/notices/{red_draft.pk}", **bearer(mumbai_ilo)).status_code == 404
    assert AuditEntry.objects.filter(action="access.out_of_jurisdiction", actor=mumbai_ilo).exists()


def test_a_uo_of_another_unit_gets_404(signed_in, red_draft, delhi_police, delhi_cyber_cell):
    from conftest import make_user

    other = make_user("other_uo", "uo", agency=delhi_police, unit=delhi_cyber_cell)
    assert signed_in(other).get(reverse("notices:detail", args=[red_draft.pk])).status_code == 404


def test_the_list_shows_each_office_only_its_own_requests(signed_in, red_draft, mumbai_ilo, delhi_ilo, django_assert_max_num_queries):
    client = signed_in(delhi_ilo)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("notices:list"))
    assert [n.reference for n in response.context["page"]] == [red_draft.reference]
    assert list(signed_in(mumbai_ilo).get(reverse("notices:list")).context["page"]) == []


def test_an_analyst_cannot_read_notices_through_the_api(client, analyst):
    assert client.get("/api/v1/notices/", **bearer(analyst, "notices:read")).status_code == 403


# --- Drafting through the page ---------------------------------------------------------------


def test_a_uo_drafts_a_yellow_notice_with_its_own_form(signed_in, delhi_uo):
    client = signed_in(delhi_uo)
    page = client.get(reverse("notices:create"), {"kind": "yellow"})
    assert "fact_disappeared_on" in page.context["form"].fields and "warrant_number" not in page.context["form"].fields
    response = client.post(
        reverse("notices:create"),
        {
            "kind": "yellow",
            "family_name": "Kumari",
            "forenames": "Pooja",
            "sex": "F",
            "year_of_birth": "2010",
            "fact_disappeared_on": "2026-10-01",
            "fact_disappeared_at": "Anand Vihar ISBT",
        },
    )
    notice = NoticeRequest.objects.get()
    assert response.status_code == 302 and notice.kind == "yellow"
    assert notice.facts["disappeared_at"] == "Anand Vihar ISBT"


def test_a_birth_date_in_the_future_is_shown_next_to_its_field_on_submit(signed_in, delhi_uo):
    from datetime import date, timedelta

    notice = services.notice_draft_create(
        by=delhi_uo, kind=NoticeKind.RED, data=red_notice_data(date_of_birth=date.today() + timedelta(days=30), year_of_birth=None)
    )
    response = signed_in(delhi_uo).post(reverse("notices:act", args=[notice.pk, "submit"]), {"version": notice.version})
    assert response.status_code == 400
    assert any(p.field == "date_of_birth" for p in response.context["problems"])
    notice.refresh_from_db()
    assert notice.stage == "draft"


def test_the_conflict_message_reaches_the_second_reviewer(signed_in, red_draft, delhi_uo, delhi_ilo):
    services.notice_submit(request=red_draft, by=delhi_uo)
    stale_version = red_draft.version
    services.notice_forward(request=red_draft, by=delhi_ilo)
    response = signed_in(delhi_ilo).post(reverse("notices:act", args=[red_draft.pk, "forward"]), {"version": stale_version})
    assert response.status_code in (403, 409)
    assert "cannot" in response.context["error"] or "Someone else" in response.context["error"]


# --- Attachments --------------------------------------------------------------------------------


def test_a_photo_is_checked_by_content_and_served_only_through_access_checks(signed_in, red_draft, delhi_uo, mumbai_ilo):
    services.notice_attach(request=red_draft, by=delhi_uo, upload=png_upload(), kind="photo")
    attachment = Attachment.objects.get()
    assert attachment.mime_type == "image/png" and attachment.size > 0
    assert signed_in(delhi_uo).get(reverse("notices:attachment", args=[red_draft.pk, attachment.pk])).status_code == 200
    assert signed_in(mumbai_ilo).get(reverse("notices:attachment", args=[red_draft.pk, attachment.pk])).status_code == 404


def test_an_executable_renamed_to_jpg_is_refused(red_draft, delhi_uo):
    fake = SimpleUploadedFile("warrant.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100, content_type="image/jpeg")
    with pytest.raises(Exception, match="not a file of an accepted type"):
        services.notice_attach(request=red_draft, by=delhi_uo, upload=fake, kind="photo")
    assert not Attachment.objects.exists()


def test_an_oversized_file_is_refused(red_draft, delhi_uo, settings):
    settings.MAX_ATTACHMENT_BYTES = 1000
    with pytest.raises(Exception, match="the limit is"):
        services.notice_attach(
            request=red_draft, by=delhi_uo, upload=SimpleUploadedFile("w.pdf", b"%PDF-1.4" + b"0" * 2000), kind="warrant"
        )


def test_uploads_are_stored_outside_the_web_root_and_have_no_public_url(signed_in, red_draft, delhi_uo, settings):
    from pathlib import Path

    services.notice_attach(request=red_draft, by=delhi_uo, upload=png_upload(), kind="photo")
    stored = Path(Attachment.objects.get().file.path).resolve()
    assert not stored.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    relative = stored.relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert signed_in(delhi_uo).get(f"/media/{relative}").status_code == 404


# --- Documents and formats ----------------------------------------------------------------------


def test_each_request_prints_as_a_pdf(signed_in, red_draft, delhi_uo):
    response = signed_in(delhi_uo).get(reverse("notices:pdf", args=[red_draft.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert len(response.content) > 2000


def test_the_interpol_json_export_has_interpols_shape(red_draft):
    exported = to_interpol_json(red_draft)
    assert exported["name"] == "VERMA" and exported["forename"] == "RAKESH KUMAR"
    assert exported["date_of_birth"] == "1984/03/14"
    assert exported["sex_id"] == "M" and exported["nationalities"] == ["IN"]
    assert exported["arrest_warrants"][0]["issuing_country_id"] == "IN"
    assert "BNS" in exported["arrest_warrants"][0]["charge"]
    assert exported["height"] == 1.72 and exported["eyes_colors_id"] == ["BRO"] and exported["hairs_id"] == ["BLA"]


def test_importing_interpol_json_gives_back_the_same_subject(red_draft):
    fields = from_interpol_json(to_interpol_json(red_draft))
    assert fields["family_name"] == "Verma" and fields["date_of_birth"] == red_draft.date_of_birth
    assert fields["height_cm"] == 172 and fields["nationalities"] == ["IN"]


def test_malformed_interpol_json_names_the_bad_fields():
    with pytest.raises(Exception) as refused:
        from_interpol_json({"date_of_birth": "14-03-1984", "nationalities": "IN", "sex_id": "Q"})
    assert {"date_of_birth", "nationalities", "sex_id"} <= set(refused.value.message_dict)


# --- The journey through the API, timed -----------------------------------------------------------


def test_the_journey_through_the_api(client, delhi_uo, delhi_ilo, ncb_officer, capsys):
    uo, ilo, ncb = bearer(delhi_uo), bearer(delhi_ilo), bearer(ncb_officer)
    payload = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in red_notice_data().items()}
    started, calls = time.perf_counter(), 0

    def call(method, url, headers, body=None):
        nonlocal calls
        calls += 1
        return getattr(client, method)(url, body, content_type="application/json", **headers)

    created = call("post", "/api/v1/notices/", uo, {"kind": "red", **payload})
    assert created.status_code == 201, created.content
    notice_id = created.json()["id"]
    assert call("get", f"/api/v1/notices/{notice_id}/validate", uo).json() == []
    assert call("post", f"/api/v1/notices/{notice_id}/steps/submit", uo, {}).json()["stage"] == "ilo_review"
    inbox = call("get", "/api/v1/workflow/inbox", ilo).json()["items"]
    assert inbox[0]["reference"] == created.json()["reference"]
    assert call("post", f"/api/v1/notices/{notice_id}/steps/forward", ilo, {}).json()["stage"] == "ncb_review"
    assert call("post", f"/api/v1/notices/{notice_id}/steps/approve", ncb, {}).json()["stage"] == "transmitted"
    answer = call("post", f"/api/v1/notices/{notice_id}/answer", ncb, {"answer": "published", "notice_number": "A-77/11-2026"})
    assert answer.json()["stage"] == "published"
    assert call("get", f"/api/v1/notices/{notice_id}", uo).json()["interpol_notice_number"] == "A-77/11-2026"
    elapsed_ms = (time.perf_counter() - started) * 1000
    with capsys.disabled():
        print(f"\n[notice journey through the API: {calls} requests, {elapsed_ms:.0f} ms]")


def test_the_api_reports_every_rule_broken_at_once(client, delhi_uo):
    headers = bearer(delhi_uo)
    created = client.post("/api/v1/notices/", {"kind": "red", "family_name": "X"}, content_type="application/json", **headers)
    response = client.post(f"/api/v1/notices/{created.json()['id']}/steps/submit", {}, content_type="application/json", **headers)
    assert response.status_code == 422
    fields = {p["field"] for p in response.json()["problems"]}
    assert {"warrant_number", "offence", "forenames"} <= fields
    assert {"warrant_number", "offence", "forenames"} <= set(response.json()["errors"])  # the shape of every other 422


def test_a_step_by_the_wrong_role_is_refused_through_the_api(client, red_draft, delhi_uo):
    client.post(f"/api/v1/notices/{red_draft.pk}/steps/submit", {}, content_type="application/json", **bearer(delhi_uo))
    response = client.post(f"/api/v1/notices/{red_draft.pk}/steps/forward", {}, content_type="application/json", **bearer(delhi_uo))
    assert response.status_code == 403


def test_a_stale_version_answers_409_through_the_api(client, red_draft, delhi_uo, delhi_ilo):
    client.post(f"/api/v1/notices/{red_draft.pk}/steps/submit", {}, content_type="application/json", **bearer(delhi_uo))
    response = client.post(
        f"/api/v1/notices/{red_draft.pk}/steps/forward", {"version": 1}, content_type="application/json", **bearer(delhi_ilo)
    )
    assert response.status_code == 409
    assert "Someone else" in response.json()["detail"]

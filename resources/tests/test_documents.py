"""The document library's services: uploads checked by content, versions, who may see what, counted downloads."""

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from PIL import Image

from audit.models import AuditEntry
from conftest import make_user
from resources import queries, services
from resources.models import Document, DocumentVersion
from resources.tests.conftest import pdf_upload, text_upload, upload_document

pytestmark = pytest.mark.django_db


def upload(by, file, **overrides):
    fields = {"title": "Extradition SOP", "category": "sop", "language": "en", "visible_to_roles": ["ilo"]}
    fields.update(overrides)
    return services.document_upload(by=by, upload=file, **fields)


def assert_nothing_stored(settings):
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


# --- Uploads ------------------------------------------------------------------------------------


def test_an_ncb_administrator_uploads_a_pdf_and_its_text_is_extracted(ncb_admin):
    document = upload(ncb_admin, pdf_upload("Provisional arrest pending extradition.", name="sop.pdf"), change_note="")
    version = document.current_version
    assert (version.number, version.mime_type, version.original_name) == (1, "application/pdf", "sop.pdf")
    assert "Provisional arrest pending extradition." in version.body_text
    assert version.size == len(version.file.read()) and len(version.sha256) == 64
    assert AuditEntry.objects.filter(action="resource.upload", actor=ncb_admin, target_id=str(document.pk)).exists()


def test_the_file_is_kept_outside_the_web_root_under_media(ncb_admin, settings):
    document = upload(ncb_admin, pdf_upload("Text."))
    stored = document.current_version.file.path
    assert stored.startswith(str(settings.MEDIA_ROOT)) and not stored.endswith(".pdf")


def test_a_plain_text_file_is_accepted_and_its_text_kept(ncb_admin):
    document = upload(ncb_admin, text_upload("Sections 103 and 111 of the BNS.\nनमस्ते"))
    assert document.current_version.mime_type == "text/plain"
    assert "नमस्ते" in document.current_version.body_text


def test_an_executable_renamed_pdf_is_refused(ncb_admin, settings):
    fake = SimpleUploadedFile("manual.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00\xff" * 200, content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        upload(ncb_admin, fake)
    assert "neither a PDF nor a plain-text file" in refused.value.message_dict["file"][0]
    assert_nothing_stored(settings)


def test_an_executable_renamed_txt_is_refused(ncb_admin, settings):
    fake = SimpleUploadedFile("notes.txt", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64, content_type="text/plain")
    with pytest.raises(ValidationError, match="neither a PDF nor a plain-text file"):
        upload(ncb_admin, fake)
    assert_nothing_stored(settings)


def test_text_that_is_not_utf8_is_refused(ncb_admin):
    with pytest.raises(ValidationError, match="neither a PDF nor a plain-text file"):
        upload(ncb_admin, SimpleUploadedFile("latin.txt", "Café à Genève".encode("latin-1")))


def test_an_image_is_refused_even_named_pdf(ncb_admin):
    buffer = BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="PNG")
    with pytest.raises(ValidationError, match="neither a PDF nor a plain-text file"):
        upload(ncb_admin, SimpleUploadedFile("scan.pdf", buffer.getvalue()))


def test_a_damaged_pdf_is_refused(ncb_admin, settings):
    with pytest.raises(ValidationError, match="damaged PDF"):
        upload(ncb_admin, SimpleUploadedFile("broken.pdf", b"%PDF-1.7\n" + b"garbage" * 50))
    assert_nothing_stored(settings)


def test_a_file_over_the_size_limit_is_refused(ncb_admin, settings):
    settings.MAX_ATTACHMENT_BYTES = 1024
    with pytest.raises(ValidationError, match="the limit is"):
        upload(ncb_admin, text_upload("x" * 2048))
    with pytest.raises(ValidationError, match="the limit is"):
        upload(ncb_admin, pdf_upload(*["A long line of a manual that fills the page." for _ in range(40)]))
    assert not Document.objects.exists()


@pytest.mark.parametrize("persona", ["ncb_officer", "delhi_ilo", "delhi_uo"])
def test_only_ncb_administrators_upload(request, persona):
    with pytest.raises(PermissionDenied):
        upload(request.getfixturevalue(persona), pdf_upload("Text."))
    assert not Document.objects.exists()


def test_a_document_cannot_be_opened_to_roles_without_access_to_resources(ncb_admin):
    with pytest.raises(ValidationError) as refused:
        upload(ncb_admin, pdf_upload("Text."), visible_to_roles=["citizen"])
    assert "visible_to_roles" in refused.value.message_dict
    assert not Document.objects.exists()


# --- Versions ------------------------------------------------------------------------------------


def test_a_new_version_becomes_current_and_the_history_keeps_the_old_one(manual, ncb_admin):
    version = services.document_version_add(
        document=manual, by=ncb_admin, upload=text_upload("Revised in 2026."), change_note="2026 revision"
    )
    manual.refresh_from_db()
    assert manual.current_version == version and version.number == 2
    assert [v.number for v in queries.versions_of(manual)] == [2, 1]
    assert AuditEntry.objects.filter(action="resource.version_add", target_id=str(manual.pk)).exists()


def test_a_new_version_needs_a_note_and_a_different_file(manual, ncb_admin):
    with pytest.raises(ValidationError, match="Say what changed"):
        services.document_version_add(document=manual, by=ncb_admin, upload=pdf_upload("New."), change_note=" ")
    same = SimpleUploadedFile("again.pdf", manual.current_version.file.read())
    with pytest.raises(ValidationError, match="same as the current version"):
        services.document_version_add(document=manual, by=ncb_admin, upload=same, change_note="Again")
    assert manual.versions.count() == 1


# --- Who sees what ---------------------------------------------------------------------------------


def test_a_document_not_open_to_a_role_answers_404(ncb_admin, delhi_ilo, delhi_uo, ncb_officer):
    for_ilos = upload_document(ncb_admin, title="ILO handbook", roles=["ilo"])
    assert queries.get_document_for_user(delhi_ilo, for_ilos.pk) == for_ilos
    assert queries.get_document_for_user(ncb_officer, for_ilos.pk) == for_ilos  # the NCB sees every document
    with pytest.raises(Http404):
        queries.get_document_for_user(delhi_uo, for_ilos.pk)
    assert AuditEntry.objects.filter(action="access.out_of_jurisdiction", actor=delhi_uo).exists()


@pytest.mark.parametrize("persona", ["delhi_station_officer", "analyst", "citizen", "sysadmin"])
def test_roles_without_resources_see_no_document(request, manual, persona):
    assert not queries.documents_for_user(request.getfixturevalue(persona)).exists()


def test_closing_a_document_to_a_role_hides_it_from_that_role(manual, ncb_admin, delhi_uo, delhi_ilo):
    services.document_update(document=manual, by=ncb_admin, title=manual.title, category="manual", language="en", visible_to_roles=["ilo"])
    assert list(queries.documents_for_user(delhi_uo)) == []
    assert list(queries.documents_for_user(delhi_ilo)) == [manual]
    assert AuditEntry.objects.filter(action="resource.update", data__fields=["visible_to_roles"]).exists()


def test_a_renamed_document_is_found_by_its_new_title(manual, ncb_admin, delhi_ilo):
    services.document_update(
        document=manual, by=ncb_admin, title="Handbook of notices", category="manual", language="en", visible_to_roles=["ilo", "uo"]
    )
    assert list(queries.documents_for_user(delhi_ilo, q="handbook")) == [manual]


# --- Downloads ---------------------------------------------------------------------------------------


def test_downloads_are_counted_and_audited(manual, delhi_ilo, delhi_uo):
    services.document_download(document=manual, by=delhi_ilo)
    version = services.document_download(document=manual, by=delhi_uo, number=1)
    manual.refresh_from_db()
    assert manual.download_count == 2 and version.number == 1
    entries = AuditEntry.objects.filter(action="resource.download", target_id=str(manual.pk))
    assert sorted(entries.values_list("actor__username", flat=True)) == ["delhi_ilo", "delhi_uo"]
    assert entries.first().data["version"] == 1


def test_downloading_a_missing_version_is_refused_and_not_counted(manual, delhi_ilo):
    with pytest.raises(ValidationError):
        services.document_download(document=manual, by=delhi_ilo, number=7)
    manual.refresh_from_db()
    assert manual.download_count == 0


def test_an_inactive_account_sees_nothing(manual, delhi_police):
    officer = make_user("gone_ilo", "ilo", agency=delhi_police, is_active=False)
    assert not queries.documents_for_user(officer).exists()

"""Posting a message: files checked by content, refusals leave nothing behind."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEntry
from connect import services
from connect.models import Message, MessageAttachment
from connect.tests.conftest import exe_upload, pdf_upload, png_upload

pytestmark = pytest.mark.django_db


def _stored_files(media_root) -> list[Path]:
    root = Path(media_root)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_a_message_with_a_pdf_and_a_photo_is_saved_outside_the_web_root(delhi_thread, delhi_uo, settings):
    message = services.message_post(by=delhi_uo, thread=delhi_thread, body="Statements attached.", attachments=[pdf_upload(), png_upload()])
    assert [a.mime_type for a in message.attachments.all()] == ["application/pdf", "image/png"]
    stored = Path(message.attachments.first().file.path).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not stored.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    delhi_thread.refresh_from_db()
    assert delhi_thread.last_message_at == message.created_at


def test_a_message_with_an_executable_attachment_is_refused_and_nothing_is_saved(delhi_thread, delhi_uo, settings):
    before = Message.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.message_post(by=delhi_uo, thread=delhi_thread, body="See the report", attachments=[pdf_upload(), exe_upload()])
    assert "not a file of an accepted type" in refused.value.message_dict["attachments"][0]
    assert Message.objects.count() == before
    assert not MessageAttachment.objects.exists()
    assert _stored_files(settings.MEDIA_ROOT) == []
    assert AuditEntry.objects.filter(action="connect.message_refused", actor=delhi_uo, target_id=str(delhi_thread.pk)).exists()


def test_a_gif_is_refused_even_though_it_is_an_image(delhi_thread, delhi_uo):
    gif = SimpleUploadedFile("map.gif", b"GIF89a" + b"\x00" * 40, content_type="image/gif")
    with pytest.raises(ValidationError, match="accepted type"):
        services.message_post(by=delhi_uo, thread=delhi_thread, body="", attachments=[gif])


def test_an_oversized_file_is_refused(delhi_thread, delhi_uo, settings):
    settings.MAX_ATTACHMENT_BYTES = 20
    with pytest.raises(ValidationError, match="the limit is"):
        services.message_post(by=delhi_uo, thread=delhi_thread, body="Big", attachments=[pdf_upload()])


def test_an_empty_message_is_refused(delhi_thread, delhi_uo):
    with pytest.raises(ValidationError, match="Write a message"):
        services.message_post(by=delhi_uo, thread=delhi_thread, body="   ")


def test_someone_outside_the_thread_cannot_post_to_it(delhi_thread, delhi_uo_2):
    with pytest.raises(PermissionDenied):
        services.message_post(by=delhi_uo_2, thread=delhi_thread, body="Hello")


def test_a_uo_moved_to_another_agency_can_no_longer_write(delhi_thread, delhi_uo, mumbai_uo):
    delhi_uo.agency, delhi_uo.unit = mumbai_uo.agency, mumbai_uo.unit
    delhi_uo.save()
    with pytest.raises(ValidationError, match="office has changed"):
        services.message_post(by=delhi_uo, thread=delhi_thread, body="Still here?")

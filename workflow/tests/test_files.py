"""Uploads are typed by their whole structure, and images beyond the pixel budget are refused with a message."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import pdf_bytes
from workflow.files import DOCUMENT_TYPES, IMAGE_TYPES, check_upload


def image_bytes(size=(40, 30), kind="PNG", mode="RGB") -> bytes:
    buffer = BytesIO()
    Image.new(mode, size, "white" if mode != "1" else 1).save(buffer, format=kind)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_a_whole_png_jpeg_and_pdf_are_accepted_with_their_types():
    assert check_upload(upload("a.png", image_bytes()), allowed=IMAGE_TYPES).mime_type == "image/png"
    assert check_upload(upload("a.jpg", image_bytes(kind="JPEG")), allowed=IMAGE_TYPES).mime_type == "image/jpeg"
    assert check_upload(upload("a.pdf", pdf_bytes()), allowed=DOCUMENT_TYPES).mime_type == "application/pdf"


def test_an_image_beyond_the_pixel_budget_is_refused_with_a_message(settings):
    settings.MAX_IMAGE_PIXELS = 1_000
    with pytest.raises(ValidationError, match=r"big.png is too large an image: at most 0.001 megapixels"):
        check_upload(upload("big.png", image_bytes((50, 30))), allowed=IMAGE_TYPES)


def test_a_decompression_bomb_is_refused_before_its_pixels_are_decoded():
    bomb = image_bytes((10_000, 10_000), mode="1")  # 100 megapixels in a few kilobytes
    assert len(bomb) < 100_000
    with pytest.raises(ValidationError, match="at most 40 megapixels"):
        check_upload(upload("bomb.png", bomb), allowed=IMAGE_TYPES)


def test_pillows_own_bomb_guard_is_reported_as_the_same_refusal(settings, monkeypatch):
    settings.MAX_IMAGE_PIXELS = 10**9
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)  # Pillow raises DecompressionBombError above twice this
    with pytest.raises(ValidationError, match="too large an image"):
        check_upload(upload("wide.png", image_bytes((40, 30))), allowed=IMAGE_TYPES)


def test_a_png_whose_body_is_cut_short_is_refused():
    whole = image_bytes((200, 200))
    with pytest.raises(ValidationError, match="not a readable image"):
        check_upload(upload("cut.png", whole[: len(whole) // 2]), allowed=IMAGE_TYPES)


def test_a_png_signature_in_front_of_something_else_is_refused():
    with pytest.raises(ValidationError, match="not a readable image"):
        check_upload(upload("fake.png", b"\x89PNG\r\n\x1a\n" + image_bytes(kind="JPEG")), allowed=IMAGE_TYPES)


@pytest.mark.parametrize(
    "content", [b"%PDF-1.4 nothing else", b"%PDF-1.7\n" + b"garbage" * 50, pdf_bytes()[:300]], ids=["header", "garbage", "cut"]
)
def test_a_file_that_starts_like_a_pdf_but_is_not_one_is_refused(content):
    with pytest.raises(ValidationError, match="damaged PDF that cannot be read"):
        check_upload(upload("warrant.pdf", content), allowed=DOCUMENT_TYPES)


def test_a_bomb_attached_through_the_api_is_refused_with_a_message_and_nothing_is_stored(client, delhi_uo, settings):
    from accounts import services as accounts
    from notices import services as notices
    from notices.tests.conftest import red_notice_data
    from workflow.models import Attachment

    settings.MAX_IMAGE_PIXELS = 1_000
    draft = notices.notice_draft_create(by=delhi_uo, kind="red", data=red_notice_data())
    token = accounts.api_token_create(user=delhi_uo, name="test", scopes=["notices:write", "notices:read"])
    response = client.post(
        f"/api/v1/notices/{draft.pk}/attachments",
        {"kind": "photo", "file": upload("face.png", image_bytes((50, 30)))},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422
    assert "too large an image" in response.json()["errors"]["__all__"][0]
    assert not Attachment.objects.exists()

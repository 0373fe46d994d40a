"""Checking uploaded files by their content, not their name."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Magic numbers of the formats police attach: a renamed executable matches none of them.
SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}
DOCUMENT_TYPES = IMAGE_TYPES | {"application/pdf"}


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    mime_type: str
    sha256: str
    name: str


def sniff(head: bytes) -> str | None:
    for signature, mime in SIGNATURES:
        if head.startswith(signature):
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def check_upload(upload, *, allowed: set[str], max_bytes: int | None = None) -> CheckedFile:
    """Read an uploaded file, refusing one too large or whose content is not of an allowed type."""
    max_bytes = max_bytes or settings.MAX_ATTACHMENT_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            _("%(name)s is %(size).1f MB; the limit is %(limit).0f MB.")
            % {"name": upload.name, "size": upload.size / 1_048_576, "limit": max_bytes / 1_048_576},
            code="too_large",
        )
    content = upload.read()
    mime = sniff(content[:16])
    if mime is None or mime not in allowed:
        kinds = ", ".join(sorted(m.split("/")[1].upper() for m in allowed))
        raise ValidationError(
            _("%(name)s is not a file of an accepted type (%(kinds)s), whatever its name says.") % {"name": upload.name, "kinds": kinds},
            code="bad_type",
        )
    if mime in IMAGE_TYPES:
        _verify_image(content, upload.name)
    return CheckedFile(content=content, mime_type=mime, sha256=hashlib.sha256(content).hexdigest(), name=upload.name[:200])


def _verify_image(content: bytes, name: str) -> None:
    from io import BytesIO

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(BytesIO(content)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValidationError(_("%(name)s is not a readable image.") % {"name": name}, code="bad_image") from error


def attachment_save(subject, checked: CheckedFile, *, kind: str, by, name: str | None = None):
    """Store a checked file against any request-like object (outside the web root) and return its Attachment."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile

    from workflow.models import Attachment

    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        kind=kind,
        original_name=(name or checked.name)[:200],
        mime_type=checked.mime_type,
        size=len(checked.content),
        sha256=checked.sha256,
        uploaded_by=by,
    )
    attachment.file.save(checked.sha256[:16], ContentFile(checked.content), save=False)
    attachment.save()
    return attachment

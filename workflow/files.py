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
        _verify_image(content, upload.name, mime)
    elif mime == "application/pdf":
        _verify_pdf(content, upload.name)
    return CheckedFile(content=content, mime_type=mime, sha256=hashlib.sha256(content).hexdigest(), name=upload.name[:200])


def _verify_image(content: bytes, name: str, mime: str) -> None:
    """The whole image decodes, in the format its first bytes claim, within the pixel budget (a small file can
    unpack to gigabytes: a decompression bomb)."""
    import warnings
    from io import BytesIO

    from PIL import Image, UnidentifiedImageError

    budget = settings.MAX_IMAGE_PIXELS
    unreadable = ValidationError(_("%(name)s is not a readable image.") % {"name": name}, code="bad_image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(content)) as image:
                too_large = image.width * image.height > budget
                if image.get_format_mimetype() != mime:
                    raise unreadable
                if not too_large:
                    image.verify()  # the structure: chunks, checksums
            if not too_large:
                with Image.open(BytesIO(content)) as image:  # verify() leaves the image unusable: decode a fresh one
                    image.load()  # every pixel: a truncated or corrupt body fails here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        too_large = True
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise unreadable from error
    if too_large:
        raise ValidationError(
            _("%(name)s is too large an image: at most %(limit)s megapixels. Scale it down and attach it again.")
            % {"name": name, "limit": f"{budget / 1_000_000:g}"},
            code="too_many_pixels",
        )


def _verify_pdf(content: bytes, name: str) -> None:
    """The whole PDF parses: its cross-reference table, its pages and their content streams."""
    import logging
    from io import BytesIO

    from pypdf import PdfReader

    try:
        reader = PdfReader(BytesIO(content))  # not strict: a scanner's slightly wrong offsets are repaired, garbage is not
        if reader.is_encrypted:
            return  # its pages cannot be read without the password; the structure above parsed
        if not reader.pages:
            raise ValueError("no pages")
        for page in reader.pages:
            page.get_contents()
    except Exception as error:  # noqa: BLE001 - a damaged PDF makes pypdf raise errors of many kinds; each means "unreadable"
        logging.getLogger(__name__).info("PDF %s could not be read: %r", name, error)
        raise ValidationError(_("%(name)s is a damaged PDF that cannot be read.") % {"name": name}, code="bad_pdf") from error


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

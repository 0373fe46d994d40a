"""Checking an uploaded document by its content (a PDF or plain text, nothing else), extracting its text, serving it back."""

import hashlib
import logging
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _

from workflow.files import check_upload, sniff

logger = logging.getLogger(__name__)

PDF = "application/pdf"
TEXT = "text/plain"
# PostgreSQL refuses a text-search vector above 1 MB; half a million characters of prose stay well below it.
MAX_BODY_CHARS = 500_000
# Characters no plain-text document contains; their presence means a binary file named .txt.
_BINARY_CONTROLS = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\f"}


@dataclass(frozen=True)
class CheckedDocument:
    content: bytes
    mime_type: str
    sha256: str
    name: str
    body_text: str


def check_document(upload) -> CheckedDocument:
    """Read an uploaded document, refusing anything but a PDF or UTF-8 plain text, and extract its text for search."""
    name = (upload.name or "document")[:200]
    head = upload.read(16)
    upload.seek(0)
    if sniff(head) == PDF:
        checked = check_upload(upload, allowed={PDF})
        return CheckedDocument(checked.content, PDF, checked.sha256, checked.name, _clean(_pdf_text(checked.content, name)))
    if not name.lower().endswith(".txt"):
        raise _wrong_type(name)
    if upload.size > settings.MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("%(name)s is %(size).1f MB; the limit is %(limit).0f MB.")
            % {"name": name, "size": upload.size / 1_048_576, "limit": settings.MAX_ATTACHMENT_BYTES / 1_048_576},
            code="too_large",
        )
    content = upload.read()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _wrong_type(name) from None
    if _BINARY_CONTROLS.intersection(text):
        raise _wrong_type(name)
    return CheckedDocument(content, TEXT, hashlib.sha256(content).hexdigest(), name, _clean(text))


def version_response(version) -> FileResponse:
    """A stored version as a download, under its original name and with the type found by its content."""
    response = FileResponse(version.file.open("rb"), as_attachment=True, filename=version.original_name, content_type=version.mime_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _wrong_type(name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s is neither a PDF nor a plain-text file (UTF-8), whatever its name says. Upload a PDF or a .txt file.") % {"name": name},
        code="bad_type",
    )


def _pdf_text(content: bytes, name: str) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(_("%(name)s is protected by a password; upload it without one.") % {"name": name}, code="encrypted")
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except ValidationError:
        raise
    except Exception as error:  # noqa: BLE001 - a damaged PDF makes pypdf raise errors of many kinds; each means "unreadable"
        logger.info("PDF %s could not be read: %r", name, error)
        raise ValidationError(_("%(name)s is a damaged PDF that cannot be read.") % {"name": name}, code="bad_pdf") from error


def _clean(text: str) -> str:
    # PostgreSQL's text columns cannot hold NUL, which some PDFs' text layers contain.
    return text.replace("\x00", "")[:MAX_BODY_CHARS]

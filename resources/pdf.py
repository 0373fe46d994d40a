"""The training certificate, printed with ReportLab in the portal's layout."""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from resources.models import Enrolment
from workflow.pdf import STYLES, facts_table, footer

CENTRED = ParagraphStyle("centred", parent=STYLES["Normal"], alignment=TA_CENTER, fontSize=13, leading=18)
NAME = ParagraphStyle("name", parent=STYLES["Title"], fontSize=24, leading=30)
COURSE = ParagraphStyle("course", parent=STYLES["Heading2"], alignment=TA_CENTER)


def _printable(text: str, fallback: str) -> str:
    # ReportLab's built-in fonts cannot shape Indian scripts: such a name is printed as the account name instead of garbled.
    return fallback if any(ord(ch) > 0x24F for ch in text) else text


def render_certificate(enrolment: Enrolment) -> bytes:
    session, officer = enrolment.session, enrolment.officer
    name = _printable(officer.get_full_name() or officer.username, officer.username)
    office = _printable(officer.office_label, officer.agency.name if officer.agency_id else "")
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    dates = f"{start:%d %B %Y}" if start.date() == end.date() else f"{start:%d %B %Y} to {end:%d %B %Y}"
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=20 * mm,
        bottomMargin=15 * mm,
        title=f"Certificate {enrolment.certificate_number}",
    )
    story = [
        Paragraph("Central Bureau of Investigation — INTERPOL National Central Bureau, New Delhi", CENTRED),
        Spacer(1, 8 * mm),
        Paragraph("Certificate of training", STYLES["Title"]),
        Spacer(1, 4 * mm),
        Paragraph("This is to certify that", CENTRED),
        Paragraph(escape(name), NAME),
        Paragraph(escape(", ".join(part for part in (officer.designation, office) if part)), CENTRED),
        Spacer(1, 4 * mm),
        Paragraph("attended the training", CENTRED),
        Paragraph(escape(_printable(session.title, "(title in an Indian script: see the portal)")), COURSE),
        Paragraph(escape(f"{dates} · {session.get_mode_display()}" + (f" · {session.venue}" if session.venue else "")), CENTRED),
        Paragraph(escape(f"organised by {session.organiser}"), CENTRED),
        Spacer(1, 8 * mm),
        facts_table([("Certificate number", enrolment.certificate_number), ("Issued", f"{timezone.localdate():%d %B %Y}")]),
        *footer(),
    ]
    doc.build(story)
    return buffer.getvalue()

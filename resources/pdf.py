"""The training certificate, printed with ReportLab in the portal's layout."""

from io import BytesIO

from django.utils import timezone
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from resources.models import Enrolment
from workflow.pdf import STYLES, facts_table, footer, text

CENTRED = ParagraphStyle("centred", parent=STYLES["Normal"], alignment=TA_CENTER, fontSize=13, leading=18)
NAME = ParagraphStyle("name", parent=STYLES["Title"], fontSize=24, leading=30)
COURSE = ParagraphStyle("course", parent=STYLES["Heading2"], alignment=TA_CENTER)


def render_certificate(enrolment: Enrolment) -> bytes:
    session, officer = enrolment.session, enrolment.officer
    name = officer.get_full_name() or officer.username
    office = officer.office_label
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
        text("Central Bureau of Investigation — INTERPOL National Central Bureau, New Delhi", CENTRED),
        Spacer(1, 8 * mm),
        text("Certificate of training", STYLES["Title"]),
        Spacer(1, 4 * mm),
        text("This is to certify that", CENTRED),
        text(name, NAME),
        text(", ".join(part for part in (officer.designation, office) if part), CENTRED),
        Spacer(1, 4 * mm),
        text("attended the training", CENTRED),
        text(session.title, COURSE),
        text(f"{dates} · {session.get_mode_display()}" + (f" · {session.venue}" if session.venue else ""), CENTRED),
        text(f"organised by {session.organiser}", CENTRED),
        Spacer(1, 8 * mm),
        facts_table([("Certificate number", enrolment.certificate_number), ("Issued", f"{timezone.localdate():%d %B %Y}")]),
        *footer(),
    ]
    doc.build(story)
    return buffer.getvalue()

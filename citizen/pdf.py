"""The documents the portal issues (certificate, NOC, FIR copy): a PDF with a QR code pointing at the public check."""

from io import BytesIO

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Image, SimpleDocTemplate, Spacer

from citizen import catalogue
from workflow.pdf import SMALL, STYLES, facts_table, text

TITLES = {  # stored in English with the document (its facts are hashed on issue); printed in the reader's language
    "certificate": gettext_noop("Police verification certificate"),
    "noc": gettext_noop("No-objection certificate"),
    "fir": gettext_noop("Copy of the First Information Report"),
    "vehicle_noc": gettext_noop("Vehicle no-objection certificate"),
    "lost_report": gettext_noop("Lost article report"),
}
LOST_REPORT_STATEMENT = gettext_noop(
    "The applicant reported the loss of the article above on the portal, in their own words; this report records that "
    "report. It is not an FIR, and the police have not verified the loss. It may be shown to apply for a duplicate document."
)


def document_content(request, *, kind: str, code: str, issued_by) -> dict:
    """The facts printed on the document, as plain strings: hashed on issue, so any later change shows."""
    service = catalogue.BY_CODE[request.service]
    facts = {
        "document": TITLES[kind],
        "check_code": code,
        "acknowledgement": request.reference,
        "service": str(service.name),
        "applicant": request.contact_name,
        "station": str(request.station),
        "issued_at": dateformat.format(timezone.localtime(), "d M Y H:i"),  # month names in the language
        "issued_by": _officer(issued_by),
    }
    if kind == "fir":
        facts["fir_number"] = request.fir_number
        facts["issued_by"] = _("%(station)s police station") % {"station": request.station.name}  # the station's, not the reader's
        fir = request.fir
        if fir is not None:
            facts["registered_on"] = dateformat.format(fir.registered_on, "d M Y")
            facts["sections"] = ", ".join(str(section) for section in fir.sections.all())
            if fir.registered_by_id:
                facts["issued_by"] += f": {_officer(fir.registered_by)}"
    if kind == "lost_report":
        facts["issued_by"] = _("The portal, at once, for %(station)s police station") % {"station": request.station.name}
        facts["statement"] = LOST_REPORT_STATEMENT
    facts["details"] = dict(service.answers(request.details))
    return facts


def _officer(user) -> str:
    return f"{user.get_full_name() or user.username}, {user.designation or user.get_role_display()}"


def _qr_story(code: str) -> list:
    verify_url = settings.SITE_URL + reverse("citizen_public:verify", args=[code])
    qr = BytesIO()
    segno.make(verify_url, error="m").save(qr, kind="png", scale=4, border=2)
    qr.seek(0)
    return [
        Spacer(1, 6 * mm),
        Image(qr, width=35 * mm, height=35 * mm),
        text(_("Check this document: scan the code or open %(url)s") % {"url": verify_url}, SMALL),
    ]


def render_vehicle_noc(content: dict) -> bytes:
    """The NOC of a vehicle checked against the stolen-vehicle records: its numbers, the statement, the check code and QR."""
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=content["document"], leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm)
    rows = [
        (label, content[key])
        for label, key in ((_("Registration number"), "registration"), (_("Chassis number"), "chassis"), (_("Engine number"), "engine"))
        if content.get(key)
    ]
    rows += [(_("Checked"), content["checked_at"]), (_("Check code"), content["check_code"])]
    story = [text(_(content["document"]), STYLES["Title"]), facts_table(rows), Spacer(1, 4 * mm)]
    story += [text(content["statement"], STYLES["Normal"]), *_qr_story(content["check_code"])]
    doc.build(story)
    return buffer.getvalue()


def render_document(content: dict) -> bytes:
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=content["document"], leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm)
    verify_url = settings.SITE_URL + reverse("citizen_public:verify", args=[content["check_code"]])
    qr = BytesIO()
    segno.make(verify_url, error="m").save(qr, kind="png", scale=4, border=2)
    qr.seek(0)
    rows = [
        (_("Acknowledgement number"), content["acknowledgement"]),
        (_("Service"), content["service"]),
        (_("Applicant"), content["applicant"]),
        (_("Police station"), content["station"]),
    ]
    if content.get("fir_number"):
        rows.append((_("FIR number"), content["fir_number"]))
    for label, key in ((_("Registered on"), "registered_on"), (_("Acts and sections"), "sections")):
        if content.get(key):
            rows.append((label, content[key]))
    rows += list(content["details"].items())
    rows += [(_("Issued"), content["issued_at"]), (_("Issued by"), content["issued_by"]), (_("Check code"), content["check_code"])]
    story = [
        text(_(content["document"]), STYLES["Title"]),
        facts_table(rows),
        *([Spacer(1, 4 * mm), text(_(content["statement"]), STYLES["Normal"])] if content.get("statement") else []),
        Spacer(1, 6 * mm),
        Image(qr, width=35 * mm, height=35 * mm),
        text(_("Check this document: scan the code or open %(url)s") % {"url": verify_url}, SMALL),
    ]
    doc.build(story)
    return buffer.getvalue()


def render_public_fir(fir: dict) -> bytes:
    """The public copy of a registered FIR (citizen.public_records.public_fir): what the public may read of it."""
    buffer = BytesIO()
    title = _("First Information Report %(number)s") % {"number": fir["fir"]}
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=title, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm)
    rows = [
        (_("Police station"), f"{fir['station']}, {fir['district']}, {fir['state']}"),
        (_("FIR number"), fir["fir"]),
        (_("Registered on"), dateformat.format(fir["registered_on"], "d M Y")),
        (_("Occurrence"), dateformat.format(fir["occurred_from"], "d M Y H:i") if fir["occurred_from"] else ""),
        (_("Place"), fir["place"]),
        (_("Acts and sections"), ", ".join(fir["sections"])),
        (_("Complainant"), fir["complainant"]),
        *((person["role"], person["name"]) for person in fir["accused"]),
        (_("Status"), fir["status"]),
    ]
    story = [text(title, STYLES["Title"]), facts_table([(k, str(v)) for k, v in rows if v]), Spacer(1, 4 * mm)]
    story += [text(_("Brief facts"), STYLES["Heading3"]), text(fir["facts"], STYLES["Normal"])]
    story += [
        Spacer(1, 4 * mm),
        text(_("Published under the Supreme Court's direction in Youth Bar Association of India v. Union of India (2016)."), SMALL),
    ]
    doc.build(story)
    return buffer.getvalue()


def revoked_copy(original: bytes, *, revoked_on: str, reason: str) -> bytes:
    """The issued PDF with REVOKED stamped across every page and the date and reason at its foot: a copy downloaded
    after revocation can never pass for a valid one."""
    from pypdf import PdfReader, PdfWriter
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen import canvas

    from workflow.pdf import STYLES
    from workflow.pdf import text as paragraph

    big = ParagraphStyle(
        "revoked",
        parent=STYLES["Title"],
        fontSize=64,
        leading=70,
        alignment=TA_CENTER,
        textColor=colors.Color(0.75, 0.05, 0.05, alpha=0.55),
    )
    foot = ParagraphStyle("revoked-foot", parent=STYLES["Normal"], fontSize=10, leading=12, textColor=colors.Color(0.6, 0.0, 0.0))

    writer = PdfWriter(clone_from=PdfReader(BytesIO(original)))
    for page in writer.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        stamp = BytesIO()
        sheet = canvas.Canvas(stamp, pagesize=(width, height))
        sheet.saveState()  # paragraphs, not drawString: only a paragraph is shaped, so Hindi joins as it should
        sheet.translate(width / 2, height / 2)
        sheet.rotate(35)
        stamp_text = paragraph(_("REVOKED"), big)
        _w, h = stamp_text.wrapOn(sheet, width, height)
        stamp_text.drawOn(sheet, -width / 2, -h / 2)
        sheet.restoreState()
        line = _("Revoked on %(day)s. It is no longer valid. Reason: %(reason)s") % {"day": revoked_on, "reason": reason}
        note = paragraph(line, foot)
        _w, h = note.wrapOn(sheet, width - 40 * mm, 40 * mm)
        note.drawOn(sheet, 20 * mm, 8 * mm)
        sheet.save()
        page.merge_page(PdfReader(BytesIO(stamp.getvalue())).pages[0])
    out = BytesIO()
    writer.write(out)
    return out.getvalue()

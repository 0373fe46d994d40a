"""The documents the portal issues (certificate, NOC, FIR copy): a PDF with a QR code pointing at the public check."""

from io import BytesIO
from xml.sax.saxutils import escape

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer

from citizen import catalogue
from workflow.pdf import SMALL, STYLES, facts_table

TITLES = {
    "certificate": "Police verification certificate",
    "noc": "No-objection certificate",
    "fir": "Copy of the First Information Report",
    "vehicle_noc": "Vehicle no-objection certificate",
}


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
        "issued_at": timezone.localtime().strftime("%d %b %Y %H:%M"),
        "issued_by": _officer(issued_by),
    }
    if kind == "fir":
        facts["fir_number"] = request.fir_number
        facts["issued_by"] = f"{request.station.name} police station"  # the station's copy, not who downloads it
        fir = request.fir
        if fir is not None:
            facts["registered_on"] = fir.registered_on.strftime("%d %b %Y")
            facts["sections"] = ", ".join(str(section) for section in fir.sections.all())
            if fir.registered_by_id:
                facts["issued_by"] += f": {_officer(fir.registered_by)}"
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
        Paragraph(escape(f"Check this document: scan the code or open {verify_url}"), SMALL),
    ]


def render_vehicle_noc(content: dict) -> bytes:
    """The NOC of a vehicle checked against the stolen-vehicle records: its numbers, the statement, the check code and QR."""
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=content["document"], leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm)
    rows = [
        (label, content[key])
        for label, key in (("Registration number", "registration"), ("Chassis number", "chassis"), ("Engine number", "engine"))
        if content.get(key)
    ]
    rows += [("Checked", content["checked_at"]), ("Check code", content["check_code"])]
    story = [Paragraph(escape(content["document"]), STYLES["Title"]), facts_table(rows), Spacer(1, 4 * mm)]
    story += [Paragraph(escape(content["statement"]), STYLES["Normal"]), *_qr_story(content["check_code"])]
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
        ("Acknowledgement number", content["acknowledgement"]),
        ("Service", content["service"]),
        ("Applicant", content["applicant"]),
        ("Police station", content["station"]),
    ]
    if content.get("fir_number"):
        rows.append(("FIR number", content["fir_number"]))
    for label, key in (("Registered on", "registered_on"), ("Acts and sections", "sections")):
        if content.get(key):
            rows.append((label, content[key]))
    rows += list(content["details"].items())
    rows += [("Issued", content["issued_at"]), ("Issued by", content["issued_by"]), ("Check code", content["check_code"])]
    story = [
        Paragraph(escape(content["document"]), STYLES["Title"]),
        facts_table(rows),
        Spacer(1, 6 * mm),
        Image(qr, width=35 * mm, height=35 * mm),
        Paragraph(escape(f"Check this document: scan the code or open {verify_url}"), SMALL),
    ]
    doc.build(story)
    return buffer.getvalue()


def render_public_fir(fir: dict) -> bytes:
    """The public copy of a registered FIR (citizen.public_records.public_fir): what the public may read of it."""
    buffer = BytesIO()
    title = f"First Information Report {fir['fir']}"
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=title, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm)
    rows = [
        ("Police station", f"{fir['station']}, {fir['district']}, {fir['state']}"),
        ("FIR number", fir["fir"]),
        ("Registered on", fir["registered_on"].strftime("%d %b %Y")),
        ("Occurrence", fir["occurred_from"].strftime("%d %b %Y %H:%M") if fir["occurred_from"] else ""),
        ("Place", fir["place"]),
        ("Acts and sections", ", ".join(fir["sections"])),
        ("Complainant", fir["complainant"]),
        *((person["role"], person["name"]) for person in fir["accused"]),
        ("Status", fir["status"]),
    ]
    story = [Paragraph(escape(title), STYLES["Title"]), facts_table([(k, str(v)) for k, v in rows if v]), Spacer(1, 4 * mm)]
    story += [Paragraph("Brief facts", STYLES["Heading3"]), Paragraph(escape(fir["facts"]).replace("\n", "<br/>"), STYLES["Normal"])]
    story += [
        Spacer(1, 4 * mm),
        Paragraph(
            escape("Published under the Supreme Court's direction in Youth Bar Association of India v. Union of India (2016)."), SMALL
        ),
    ]
    doc.build(story)
    return buffer.getvalue()

"""A notice request printed as a PDF in one standard layout (ReportLab)."""

from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from notices.kinds import KIND_FACTS
from notices.models import NoticeKind
from workflow.pdf import STYLES, facts_table, footer, history_section, text


def render_pdf(request, *, history: list) -> bytes:
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=18 * mm, title=request.reference or ""
    )
    story = [
        text("OpenPol — Request for an INTERPOL notice", STYLES["Title"]),
        text(f"{request.reference} · {request.get_kind_display()}", STYLES["Heading2"]),
        text(
            f"Stage: {request.get_stage_display()} · Agency: {request.agency.name}"
            + (f" · Unit: {request.unit.name}" if request.unit_id else "")
            + (f" · INTERPOL notice number: {request.interpol_notice_number}" if request.interpol_notice_number else ""),
            STYLES["Normal"],
        ),
        Spacer(1, 6 * mm),
        text("Subject", STYLES["Heading3"]),
        facts_table(
            [
                ("Family name", request.family_name),
                ("Forename(s)", request.forenames),
                ("Aliases", ", ".join(request.aliases)),
                ("Name in an Indian script", request.name_indian_script),
                ("Sex", request.get_sex_display() if request.sex else ""),
                ("Date of birth", request.date_of_birth.isoformat() if request.date_of_birth else request.year_of_birth),
                ("Place of birth", request.place_of_birth),
                ("Country of birth", request.country_of_birth.name if request.country_of_birth_id else ""),
                ("Nationalities", ", ".join(request.nationalities)),
                (
                    "Identity documents",
                    "\n".join(f"{d.get('type')}: {d.get('number')} ({d.get('country')})" for d in request.identity_documents),
                ),
                (
                    "Height / weight",
                    " / ".join(
                        x
                        for x in (
                            f"{request.height_cm} cm" if request.height_cm else "",
                            f"{request.weight_kg} kg" if request.weight_kg else "",
                        )
                        if x
                    ),
                ),
                ("Eyes / hair", " / ".join(x for x in (request.eye_colour, request.hair_colour) if x)),
                ("Distinguishing marks", request.distinguishing_marks),
                ("Languages", ", ".join(request.languages)),
                ("Fingerprints available", "Yes" if request.fingerprints_available else ""),
                ("DNA profile available", "Yes" if request.dna_available else ""),
            ]
        ),
    ]
    if request.kind == NoticeKind.RED:
        story += [
            Spacer(1, 4 * mm),
            text("Judicial data", STYLES["Heading3"]),
            facts_table(
                [
                    ("Offence", request.offence),
                    ("Law and sections", f"{request.law} {request.sections}".strip()),
                    (
                        "Maximum penalty",
                        "Life imprisonment or death"
                        if request.max_penalty_life
                        else (f"{request.max_penalty_months} months" if request.max_penalty_months else ""),
                    ),
                    ("Sought for", request.get_purpose_display() if request.purpose else ""),
                    ("Sentence left to serve", f"{request.sentence_remaining_months} months" if request.sentence_remaining_months else ""),
                    (
                        request.get_warrant_kind_display() if request.warrant_kind else "Warrant",
                        f"{request.warrant_number} of {request.warrant_date or '?'}, {request.issuing_court}",
                    ),
                    ("Summary of facts", request.facts_summary),
                    ("Extradition will be sought", {True: "Yes", False: "No"}.get(request.extradition_intended, "Not answered")),
                ]
            ),
        ]
    facts = [(str(f.label), request.facts.get(f.key)) for f in KIND_FACTS.get(request.kind, ())]
    if any(value for _label, value in facts):
        story += [Spacer(1, 4 * mm), text("Facts", STYLES["Heading3"]), facts_table(facts)]
    if request.article3_flags:
        story += [
            Spacer(1, 4 * mm),
            text("Flagged for the NCB under Article 3", STYLES["Heading3"]),
            facts_table([(flag.get("rule", ""), flag.get("message", "")) for flag in request.article3_flags]),
        ]
    story += history_section(history) + footer()
    doc.build(story)
    return buffer.getvalue()

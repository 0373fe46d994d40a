"""A reference printed as a PDF in the same standard layout as notice requests."""

from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from workflow.pdf import STYLES, facts_table, footer, history_section, text


def render_pdf(ref, *, history: list) -> bytes:
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=18 * mm, title=ref.reference or ""
    )
    countries = ", ".join(f"{c.name} ({c.iso2})" for c in ref.countries.all())
    story = [
        text("OpenPol — Request for assistance abroad (Interpol Reference)", STYLES["Title"]),
        text(f"{ref.reference} · {ref.get_stage_display()} · {ref.get_handling_code_display()}", STYLES["Heading2"]),
        Spacer(1, 4 * mm),
        facts_table(
            [
                ("Requesting agency", ref.agency.name + (f", {ref.unit.name}" if ref.unit_id else "")),
                ("Case reference", ref.case_reference),
                ("Countries asked", countries),
                ("Offence", ref.offence),
                ("Law and sections", ref.law_sections),
                (
                    "Subjects",
                    "\n".join(
                        f"{s.get('name')} {s.get('dob', '')} {s.get('nationality', '')} {s.get('document', '')}".strip()
                        for s in ref.subjects
                    ),
                ),
                ("Assistance sought", ", ".join(ref.assistance)),
                ("Details", ref.assistance_details),
                ("Legal basis", ref.get_legal_basis_display()),
                ("Urgency", ref.get_urgency_display()),
                ("Facts", ref.facts),
                ("Outcome", ref.get_outcome_display() if ref.outcome else ""),
            ]
        ),
    ]
    replies = list(ref.replies.select_related("country"))
    if replies:
        story += [Spacer(1, 4 * mm), text("Replies from abroad", STYLES["Heading3"])]
        story.append(facts_table([(f"{r.country.name}, {r.received_on:%d %b %Y}", r.body) for r in replies]))
    story += history_section(history) + footer()
    doc.build(story)
    return buffer.getvalue()

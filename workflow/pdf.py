"""Shared building blocks of the request PDFs (ReportLab): one layout for every module."""

from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

STYLES = getSampleStyleSheet()
SMALL = ParagraphStyle("small", parent=STYLES["Normal"], fontSize=8, textColor=colors.HexColor("#4f5a66"))
CELL = ParagraphStyle("cell", parent=STYLES["Normal"], fontSize=9, leading=11)


def cell(value) -> Paragraph:
    text = "" if value in (None, "") else str(value)
    # ReportLab's built-in fonts cannot shape Indian scripts; such text is shown in the portal, not printed garbled.
    if any(ord(ch) > 0x24F for ch in text):
        text = "(in an Indian script: see the portal)"
    return Paragraph(escape(text).replace("\n", "<br/>"), CELL)


def facts_table(rows: list[tuple[str, object]]) -> Table:
    data = [[cell(label), cell(value)] for label, value in rows if value not in (None, "", [], False)]
    if not data:
        data = [[cell("—"), cell("")]]
    table = Table(data, colWidths=[55 * mm, 115 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#c9d1da")),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f5f9")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def history_section(history: list) -> list:
    rows = [
        (
            timezone.localtime(t.at).strftime("%d %b %Y %H:%M"),
            f"{t.action} by {t.by.username}: {t.from_stage or '—'} → {t.to_stage}" + (f"\n{t.note}" if t.note else ""),
        )
        for t in history
    ]
    return [Spacer(1, 4 * mm), Paragraph("History", STYLES["Heading3"]), facts_table(rows)]


def footer() -> list:
    printed = timezone.localtime().strftime("%d %b %Y %H:%M %Z")
    return [Spacer(1, 6 * mm), Paragraph(escape(f"Printed {printed} from OpenPol. RESTRICTED: police use only."), SMALL)]

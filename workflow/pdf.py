"""Shared building blocks of the portal's PDFs (ReportLab): one layout and one font for every module.

The font, OpenPol Sans (openpol/fonts/), is Bitstream Vera Sans with Noto Sans Devanagari merged in, so that one face
prints English and Hindi side by side, and ReportLab shapes it with HarfBuzz (uharfbuzz): conjuncts and vowel signs
join as they do on screen. Text in another Indian script, which the font does not cover, is printed as a note to see
the portal rather than as empty boxes.
"""

import re
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

FONT_DIR = Path(__file__).resolve().parent.parent / "openpol" / "fonts"
FONT, BOLD = "OpenPolSans", "OpenPolSans-Bold"
pdfmetrics.registerFont(TTFont(FONT, FONT_DIR / "OpenPolSans-Regular.ttf", shapable=True))
pdfmetrics.registerFont(TTFont(BOLD, FONT_DIR / "OpenPolSans-Bold.ttf", shapable=True))
pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)  # <b> in a paragraph


def _styles():
    sheet = getSampleStyleSheet()
    for style in sheet.byName.values():
        if getattr(style, "fontName", "").startswith(("Helvetica", "Times")):
            style.fontName = BOLD if "Bold" in style.fontName else FONT
            style.shaping = 1
    return sheet


STYLES = _styles()
SMALL = ParagraphStyle("small", parent=STYLES["Normal"], fontSize=8, textColor=colors.HexColor("#4f5a66"))
CELL = ParagraphStyle("cell", parent=STYLES["Normal"], fontSize=9, leading=11)

_COVERED = frozenset(pdfmetrics.getFont(FONT).face.charToGlyph) | {ord("\n")}
_OTHER_SCRIPTS = re.compile(
    r"[\u0980-\u0dff\u0600-\u06ff\u0750-\u077f](?:[\u0980-\u0dff\u0600-\u06ff\u0750-\u077f\s]*[\u0980-\u0dff\u0600-\u06ff\u0750-\u077f])?"
)
_SUBSTITUTES = str.maketrans({"→": "->", "←": "<-", "‘": "'", "’": "'", "“": '"', "”": '"', "✓": "v"})


def printable(value) -> str:
    """The text as the PDF font can print it: English and Devanagari as they are; Bengali, Gurmukhi, Gujarati, Odia,
    Tamil, Telugu, Kannada, Malayalam or Urdu script as a note to see the portal; any other missing sign as "?"."""
    text = "" if value in (None, "") else str(value)
    text = _OTHER_SCRIPTS.sub(lambda _match: _("(in another Indian script: see the portal)"), text.translate(_SUBSTITUTES))
    return "".join(ch if ord(ch) in _COVERED else "?" for ch in text)


def text(value, style=None) -> Paragraph:
    """A paragraph of plain text (escaped; line breaks kept) in the PDF font."""
    return Paragraph(escape(printable(value)).replace("\n", "<br/>"), style or STYLES["Normal"])


def cell(value) -> Paragraph:
    return text(value, CELL)


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
            _("%(action)s by %(user)s: %(from)s → %(to)s")
            % {"action": t.action_label, "user": t.by.username, "from": t.from_label or "—", "to": t.to_label}
            + (f"\n{t.note}" if t.note else ""),
        )
        for t in history
    ]
    return [Spacer(1, 4 * mm), text(_("History"), STYLES["Heading3"]), facts_table(rows)]


def footer() -> list:
    printed = timezone.localtime().strftime("%d %b %Y %H:%M %Z")
    return [Spacer(1, 6 * mm), text(_("Printed %(when)s from OpenPol. RESTRICTED: police use only.") % {"when": printed}, SMALL)]

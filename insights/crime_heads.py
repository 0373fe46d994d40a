"""The crime heads of NCRB's *Crime in India*, and which sections of the BNS (and, for offences before 1 July 2024,
of the IPC) each covers: the one table the statistics count by.

Sources: NCRB, *Crime in India 2022*, Volume I, the IPC crime heads of Table 1A.1; the BNS section for each IPC
section as in the Ministry of Home Affairs' correspondence table of the Bharatiya Nyaya Sanhita, 2023 (the same
table as `records.ipc_bns`). An FIR is counted once, under its gravest head (NCRB's principal offence rule): the
heads below are in that order, gravest first. Sections under no head count as "Other BNS/IPC crimes"; an FIR under
special and local laws only counts as "Special and local laws".
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Head:
    key: str
    label: str
    bns: tuple[str, ...]
    ipc: tuple[str, ...]


HEADS: tuple[Head, ...] = (
    Head("murder", _("Murder"), ("103",), ("302", "303")),
    Head("terrorist_act", _("Terrorist act"), ("113",), ()),
    Head("dowry_death", _("Dowry death"), ("80",), ("304B",)),
    Head("rape", _("Rape"), ("64", "65", "66", "70"), ("376", "376A", "376AB", "376B", "376C", "376D", "376DA", "376DB", "376E")),
    Head("attempt_to_murder", _("Attempt to commit murder"), ("109",), ("307",)),
    Head("culpable_homicide", _("Culpable homicide not amounting to murder"), ("105",), ("304",)),
    Head("human_trafficking", _("Human trafficking"), ("143", "144"), ("370", "370A")),
    Head("kidnapping", _("Kidnapping and abduction"), ("137", "138", "139", "140"), ("363", "363A", "364", "364A", "365", "366", "366A", "366B", "367", "368", "369")),
    Head("organised_crime", _("Organised crime"), ("111",), ()),
    Head("dacoity", _("Dacoity"), ("310",), ("395", "396", "397", "398")),
    Head("robbery", _("Robbery"), ("309",), ("392", "393", "394")),
    Head("grievous_hurt", _("Grievous hurt"), ("117", "118"), ("325", "326", "326A", "326B")),
    Head("assault_on_women", _("Assault on women with intent to outrage their modesty"), ("74", "75", "76", "77", "78", "79"), ("354", "354A", "354B", "354C", "354D", "509")),
    Head("cruelty_by_husband", _("Cruelty by husband or his relatives"), ("85", "86"), ("498A",)),
    Head("death_by_negligence", _("Causing death by negligence"), ("106",), ("304A",)),
    Head("extortion", _("Extortion"), ("308",), ("384", "385", "386", "387", "388", "389")),
    Head("house_breaking", _("House-breaking and burglary"), ("331", "332"), ("449", "450", "451", "452", "453", "454", "455", "456", "457", "458", "459", "460")),
    Head("snatching", _("Snatching"), ("304",), ()),
    Head("theft", _("Theft"), ("303", "305", "306", "307"), ("379", "380", "381", "382")),
    Head("criminal_breach_of_trust", _("Criminal breach of trust"), ("316",), ("406", "407", "408", "409")),
    Head("cheating", _("Cheating"), ("318", "319"), ("415", "416", "417", "418", "419", "420")),
    Head("forgery", _("Forgery"), ("336", "338", "340"), ("465", "466", "467", "468", "471")),
    Head("rioting", _("Rioting"), ("191",), ("147", "148")),
    Head("hurt", _("Hurt"), ("115",), ("323", "324")),
)  # fmt: skip
OTHER = Head("other", _("Other BNS/IPC crimes"), (), ())
SPECIAL = Head("special", _("Special and local laws"), (), ())
ALL: tuple[Head, ...] = (*HEADS, OTHER, SPECIAL)
BY_KEY = {head.key: head for head in ALL}
_RANK = {head.key: rank for rank, head in enumerate(ALL)}
_BY_SECTION = {("BNS", s): h for h in HEADS for s in h.bns} | {("IPC", s): h for h in HEADS for s in h.ipc}
_BASE = re.compile(r"^\s*(\d+[A-Za-z]*)")


def head_of_section(law: str, section: str) -> Head:
    """The head of one section as an FIR gives it ("303(2)" is s.303 of the BNS; "304B" of the IPC is not its s.304)."""
    if law not in ("BNS", "IPC"):
        return SPECIAL
    match = _BASE.match(section or "")
    return _BY_SECTION.get((law, match.group(1).upper()), OTHER) if match else OTHER


def principal_head(sections) -> Head:
    """The head an FIR counts under: the gravest of its sections' heads (`sections`: (law, section) pairs)."""
    heads = [head_of_section(law, section) for law, section in sections] or [OTHER]
    return min(heads, key=lambda head: _RANK[head.key])

"""A curated table of common IPC sections and their BNS equivalents (BNS in force from 1 July 2024).

Only sections checked against the Ministry of Home Affairs' correspondence table are listed; an IPC section
missing here has no simple one-to-one equivalent (e.g. 377) or is not yet curated, and `bns_for_ipc` answers None
rather than guess.
"""

import re
from dataclasses import dataclass
from datetime import date

BNS_IN_FORCE = date(2024, 7, 1)


@dataclass(frozen=True)
class Equivalent:
    ipc: str
    bns: str
    offence: str
    note: str = ""

    @property
    def bns_section(self) -> str:
        """The BNS section without its sub-section: 303(2) → 303."""
        return self.bns.split("(")[0]


_TABLE = [
    ("34", "3(5)", "Acts done by several persons in furtherance of common intention"),
    ("120A", "61(1)", "Criminal conspiracy (definition)"),
    ("120B", "61(2)", "Punishment of criminal conspiracy"),
    ("121", "147", "Waging war against the Government of India"),
    ("143", "189(2)", "Member of an unlawful assembly"),
    ("147", "191(2)", "Rioting"),
    ("148", "191(3)", "Rioting armed with a deadly weapon"),
    ("149", "190", "Every member of an unlawful assembly guilty of the common object"),
    ("153A", "196", "Promoting enmity between groups"),
    ("279", "281", "Rash driving on a public way"),
    ("299", "100", "Culpable homicide"),
    ("300", "101", "Murder (definition)"),
    ("302", "103", "Punishment for murder"),
    ("304", "105", "Culpable homicide not amounting to murder"),
    ("304A", "106(1)", "Causing death by negligence"),
    ("304B", "80", "Dowry death"),
    ("306", "108", "Abetment of suicide"),
    ("307", "109", "Attempt to murder"),
    ("308", "110", "Attempt to commit culpable homicide"),
    ("323", "115(2)", "Voluntarily causing hurt"),
    ("324", "118(1)", "Voluntarily causing hurt by dangerous weapons"),
    ("325", "117(2)", "Voluntarily causing grievous hurt"),
    ("326", "118(2)", "Grievous hurt by dangerous weapons"),
    ("326A", "124(1)", "Grievous hurt by acid attack"),
    ("341", "126(2)", "Wrongful restraint"),
    ("342", "127(2)", "Wrongful confinement"),
    ("353", "132", "Assault to deter a public servant from duty"),
    ("354", "74", "Assault or criminal force to a woman with intent to outrage her modesty"),
    ("354A", "75", "Sexual harassment"),
    ("354B", "76", "Assault with intent to disrobe a woman"),
    ("354C", "77", "Voyeurism"),
    ("354D", "78", "Stalking"),
    ("363", "137(2)", "Kidnapping"),
    ("364", "140(1)", "Kidnapping or abducting in order to murder"),
    ("364A", "140(2)", "Kidnapping for ransom"),
    ("365", "140(3)", "Kidnapping with intent to confine secretly"),
    ("366", "87", "Kidnapping a woman to compel her marriage"),
    ("370", "143", "Trafficking of persons"),
    ("376", "64", "Rape"),
    ("376D", "70(1)", "Gang rape"),
    ("379", "303(2)", "Theft"),
    ("380", "305", "Theft in a dwelling house"),
    ("382", "307", "Theft after preparation for causing death or hurt"),
    ("384", "308(2)", "Extortion"),
    ("392", "309(4)", "Robbery"),
    ("393", "309(5)", "Attempt to commit robbery"),
    ("394", "309(6)", "Voluntarily causing hurt in committing robbery"),
    ("395", "310(2)", "Dacoity"),
    ("396", "310(3)", "Dacoity with murder"),
    ("397", "311", "Robbery or dacoity with attempt to cause death or grievous hurt"),
    ("399", "310(4)", "Making preparation to commit dacoity"),
    ("406", "316(2)", "Criminal breach of trust"),
    ("409", "316(5)", "Criminal breach of trust by a public servant, banker or agent"),
    ("411", "317(2)", "Dishonestly receiving stolen property"),
    ("415", "318(1)", "Cheating (definition)"),
    ("417", "318(2)", "Cheating"),
    ("419", "319(2)", "Cheating by personation"),
    ("420", "318(4)", "Cheating and dishonestly inducing delivery of property"),
    ("447", "329(3)", "Criminal trespass"),
    ("448", "329(4)", "House-trespass"),
    ("465", "336(2)", "Forgery"),
    ("467", "338", "Forgery of a valuable security, will etc."),
    ("468", "336(3)", "Forgery for the purpose of cheating"),
    ("471", "340(2)", "Using a forged document as genuine"),
    ("489A", "178", "Counterfeiting currency notes"),
    ("494", "82(1)", "Marrying again during the lifetime of a spouse"),
    ("498A", "85", "Cruelty by husband or his relatives", "cruelty is defined in BNS 86"),
    ("504", "352", "Intentional insult to provoke breach of the peace"),
    ("506", "351(2)", "Criminal intimidation"),
    ("509", "79", "Word, gesture or act intended to insult the modesty of a woman"),
    ("511", "62", "Attempt to commit offences punishable with imprisonment for life or other imprisonment"),
]
IPC_TO_BNS: dict[str, Equivalent] = {ipc: Equivalent(ipc, bns, offence, *rest) for ipc, bns, offence, *rest in _TABLE}

# Sections that make an FIR sensitive: sexual offences (BNS 63-79, IPC 354-354D, 376-376E, 509) and terrorism (BNS 113).
SENSITIVE_BNS = frozenset({str(n) for n in range(63, 80)} | {"113"})
SENSITIVE_IPC = frozenset(
    {"354", "354A", "354B", "354C", "354D", "376", "376A", "376AB", "376B", "376C", "376D", "376DA", "376DB", "376E", "509"}
)
SENSITIVE_ACTS = ("POCSO", "UAPA", "UNLAWFUL ACTIVITIES", "PROTECTION OF CHILDREN FROM SEXUAL")


def clean_section(section: str) -> str:
    """'s. 498-A' → '498A', '103 (1)' → '103(1)'."""
    section = re.sub(r"(?i)^(sec(tion)?|s)\.?\s*", "", section.strip())
    return re.sub(r"[\s\-]", "", section).upper()


def bns_for_ipc(section: str) -> Equivalent | None:
    """The BNS equivalent of an IPC section, or None when the table has none."""
    return IPC_TO_BNS.get(clean_section(section)) or IPC_TO_BNS.get(clean_section(section).split("(")[0])


def law_for_date(occurred_on: date) -> str:
    """Offences committed before 1 July 2024 are charged under the IPC, later ones under the BNS."""
    return "IPC" if occurred_on < BNS_IN_FORCE else "BNS"


def is_sensitive(law: str, section: str, act: str = "") -> bool:
    """Do this act and section make an FIR sensitive (sexual offence, POCSO, terrorism)?"""
    base = clean_section(section).split("(")[0]
    if law == "BNS":
        return base in SENSITIVE_BNS
    if law == "IPC":
        return base in SENSITIVE_IPC
    return any(marker in act.upper() for marker in SENSITIVE_ACTS)

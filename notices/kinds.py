"""The structured facts each kind of notice needs, kept in NoticeRequest.facts (one JSON key per FactField).

The descriptions follow INTERPOL's own: the Rules on the Processing of Data (RPD) and interpol.int "About Notices".
What makes a request acceptable lives in notices.rules; this module only says what to ask.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from notices.models import NoticeKind


@dataclass(frozen=True)
class FactField:
    """One fact asked of the drafter: its key in NoticeRequest.facts, how to ask it, and whether INTERPOL needs it."""

    key: str
    label: str
    kind: str  # "text" | "textarea" | "date" | "choice" | "bool"
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""


FACT_KINDS = ("text", "textarea", "date", "choice", "bool")

# Red: the category of the offence, for the "serious ordinary-law crime" test (RPD Art. 83(1)(a)(i)).
OFFENCE_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("murder", _("Murder or culpable homicide")),
    ("terrorism", _("Terrorism")),
    ("drug_trafficking", _("Drug trafficking")),
    ("human_trafficking", _("Trafficking in human beings or migrant smuggling")),
    ("sexual_offence", _("Rape or other sexual offence")),
    ("child_sexual_abuse", _("Sexual abuse or exploitation of children")),
    ("kidnapping", _("Kidnapping or abduction for ransom")),
    ("robbery_dacoity", _("Robbery or dacoity")),
    ("organised_crime", _("Organised crime")),
    ("fraud_economic", _("Fraud, cheating or other economic offence")),
    ("money_laundering", _("Money laundering")),
    ("cyber_crime", _("Cyber crime")),
    ("arms_trafficking", _("Trafficking in arms, ammunition or explosives")),
    ("corruption", _("Corruption or bribery")),
    ("counterfeiting", _("Counterfeiting of currency or documents")),
    ("environmental", _("Environmental crime or wildlife trafficking")),
    ("other", _("Other serious ordinary-law crime")),
)

BLUE_PURPOSES: tuple[tuple[str, str], ...] = (
    ("identify", _("Identify a person")),
    ("locate", _("Locate a person")),
    ("obtain_information", _("Obtain information about a person")),
)

THREAT_KINDS: tuple[tuple[str, str], ...] = (
    ("person", _("A person")),
    ("object", _("An object (for example a weapon, a parcel bomb, a dangerous material)")),
    ("event", _("An event")),
    ("process", _("A process")),
)

KIND_FACTS: dict[str, tuple[FactField, ...]] = {
    NoticeKind.RED: (
        FactField(
            "offence_category",
            _("category of offence"),
            "choice",
            required=True,
            choices=OFFENCE_CATEGORIES,
            help=_("Red notices are published only for serious ordinary-law crimes."),
        ),
    ),
    NoticeKind.YELLOW: (
        FactField(
            "disappeared_on",
            _("date of disappearance"),
            "date",
            required=True,
            help=_("The date the person was last seen, as recorded in the police report."),
        ),
        FactField(
            "disappeared_at",
            _("place of disappearance"),
            "text",
            required=True,
            help=_("The place the person was last seen: town, district, state and country."),
        ),
        FactField(
            "circumstances",
            _("circumstances of the disappearance"),
            "textarea",
            required=True,
            help=_("How the person went missing: a parental abduction, a criminal abduction (kidnapping) or an unexplained disappearance."),
        ),
        FactField(
            "is_minor",
            _("the missing person is a minor"),
            "bool",
            help=_("Under 18 on the date of disappearance."),
        ),
    ),
    NoticeKind.BLUE: (
        FactField(
            "purpose",
            _("what the notice seeks"),
            "choice",
            required=True,
            choices=BLUE_PURPOSES,
            help=_("Blue notices locate, identify or obtain information on a person of interest in a criminal investigation."),
        ),
        FactField(
            "reason",
            _("link to a criminal investigation"),
            "textarea",
            required=True,
            help=_("The case and the person's role in it: convicted, charged, suspect, witness or victim."),
        ),
    ),
    NoticeKind.BLACK: (
        FactField("found_on", _("date the body was found"), "date", required=True),
        FactField(
            "found_at",
            _("place the body was found"),
            "text",
            required=True,
            help=_("Town, district, state and country."),
        ),
        FactField(
            "body_description",
            _("description of the body"),
            "textarea",
            required=True,
            help=_("Sex, apparent age, build, clothing, tattoos, scars, dental features and belongings found with the body."),
        ),
        FactField("cause_of_death", _("cause of death"), "text", help=_("As established by the post-mortem, if known.")),
        FactField("estimated_age", _("estimated age"), "text", help=_("For example: 30 to 40 years.")),
    ),
    NoticeKind.GREEN: (
        FactField(
            "criminal_activities",
            _("criminal activities"),
            "textarea",
            required=True,
            help=_("The person's criminal activities, with dates and places, on which the warning rests."),
        ),
        FactField(
            "risk_to_public",
            _("threat to public safety"),
            "textarea",
            required=True,
            help=_("Why a national law-enforcement authority considers the person a possible threat to public safety."),
        ),
        FactField(
            "conviction_details",
            _("previous convictions"),
            "textarea",
            help=_("Court, case number, date, offence and sentence of each previous conviction."),
        ),
    ),
    NoticeKind.ORANGE: (
        FactField(
            "threat_kind",
            _("the threat is"),
            "choice",
            required=True,
            choices=THREAT_KINDS,
            help=_("Orange notices warn of an event, a person, an object or a process representing a serious and imminent threat."),
        ),
        FactField(
            "threat_description",
            _("description of the threat"),
            "textarea",
            required=True,
            help=_("What the threat is, to whom or to what, and why it is serious and imminent."),
        ),
        FactField(
            "imminent_until",
            _("threat expected until"),
            "date",
            help=_("The date after which the threat is no longer expected, if known."),
        ),
    ),
    NoticeKind.PURPLE: (
        FactField(
            "modus_operandi",
            _("modus operandi"),
            "textarea",
            required=True,
            help=_("How the crimes were committed, step by step."),
        ),
        FactField("objects_devices", _("objects and devices used"), "textarea"),
        FactField("concealment_methods", _("concealment methods"), "textarea", help=_("Where and how goods, money or people were hidden.")),
        FactField("linked_cases", _("linked cases"), "text", help=_("FIR or case numbers of the cases in which this method was seen.")),
    ),
    NoticeKind.SILVER: (
        FactField(
            "assets_description",
            _("description of the assets"),
            "textarea",
            required=True,
            help=_("Properties, vehicles, financial accounts, businesses: what is sought and what is already known."),
        ),
        FactField(
            "asset_locations",
            _("where the assets may be"),
            "text",
            required=True,
            help=_("Countries or places where the assets are believed to be."),
        ),
        FactField(
            "linked_offence",
            _("linked criminal activity"),
            "text",
            required=True,
            help=_("The criminal activity the assets are linked to, for example fraud, corruption or drug trafficking."),
        ),
        FactField(
            "proceedings",
            _("investigation or proceedings"),
            "textarea",
            help=_("The investigation or proceedings the request relates to, with case numbers."),
        ),
    ),
    NoticeKind.UN_SPECIAL: (
        FactField(
            "sanctions_committee",
            _("UN Security Council sanctions committee"),
            "text",
            required=True,
            help=_("For example: the 1267/1989/2253 ISIL (Da'esh) and Al-Qaida Sanctions Committee."),
        ),
        FactField(
            "un_reference",
            _("UN sanctions list reference number"),
            "text",
            required=True,
            help=_("The permanent reference number on the UN Security Council Consolidated List, for example QDi.001."),
        ),
        FactField(
            "measures",
            _("sanctions measures"),
            "textarea",
            required=True,
            help=_("The measures in force: asset freeze, travel ban, arms embargo."),
        ),
    ),
}

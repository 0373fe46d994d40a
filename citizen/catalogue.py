"""The citizen service catalogue: what each service asks, where it goes, how soon it is due and what it ends in.

Each service is a plain definition; the forms, the routing, the deadlines, the station's steps, the
Open311 service list and the privacy notices are all read from here, so a new service is one entry.

Routing levels:
- "station": the police station of the place of occurrence (or of residence, for verifications).
- "district": above the station, to the SP office of the station's district (complaints against police
  officials). A complaint against an officer of the SP office or higher, or one from a district whose SP
  office has no account yet, goes to the ILOs of the state police instead (see `routing.level_for`).
A service that `escalates` moves up to the district when the station misses its deadline (the e-FIR,
BNSS s.173); the others stay at the station and the district is only told.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Field:
    """One question on a service's form; `kind` is text, textarea, date, choice, email, number, phone or file."""

    name: str
    label: str
    kind: str = "text"
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""
    past_only: bool = False  # a date that cannot be in the future
    future_only: bool = False  # a date from today on, within the coming year (an event's)
    min_age: int = 0  # a date of birth: the person is at least this old
    min_value: int = 0  # a number's bounds
    max_value: int = 10**12
    accept: str = ""  # for files: "image" or "document"
    needed_if: tuple[str, str] = ()  # (field, value): asked, and required, only when another answer is this value

    def applies(self, details: dict) -> bool:
        return not self.needed_if or details.get(self.needed_if[0]) == self.needed_if[1]


@dataclass(frozen=True)
class Privacy:
    """The plain-language privacy notice of a service."""

    collected: str
    why: str
    kept: str


@dataclass(frozen=True)
class Deadline:
    days: int
    working: bool  # working days (Saturdays, Sundays, holidays skipped) or calendar days
    basis: str = ""

    def __str__(self) -> str:
        if self.days == 0:
            return str(_("at once"))
        if self.working:
            return ngettext("%(n)d working day", "%(n)d working days", self.days) % {"n": self.days}
        return ngettext("%(n)d day", "%(n)d days", self.days) % {"n": self.days}


@dataclass(frozen=True)
class Service:
    """A citizen service: its form, routing rule, deadline and output."""

    code: str
    name: str
    description: str
    group: str
    fields: tuple[Field, ...]
    deadline: Deadline
    output: str  # "acknowledgement", "fir", "certificate", "noc", "decision", "lost_report"
    privacy: Privacy
    routing: str = "station"  # or "district"
    fir_capable: bool = False  # the station may register an FIR from it
    escalates: bool = False  # goes up to the district when the station misses its deadline
    instant: bool = False  # its document is issued as it is filed, without a step of the station (the lost-article report)
    keywords: tuple[str, ...] = field(default=())

    @property
    def issues_document(self) -> bool:
        return self.output in ("certificate", "noc")

    @property
    def file_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.kind == "file")

    def answers(self, details: dict) -> list[tuple[str, str]]:
        """A request's answers as a reader reads them, in the form's order: each question's label and the answer, a
        choice by its label, never its code (files apart, empty answers left out)."""
        out = []
        for spec in self.fields:
            value = details.get(spec.name)
            if spec.kind == "file" or value in ("", None):
                continue
            out.append((str(spec.label), str(dict(spec.choices).get(value, value)) if spec.choices else str(value)))
        return out


# --- Building blocks ------------------------------------------------------------------------

WHEN = Field("occurred_on", _("Date it happened"), "date", past_only=True)
PLACE = Field("place", _("Place where it happened (address or landmark)"))
WHAT = Field("description", _("What happened, in your own words"), "textarea")
EVIDENCE = Field(
    "evidence",
    _("Evidence, if you have it: a photo or a document"),
    "file",
    required=False,
    accept="document",
    help=_("A screenshot, a photo, a bill or a letter: JPEG, PNG or PDF, up to 5 MB."),
)
PHOTO = Field("photo", _("Photograph of the person to be verified (JPEG or PNG)"), "file", accept="image")
ID_PROOF = Field("id_proof", _("Their identity proof (Aadhaar, voter ID, passport… as PDF or image)"), "file", accept="document")
CONSENT = Field(
    "consent", _("Signed consent of the person to be verified (PDF or image)"), "file", accept="document", help=_("Scan or photo.")
)
SUBJECT_NAME = Field("subject_name", _("Full name of the person to be verified"))
SUBJECT_FATHER = Field("subject_father", _("Father's or mother's name"), required=False)
SUBJECT_DOB = Field("subject_dob", _("Their date of birth"), "date", past_only=True, min_age=18)  # a tenant, employee or help
SUBJECT_ADDRESS = Field("subject_address", _("Their permanent address"), "textarea")
# The same questions when the person verified is the applicant (a character certificate, a passport): no consent.
YOURSELF = (
    Field("subject_name", _("Your full name")),
    Field("subject_father", _("Your father's or mother's name"), required=False),
    Field("subject_dob", _("Your date of birth"), "date", past_only=True),
    Field("subject_address", _("Your permanent address"), "textarea"),
)
YOUR_FILES = (
    Field("photo", _("Your photograph (JPEG or PNG)"), "file", accept="image"),
    Field("id_proof", _("Your identity proof (Aadhaar, voter ID, passport… as PDF or image)"), "file", accept="document"),
)

# A stolen vehicle's numbers, asked in fields so that the FIR files the vehicle in the records (refused an NOC at once).
VEHICLE_THEFT = ("category", "vehicle_theft")
VEHICLE_FIELDS = (
    Field("vehicle_registration", _("Vehicle registration number"), help=_("Like DL 3C AB 1234."), needed_if=VEHICLE_THEFT),
    Field("vehicle_chassis", _("Chassis number (on the registration certificate)"), required=False, needed_if=VEHICLE_THEFT),
    Field("vehicle_engine", _("Engine number"), required=False, needed_if=VEHICLE_THEFT),
    Field("vehicle_make", _("Make, e.g. Honda"), needed_if=VEHICLE_THEFT),
    Field("vehicle_model", _("Model, e.g. Activa 6G"), needed_if=VEHICLE_THEFT),
    Field("vehicle_colour", _("Colour"), required=False, needed_if=VEHICLE_THEFT),
)


EARLIEST_DATE = date(1900, 1, 1)


def answer_problems(service: "Service", details: dict, today: date) -> dict[str, list[str]]:
    """What is wrong with a request's answers for what each question means: an answer another answer makes necessary
    and missing (a vehicle theft's registration number), a date before 1900, a date of birth in the future or too
    recent for the person verified, an event's date already past, a number out of its range. Checked by the service,
    so that the web form, the API and Open311 share the rules; dates as `date` or ISO text, numbers as int or text."""
    problems: dict[str, list[str]] = {}
    for spec in service.fields:
        value = details.get(spec.name)
        if spec.needed_if and spec.required and spec.applies(details) and value in (None, ""):
            problems[spec.name] = [_("Needed for a vehicle theft.")]
        elif value not in (None, ""):
            problem = CHECKS[spec.kind](spec, value, today) if spec.kind in CHECKS else ""
            if problem:
                problems[spec.name] = [problem]
    return problems


def _date_problem(spec: Field, value, today: date) -> str:
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value))
        except ValueError:
            return str(_("Give a date as YYYY-MM-DD, e.g. 2026-01-15."))
    if value < EARLIEST_DATE:
        return str(_("Check the year: this date is before 1900."))
    if spec.past_only and value > today:
        if spec.min_age:
            return str(_("A date of birth cannot be in the future."))
        return str(_("This date is in the future. Give the date it happened."))
    if spec.min_age and value > _years_before(today, spec.min_age):
        return str(_("The person must be at least %(age)d years old: check the date of birth.") % {"age": spec.min_age})
    if spec.future_only and value < today:
        return str(_("This date has passed. Give a date from today on."))
    if spec.future_only and value > today + timedelta(days=366):
        return str(_("Apply for a date within the coming year."))
    return ""


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _phone_problem(spec: Field, value, today: date) -> str:
    from citizen.services import normalise_mobile  # the rule of every mobile number the portal keeps

    try:
        normalise_mobile(str(value))
    except ValidationError as error:
        return error.message_dict["mobile"][0]
    return ""


def _number_problem(spec: Field, value, today: date) -> str:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return str(_("Give a whole number."))
    if not spec.min_value <= number <= spec.max_value:
        return str(_("Give a number from %(min)s to %(max)s.") % {"min": f"{spec.min_value:,}", "max": f"{spec.max_value:,}"})
    return ""


CHECKS = {"date": _date_problem, "number": _number_problem, "phone": _phone_problem}


CRIME_CATEGORIES = (
    ("theft", _("Theft")),
    ("cyber", _("Cyber crime (online fraud, hacking, harassment online)")),
    ("assault", _("Assault or hurt")),
    ("cheating", _("Cheating or fraud")),
    ("threat", _("Threat or intimidation")),
    ("sexual_offence", _("Sexual offence")),
    ("child_abuse", _("Offence against a child (POCSO)")),
    ("terrorism", _("Terrorism or explosives")),
    ("other", _("Something else")),
)
# Cases the portal never serves an FIR copy of (victims' identity; security): sexual offences, POCSO, terrorism.
SENSITIVE_CATEGORIES = frozenset({"sexual_offence", "child_abuse", "terrorism"})

KEPT_CASE = _("As long as the case is open, then as the law on police records requires (at least 7 years).")
KEPT_VERIFY = _("One year after the certificate is issued, then deleted; the certificate's check code is kept 5 years.")

VERIFICATION_PRIVACY = Privacy(
    collected=_("Your name and contact details; the name, date of birth, address, photograph, identity proof and consent of the person."),
    why=_("To verify the person's antecedents at the police station and issue a certificate anyone can check."),
    kept=KEPT_VERIFY,
)


def _verification(code: str, name: str, description: str, extra: tuple[Field, ...] = (), yourself: bool = False) -> Service:
    """A verification of another person (with their consent), or, `yourself`, of the applicant."""
    if yourself:
        fields = (*YOURSELF, *extra, *YOUR_FILES)
    else:
        fields = (SUBJECT_NAME, SUBJECT_FATHER, SUBJECT_DOB, SUBJECT_ADDRESS, *extra, PHOTO, ID_PROOF, CONSENT)
    return Service(
        code=code,
        name=name,
        description=description,
        group="verification",
        fields=fields,
        deadline=Deadline(20, working=False, basis=_("Verification within 20 days")),
        output="certificate",
        privacy=VERIFICATION_PRIVACY,
    )


SERVICES: tuple[Service, ...] = (
    Service(
        code="complaint",
        name=_("Report a crime or file a complaint"),
        description=_("Any crime or grievance, cyber crime included. It goes to the police station of the place where it happened."),
        group="report",
        fields=(Field("category", _("What kind of crime"), "choice", choices=CRIME_CATEGORIES), WHEN, PLACE, WHAT, EVIDENCE),
        deadline=Deadline(3, working=True, basis=_("The station acts on it within 3 working days")),
        output="acknowledgement",
        privacy=Privacy(
            collected=_("Your name, e-mail and mobile number; what happened, when and where."),
            why=_("So the police station of the place can enquire, register an FIR where the law requires, and keep you informed."),
            kept=KEPT_CASE,
        ),
        fir_capable=True,
        keywords=("crime", "cyber", "complaint"),
    ),
    Service(
        code="efir",
        name=_("e-FIR: theft, vehicle theft or lost property"),
        description=_("The station must confirm your e-FIR within 3 days (BNSS s.173); if it does not, it goes to the district SP office."),
        group="report",
        fields=(
            Field(
                "category",
                _("What happened"),
                "choice",
                choices=(("theft", _("Theft")), ("vehicle_theft", _("Vehicle theft")), ("lost_property", _("Lost property"))),
            ),
            WHEN,
            PLACE,
            Field("property", _("What was stolen or lost (make, model, serial or registration number)"), "textarea"),
            Field("value", _("Approximate value in rupees"), "number", required=False),
            *VEHICLE_FIELDS,
            WHAT,
            EVIDENCE,
        ),
        deadline=Deadline(3, working=False, basis=_("BNSS s.173(3): the e-FIR is signed at the station within 3 days")),
        output="fir",
        privacy=Privacy(
            collected=_("Your name, e-mail and mobile number; what was stolen or lost, when and where."),
            why=_("To register the FIR at the police station of the place, trace the property and give you a copy of the FIR."),
            kept=KEPT_CASE,
        ),
        fir_capable=True,
        escalates=True,
        keywords=("theft", "vehicle", "lost"),
    ),
    _verification("verify_tenant", _("Tenant verification"), _("Verify a tenant before letting your house or room.")),
    _verification("verify_employee", _("Employee verification"), _("Verify a person you employ.")),
    _verification("verify_domestic", _("Domestic help verification"), _("Verify a domestic help, driver or caretaker.")),
    _verification(
        "character_certificate",
        _("Character certificate"),
        _("A police clearance about yourself, e.g. for a job."),
        extra=(Field("purpose", _("What the certificate is for")),),
        yourself=True,
    ),
    _verification(
        "passport",
        _("Passport verification"),
        _("Police verification for your passport application."),
        extra=(Field("file_number", _("Passport application file number")),),
        yourself=True,
    ),
    Service(
        code="police_conduct",
        name=_("Complaint against a police official"),
        description=_(
            "Misconduct by a police official. It goes above the station, to the district SP office; a complaint against "
            "an officer of the SP office or higher goes to senior officers of the state police."
        ),
        group="report",
        fields=(
            Field("official", _("Name, rank or badge number of the official, if known"), required=False),
            Field(
                "official_at",
                _("Where the official works"),
                "choice",
                required=False,
                choices=(("station", _("At a police station")), ("district", _("At the district SP office or higher"))),
            ),
            WHEN,
            PLACE,
            WHAT,
        ),
        deadline=Deadline(30, working=False, basis=_("Enquiry begun within 30 days")),
        output="decision",
        privacy=Privacy(
            collected=_("Your name, e-mail and mobile number; what happened, when and where, and who was involved."),
            why=_("So senior officers, not the station concerned, can enquire into the complaint."),
            kept=KEPT_CASE,
        ),
        routing="district",
    ),
    Service(
        code="noc_event",
        name=_("Permission (NOC) for an event, procession or loudspeaker"),
        description=_("Ask the police station for a no-objection certificate for a public event."),
        group="permission",
        fields=(
            Field(
                "event_kind",
                _("Kind of permission"),
                "choice",
                choices=(("event", _("Public event")), ("procession", _("Procession")), ("loudspeaker", _("Loudspeaker"))),
            ),
            Field("event_date", _("Date of the event"), "date", future_only=True),
            Field("place", _("Where the event will be (address, or the route's start and end)")),
            Field("attendance", _("Expected number of people"), "number", min_value=1, max_value=10_000_000),
            Field("description", _("Details: route, timings, organisers"), "textarea"),
        ),
        deadline=Deadline(7, working=True, basis=_("Decision within 7 working days")),
        output="noc",
        privacy=Privacy(
            collected=_("Your name and contact details; the event's date, place, size and organisers."),
            why=_("To decide on the permission and plan policing of the event."),
            kept=_("One year after the event, then deleted; the NOC's check code is kept 5 years."),
        ),
    ),
    Service(
        code="victim_compensation",
        name=_("Victim compensation application"),
        description=_("Apply for compensation as a victim of crime; the station forwards it with its report."),
        group="report",
        fields=(
            Field("fir_number", _("FIR number, if one was registered"), required=False),
            WHEN,
            PLACE,
            Field("loss", _("Injury or loss suffered"), "textarea"),
            WHAT,
        ),
        deadline=Deadline(30, working=False, basis=_("Station report within 30 days")),
        output="decision",
        privacy=Privacy(
            collected=_("Your name and contact details; the crime, your injury or loss."),
            why=_("So the station can verify the facts and forward your application to the legal services authority."),
            kept=KEPT_CASE,
        ),
    ),
    Service(
        code="missing_person",
        name=_("Report a missing person"),
        description=_("Report someone who is missing. The police act at once; do not wait 24 hours."),
        group="report",
        fields=(
            Field("person_name", _("Name of the missing person")),
            Field("age", _("Age in years"), "number", max_value=120),
            Field("last_seen_on", _("Date last seen"), "date", past_only=True),
            Field("place", _("Place last seen")),
            Field("description", _("Description: height, clothes, marks, anything that helps"), "textarea"),
            Field("photo", _("A recent photograph (JPEG or PNG)"), "file", required=False, accept="image"),
        ),
        deadline=Deadline(1, working=False, basis=_("The station acts the same day")),
        output="acknowledgement",
        privacy=Privacy(
            collected=_("Your name and contact details; the missing person's name, age, description and photograph."),
            why=_("To search for the person, alert other stations and keep you informed."),
            kept=KEPT_CASE,
        ),
        fir_capable=True,
    ),
)

SERVICES += (
    Service(
        code="senior_citizen",
        name=_("Register a senior citizen with the police station"),
        description=_(
            "A person of 60 or more, above all one living alone, registered with the local station: the beat officer "
            "visits, checks on them from time to time, and verifies their domestic help on request."
        ),
        group="registration",
        fields=(
            Field("subject_name", _("Name of the senior citizen")),
            Field("subject_dob", _("Their date of birth"), "date", past_only=True, min_age=60),
            Field("subject_address", _("Their address"), "textarea"),
            Field(
                "lives_alone",
                _("Do they live alone?"),
                "choice",
                choices=(("alone", _("Alone")), ("spouse", _("With their spouse only")), ("family", _("With family or others"))),
            ),
            Field("senior_phone", _("Their phone number"), "phone", required=False),
            Field("relative_name", _("A relative or neighbour to call in an emergency")),
            Field("relative_phone", _("That person's mobile number"), "phone"),
            Field("needs", _("Health or other needs the police should know"), "textarea", required=False),
        ),
        deadline=Deadline(7, working=True, basis=_("The beat officer visits within 7 working days")),
        output="acknowledgement",
        privacy=Privacy(
            collected=_("The senior citizen's name, date of birth, address and phone; an emergency contact; needs you tell us."),
            why=_("So that the station's beat officer can visit and check on them, and reach someone in an emergency."),
            kept=_("As long as they stay registered; deleted a year after the registration is withdrawn."),
        ),
        keywords=("senior", "elderly", "registration"),
    ),
)

LOST_ARTICLES = (
    ("aadhaar", _("Aadhaar card")),
    ("pan", _("PAN card")),
    ("passport", _("Passport")),
    ("driving_licence", _("Driving licence")),
    ("vehicle_rc", _("Vehicle registration certificate")),
    ("voter_id", _("Voter ID card")),
    ("ration_card", _("Ration card")),
    ("bank_card", _("Bank, debit or credit card")),
    ("mobile_phone", _("Mobile phone")),
    ("other_document", _("Another document")),
    ("other_article", _("Another article")),
)
SERVICES += (
    Service(
        code="lost_report",
        name=_("Lost article or document report"),
        description=_(
            "Lost a document or an article (not stolen)? Get a report number and its PDF at once, without going to the police "
            "station, to apply for a duplicate. If it was stolen, file an e-FIR instead."
        ),
        group="report",
        fields=(
            Field("article", _("What you lost"), "choice", choices=LOST_ARTICLES),
            Field(
                "article_number",
                _("Its number, if it has one"),
                required=False,
                help=_("The document's number (e.g. passport number), or the phone's IMEI."),
            ),
            Field(
                "article_description", _("Describe it"), "textarea", required=False, help=_("Make, colour, anything that identifies it.")
            ),
            Field("occurred_on", _("Date you lost it"), "date", past_only=True),
            Field("place", _("Where you lost it, as far as you know")),
        ),
        deadline=Deadline(0, working=False, basis=_("The report is issued at once")),
        output="lost_report",
        privacy=Privacy(
            collected=_("Your name, e-mail and mobile number; what you lost, when and where."),
            why=_(
                "To give you a report of the loss for a duplicate document, and so that the police can return the article if it is found."
            ),
            kept=_("Three years, then deleted; the report's check code is kept as long as the report."),
        ),
        instant=True,
        keywords=("lost", "document", "duplicate"),
    ),
)

BY_CODE: dict[str, Service] = {service.code: service for service in SERVICES}
GROUPS = (
    ("report", _("Report")),
    ("verification", _("Verification")),
    ("permission", _("Permission")),
    ("registration", _("Register with the police")),
)


def get(code: str) -> Service | None:
    return BY_CODE.get(code)

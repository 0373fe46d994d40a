"""Requests for INTERPOL notices, drafted by a Unit Officer, reviewed by the ILO and the NCB, answered by INTERPOL."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.models import Role
from accounts.offices import Office
from workflow.models import Workflowed
from workflow.services import NCB_ROLES, Assignment, Move


class NoticeKind(models.TextChoices):
    RED = "red", _("Red notice: arrest with a view to extradition")
    YELLOW = "yellow", _("Yellow notice: a missing person")
    BLUE = "blue", _("Blue notice: identity, location or activities of a person")
    BLACK = "black", _("Black notice: an unidentified body")
    GREEN = "green", _("Green notice: a warning about a person's criminal activities")
    ORANGE = "orange", _("Orange notice: an imminent threat to public safety")
    PURPLE = "purple", _("Purple notice: modus operandi, objects, devices, concealment")
    SILVER = "silver", _("Silver notice: assets linked to criminal activity")
    UN_SPECIAL = "un_special", _("INTERPOL-UN Security Council Special Notice")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")
    OTHER = "X", _("Other")
    UNKNOWN = "U", _("Unknown")


class Law(models.TextChoices):
    BNS = "BNS", _("Bharatiya Nyaya Sanhita, 2023")
    IPC = "IPC", _("Indian Penal Code, 1860 (offences before 1 July 2024)")
    SLL = "SLL", _("Special or local law")


class WarrantKind(models.TextChoices):
    ARREST_WARRANT = "arrest_warrant", _("Arrest warrant")
    COURT_DECISION = "court_decision", _("Court decision (conviction)")


class Purpose(models.TextChoices):
    PROSECUTION = "prosecution", _("Prosecution")
    SENTENCE = "sentence", _("To serve a sentence")


class NoticeRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> "NoticeRequestQuerySet":
        """NCB: every request; ILO: its agency's; UO: its unit's; everyone else: none."""
        return access.visible(user, "notices.view", self, agency="agency", unit="unit", station=None)


class NoticeRequest(Workflowed):
    """A request for an INTERPOL notice about one person (or, for Black, one body), with its review history."""

    class Stage(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ILO_REVIEW = "ilo_review", _("With the ILO for review")
        NCB_REVIEW = "ncb_review", _("With the NCB for review")
        TRANSMITTED = "transmitted", _("Sent to INTERPOL")
        MORE_INFO = "more_info", _("INTERPOL asks for more information")
        PUBLISHED = "published", _("Published by INTERPOL")
        REFUSED = "refused", _("Refused by the NCB")
        INTERPOL_REFUSED = "interpol_refused", _("Refused by INTERPOL")
        CANCELLED = "cancelled", _("Cancelled by INTERPOL")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    S = Stage
    DRAFTERS = (Role.UO, Role.ILO)
    FLOW = {
        (S.DRAFT, "submit"): Move(S.ILO_REVIEW, DRAFTERS, "ilo_review"),
        (S.MORE_INFO, "submit"): Move(S.ILO_REVIEW, DRAFTERS, "ilo_review"),
        (S.DRAFT, "withdraw"): Move(S.WITHDRAWN, DRAFTERS, needs_note=True),
        (S.ILO_REVIEW, "return"): Move(S.DRAFT, (Role.ILO,), "uo_revision", needs_note=True),
        (S.ILO_REVIEW, "forward"): Move(S.NCB_REVIEW, (Role.ILO,), "ncb_review"),
        (S.NCB_REVIEW, "return"): Move(S.ILO_REVIEW, NCB_ROLES, "ilo_review", needs_note=True),
        (S.NCB_REVIEW, "refuse"): Move(S.REFUSED, NCB_ROLES, needs_note=True),
        (S.NCB_REVIEW, "approve"): Move(S.TRANSMITTED, NCB_ROLES, "interpol_answer"),
        (S.TRANSMITTED, "record_published"): Move(S.PUBLISHED, NCB_ROLES),
        (S.TRANSMITTED, "record_more_info"): Move(S.MORE_INFO, NCB_ROLES, "uo_revision", needs_note=True),
        (S.TRANSMITTED, "record_refused"): Move(S.INTERPOL_REFUSED, NCB_ROLES, needs_note=True),
        (S.TRANSMITTED, "withdraw"): Move(S.WITHDRAWN, NCB_ROLES, needs_note=True),
        (S.PUBLISHED, "record_cancelled"): Move(S.CANCELLED, NCB_ROLES, needs_note=True),
        (S.PUBLISHED, "withdraw"): Move(S.WITHDRAWN, NCB_ROLES, needs_note=True),
    }
    EDITABLE_STAGES = (S.DRAFT, S.MORE_INFO)

    stage = models.CharField(_("stage"), max_length=32, choices=Stage.choices, default=Stage.DRAFT, db_index=True)
    reference = models.CharField(max_length=40, unique=True, null=True, blank=True)
    kind = models.CharField(_("kind of notice"), max_length=12, choices=NoticeKind.choices)
    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="notice_requests")
    unit = models.ForeignKey("directory.UnitOffice", null=True, blank=True, on_delete=models.PROTECT, related_name="notice_requests")
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notice_requests")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    case_reference = models.CharField(_("case reference (FIR or case number)"), max_length=100, blank=True)

    # The subject
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    forenames = models.CharField(_("forename(s)"), max_length=150, blank=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    name_indian_script = models.CharField(_("name in an Indian script"), max_length=200, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    year_of_birth = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    place_of_birth = models.CharField(_("place of birth"), max_length=150, blank=True)
    country_of_birth = models.ForeignKey(
        "directory.Country", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("country of birth")
    )
    nationalities = models.JSONField(_("nationalities (ISO codes)"), default=list, blank=True)
    identity_documents = models.JSONField(_("identity documents"), default=list, blank=True)
    height_cm = models.PositiveSmallIntegerField(_("height (cm)"), null=True, blank=True)
    weight_kg = models.PositiveSmallIntegerField(_("weight (kg)"), null=True, blank=True)
    eye_colour = models.CharField(_("eye colour"), max_length=30, blank=True)
    hair_colour = models.CharField(_("hair colour"), max_length=30, blank=True)
    distinguishing_marks = models.TextField(_("distinguishing marks"), blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    fingerprints_available = models.BooleanField(_("fingerprints available"), default=False)
    dna_available = models.BooleanField(_("DNA profile available"), default=False)

    # Judicial data (Red)
    offence = models.CharField(_("offence"), max_length=200, blank=True)
    law = models.CharField(_("law"), max_length=3, choices=Law.choices, blank=True)
    sections = models.CharField(_("sections"), max_length=200, blank=True)
    max_penalty_months = models.PositiveIntegerField(_("maximum penalty (months)"), null=True, blank=True)
    max_penalty_life = models.BooleanField(_("punishable with life imprisonment or death"), default=False)
    purpose = models.CharField(_("sought for"), max_length=12, choices=Purpose.choices, blank=True)
    sentence_remaining_months = models.PositiveIntegerField(_("sentence left to serve (months)"), null=True, blank=True)
    warrant_kind = models.CharField(_("warrant or decision"), max_length=20, choices=WarrantKind.choices, blank=True)
    warrant_number = models.CharField(_("warrant or decision number"), max_length=100, blank=True)
    warrant_date = models.DateField(_("date of the warrant or decision"), null=True, blank=True)
    issuing_court = models.CharField(_("issuing court or authority"), max_length=200, blank=True)
    facts_summary = models.TextField(_("summary of facts"), blank=True)
    extradition_intended = models.BooleanField(_("extradition will be sought"), null=True, blank=True)

    # What the other kinds need (keys per kind in notices.kinds)
    facts = models.JSONField(default=dict, blank=True)

    # Flags under Article 3 of INTERPOL's Constitution, for the NCB's decision
    article3_flags = models.JSONField(default=list, blank=True)

    # INTERPOL's answer
    interpol_notice_number = models.CharField(_("INTERPOL notice number"), max_length=40, blank=True)
    interpol_answered_at = models.DateTimeField(null=True, blank=True)

    objects = NoticeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agency", "stage"]), models.Index(fields=["unit", "stage"])]

    def __str__(self) -> str:
        return f"{self.reference or 'draft'}: {self.get_kind_display()} — {self.subject_name}"

    @property
    def subject_name(self) -> str:
        return " ".join(part for part in (self.forenames, self.family_name.upper()) if part) or str(_("(unnamed)"))

    @property
    def is_editable(self) -> bool:
        return self.stage in self.EDITABLE_STAGES

    def get_absolute_url(self) -> str:
        return reverse("notices:detail", args=[self.pk])

    def task_title(self) -> str:
        return f"{self.get_kind_display().split(':')[0]}: {self.subject_name}"

    def task_kind(self) -> str:
        return f"notice.{self.kind}"

    def assignment_for_stage(self, stage: str, due_at) -> Assignment | None:
        S = self.Stage
        if stage in (S.DRAFT, S.MORE_INFO):
            if self.unit_id:
                return Assignment(Office.unit(self.unit_id, self.agency_id), due_at)
            return Assignment(Office.agency(self.agency_id), due_at)
        if stage == S.ILO_REVIEW:
            return Assignment(Office.agency(self.agency_id), due_at)
        if stage in (S.NCB_REVIEW, S.TRANSMITTED):
            return Assignment(Office.national(), due_at)
        return None

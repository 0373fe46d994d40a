"""Requests for assistance to police abroad (Interpol References) and the replies the NCB records."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.models import Role
from accounts.offices import Office
from workflow.models import Workflowed
from workflow.services import NCB_ROLES, Assignment, Move


class Assistance(models.TextChoices):
    LOCATE_PERSON = "locate_person", _("Locate a person")
    VERIFY_IDENTITY = "verify_identity", _("Verify an identity")
    CRIMINAL_RECORD = "criminal_record", _("Criminal record check")
    OBTAIN_DOCUMENTS = "obtain_documents", _("Obtain documents or evidence")
    TRACE_ASSETS = "trace_assets", _("Trace assets or bank accounts")
    INTERVIEW_WITNESS = "interview_witness", _("Interview a witness or suspect")
    VEHICLE_CHECK = "vehicle_check", _("Check a vehicle or vessel")
    OTHER = "other", _("Other assistance")


class LegalBasis(models.TextChoices):
    POLICE_COOPERATION = "police_cooperation", _("Police-to-police cooperation through INTERPOL channels")
    MLAT = "mlat", _("Mutual Legal Assistance Treaty")
    LETTER_ROGATORY = "letter_rogatory", _("Letter rogatory (BNSS s.112)")
    RECIPROCITY = "reciprocity", _("Assurance of reciprocity")
    CONVENTION = "convention", _("UN convention (UNTOC, UNCAC, drugs)")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")
    IMMEDIATE = "immediate", _("Immediate (life at risk)")


class HandlingCode(models.TextChoices):
    H0 = "H0", _("H0: no restriction beyond police use")
    H1 = "H1", _("H1: police use only, not to be shared with other authorities")
    H2 = "H2", _("H2: not to be passed on without the originator's permission")
    H3 = "H3", _("H3: for information only, not to be used as evidence")


class Outcome(models.TextChoices):
    RECEIVED = "received", _("Assistance received")
    PARTIAL = "partial", _("Partly received")
    NOT_RECEIVED = "not_received", _("No reply or refused")
    NOT_NEEDED = "not_needed", _("No longer needed")


class ReferenceQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReferenceQuerySet":
        return access.visible(user, "references.view", self, agency="agency", unit="unit", station=None)


class ReferenceRequest(Workflowed):
    """A request to one or more foreign NCBs for help in an Indian investigation."""

    class Stage(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ILO_REVIEW = "ilo_review", _("With the ILO for review")
        NCB_REVIEW = "ncb_review", _("With the NCB for review")
        SENT = "sent", _("Sent abroad, awaiting replies")
        REPLIED = "replied", _("Reply received")
        CLOSED = "closed", _("Closed")
        REFUSED = "refused", _("Refused by the NCB")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    S = Stage
    DRAFTERS = (Role.UO, Role.ILO)
    FLOW = {
        (S.DRAFT, "submit"): Move(S.ILO_REVIEW, DRAFTERS, "ilo_review"),
        (S.DRAFT, "withdraw"): Move(S.WITHDRAWN, DRAFTERS, needs_note=True),
        (S.ILO_REVIEW, "return"): Move(S.DRAFT, (Role.ILO,), "uo_revision", needs_note=True),
        (S.ILO_REVIEW, "forward"): Move(S.NCB_REVIEW, (Role.ILO,), "ncb_review"),
        (S.NCB_REVIEW, "return"): Move(S.ILO_REVIEW, NCB_ROLES, "ilo_review", needs_note=True),
        (S.NCB_REVIEW, "refuse"): Move(S.REFUSED, NCB_ROLES, needs_note=True),
        (S.NCB_REVIEW, "approve"): Move(S.SENT, NCB_ROLES, "foreign_reply"),
        (S.SENT, "record_reply"): Move(S.REPLIED, NCB_ROLES),
        (S.SENT, "close"): Move(S.CLOSED, NCB_ROLES, needs_note=True),
        (S.REPLIED, "close"): Move(S.CLOSED, NCB_ROLES, needs_note=True),
    }
    EDITABLE_STAGES = (S.DRAFT,)

    stage = models.CharField(_("stage"), max_length=32, choices=Stage.choices, default=Stage.DRAFT, db_index=True)
    reference = models.CharField(max_length=40, unique=True, null=True, blank=True)
    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="reference_requests")
    unit = models.ForeignKey("directory.UnitOffice", null=True, blank=True, on_delete=models.PROTECT, related_name="reference_requests")
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reference_requests")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    countries = models.ManyToManyField("directory.Country", related_name="+", verbose_name=_("countries asked"))
    case_reference = models.CharField(_("case reference (FIR or case number)"), max_length=100, blank=True)
    subjects = models.JSONField(_("subjects"), default=list, blank=True)
    offence = models.CharField(_("offence"), max_length=200, blank=True)
    law_sections = models.CharField(_("law and sections"), max_length=200, blank=True)
    facts = models.TextField(_("facts of the case"), blank=True)
    assistance = models.JSONField(_("assistance sought"), default=list, blank=True)
    assistance_details = models.TextField(_("what exactly you need"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices, default=LegalBasis.POLICE_COOPERATION)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    handling_code = models.CharField(_("handling code"), max_length=2, choices=HandlingCode.choices, default=HandlingCode.H1)

    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agency", "stage"]), models.Index(fields=["unit", "stage"])]

    def __str__(self) -> str:
        return f"{self.reference or 'draft'}: {self.offence}"

    @property
    def is_editable(self) -> bool:
        return self.stage in self.EDITABLE_STAGES

    def get_absolute_url(self) -> str:
        return reverse("references:detail", args=[self.pk])

    def task_title(self) -> str:
        return f"{self.offence} — {', '.join(self.countries.values_list('iso2', flat=True)) if self.pk else ''}"

    def task_kind(self) -> str:
        return "reference"

    def assignment_for_stage(self, stage: str, due_at) -> Assignment | None:
        S = self.Stage
        if stage == S.DRAFT:
            if self.unit_id:
                return Assignment(Office.unit(self.unit_id, self.agency_id), due_at)
            return Assignment(Office.agency(self.agency_id), due_at)
        if stage == S.ILO_REVIEW:
            return Assignment(Office.agency(self.agency_id), due_at)
        if stage in (S.NCB_REVIEW, S.SENT, S.REPLIED):
            return Assignment(Office.national(), due_at)
        return None


class ReferenceReply(models.Model):
    """What a foreign NCB answered, as the NCB recorded it; the requesting UO reads it on the request."""

    request = models.ForeignKey(ReferenceRequest, on_delete=models.PROTECT, related_name="replies")
    country = models.ForeignKey("directory.Country", on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("received on"))
    foreign_reference = models.CharField(_("their reference"), max_length=100, blank=True)
    body = models.TextField(_("reply"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "pk"]

    def __str__(self) -> str:
        return f"Reply from {self.country_id} to {self.request.reference}"

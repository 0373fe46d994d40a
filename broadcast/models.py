"""Requests from foreign countries (diffusions, notices, requests for assistance, intelligence) registered by the NCB
and disseminated to Indian agencies, and by their ILOs to unit offices, for action or for information."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.offices import Level, Office
from references.models import HandlingCode, Urgency
from workflow.models import Workflowed
from workflow.services import NCB_ROLES, Assignment, Move


class BroadcastKind(models.TextChoices):
    DIFFUSION = "diffusion", _("Diffusion")
    NOTICE = "notice", _("Notice received")
    ASSISTANCE = "assistance", _("Request for assistance")
    INTELLIGENCE = "intelligence", _("Criminal intelligence")


class SourceEvaluation(models.TextChoices):
    """INTERPOL's 4x4 evaluation of the source."""

    A = "A", _("A: reliable")
    B = "B", _("B: mostly reliable")
    C = "C", _("C: not reliable")
    X = "X", _("X: cannot be judged")


class InformationEvaluation(models.TextChoices):
    """INTERPOL's 4x4 evaluation of the information."""

    ONE = "1", _("1: known to be true without reservation")
    TWO = "2", _("2: known personally to the source")
    THREE = "3", _("3: not known personally, but corroborated")
    FOUR = "4", _("4: cannot be judged")


class Purpose(models.TextChoices):
    ACTION = "action", _("For action")
    INFORMATION = "information", _("For information")


class BroadcastQuerySet(models.QuerySet):
    def visible_to(self, user) -> "BroadcastQuerySet":
        """The national office: everything (what the NCB registered, disseminated or not); an agency: what reached it
        (or one of its unit offices); a unit office: what reached it; nobody without "broadcast.view"."""
        office = Office.of(user)
        if office is None or not access.can(user, "broadcast.view"):
            return self.none()
        if office.is_national:
            return self.all()
        reached = Dissemination.objects.filter(office.scope(agency="agency", unit="unit"), item=OuterRef("pk"))
        return self.filter(Exists(reached))


class BroadcastItem(Workflowed):
    """One item received from a foreign NCB or INTERPOL's General Secretariat."""

    class Stage(models.TextChoices):
        REGISTERED = "registered", _("Registered by the NCB")
        DISSEMINATED = "disseminated", _("Disseminated")
        REPLIED = "replied", _("Reply sent abroad")
        CLOSED = "closed", _("Closed")

    S = Stage
    FLOW = {
        (S.REGISTERED, "disseminate"): Move(S.DISSEMINATED, NCB_ROLES),
        (S.REGISTERED, "close"): Move(S.CLOSED, NCB_ROLES, needs_note=True),
        (S.DISSEMINATED, "send_reply"): Move(S.REPLIED, NCB_ROLES),
        (S.DISSEMINATED, "close"): Move(S.CLOSED, NCB_ROLES, needs_note=True),
        (S.REPLIED, "close"): Move(S.CLOSED, NCB_ROLES, needs_note=True),
    }
    RESTRICTED_CODES = (HandlingCode.H2,)

    stage = models.CharField(_("stage"), max_length=32, choices=Stage.choices, default=Stage.REGISTERED, db_index=True)
    reference = models.CharField(max_length=40, unique=True, null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=15, choices=BroadcastKind.choices)
    origin_country = models.ForeignKey("directory.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("from"))
    origin_reference = models.CharField(_("their reference"), max_length=100, blank=True)
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    offence = models.CharField(_("offence"), max_length=200, blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    handling_code = models.CharField(_("handling code"), max_length=2, choices=HandlingCode.choices, default=HandlingCode.H1)
    source_evaluation = models.CharField(_("source evaluation"), max_length=1, choices=SourceEvaluation.choices, default=SourceEvaluation.X)
    information_evaluation = models.CharField(
        _("information evaluation"), max_length=1, choices=InformationEvaluation.choices, default=InformationEvaluation.FOUR
    )
    persons = models.JSONField(_("persons"), default=list, blank=True)
    vehicles = models.JSONField(_("vehicles"), default=list, blank=True)
    documents = models.JSONField(_("documents"), default=list, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)
    reply_text = models.TextField(_("reply to the foreign country"), blank=True)
    reply_sent_at = models.DateTimeField(null=True, blank=True)

    objects = BroadcastQuerySet.as_manager()

    class Meta:
        ordering = ["-registered_at"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def is_restricted(self) -> bool:
        """May not be passed on beyond its addressees without the originator's permission."""
        return self.handling_code in self.RESTRICTED_CODES

    def get_absolute_url(self) -> str:
        return reverse("broadcast:detail", args=[self.pk])

    def task_title(self) -> str:
        return f"{self.get_kind_display()} from {self.origin_country_id}: {self.title}"

    def task_kind(self) -> str:
        return "broadcast"

    def assignment_for_stage(self, stage: str, due_at) -> Assignment | None:
        if stage == self.Stage.REGISTERED:
            return Assignment(Office.national(), due_at)
        return None


# Who items are disseminated to: agencies (their ILOs) and, passed on by an ILO, unit offices (their UOs).
RECIPIENT_LEVELS = (Level.AGENCY, Level.UNIT)


class DisseminationQuerySet(models.QuerySet):
    def for_recipient(self, user) -> "DisseminationQuerySet":
        """The rows this user's office answers for: an agency's own rows (ILOs), a unit office's (UOs)."""
        office = Office.of(user)
        if office is None or office.level not in RECIPIENT_LEVELS or not access.can(user, "broadcast.view"):
            return self.none()
        return self.filter(office.scope(agency="agency", unit="unit"), unit__isnull=office.level is Level.AGENCY)

    def seen_by(self, user) -> "DisseminationQuerySet":
        """The rows of the status table a user's office follows: all (the NCB), its agency's and its units' (an agency),
        its own (a unit office)."""
        office = Office.of(user)
        if office is None or not access.can(user, "broadcast.view"):
            return self.none()
        return self.filter(office.scope(agency="agency", unit="unit"))


class Dissemination(models.Model):
    """One addressee of an item: an agency (its ILOs) or, passed on by an ILO, a unit office (its UOs)."""

    item = models.ForeignKey(BroadcastItem, on_delete=models.PROTECT, related_name="disseminations")
    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("directory.UnitOffice", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    due_at = models.DateTimeField(_("due"))
    note = models.TextField(_("instructions"), blank=True)
    disseminated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    disseminated_at = models.DateTimeField(auto_now_add=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    findings = models.TextField(_("action taken and findings"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(default=0)

    objects = DisseminationQuerySet.as_manager()

    class Meta:
        ordering = ["agency__name", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["item", "agency"], condition=Q(unit__isnull=True), name="one_row_per_agency"),
            models.UniqueConstraint(fields=["item", "unit"], condition=Q(unit__isnull=False), name="one_row_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.item.reference} → {self.recipient_label}"

    def get_absolute_url(self) -> str:
        return self.item.get_absolute_url()

    @property
    def office(self) -> Office:
        """The office this row is addressed to: a unit office, or the agency itself."""
        return Office.unit(self.unit_id, self.agency_id) if self.unit_id else Office.agency(self.agency_id)

    @property
    def recipient_label(self) -> str:
        return f"{self.unit.name}, {self.agency.name}" if self.unit_id else self.agency.name

    @property
    def reference(self) -> str:
        return self.item.reference

    @property
    def stage(self) -> str:
        """What the inbox shows as the stage of this addressee's work."""
        return f"for_{self.purpose}"

    @property
    def is_done(self) -> bool:
        return self.reported_at is not None if self.purpose == Purpose.ACTION else self.acknowledged_at is not None

    @property
    def is_overdue(self) -> bool:
        return not self.is_done and self.due_at < timezone.now()

    def task_title(self) -> str:
        return f"{self.get_purpose_display()}: {self.item.title}"

    def task_kind(self) -> str:
        return "broadcast"

"""What every request-like thing shares: its stage, the history of its moves, and the open task waiting on someone."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.offices import Office

# What each move is called in a request's history (pages, PDFs, e-mails); the FLOWs of every app name their moves by
# these keys. A key missing here is shown in words made from it, never as a code.
ACTION_LABELS = {
    "create": _("Created"),
    "submit": _("Submitted"),
    "withdraw": _("Withdrawn"),
    "return": _("Returned for changes"),
    "forward": _("Forwarded"),
    "approve": _("Approved"),
    "refuse": _("Refused"),
    "reject": _("Rejected"),
    "accept": _("Accepted"),
    "close": _("Closed"),
    "ask_info": _("More information asked for"),
    "answer": _("Answered"),
    "issue": _("Issued"),
    "disseminate": _("Disseminated"),
    "register_fir": _("FIR registered"),
    "send_reply": _("Reply sent"),
    "record_reply": _("Reply recorded"),
    "record_refused": _("Refusal by INTERPOL recorded"),
    "record_published": _("Publication by INTERPOL recorded"),
    "record_more_info": _("INTERPOL's request for more information recorded"),
    "record_cancelled": _("Cancellation recorded"),
    "escalate": _("Escalated"),
}


class Workflowed(models.Model):
    """Abstract base for a request that moves through stages; `workflow.services.advance` is its only way to move."""

    stage = models.CharField(max_length=32, db_index=True)
    stage_entered_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField(default=1, help_text="Bumped on every move; a stale version is a conflict.")

    class Meta:
        abstract = True

    # Subclasses define: Stage (TextChoices), FLOW (dict of legal moves) and `flow_owner()`.
    FLOW: dict = {}

    def legal_actions(self) -> list[str]:
        return [action for (stage, action) in self.FLOW if stage == self.stage]

    def escalate(self, task: "Task", now):
        """Called once by `workflow.services.escalate_overdue` when `task` is past its deadline.

        A request that moves up when late (a citizen's e-FIR) records it and returns the `Assignment` of
        the office that takes it over; by default it stays where it is and the next level is only told.
        """
        return None


class Transition(models.Model):
    """One move of one request: from which stage to which, by whom, when and why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    action = models.CharField(max_length=32)
    from_stage = models.CharField(max_length=32, blank=True)
    to_stage = models.CharField(max_length=32)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"]), models.Index(fields=["to_stage", "at"])]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_stage or '-'} → {self.to_stage}"

    @property
    def action_label(self) -> str:
        label = ACTION_LABELS.get(self.action)
        return str(label) if label is not None else self.action.replace("_", " ").capitalize()

    @property
    def from_label(self) -> str:
        return self._stage_label(self.from_stage)

    @property
    def to_label(self) -> str:
        return self._stage_label(self.to_stage)

    def _stage_label(self, stage: str) -> str:
        """A stage by its label in the subject's own Stage choices (each app names its stages)."""
        if not stage:
            return ""
        model = self.content_type.model_class()
        choices = getattr(model, "Stage", None)
        member = choices._value2member_map_.get(stage) if choices is not None else None
        return str(member.label) if member is not None else stage.replace("_", " ").capitalize()


class Task(models.Model):
    """Work waiting on an office: a request sitting in a stage, with its deadline. The office's inbox lists these.

    Apps open and close tasks through `workflow.services` (`task_open`, `tasks_close`), never by writing rows.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    stage = models.CharField(max_length=32)
    office = models.CharField(
        max_length=40,
        db_index=True,
        help_text="The office that acts next, as `Office.key`: national, agency:7, unit:3, district:12, station:40.",
    )
    title = models.CharField(max_length=300)
    reference = models.CharField(max_length=40)
    kind = models.CharField(max_length=40, help_text="What sort of item, for filtering (e.g. notice.red).")
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["office", "closed_at", "due_at"]),
            models.Index(fields=["content_type", "object_id", "closed_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], condition=models.Q(closed_at__isnull=True), name="one_open_task_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} waiting at {self.office}"

    def waiting_at(self) -> Office:
        """The office it waits on, as a value."""
        return Office.from_key(self.office)

    @property
    def is_overdue(self) -> bool:
        return self.due_at is not None and self.closed_at is None and self.due_at < timezone.now()


class Attachment(models.Model):
    """A file attached to a request (photo, warrant, PDF), stored outside the web root, served through access checks."""

    class Kind(models.TextChoices):
        PHOTO = "photo", "Photo"
        WARRANT = "warrant", "Warrant or court decision"
        FINGERPRINTS = "fingerprints", "Fingerprints"
        DOCUMENT = "document", "Other document"

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to="attachments/%Y/%m/")
    original_name = models.CharField(max_length=200)
    mime_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.original_name


class OutboundMessage(models.Model):
    """An immutable, signed copy of what the NCB sends abroad, waiting in the outbound queue for its channel.

    The default channel ("manual") holds it until the NCB's INTERPOL operator confirms the transmission;
    other channels (a peer system over HTTPS) deliver it themselves. Only the delivery fields ever change.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    reference = models.CharField(max_length=40)
    channel = models.CharField(max_length=30, default="manual")
    destination = models.CharField(max_length=100, help_text="INTERPOL General Secretariat or a foreign NCB (ISO code).")
    payload = models.JSONField()
    payload_sha256 = models.CharField(max_length=64)
    signature = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    delivered_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    delivery_note = models.TextField(blank=True)

    DELIVERY_FIELDS = frozenset({"status", "attempts", "delivered_at", "confirmed_by", "delivery_note"})

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "channel", "created_at"])]

    def __str__(self) -> str:
        return f"{self.reference} → {self.destination} ({self.status})"

    def save(self, *args, **kwargs):
        if not self._state.adding and not set(kwargs.get("update_fields") or ()) <= self.DELIVERY_FIELDS | {"confirmed_by_id"}:
            raise PermissionError("An outbound message is immutable; only its delivery record changes.")
        super().save(*args, **kwargs)

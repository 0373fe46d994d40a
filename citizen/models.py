"""Citizen services (after the Digital Police portal): report, request, track; the station acts within its deadlines."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.models import Role
from citizen import catalogue
from workflow.models import Workflowed
from workflow.services import Assignment, Move


class OneTimeCode(models.Model):
    """A short code sent by e-mail to prove a sign-up or a tracking request: hashed, expiring, single use, few attempts."""

    class Purpose(models.TextChoices):
        SIGNUP = "signup", _("Sign-up")
        TRACK = "track", _("Tracking a request")

    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    email = models.EmailField()
    subject = models.CharField(max_length=40, blank=True, help_text="The acknowledgement number, for tracking.")
    code_hash = models.CharField(max_length=64)
    payload = models.JSONField(default=dict, blank=True, help_text="For a sign-up: the account to create (password already hashed).")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["purpose", "email"])]

    def __str__(self) -> str:
        return f"{self.purpose} code for {self.email}"


class CitizenRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CitizenRequestQuerySet":
        """A citizen: their own; a station officer: those at their station; a district officer: those of the stations of
        their district, at the station or sent up to the district; an ILO: those sent up to the districts of their state or
        above them."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        Level = CitizenRequest.Level
        if user.role == Role.CITIZEN:
            return self.filter(citizen_id=user.pk)
        if user.role == Role.STATION_OFFICER:
            return self.filter(station_id=user.station_id, level=Level.STATION)
        if user.role == Role.DISTRICT_OFFICER:
            district = access.jurisdiction_q(user, agency=None, unit=None, station=None, district="station__district")
            return self.filter(district, level__in=(Level.STATION, Level.DISTRICT))
        if user.role == Role.ILO:
            return self.filter(agency_id=user.agency_id, level__in=(Level.DISTRICT, Level.ILO))
        return self.none()

    def handled_by(self, user) -> "CitizenRequestQuerySet":
        """The requests the user acts on: the visible ones at the user's own level (a district officer follows its stations'
        requests and acts on those sent up to the district; an ILO follows the districts' and acts on those sent to it)."""
        level = ACTING_LEVEL.get(user.role) if user.is_authenticated else None
        return self.visible_to(user).filter(level=level) if level else self.none()


HANDLERS = (Role.STATION_OFFICER, Role.DISTRICT_OFFICER, Role.ILO)


class CitizenRequest(Workflowed):
    """One request of a citizen for one catalogue service, with its acknowledgement number, route and history."""

    class Stage(models.TextChoices):
        SUBMITTED = "submitted", _("Received by the police")
        MORE_INFO = "more_info", _("Waiting for more information from you")
        IN_PROGRESS = "in_progress", _("Being processed")
        REGISTERED = "registered", _("FIR registered")
        ISSUED = "issued", _("Document issued")
        CLOSED = "closed", _("Closed")
        REJECTED = "rejected", _("Rejected")

    class Level(models.TextChoices):
        """Who handles it: the station; above it, the district's SP office; above that (complaints against officers of
        the SP office or higher, and districts without an SP office account), the state police's ILOs."""

        STATION = "station", _("Police station")
        DISTRICT = "district", _("District SP office")
        ILO = "ilo", _("Senior officers of the state police")

    S = Stage
    FLOW = {
        (S.SUBMITTED, "accept"): Move(S.IN_PROGRESS, HANDLERS),
        (S.SUBMITTED, "register_fir"): Move(S.REGISTERED, HANDLERS),
        (S.SUBMITTED, "ask_info"): Move(S.MORE_INFO, HANDLERS, needs_note=True),
        (S.SUBMITTED, "reject"): Move(S.REJECTED, HANDLERS, needs_note=True),
        (S.MORE_INFO, "answer"): Move(S.SUBMITTED, (Role.CITIZEN,), needs_note=True),
        (S.IN_PROGRESS, "register_fir"): Move(S.REGISTERED, HANDLERS),
        (S.IN_PROGRESS, "ask_info"): Move(S.MORE_INFO, HANDLERS, needs_note=True),
        (S.IN_PROGRESS, "issue"): Move(S.ISSUED, HANDLERS),
        (S.IN_PROGRESS, "close"): Move(S.CLOSED, HANDLERS, needs_note=True),
        (S.IN_PROGRESS, "reject"): Move(S.REJECTED, HANDLERS, needs_note=True),
        (S.REGISTERED, "close"): Move(S.CLOSED, HANDLERS, needs_note=True),
    }
    OPEN_STAGES = (S.SUBMITTED, S.MORE_INFO, S.IN_PROGRESS, S.REGISTERED)

    stage = models.CharField(_("stage"), max_length=32, choices=Stage.choices, default=Stage.SUBMITTED, db_index=True)
    reference = models.CharField(_("acknowledgement number"), max_length=40, unique=True)
    service = models.CharField(_("service"), max_length=40)
    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="citizen_requests")
    contact_name = models.CharField(_("name"), max_length=150)
    contact_email = models.EmailField(_("e-mail"))
    contact_phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    station = models.ForeignKey("directory.PoliceStation", on_delete=models.PROTECT, related_name="citizen_requests")
    agency = models.ForeignKey("directory.Agency", on_delete=models.PROTECT, related_name="citizen_requests")
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.STATION)
    routed_by = models.CharField(max_length=20, blank=True, help_text="How the station was found: chosen, pincode or location.")
    pincode = models.CharField(max_length=6, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_citizen_requests"
    )
    fir_number = models.CharField(_("FIR number"), max_length=40, blank=True)
    sensitive = models.BooleanField(default=False, help_text="Sexual offence, POCSO or terrorism: no FIR copy through the portal.")
    decision_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True, help_text="When the station was reminded of the 90-day update.")
    progress_sent_at = models.DateTimeField(null=True, blank=True, help_text="Last progress communicated to the citizen.")
    escalated_at = models.DateTimeField(
        null=True, blank=True, help_text="When it went up from the station, which had not acted on it within its deadline."
    )

    objects = CitizenRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["station", "stage"]), models.Index(fields=["agency", "level", "stage"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.service_label}"

    @property
    def definition(self) -> catalogue.Service:
        return catalogue.BY_CODE[self.service]

    @property
    def service_label(self) -> str:
        service = catalogue.get(self.service)
        return str(service.name) if service else self.service

    @property
    def is_open(self) -> bool:
        return self.stage in self.OPEN_STAGES

    @property
    def office_label(self) -> str:
        """Who handles it, in words, for the citizen."""
        if self.level == self.Level.DISTRICT:
            return _("SP office, %(district)s district") % {"district": self.station.district.name}
        if self.level == self.Level.ILO:
            return _("senior officers of %(agency)s") % {"agency": self.agency}
        return str(self.station)

    @property
    def fir_copy_available(self) -> bool:
        return bool(self.fir_number) and not self.sensitive

    def get_absolute_url(self) -> str:
        return reverse("citizen_station:detail", args=[self.reference])

    def citizen_url(self) -> str:
        return reverse("citizen_public:request_detail", args=[self.reference])

    def task_title(self) -> str:
        return f"{self.service_label}: {self.contact_name}"

    def task_kind(self) -> str:
        return f"citizen.{self.service}"

    def assignment_for_stage(self, stage: str, due_at) -> Assignment | None:
        """The station (or, above it, the district's SP office or the state's ILOs) acts on open requests; nobody but the
        citizen on MORE_INFO."""
        if stage in (self.Stage.SUBMITTED, self.Stage.IN_PROGRESS, self.Stage.REGISTERED):
            from citizen import routing

            due = due_at or routing.due_for(self, stage)
            if self.level == self.Level.ILO:
                return Assignment("ilo", agency_id=self.agency_id, due_at=due)
            if self.level == self.Level.DISTRICT:
                return Assignment("district_officer", agency_id=self.agency_id, district_id=self.station.district_id, due_at=due)
            return Assignment("station_officer", agency_id=self.agency_id, station_id=self.station_id, due_at=due)
        return None

    def escalate(self, task, now) -> Assignment | None:
        """Overdue at the station, a service that moves up when late (the e-FIR) goes to the district: see `request_escalate`."""
        from citizen import services

        return services.request_escalate(request=self, task=task, now=now)


ACTING_LEVEL = {
    Role.STATION_OFFICER: CitizenRequest.Level.STATION,
    Role.DISTRICT_OFFICER: CitizenRequest.Level.DISTRICT,
    Role.ILO: CitizenRequest.Level.ILO,
}


class Message(models.Model):
    """What the station asked the citizen, and what the citizen answered, on the portal."""

    request = models.ForeignKey(CitizenRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_citizen = models.BooleanField(default=False)
    text = models.TextField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request.reference}: {self.text[:40]}"


class IssuedDocument(models.Model):
    """A certificate, NOC or FIR copy as issued: the exact PDF, hashes to prove it unaltered, and its revocation."""

    class Kind(models.TextChoices):
        CERTIFICATE = "certificate", _("Verification certificate")
        NOC = "noc", _("No-objection certificate")
        FIR = "fir", _("FIR copy")
        VEHICLE_NOC = "vehicle_noc", _("Vehicle no-objection certificate")

    code = models.CharField(max_length=16, unique=True)
    request = models.ForeignKey(
        CitizenRequest,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        help_text="Empty for a document issued at once to anyone (a vehicle NOC).",
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    content = models.JSONField(help_text="The facts printed on the document, canonicalised for the hash.")
    content_sha256 = models.CharField(max_length=64)
    pdf = models.BinaryField()
    pdf_sha256 = models.CharField(max_length=64)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    revocation_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["request", "kind"], condition=Q(revoked_at__isnull=True), name="one_live_document_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code}"

    def verify_url(self) -> str:
        return settings.SITE_URL + reverse("citizen_public:verify", args=[self.code])


class Open311Key(models.Model):
    """A per-application key with which an Open311 client files and reads requests on behalf of one citizen."""

    PREFIX = "o311"

    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="open311_keys")
    name = models.CharField(max_length=100)
    key_id = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.PREFIX}_{self.key_id}_…)"

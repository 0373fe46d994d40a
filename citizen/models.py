"""Citizen services (after the Digital Police portal): report, request, track; the station acts within its deadlines."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.offices import Level, Office
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
        """A citizen: their own. An office handling citizen requests: those in its reach (`Office.scope`) at the levels it
        sees (`FOLLOWED_LEVELS`): a station those at the station; a district's SP office those of its stations, at the
        station or sent up to the district; an agency's ILOs those sent up to its districts or above them."""
        office = Office.of(user)
        if office is None:
            return self.filter(citizen_id=user.pk) if access.can(user, "citizen.request") else self.none()
        levels = FOLLOWED_LEVELS.get(office.level)
        if not levels or not access.can(user, "citizen.handle"):
            return self.none()
        return self.filter(office.scope(agency="agency", district="station__district", station="station"), level__in=levels)

    def handled_by(self, user) -> "CitizenRequestQuerySet":
        """The requests the user acts on: the visible ones at the office's own level (a district's SP office follows its
        stations' requests and acts on those sent up to the district; the ILOs follow the districts' and act on those sent
        to them)."""
        office = Office.of(user)
        level = ACTING_LEVEL.get(office.level) if office is not None else None
        return self.visible_to(user).filter(level=level) if level else self.none()


HANDLERS = access.roles_with("citizen.handle")  # the roles of the offices that act on citizen requests
CITIZENS = access.roles_with("citizen.request")


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
        (S.MORE_INFO, "answer"): Move(S.SUBMITTED, CITIZENS, needs_note=True),
        (S.IN_PROGRESS, "register_fir"): Move(S.REGISTERED, HANDLERS),
        (S.IN_PROGRESS, "ask_info"): Move(S.MORE_INFO, HANDLERS, needs_note=True),
        (S.IN_PROGRESS, "issue"): Move(S.ISSUED, HANDLERS),
        (S.IN_PROGRESS, "close"): Move(S.CLOSED, HANDLERS, needs_note=True),
        (S.IN_PROGRESS, "reject"): Move(S.REJECTED, HANDLERS, needs_note=True),
        (S.REGISTERED, "close"): Move(S.CLOSED, HANDLERS, needs_note=True),
    }
    OPEN_STAGES = (S.SUBMITTED, S.MORE_INFO, S.IN_PROGRESS, S.REGISTERED)
    FINISHED_STAGES = (S.ISSUED, S.CLOSED, S.REJECTED)  # the citizen may say how it was handled (Feedback)

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
    fir = models.ForeignKey(
        "records.Fir", null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="The FIR registered from it."
    )
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
    def is_finished(self) -> bool:
        return self.stage in self.FINISHED_STAGES

    @property
    def progress_notice_due(self) -> bool:
        """The police owe the informant news of the investigation within 90 days (BNSS s.193(3)(ii)): for a crime
        reported (an e-FIR or a complaint) while it is open, not for a certificate or an NOC."""
        return self.service in ("efir", "complaint") and self.is_open

    @property
    def office_label(self) -> str:
        """Who handles it, in words, for the citizen."""
        if self.level == self.Level.DISTRICT:
            return _("SP office, %(district)s district") % {"district": self.station.district.name}
        if self.level == self.Level.ILO:
            return _("senior officers of %(agency)s") % {"agency": self.agency}
        return str(self.station)

    def answers(self) -> list[tuple[str, str]]:
        """What the citizen answered, by the questions' labels (catalogue.Service.answers)."""
        return self.definition.answers(self.details)

    ROUTED_BY = {"chosen": _("chosen by the citizen"), "pincode": _("from the PIN code"), "location": _("from the location")}

    def routed_by_label(self) -> str:
        return str(self.ROUTED_BY.get(self.routed_by, self.routed_by))

    def handling_office(self) -> Office:
        """The office that acts on it now: the station, the district's SP office or the agency's ILOs."""
        if self.level == self.Level.ILO:
            return Office.agency(self.agency_id)
        if self.level == self.Level.DISTRICT:
            return Office.district(self.station.district_id, self.agency_id)
        return Office.of_station(self.station)

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

            return Assignment(self.handling_office(), due_at or routing.due_for(self, stage))
        return None

    def escalate(self, task, now) -> Assignment | None:
        """Overdue at the station, a service that moves up when late (the e-FIR) goes to the district: see `request_escalate`."""
        from citizen import services

        return services.request_escalate(request=self, task=task, now=now)


# Which requests each office follows, and the level at which it acts on them.
FOLLOWED_LEVELS = {
    Level.STATION: (CitizenRequest.Level.STATION,),
    Level.DISTRICT: (CitizenRequest.Level.STATION, CitizenRequest.Level.DISTRICT),
    Level.AGENCY: (CitizenRequest.Level.DISTRICT, CitizenRequest.Level.ILO),
}
ACTING_LEVEL = {
    Level.STATION: CitizenRequest.Level.STATION,
    Level.DISTRICT: CitizenRequest.Level.DISTRICT,
    Level.AGENCY: CitizenRequest.Level.ILO,
}


class Message(models.Model):
    """What the station asked the citizen, and what the citizen answered, on the portal."""

    request = models.ForeignKey(CitizenRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_citizen = models.BooleanField(default=False)
    text = models.TextField()
    attachment = models.ForeignKey(
        "workflow.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="The file sent with it."
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request.reference}: {self.text[:40]}"


class Feedback(models.Model):
    """What the citizen thought of how their request was handled, given once it is finished (issued, closed or rejected)."""

    class Rating(models.IntegerChoices):
        VERY_POOR = 1, _("Very poor")
        POOR = 2, _("Poor")
        FAIR = 3, _("Fair")
        GOOD = 4, _("Good")
        VERY_GOOD = 5, _("Very good")

    request = models.OneToOneField(CitizenRequest, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(_("how it was handled"), choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5")]

    def __str__(self) -> str:
        return f"{self.request.reference}: {self.rating}"


class IssuedDocument(models.Model):
    """A certificate, NOC or FIR copy as issued: the exact PDF, hashes to prove it unaltered, and its revocation."""

    class Kind(models.TextChoices):
        CERTIFICATE = "certificate", _("Verification certificate")
        NOC = "noc", _("No-objection certificate")
        FIR = "fir", _("FIR copy")
        VEHICLE_NOC = "vehicle_noc", _("Vehicle no-objection certificate")
        LOST_REPORT = "lost_report", _("Lost article report")

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

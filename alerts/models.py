"""The 24x7 crime alert network (after NCRB's Cri-MAC): alerts, their versions, recipients, subscriptions and live events."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """What the alert is about; `CAP_CATEGORY` maps each to a CAP 1.2 <category>."""

    CRIMINAL_RELEASED = "criminal_released", _("Hardened criminal released from jail")
    TERROR = "terror", _("Terror incident")
    MURDER = "murder", _("Murder")
    DACOITY = "dacoity", _("Dacoity or robbery")
    TRAFFICKING = "trafficking", _("Human trafficking")
    KIDNAPPING = "kidnapping", _("Kidnapping or missing child")
    ARMS = "arms", _("Arms or explosives seizure")
    FAKE_CURRENCY = "fake_currency", _("Fake currency")
    CYBER_FRAUD = "cyber_fraud", _("Cyber fraud modus operandi")
    STOLEN_VEHICLE = "stolen_vehicle", _("Stolen vehicle")
    OTHER = "other", _("Other")


CAP_CATEGORY = {
    Category.CRIMINAL_RELEASED: "Security",
    Category.TERROR: "Security",
    Category.MURDER: "Security",
    Category.DACOITY: "Security",
    Category.TRAFFICKING: "Rescue",
    Category.KIDNAPPING: "Rescue",
    Category.ARMS: "Security",
    Category.FAKE_CURRENCY: "Security",
    Category.CYBER_FRAUD: "Security",
    Category.STOLEN_VEHICLE: "Security",
    Category.OTHER: "Other",
}

# Categories that go to every station in the country, whatever the area.
NATIONWIDE_CATEGORIES = frozenset({Category.TERROR})


class Urgency(models.TextChoices):
    """CAP 1.2 urgency."""

    IMMEDIATE = "Immediate", _("Immediate: act now")
    EXPECTED = "Expected", _("Expected: act within the hour")
    FUTURE = "Future", _("Future: act in the near future")
    PAST = "Past", _("Past: no action needed")
    UNKNOWN = "Unknown", _("Unknown")


class Severity(models.TextChoices):
    """CAP 1.2 severity."""

    EXTREME = "Extreme", _("Extreme: extraordinary threat to life or property")
    SEVERE = "Severe", _("Severe: significant threat to life or property")
    MODERATE = "Moderate", _("Moderate: possible threat to life or property")
    MINOR = "Minor", _("Minor: minimal threat")
    UNKNOWN = "Unknown", _("Unknown")


HIGH_SEVERITIES = frozenset({Severity.EXTREME, Severity.SEVERE})


class Certainty(models.TextChoices):
    """CAP 1.2 certainty."""

    OBSERVED = "Observed", _("Observed: has occurred or is ongoing")
    LIKELY = "Likely", _("Likely: more than 50% probable")
    POSSIBLE = "Possible", _("Possible: 50% or less probable")
    UNLIKELY = "Unlikely", _("Unlikely: not expected")
    UNKNOWN = "Unknown", _("Unknown")


class AlertQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AlertQuerySet":
        """The alerts the user may see: those their office owns or was reached by (`alerts.audience`, the one rule)."""
        from alerts import audience

        office = audience.office_of(user)
        return self.none() if office is None else self.filter(audience.alert_filter(office, user.pk))


class Alert(models.Model):
    """One crime alert; its fields hold the current version's content, every version is kept in `AlertVersion`."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CANCELLED = "cancelled", _("Cancelled")

    reference = models.CharField(max_length=40, unique=True, null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    version = models.PositiveIntegerField(default=1)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.IMMEDIATE)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.SEVERE)
    certainty = models.CharField(_("certainty"), max_length=10, choices=Certainty.choices, default=Certainty.LIKELY)
    headline = models.CharField(_("headline"), max_length=160)
    description = models.TextField(_("description"))
    instruction = models.TextField(_("instructions"), blank=True)
    area_states = models.JSONField(_("states (LGD codes)"), default=list, blank=True)
    area_districts = models.JSONField(_("districts (LGD codes)"), default=list, blank=True)
    area_lat = models.FloatField(_("latitude"), null=True, blank=True)
    area_lon = models.FloatField(_("longitude"), null=True, blank=True)
    area_radius_km = models.FloatField(_("radius (km)"), null=True, blank=True)
    persons = models.JSONField(_("persons"), default=list, blank=True)
    vehicles = models.JSONField(_("vehicles"), default=list, blank=True)
    fir_number = models.CharField(_("FIR number"), max_length=60, blank=True)
    fir_sections = models.CharField(_("sections of law"), max_length=200, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    origin_district = models.ForeignKey("directory.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    origin_station = models.ForeignKey("directory.PoliceStation", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    origin_unit = models.ForeignKey("directory.UnitOffice", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    origin_agency = models.ForeignKey("directory.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    origin_state = models.ForeignKey("directory.State", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The key of the office it was published from (`Office.key`: "station:12", "district:3", "agency:7", "national"):
    # that office and those above it own the alert (`alerts.audience`).
    origin_office = models.CharField(max_length=40, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.headline}"

    def get_absolute_url(self) -> str:
        return reverse("alerts:detail", args=[self.pk])

    @property
    def is_high_severity(self) -> bool:
        return self.severity in HIGH_SEVERITIES

    @property
    def current_version(self) -> "AlertVersion":
        return self.versions.get(number=self.version)


class AlertVersion(models.Model):
    """One published state of an alert (publish, update or cancel), with its full content as CAP would carry it."""

    class MsgType(models.TextChoices):
        ALERT = "Alert", _("Published")
        UPDATE = "Update", _("Updated")
        CANCEL = "Cancel", _("Cancelled")

    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    msg_type = models.CharField(max_length=6, choices=MsgType.choices)
    content = models.JSONField()
    note = models.TextField(blank=True)
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Who it reached, as the targeting rules decided at publication: {"stations": [...], "units": [...], "agencies": [...]}.
    # Open pages are served from this at once; the per-office Delivery rows are written from it just after.
    audience = models.JSONField(default=dict)
    deliveries_written = models.BooleanField(default=False)

    class Meta:
        ordering = ["alert", "number"]
        constraints = [models.UniqueConstraint(fields=["alert", "number"], name="alert_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.alert.reference} v{self.number} ({self.msg_type})"

    @property
    def identifier(self) -> str:
        """The CAP identifier of this version: unique, without spaces, commas or '<' '&'."""
        return f"openpol.alert.{self.alert_id}.v{self.number}"


class Delivery(models.Model):
    """One recipient of one alert version: a police station, or a unit office that subscribed."""

    # A nationwide alert writes one row per station (16,700) while its pages are being served, so each row costs as
    # little as it can: the single-column indexes Django would add are covered by the composite ones below, and the
    # rows reference their alert, version and station without database constraints, whose deferred checks (three per
    # row at commit, each locking the row it checks) took longer than the insert. `deliveries_write` inserts them in
    # one statement from the version row itself, whose audience lists stations read from the directory moments
    # before; alerts, versions and stations are never deleted (on_delete=PROTECT still guards the ORM).
    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, related_name="deliveries", db_constraint=False)
    version = models.ForeignKey(AlertVersion, on_delete=models.PROTECT, related_name="deliveries", db_index=False, db_constraint=False)
    station = models.ForeignKey(
        "directory.PoliceStation", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    unit = models.ForeignKey("directory.UnitOffice", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False)
    delivered_at = models.DateTimeField()
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    action_taken = models.TextField(_("action taken"), blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["station", "alert"], name="alerts_delivery_station"),
            models.Index(fields=["unit", "alert"], name="alerts_delivery_unit"),
            models.Index(fields=["version", "acknowledged_at"], name="alerts_delivery_version_ack"),
        ]
        constraints = [
            models.CheckConstraint(
                name="delivery_one_office",
                condition=Q(station__isnull=False, unit__isnull=True) | Q(station__isnull=True, unit__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} → {self.office_label}"

    @property
    def office_label(self) -> str:
        return str(self.station) if self.station_id else str(self.unit)


class Subscription(models.Model):
    """An office (station or unit) that asks for alerts of some categories from some states or districts, beyond its default share."""

    station = models.ForeignKey("directory.PoliceStation", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("directory.UnitOffice", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    categories = models.JSONField(default=list, blank=True, help_text="Category values; empty means every category.")
    states = models.JSONField(default=list, blank=True, help_text="State LGD codes; empty (with no districts) means anywhere.")
    districts = models.JSONField(default=list, blank=True, help_text="District LGD codes.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="subscription_one_office",
                condition=Q(station__isnull=False, unit__isnull=True) | Q(station__isnull=True, unit__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Subscription of {self.station or self.unit}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class OfficeFeed(models.Model):
    """The secret address of an office's CAP feed, for feed readers that cannot sign in."""

    station = models.OneToOneField("directory.PoliceStation", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    unit = models.OneToOneField("directory.UnitOffice", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"CAP feed of {self.station or self.unit}"


class AlertEvent(models.Model):
    """One thing pushed to open pages: its primary key is the server-sent event id, so a reconnecting page replays what it missed."""

    class Kind(models.TextChoices):
        PUBLISHED = "published"
        UPDATED = "updated"
        CANCELLED = "cancelled"
        ACKNOWLEDGED = "acknowledged"

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(AlertVersion, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    delivery = models.ForeignKey(Delivery, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.alert_id}"

"""People who use OpenPol, their roles and places in the hierarchy, and machine API tokens."""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a user is; `accounts.access` turns a role and an office into what they may see and do."""

    NCB_ADMIN = "ncb_admin", _("NCB administrator")
    NCB_OFFICER = "ncb_officer", _("NCB officer")
    ILO = "ilo", _("INTERPOL Liaison Officer")
    UO = "uo", _("Unit Officer")
    STATION_OFFICER = "station_officer", _("Station officer")
    DISTRICT_OFFICER = "district_officer", _("District officer (SP office)")
    ANALYST = "analyst", _("Analyst")
    CITIZEN = "citizen", _("Citizen")
    SYSADMIN = "sysadmin", _("System administrator")


POLICE_ROLES = frozenset(
    {Role.NCB_ADMIN, Role.NCB_OFFICER, Role.ILO, Role.UO, Role.STATION_OFFICER, Role.DISTRICT_OFFICER, Role.ANALYST, Role.SYSADMIN}
)


class UserQuerySet(models.QuerySet):
    def visible_to(self, user: "User") -> "UserQuerySet":
        from accounts import access

        return self.filter(access.user_visibility_q(user))


class OpenPolUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class NotifyBy(models.TextChoices):
    """How a user wants the portal's messages: police always get e-mail, and SMS for what is urgent."""

    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    BOTH = "both", _("E-mail and SMS")


class User(AbstractUser):
    """A person with an account: police officer, analyst, administrator or citizen."""

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CITIZEN)
    agency = models.ForeignKey("directory.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    unit = models.ForeignKey("directory.UnitOffice", null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    station = models.ForeignKey("directory.PoliceStation", null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    district = models.ForeignKey(
        "directory.District",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("A district officer's district."),
    )
    supervisor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="subordinates", help_text=_("The ILO a UO reports to.")
    )
    created_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    designation = models.CharField(_("designation"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    must_change_password = models.BooleanField(default=False)
    failed_login_count = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    # How the portal writes to this user (notify/): in which language, and (citizens) by e-mail, SMS or both.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    notify_by = models.CharField(_("messages by"), max_length=8, choices=NotifyBy.choices, default=NotifyBy.EMAIL)

    objects = OpenPolUserManager()

    class Meta:
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(name="ilo_has_agency", condition=~models.Q(role="ilo") | models.Q(agency__isnull=False)),
            models.CheckConstraint(name="uo_has_unit", condition=~models.Q(role="uo") | models.Q(unit__isnull=False, agency__isnull=False)),
            models.CheckConstraint(
                name="station_officer_has_station",
                condition=~models.Q(role="station_officer") | models.Q(station__isnull=False, agency__isnull=False),
            ),
            models.CheckConstraint(
                name="district_officer_has_district",
                condition=~models.Q(role="district_officer") | models.Q(district__isnull=False, agency__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_police(self) -> bool:
        """Police accounts (everyone but citizens) need a second factor and see the system-use notice."""
        return self.role in POLICE_ROLES

    @property
    def office_label(self) -> str:
        """Where the user sits, in words, for the audit trail and the page header."""
        if self.station_id:
            return str(self.station)
        if self.unit_id:
            return str(self.unit)
        if self.district_id:
            return _("SP office, %(district)s district") % {"district": self.district.name}
        if self.agency_id:
            return str(self.agency.name)
        role = Role._value2member_map_.get(self.role)  # not get_role_display(), which hashes every choice on each call
        return str(role.label) if role else self.role

    def is_locked(self, now=None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or timezone.now())


class ApiToken(models.Model):
    """A scoped, expiring, revocable bearer token for a machine client acting as a user."""

    PREFIX = "opk"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_id = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.PREFIX}_{self.key_id}_…)"

    @staticmethod
    def hash_secret(secret: str) -> str:
        # The secret is 256 random bits, so a fast hash is safe; a slow one would only slow every API call.
        return hashlib.sha256(secret.encode()).hexdigest()

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now and self.user.is_active

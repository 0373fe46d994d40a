"""Documents (manuals, forms, procedures, legal texts) and training."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.models import Role
from accounts.offices import MEMBER_ROLES, ROLE_LEVEL, Level, Office

# Who may be shown a document besides the NCB (which sees every one): the non-national roles that may open Resources at all.
AUDIENCE_ROLES = tuple(
    role for role in Role if "resources.view" in access.CAPABILITIES.get(role, frozenset()) and ROLE_LEVEL.get(role) is not Level.NATIONAL
)
# Who may be trained: the officers of the agencies and their unit offices, whose coverage the NCB follows.
TRAINEE_LEVELS = (Level.AGENCY, Level.UNIT)
TRAINEE_ROLES = tuple(role for level in TRAINEE_LEVELS for role in MEMBER_ROLES[level])


class Category(models.TextChoices):
    MANUAL = "manual", _("INTERPOL manual")
    FORM = "form", _("INTERPOL form")
    SOP = "sop", _("Standard operating procedure")
    TEMPLATE = "template", _("Template")
    LEGAL = "legal", _("Legal text")
    TRAINING = "training", _("Training material")


class Language(models.TextChoices):
    EN = "en", _("English")
    HI = "hi", _("Hindi")
    OTHER = "other", _("Other")


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DocumentQuerySet":
        """The national office: every document; an agency or unit office: those opened to its officers; nobody
        without "resources.view"."""
        office = Office.of(user)
        if office is None or not access.can(user, "resources.view"):
            return self.none()
        if office.is_national:
            return self.all()
        # A document is opened to the officers of a level of office, named by their roles (see AUDIENCE_ROLES). JSON
        # `contains` does not exist on SQLite; a role is matched with its JSON quotes, so "uo" never matches inside another.
        opened = Q(pk__in=[])
        for role in MEMBER_ROLES[office.level]:
            opened |= Q(visible_to_roles__icontains=f'"{role}"')
        return self.filter(opened)


class Document(models.Model):
    """A document of the library, in one or more versions; the newest is the current one."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices, db_index=True)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.EN, db_index=True)
    visible_to_roles = models.JSONField(_("open to"), default=list, blank=True, help_text=_("Roles besides the NCB that may see it."))
    current_version = models.OneToOneField(
        "DocumentVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("current version")
    )
    download_count = models.PositiveIntegerField(_("downloads"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:document_detail", args=[self.pk])

    @property
    def audience_labels(self) -> list[str]:
        return [str(Role(role).label) for role in self.visible_to_roles if role in Role.values]


class DocumentVersion(models.Model):
    """One uploaded file of a document, with the text extracted from it for full-text search."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(upload_to="resources/%Y/%m/")
    original_name = models.CharField(max_length=200)
    mime_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    body_text = models.TextField(blank=True)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.document.title} v{self.number}"


class TrainingSessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TrainingSessionQuerySet":
        """Everyone who may open Resources sees every session (who is enrolled is another matter: see Enrolment)."""
        return self.all() if access.can(user, "resources.view") else self.none()


class TrainingSession(models.Model):
    """A course the NCB or the CBI Academy runs, online or in person, for a limited number of officers."""

    class Mode(models.TextChoices):
        ONLINE = "online", _("Online")
        IN_PERSON = "in_person", _("In person")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    link = models.URLField(_("link to join"), blank=True)
    organiser = models.CharField(_("organiser"), max_length=200, default="CBI Academy, Ghaziabad")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("places"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="training_ends_after_it_starts",
                condition=Q(ends_at__gt=models.F("starts_at")),
                violation_error_message=_("The session must end after it starts."),
            ),
            models.CheckConstraint(
                name="training_has_places",
                condition=Q(capacity__gte=1),
                violation_error_message=_("A session needs at least one place."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%d %b %Y})"

    def get_absolute_url(self) -> str:
        return reverse("resources:training_detail", args=[self.pk])

    @property
    def has_begun(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_over(self) -> bool:
        return self.ends_at <= timezone.now()


class EnrolmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EnrolmentQuerySet":
        """The national office: every enrolment; an agency: its officers' (its ILOs' and its units' UOs'); anyone else
        with "resources.view": their own."""
        office = Office.of(user)
        if office is None or not access.can(user, "resources.view"):
            return self.none()
        if office.is_national:
            return self.all()
        return self.filter(office.scope(agency="officer__agency") | Q(officer_id=user.pk))

    def holding_places(self) -> "EnrolmentQuerySet":
        return self.filter(status__in=Enrolment.HOLDS_PLACE)


class Enrolment(models.Model):
    """One officer's place (or request for a place) in a training session, and whether they attended."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated by the agency")
        REQUESTED = "requested", _("Requested by the officer")
        ACCEPTED = "accepted", _("Accepted")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Absent")

    # A request waits for the NCB; every other status holds one of the session's places.
    HOLDS_PLACE = (Status.NOMINATED, Status.ACCEPTED, Status.ATTENDED, Status.ABSENT)

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="enrolments")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_enrolments")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, db_index=True)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    certificate_number = models.CharField(_("certificate number"), max_length=40, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["session", "officer__username"]
        constraints = [models.UniqueConstraint(fields=["session", "officer"], name="enrolment_once_per_session")]

    def __str__(self) -> str:
        return f"{self.officer} — {self.session.title}"

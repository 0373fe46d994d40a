"""Reads of documents and training, already filtered to what the user may see."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts import access
from accounts.models import User
from accounts.offices import Level, Office
from directory.models import Agency
from resources import search
from resources.models import TRAINEE_LEVELS, TRAINEE_ROLES, Document, Enrolment, TrainingSession


def documents_for_user(user, *, q: str = "", category: str = "", language: str = "") -> QuerySet[Document]:
    documents = Document.objects.visible_to(user).select_related("current_version")
    if category:
        documents = documents.filter(category=category)
    if language:
        documents = documents.filter(language=language)
    return search.search(documents, q)


def get_document_for_user(user, pk: int) -> Document:
    return access.get_or_404(user, Document.objects.visible_to(user).select_related("current_version", "created_by"), pk=pk)


def versions_of(document: Document) -> QuerySet:
    return document.versions.select_related("uploaded_by").order_by("-number")


def sessions_for_user(user, *, when: str = "") -> QuerySet[TrainingSession]:
    """Every session (sessions are no secret to the police who may train), with its places taken and whether the user is on its list."""
    sessions = (
        TrainingSession.objects.visible_to(user)
        .annotate(
            places_taken=Count("enrolments", filter=Q(enrolments__status__in=Enrolment.HOLDS_PLACE)),
            user_is_listed=Exists(Enrolment.objects.filter(session=OuterRef("pk"), officer_id=user.pk)),
        )
        .order_by("starts_at", "pk")  # an aggregate drops Meta.ordering
    )
    now = timezone.now()
    if when == "upcoming":
        sessions = sessions.filter(ends_at__gt=now)
    elif when == "past":
        sessions = sessions.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
    return sessions


def get_session_for_user(user, pk: int) -> TrainingSession:
    return access.get_or_404(user, sessions_for_user(user), pk=pk)


def enrolments_for_user(user, *, session: TrainingSession | None = None) -> QuerySet[Enrolment]:
    """NCB: every enrolment; an ILO: its agency's officers'; a UO: its own."""
    enrolments = Enrolment.objects.visible_to(user).select_related("session", "officer", "officer__agency", "officer__unit", "nominated_by")
    if session is not None:
        enrolments = enrolments.filter(session=session)
    return enrolments


def get_enrolment_for_user(user, pk: int, *, session: TrainingSession | None = None) -> Enrolment:
    return access.get_or_404(user, enrolments_for_user(user, session=session), pk=pk)


def may_nominate(user) -> bool:
    """The NCB (which manages training) and an agency's ILOs (for its own officers) nominate; unit offices do not."""
    if access.can(user, "training.manage"):
        return True
    office = Office.of(user)
    return office is not None and office.level is Level.AGENCY and access.can(user, "resources.view")


def may_enrol(user) -> bool:
    """The officers who are trained (an agency's ILOs and its unit offices' UOs) ask for places themselves."""
    office = Office.of(user)
    return office is not None and office.level in TRAINEE_LEVELS and access.can(user, "resources.view")


def nominees_for_user(user) -> QuerySet[User]:
    """The officers this user may nominate: for the NCB, any active ILO or UO; for an ILO, those of its agency."""
    officers = User.objects.filter(role__in=TRAINEE_ROLES, is_active=True).select_related("agency", "unit")
    if access.can(user, "training.manage"):
        return officers
    if not may_nominate(user):
        return officers.none()
    return officers.filter(Office.of(user).scope(agency="agency"))


def get_nominee_for_user(user, pk: int) -> User:
    return access.get_or_404(user, nominees_for_user(user), pk=pk)


@dataclass(frozen=True)
class Coverage:
    agency: Agency
    officers: int
    trained: int

    @property
    def untrained(self) -> int:
        return self.officers - self.trained

    @property
    def percent(self) -> int | None:
        return round(100 * self.trained / self.officers) if self.officers else None


def training_coverage() -> list[Coverage]:
    """Per agency, its active ILOs and UOs and how many attended at least one session: the least covered first."""
    officer = Q(users__role__in=TRAINEE_ROLES, users__is_active=True)
    agencies = (
        Agency.objects.filter(is_active=True)
        .exclude(kind=Agency.Kind.NCB)
        .annotate(
            officers=Count("users", filter=officer, distinct=True),
            trained=Count("users", filter=officer & Q(users__training_enrolments__status=Enrolment.Status.ATTENDED), distinct=True),
        )
    )
    rows = [Coverage(agency, agency.officers, agency.trained) for agency in agencies]
    # Lowest share trained first; among equals, the most officers still to train; agencies without officers last.
    return sorted(rows, key=lambda r: (r.officers == 0, r.trained / r.officers if r.officers else 0, -r.untrained, r.agency.name))

"""Moving requests through their stages, once, in order, with deadlines, inboxes and escalation."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Role, User
from audit import services as audit
from workflow.models import Task, Transition, Workflowed

NCB_ROLES = (Role.NCB_ADMIN, Role.NCB_OFFICER)


@dataclass(frozen=True)
class Move:
    """A legal move: the stage it leads to, who may make it, and the deadline (a key of WORKFLOW_DEADLINES) there."""

    to: str
    roles: tuple[str, ...]
    deadline: str | None = None
    needs_note: bool = False


@dataclass(frozen=True)
class Assignment:
    """Who acts next on a request: a role group ("uo", "ilo", "ncb", "district_officer", "station_officer") in an office."""

    role: str
    agency_id: int | None = None
    unit_id: int | None = None
    station_id: int | None = None
    district_id: int | None = None
    due_at: datetime | None = None


class WorkflowError(Exception):
    """A move that cannot be made, with the message for the user."""


class IllegalMove(WorkflowError):
    pass


class Conflict(WorkflowError):
    pass


# --- Working days ----------------------------------------------------------------------------


def _holidays() -> set[date]:
    return {date.fromisoformat(day) for day in getattr(settings, "WORKFLOW_HOLIDAYS", [])}


def add_working_days(start: datetime, days: float) -> datetime:
    """The moment `days` working days after `start` (Saturdays, Sundays and listed holidays do not count)."""
    holidays = _holidays()
    local = timezone.localtime(start)
    remaining = days
    moment = local
    while remaining > 0:
        step = min(1.0, remaining)
        moment = moment + timedelta(days=step)
        while moment.weekday() >= 5 or moment.date() in holidays:
            moment = moment + timedelta(days=1)
        remaining -= step
    return moment


def deadline_for(key: str | None, start: datetime) -> datetime | None:
    if not key:
        return None
    days = settings.WORKFLOW_DEADLINES.get(key)
    return add_working_days(start, days) if days else None


# --- Moving ------------------------------------------------------------------------------------


def advance(obj: Workflowed, *, action: str, by: User, note: str = "", expected_version: int | None = None, audit_label: str) -> Workflowed:
    """Make one legal move on `obj`, atomically; a concurrent move that got there first raises Conflict.

    `expected_version` is the version the user saw on their page; a stale one is a conflict too, so a
    reviewer never acts on a request that changed under their eyes.
    """
    if expected_version is not None and expected_version != obj.version:
        raise Conflict(_("Someone else acted on this request a moment ago. Reload it to see where it stands; nothing was changed."))
    move: Move | None = obj.FLOW.get((obj.stage, action))
    if move is None:
        raise IllegalMove(
            _("This request is now “%(stage)s”: that step is not possible at this stage.") % {"stage": obj.get_stage_display()}
        )
    if by.role not in move.roles:
        raise IllegalMove(_("Your role (%(role)s) cannot take this step.") % {"role": by.get_role_display()})
    if move.needs_note and not note.strip():
        raise IllegalMove(_("Say why: a comment is required for this step."))
    version = obj.version if expected_version is None else expected_version
    now = timezone.now()
    due_at = deadline_for(move.deadline, now)
    with transaction.atomic():
        moved = (
            type(obj)
            .objects.filter(pk=obj.pk, version=version, stage=obj.stage)
            .update(stage=move.to, version=F("version") + 1, stage_entered_at=now, due_at=due_at)
        )
        if moved != 1:
            raise Conflict(_("Someone else acted on this request a moment ago. Reload it to see where it stands; nothing was changed."))
        from_stage = obj.stage
        obj.refresh_from_db()
        content_type = ContentType.objects.get_for_model(obj)
        Transition.objects.create(
            content_type=content_type, object_id=obj.pk, action=action, from_stage=from_stage, to_stage=move.to, by=by, at=now, note=note
        )
        Task.objects.filter(content_type=content_type, object_id=obj.pk, closed_at__isnull=True).update(closed_at=now)
        assignment = obj.assignment_for_stage(move.to, due_at)
        if assignment is not None:
            open_task(obj, assignment, content_type=content_type, now=now)
        audit.record(actor=by, action=f"{audit_label}.{action}", target=obj, purpose=note, data={"from": from_stage, "to": move.to})
    return obj


def record_creation(obj: Workflowed, *, by: User, audit_label: str, note: str = "") -> None:
    """The first row of a request's history, and its first task."""
    content_type = ContentType.objects.get_for_model(obj)
    Transition.objects.create(
        content_type=content_type, object_id=obj.pk, action="create", from_stage="", to_stage=obj.stage, by=by, note=note
    )
    assignment = obj.assignment_for_stage(obj.stage, obj.due_at)
    if assignment is not None:
        open_task(obj, assignment, content_type=content_type, now=timezone.now())
    audit.record(actor=by, action=f"{audit_label}.create", target=obj)


def open_task(obj, assignment: Assignment, *, content_type: ContentType, now: datetime) -> Task:
    return Task.objects.create(
        content_type=content_type,
        object_id=obj.pk,
        stage=obj.stage,
        role=assignment.role,
        agency_id=assignment.agency_id,
        unit_id=assignment.unit_id,
        station_id=assignment.station_id,
        district_id=assignment.district_id,
        title=obj.task_title()[:300],
        reference=obj.reference,
        kind=obj.task_kind(),
        url=obj.get_absolute_url(),
        created_at=now,
        due_at=assignment.due_at,
    )


def history(obj) -> QuerySet[Transition]:
    return Transition.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk).select_related("by")


def is_drafter(user: User, obj) -> bool:
    """The officers who may edit and submit a request: its agency's ILOs, and the UOs of its unit."""
    if user.role == Role.ILO:
        return user.agency_id == obj.agency_id
    return user.role == Role.UO and obj.unit_id is not None and user.unit_id == obj.unit_id


# --- Inboxes ------------------------------------------------------------------------------------


def task_group(user: User) -> Q:
    """The open tasks waiting on this user's role in this user's office."""
    if user.role in NCB_ROLES:
        return Q(role="ncb")
    if user.role == Role.ILO:
        return Q(role="ilo", agency_id=user.agency_id)
    if user.role == Role.UO:
        return Q(role="uo", unit_id=user.unit_id)
    if user.role == Role.DISTRICT_OFFICER:
        return Q(role="district_officer", district_id=user.district_id)
    if user.role == Role.STATION_OFFICER:
        return Q(role="station_officer", station_id=user.station_id)
    return Q(pk__in=[])


def _inbox_filters(tasks: QuerySet[Task], *, kind: str, overdue_only: bool, q: str) -> QuerySet[Task]:
    """The filters every inbox offers, soonest deadline first."""
    if kind:
        tasks = tasks.filter(kind__startswith=kind)
    if overdue_only:
        tasks = tasks.filter(due_at__lt=timezone.now())
    if q:
        tasks = tasks.filter(Q(title__icontains=q) | Q(reference__icontains=q))
    return tasks.order_by(F("due_at").asc(nulls_last=True), "pk")


def inbox_for(user: User, *, kind: str = "", overdue_only: bool = False, q: str = "") -> QuerySet[Task]:
    tasks = Task.objects.filter(task_group(user), closed_at__isnull=True)
    return _inbox_filters(tasks, kind=kind, overdue_only=overdue_only, q=q)


def station_tasks_for(user: User, *, kind: str = "", overdue_only: bool = False, q: str = "") -> QuerySet[Task]:
    """What waits at the stations a district officer oversees, to follow (the stations act on it); nothing for other roles."""
    if user.role != Role.DISTRICT_OFFICER:
        return Task.objects.none()
    oversight = access.jurisdiction_q(user, agency=None, unit=None, station=None, district="station__district")
    tasks = Task.objects.filter(oversight, role="station_officer", closed_at__isnull=True).select_related("station")
    return _inbox_filters(tasks, kind=kind, overdue_only=overdue_only, q=q)


# --- Escalation -------------------------------------------------------------------------------


@dataclass
class EscalationReport:
    escalated: int = 0
    emails: int = 0
    references: list[str] = field(default_factory=list)


def district_officers_of_station(station_id: int | None) -> QuerySet[User]:
    """The active officers of the SP office of a station's district."""
    if station_id is None:
        return User.objects.none()
    return User.objects.filter(is_active=True, role=Role.DISTRICT_OFFICER, district__stations=station_id)


def _holders(task: Task) -> QuerySet[User]:
    """The active officers a task waits on: the readers of the inbox it is in."""
    users = User.objects.filter(is_active=True)
    if task.role == "ncb":
        return users.filter(role__in=NCB_ROLES)
    if task.role == "ilo":
        return users.filter(role=Role.ILO, agency_id=task.agency_id)
    if task.role == "uo":
        return users.filter(role=Role.UO, unit_id=task.unit_id)
    if task.role == "district_officer":
        return users.filter(role=Role.DISTRICT_OFFICER, district_id=task.district_id)
    if task.role == "station_officer":
        return users.filter(role=Role.STATION_OFFICER, station_id=task.station_id)
    return users.none()


def _next_level(task: Task, *, no_district_officer: bool) -> QuerySet[User]:
    """Overdue at a UO goes to its ILOs; at a station, to its district's officers (the state's ILOs when the district has
    none); at a district, to the state's ILOs; at an ILO, to the NCB; at the NCB, to its administrators."""
    users = User.objects.filter(is_active=True)
    if task.role == "station_officer" and not no_district_officer:
        return district_officers_of_station(task.station_id)
    if task.role in ("uo", "station_officer", "district_officer"):
        return users.filter(role=Role.ILO, agency_id=task.agency_id)
    if task.role == "ilo":
        return users.filter(role__in=NCB_ROLES)
    return users.filter(role=Role.NCB_ADMIN)


def _emails(users: QuerySet[User]) -> list[str]:
    return sorted({email for email in users.values_list("email", flat=True) if email})


def escalate_overdue(now: datetime | None = None) -> EscalationReport:
    """Tell the next level about every open task past its deadline, once per task.

    A request that moves up when late (see `Workflowed.escalate`) is handed over: its task is closed and a new one
    opens in the inbox of the office that takes it over, whose officers are told.
    """
    now = now or timezone.now()
    report = EscalationReport()
    overdue = Task.objects.filter(closed_at__isnull=True, escalated_at__isnull=True, due_at__lt=now).order_by("due_at")
    for task in overdue:
        with transaction.atomic():
            claimed = Task.objects.filter(pk=task.pk, closed_at__isnull=True, escalated_at__isnull=True).update(escalated_at=now)
            if not claimed:
                continue
            no_district_officer = task.role == "station_officer" and not district_officers_of_station(task.station_id).exists()
            subject = task.subject
            escalate = getattr(subject, "escalate", None)  # tasks of plain models (a dissemination, a hit) only ever tell
            handover = escalate(task, now) if escalate is not None else None
            if handover is not None:
                Task.objects.filter(pk=task.pk).update(closed_at=now)
                taken_over = open_task(subject, handover, content_type=task.content_type, now=now)
                recipients = _emails(_holders(taken_over))
            else:
                recipients = _emails(_next_level(task, no_district_officer=no_district_officer))
            late = now - task.due_at
            hours = int(late.total_seconds() // 3600)
            data = {"reference": task.reference, "to": recipients, "late_hours": hours}
            if handover is not None:
                data["handed_to"] = handover.role
            if no_district_officer:
                data["fallback"] = "The station's district has no district officer: the state's ILOs were told instead."
            audit.record(action="workflow.escalated", target=task, data=data)
            if recipients:
                body = _(
                    "%(reference)s (%(title)s) has waited past its deadline of %(due)s at the %(role)s stage, "
                    "%(hours)s hour(s) late.\nOpen it: %(url)s"
                ) % {
                    "reference": task.reference,
                    "title": task.title,
                    "due": timezone.localtime(task.due_at).strftime("%d %b %Y %H:%M"),
                    "role": task.role.upper(),
                    "hours": hours,
                    "url": settings.SITE_URL + task.url,
                }
                if handover is not None:
                    body += "\n" + _("It is now with your office: act on it by %(due)s.") % {
                        "due": timezone.localtime(taken_over.due_at).strftime("%d %b %Y %H:%M") if taken_over.due_at else "—"
                    }
                transaction.on_commit(
                    lambda r=recipients, b=body, t=task: send_mail(
                        _("Overdue: %(reference)s") % {"reference": t.reference}, b, None, r, fail_silently=False
                    )
                )
                report.emails += len(recipients)
            report.escalated += 1
            report.references.append(task.reference)
    return report

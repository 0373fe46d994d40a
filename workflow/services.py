"""Moving requests through their stages, once, in order, with deadlines, inboxes and escalation."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import BigIntegerField, CharField, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Role, User
from accounts.offices import ROLE_LEVEL, Level, Office
from audit import services as audit
from notify import services as notify
from workflow.models import Task, Transition, Workflowed

# Who makes a move, as the levels of the offices whose officers make it (None: the requester, a citizen in no office).
NCB = (Level.NATIONAL,)
AGENCY = (Level.AGENCY,)
NCB_ROLES = NCB  # the name the apps' tables still import


def _level_of(who) -> Level | None:
    """A level as given, or a role read as the level of the office it sits in (a citizen's: None, no office)."""
    if who is None or isinstance(who, Level):
        return who
    if who in tuple(Level):
        return Level(who)
    if who in ROLE_LEVEL:
        return ROLE_LEVEL[who]
    if who in Role.values:
        return None  # a role that sits in no office: the citizen
    raise ValueError(f"Neither a level of office nor a role: {who!r}")


@dataclass(frozen=True)
class Move:
    """A legal move: the stage it leads to, which offices' officers make it, and the deadline (a key of
    WORKFLOW_DEADLINES) there.

    `by` lists levels of office (`NCB`, `(Level.UNIT, Level.AGENCY)`, None for the requester in no office); roles
    given there are read as the level of their office, so that a move names the office that acts, never a role.
    """

    to: str
    by: tuple[Level | None, ...]
    deadline: str | None = None
    needs_note: bool = False

    def __post_init__(self):
        object.__setattr__(self, "by", tuple(dict.fromkeys(_level_of(who) for who in self.by)))

    def allows(self, user) -> bool:
        """May this user make the move? Its office is at one of the move's levels and the user one of its officers (an
        analyst sitting in the national office is not); the requester acts from no office."""
        office = Office.of(user)
        if office is None:
            return None in self.by and user.is_authenticated and user.is_active
        return office.level in self.by and office.has_member(user)


@dataclass(frozen=True)
class Assignment:
    """Who acts next on a request: an office (its officers read it in their inbox), and by when."""

    office: Office
    due_at: datetime | None = None


class WorkflowError(Exception):
    """A move that cannot be made, with the message for the user."""


class IllegalMove(WorkflowError):
    pass


class Conflict(WorkflowError):
    pass


class NoteMissing(IllegalMove):
    """A step that must say why, taken without a comment: the user's input is incomplete, not refused."""


def refused_status(error: Exception) -> int:
    """The status of a page that refused a step: 409 for a stale version, 400 for a missing comment, else 403."""
    if isinstance(error, Conflict):
        return 409
    return 400 if isinstance(error, NoteMissing) else 403


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

    Only the officers of the offices the move names may make it, and only from an office that covers the one the
    request waits on. `expected_version` is the version the user saw on their page; a stale one is a conflict too, so
    a reviewer never acts on a request that changed under their eyes.
    """
    if expected_version is not None and expected_version != obj.version:
        raise Conflict(_("Someone else acted on this request a moment ago. Reload it to see where it stands; nothing was changed."))
    move: Move | None = obj.FLOW.get((obj.stage, action))
    if move is None:
        raise IllegalMove(
            _("This request is now “%(stage)s”: that step is not possible at this stage.") % {"stage": obj.get_stage_display()}
        )
    if not move.allows(by):
        raise IllegalMove(_("Your role (%(role)s) cannot take this step.") % {"role": by.get_role_display()})
    office, waiting = Office.of(by), obj.assignment_for_stage(obj.stage, obj.due_at)
    if office is not None and waiting is not None and not office.covers(waiting.office):
        raise IllegalMove(_("This request waits on another office: yours cannot take this step."))
    if move.needs_note and not note.strip():
        raise NoteMissing(_("Say why: a comment is required for this step."))
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
        assignment = obj.assignment_for_stage(move.to, due_at)
        if assignment is None:
            tasks_close(obj, now=now)
        else:
            task_open(obj, assignment.office, assignment.due_at, now=now)
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
        task_open(obj, assignment.office, assignment.due_at)
    audit.record(actor=by, action=f"{audit_label}.create", target=obj)


def history(obj) -> QuerySet[Transition]:
    return Transition.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk).select_related(
        "by", "content_type"
    )


def is_drafter(user: User, obj) -> bool:
    """The officers who may edit and submit a request: those of its drafting offices, its agency and its unit office."""
    office = Office.of(user)
    if office is None:
        return False
    drafting = {Office.agency(obj.agency_id).key}
    if obj.unit_id is not None:
        drafting.add(Office.unit(obj.unit_id, obj.agency_id).key)
    return office.key in drafting and office.has_member(user)


# --- Tasks: the one place that writes them --------------------------------------------------------


def _open_tasks(subject) -> QuerySet[Task]:
    return Task.objects.filter(content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk, closed_at__isnull=True)


def task_open(subject, office: Office, due_at: datetime | None = None, *, now: datetime | None = None) -> Task:
    """Put `subject` (a request, a dissemination, a hit) in `office`'s inbox, due by `due_at`; the task it had open
    before, if any, is closed (an item waits on one office at a time).

    The subject names itself in the inbox: `task_title()`, `task_kind()`, `reference`, `stage`, `get_absolute_url()`.
    """
    now = now or timezone.now()
    _open_tasks(subject).update(closed_at=now)
    return Task.objects.create(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        stage=subject.stage,
        office=office.key,
        title=subject.task_title()[:300],
        reference=subject.reference,
        kind=subject.task_kind(),
        url=subject.get_absolute_url(),
        created_at=now,
        due_at=due_at,
    )


def tasks_close(subject, *, now: datetime | None = None) -> int:
    """Nothing waits on anyone for `subject` any more (decided, answered, closed); returns how many tasks closed."""
    return _open_tasks(subject).update(closed_at=now or timezone.now())


def task_for(subject) -> Task | None:
    """The open task of `subject`: which office it waits on, and by when; None when it waits on nobody."""
    return _open_tasks(subject).first()


def task_reschedule(subject, due_at: datetime | None) -> int:
    """A new deadline for the open task of `subject` (a reminder went out): it may be escalated again once past it."""
    return _open_tasks(subject).update(due_at=due_at, escalated_at=None)


# --- Inboxes ------------------------------------------------------------------------------------


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
    """The open tasks waiting on the user's office; none without the "workflow.inbox" capability."""
    office = Office.of(user)
    if office is None or not access.can(user, "workflow.inbox"):
        return Task.objects.none()
    tasks = Task.objects.filter(office=office.key, closed_at__isnull=True)
    return _inbox_filters(tasks, kind=kind, overdue_only=overdue_only, q=q)


STATION_KEY = f"{Level.STATION}:"


def station_tasks_for(user: User, *, kind: str = "", overdue_only: bool = False, q: str = "") -> QuerySet[Task]:
    """What waits at the stations an SP office oversees, to follow (the stations act on it), each task with its
    `station_name`; nothing for other offices."""
    from directory.models import PoliceStation

    office = Office.of(user)
    if office is None or office.level is not Level.DISTRICT or not access.can(user, "workflow.inbox"):
        return Task.objects.none()
    covered = PoliceStation.objects.filter(office.scope(district="district")).annotate(
        key=Concat(Value(STATION_KEY), Cast("pk", CharField()), output_field=CharField())
    )
    station_pk = Cast(Substr(OuterRef("office"), len(STATION_KEY) + 1), BigIntegerField())
    name = PoliceStation.objects.filter(pk=station_pk).values("name")[:1]
    tasks = Task.objects.filter(office__in=Subquery(covered.values("key")), closed_at__isnull=True).annotate(station_name=Subquery(name))
    return _inbox_filters(tasks, kind=kind, overdue_only=overdue_only, q=q)


# --- Escalation -------------------------------------------------------------------------------


class EscalationReport(dict):
    """What `escalate_overdue` did, as the small dict a periodic job returns ({"escalated": 2, "emails": 3,
    "references": [...]}); its keys read as attributes too (`report.escalated`)."""

    def __init__(self, escalated: int = 0, emails: int = 0, references: list[str] | None = None):
        super().__init__(escalated=escalated, emails=emails, references=list(references or []))

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def district_officers_of_station(station_id: int | None) -> QuerySet[User]:
    """The active officers of the SP office of a station's district (none for a station without a district)."""
    from directory.models import PoliceStation

    district_id = PoliceStation.objects.filter(pk=station_id).values_list("district_id", flat=True).first() if station_id else None
    return Office.district(district_id, None).members() if district_id else User.objects.none()


def _supervisors(office: Office) -> QuerySet[User]:
    """Who is told of the national office's own late work: its officers who supervise it (the NCB's administrators)."""
    return office.members().filter(role__in=access.roles_with("workflow.supervise"))


def _told(office: Office) -> tuple[Office | None, Office | None]:
    """Who hears of late work at `office`: the office above it (a station's SP office, a unit's or district's agency,
    an agency's NCB) or, while that has no active officer, the nearest one above that has (a station whose district
    has no SP officer: its agency's ILOs). Returns (the office above, the office told); for the NCB, itself twice."""
    above = office.parent()
    if above is None:
        return office, office
    return above, above.staffed()


def _fallback_note(above: Office, told: Office | None) -> str:
    """What the audit entry says when the office above had nobody to tell."""
    missing = (
        "The station's district has no district officer" if above.level is Level.DISTRICT else f"{above.label()} has no active officer"
    )
    if told is None:
        return f"{missing}, nor any office above it: nobody was told."
    return f"{missing}: the officers of {told.label()} were told instead."


def _with_email(users: QuerySet[User]) -> list[User]:
    """The officers to tell (those with an e-mail address), in the order of their addresses."""
    return sorted((user for user in users.exclude(email="")), key=lambda user: user.email)


def escalate_overdue(now: datetime | None = None) -> EscalationReport:
    """Tell the next level about every open task past its deadline, once per task; a periodic job
    (settings.PERIODIC_JOBS) returning what it did ({"escalated": n, ...}).

    A request that moves up when late (see `Workflowed.escalate`) is handed over: its task is closed and a new one
    opens in the inbox of the office that takes it over, whose officers are told. Each task is escalated in a
    transaction of its own, and its message (workflow.task_overdue) is enqueued in it: sent when it commits, never
    if it rolls back.
    """
    now = now or timezone.now()
    report = EscalationReport()
    overdue = Task.objects.filter(closed_at__isnull=True, escalated_at__isnull=True, due_at__lt=now).order_by("due_at")
    for task in overdue:
        with transaction.atomic():
            claimed = Task.objects.filter(pk=task.pk, closed_at__isnull=True, escalated_at__isnull=True).update(escalated_at=now)
            if not claimed:
                continue
            office = task.waiting_at()
            above, told = _told(office)
            subject = task.subject
            escalate = getattr(subject, "escalate", None)  # tasks of plain models (a dissemination, a hit) only ever tell
            handover = escalate(task, now) if escalate is not None else None
            taken_over = None
            if handover is not None:
                taken_over = task_open(subject, handover.office, handover.due_at, now=now)
                recipients = _with_email(handover.office.members())
            elif above == office:
                recipients = _with_email(_supervisors(office))
            else:
                recipients = _with_email(told.members()) if told is not None else []
            hours = int((now - task.due_at).total_seconds() // 3600)
            data = {"reference": task.reference, "to": [user.email for user in recipients], "late_hours": hours}
            if handover is not None:
                data["handed_to"] = handover.office.key
            if told != above:
                data["fallback"] = _fallback_note(above, told)
            audit.record(action="workflow.escalated", target=task, data=data)
            if recipients:
                notify.send(
                    "workflow.task_overdue",
                    to=[notify.of(user) for user in recipients],
                    task=task,
                    office=office,
                    hours=hours,
                    taken_over=taken_over,
                )
                report["emails"] += len(recipients)
            report["escalated"] += 1
            report["references"].append(task.reference)
    return report

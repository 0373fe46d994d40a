"""The one place that decides what a user may see and do: the capability table (what) and the office (where).

- `can(user, capability)`: may this role do this kind of thing at all? (a missing capability is a 403)
- `visible(user, capability, queryset, **lookups)`: the rows the user may see, none without the capability, else those
  inside their office (`accounts.offices.Office.scope`). Rows outside it are filtered away, so fetching one answers
  404, never a hint that it exists.

Where a user sits is `accounts.offices.Office.of(user)`: NCB staff, analysts and system administrators at the
centre (what they may do there is their capability's business), an ILO in its agency, a UO in its unit, a district
officer in the SP office of its district, a station officer at its station; a citizen in no office, seeing only
what is their own.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from accounts.models import Role
from accounts.offices import Office
from audit import services as audit

# What each role may do. Later modules add their capabilities here, so the whole policy reads in one table.
# "workflow.inbox": tasks waiting on one's office; "workflow.cooperation_inbox": the inbox page of cooperation work
# (notices, references, broadcasts, hits) on the dashboard; "workflow.supervise": told of the NCB's own late work.
BHARATPOL = frozenset(
    {"notices.view", "references.view", "workflow.inbox", "workflow.cooperation_inbox", "broadcast.view", "connect.use", "resources.view"}
)
ALERTS = frozenset({"alerts.view", "alerts.publish"})
ALERTS_INTERSTATE = frozenset({"alerts.publish_interstate"})  # beyond the publisher's state and its neighbours (alerts.lanes)
RECORDS = frozenset({"records.search"})
STATION_RECORDS = frozenset({"records.register"})  # FIRs, arrests, proclamations, missing persons: at the office's stations
NCB_MANAGE = frozenset({"transmission.operate", "broadcast.manage", "resources.manage", "training.manage"})
CAPABILITIES: dict[str, frozenset[str]] = {
    Role.NCB_ADMIN: frozenset(
        {"directory.view", "users.view", "users.provision", "audit.view", "stats.view", "alerts.dashboard", "workflow.supervise"}
    )
    | BHARATPOL
    | NCB_MANAGE
    | ALERTS
    | ALERTS_INTERSTATE
    | RECORDS
    | {"records.import"},
    Role.NCB_OFFICER: frozenset(
        {"directory.view", "users.view", "stats.view", "transmission.operate", "broadcast.manage", "training.manage", "alerts.dashboard"}
    )
    | BHARATPOL
    | ALERTS
    | ALERTS_INTERSTATE
    | RECORDS,
    Role.ILO: frozenset({"directory.view", "users.view", "users.provision", "citizen.handle", "stats.view"}) | BHARATPOL | ALERTS | RECORDS,
    Role.UO: frozenset({"directory.view", "users.view"}) | BHARATPOL | ALERTS | RECORDS,
    Role.STATION_OFFICER: frozenset({"directory.view", "users.view", "workflow.inbox", "citizen.handle"})
    | ALERTS
    | RECORDS
    | STATION_RECORDS,
    Role.DISTRICT_OFFICER: frozenset({"directory.view", "users.view", "workflow.inbox", "citizen.handle", "stats.view"})
    | ALERTS
    | RECORDS
    | STATION_RECORDS,
    Role.ANALYST: frozenset({"stats.view", "alerts.dashboard"}),
    Role.CITIZEN: frozenset({"citizen.request"}),
    Role.SYSADMIN: frozenset({"directory.view", "users.view", "users.provision", "audit.view", "records.import", "jobs.manage"}),
}

# Who may create and disable whom. Nobody grants a role above their own; an ILO only inside its agency
# (and district officers only for the districts of its state).
GRANTABLE_ROLES: dict[str, tuple[str, ...]] = {
    Role.SYSADMIN: (Role.SYSADMIN, Role.NCB_ADMIN, Role.ANALYST),
    Role.NCB_ADMIN: (Role.NCB_OFFICER, Role.ILO, Role.ANALYST),
    Role.ILO: (Role.UO, Role.DISTRICT_OFFICER, Role.STATION_OFFICER),
}


def can(user, capability: str) -> bool:
    """True when the user's role carries the capability (and the account is active)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return capability in CAPABILITIES.get(user.role, frozenset())


def roles_with(capability: str) -> tuple[str, ...]:
    """The roles whose capabilities include this one (for a workflow move, which names who may make it by role)."""
    return tuple(role for role, capabilities in CAPABILITIES.items() if capability in capabilities)


def require(user, capability: str) -> None:
    """Refuse with 403 (audited) when the role lacks the capability."""
    if not can(user, capability):
        audit.record(actor=user, action="access.forbidden", data={"capability": capability})
        raise PermissionDenied


def get_or_404(user, visible: QuerySet, **lookup) -> Model:
    """Fetch one object from a queryset already filtered to the user's jurisdiction.

    An object that exists outside the jurisdiction answers exactly like a missing one (404), and the
    attempt is audited.
    """
    try:
        return visible.get(**lookup)
    except visible.model.DoesNotExist:
        if visible.model._default_manager.filter(**lookup).exists():
            audit.record(
                actor=user,
                action="access.out_of_jurisdiction",
                data={"model": visible.model._meta.label_lower, "lookup": {k: str(v) for k, v in lookup.items()}},
            )
        raise Http404 from None


def fetch(user, visible: QuerySet, *, shown_as: str = "page", purpose: str = "", data: dict | None = None, **lookup) -> Model:
    """The one way to fetch a sensitive object for a user: 404 outside their office (the attempt audited, see
    `get_or_404`), and an audit entry for the read itself (`audit.read`: how it was shown, and why when asked;
    `data` adds what the entry should say besides, e.g. which attachment)."""
    obj = get_or_404(user, visible, **lookup)
    audit.read(actor=user, target=obj, shown_as=shown_as, purpose=purpose, data=data)
    return obj


def is_national(user) -> bool:
    """Does the user act for the national office (NCB staff, analysts, system administrators)?"""
    office = Office.of(user)
    return office is not None and office.is_national


def jurisdiction_q(
    user,
    *,
    agency: str | None = "agency",
    unit: str | None = "unit",
    station: str | None = "station",
    district: str | None = None,
    owner: str | None = None,
) -> Q:
    """A filter selecting the rows inside the user's office (`Office.scope`), or their own rows (`owner`) outside any.

    The keyword arguments name the model's lookups to the agency, unit office, station, district and owning
    user; pass None for a lookup the model does not have (then that level sees nothing of it). District
    officers see nothing unless the caller names the district lookup (usually "station__district").
    """
    office = Office.of(user)
    if office is not None:
        return office.scope(agency=agency, unit=unit, district=district, station=station)
    if owner and user.is_authenticated and user.is_active:
        return Q(**{f"{owner}_id": user.pk})
    return Q(pk__in=[])


def visible(user, capability: str, queryset: QuerySet, **lookups) -> QuerySet:
    """The rows of `queryset` this user may see: none without the capability, else those inside their office."""
    if not can(user, capability):
        return queryset.none()
    return queryset.filter(jurisdiction_q(user, **lookups))


def user_visibility_q(viewer) -> Q:
    """Which accounts a user may see: everyone inside their jurisdiction, and always themselves.

    A district officer sees the officers of the stations of the district and the other officers of its SP office.
    """
    if not viewer.is_authenticated:
        return Q(pk__in=[])
    if not can(viewer, "users.view"):
        return Q(pk=viewer.pk)
    if is_national(viewer):
        return Q()  # an empty Q OR-ed with another would narrow to that other
    visible = jurisdiction_q(viewer, district="station__district") | Q(pk=viewer.pk)
    if viewer.role == Role.DISTRICT_OFFICER:
        visible |= Q(role=Role.DISTRICT_OFFICER, district_id=viewer.district_id)
    return visible


def grantable_roles(user) -> tuple[str, ...]:
    """The roles this user may create and disable accounts for."""
    if not can(user, "users.provision"):
        return ()
    return GRANTABLE_ROLES.get(user.role, ())


def may_manage(manager, target) -> bool:
    """May `manager` disable or re-enable `target`? Only a role they may grant, inside their jurisdiction, never themselves."""
    if manager.pk == target.pk or target.role not in grantable_roles(manager):
        return False
    if is_national(manager):
        return True
    return manager.role == Role.ILO and target.agency_id == manager.agency_id

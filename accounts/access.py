"""The one place that decides what a user may see and do, by role and jurisdiction.

Two questions, two helpers:
- `can(user, capability)`: may this role do this kind of thing at all? (a missing capability is a 403)
- `jurisdiction_q(user, ...)`: which rows of a model lie inside the user's jurisdiction? Rows outside it
  are filtered away, so fetching one answers 404, never a hint that it exists.

Jurisdiction: NCB staff, analysts (statistics only) and system administrators are national; an ILO
sees its agency; a UO its unit; a district officer (the SP office) the stations of its district; a
station officer its station; a citizen only what is their own.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from accounts.models import Role
from audit import services as audit

NATIONAL_ROLES = frozenset({Role.NCB_ADMIN, Role.NCB_OFFICER, Role.SYSADMIN})

# What each role may do. Later modules add their capabilities here, so the whole policy reads in one table.
BHARATPOL = frozenset({"notices.view", "references.view", "workflow.inbox", "broadcast.view", "connect.use", "resources.view"})
ALERTS = frozenset({"alerts.view", "alerts.publish"})
RECORDS = frozenset({"records.search"})
NCB_MANAGE = frozenset({"transmission.operate", "broadcast.manage", "resources.manage", "training.manage"})
CAPABILITIES: dict[str, frozenset[str]] = {
    Role.NCB_ADMIN: frozenset({"directory.view", "users.view", "users.provision", "audit.view", "stats.view", "alerts.dashboard"})
    | BHARATPOL
    | NCB_MANAGE
    | ALERTS
    | RECORDS
    | {"records.import"},
    Role.NCB_OFFICER: frozenset(
        {"directory.view", "users.view", "stats.view", "transmission.operate", "broadcast.manage", "training.manage", "alerts.dashboard"}
    )
    | BHARATPOL
    | ALERTS
    | RECORDS,
    Role.ILO: frozenset({"directory.view", "users.view", "users.provision", "citizen.handle"}) | BHARATPOL | ALERTS | RECORDS,
    Role.UO: frozenset({"directory.view", "users.view"}) | BHARATPOL | ALERTS | RECORDS,
    Role.STATION_OFFICER: frozenset({"directory.view", "users.view", "workflow.inbox", "citizen.handle"}) | ALERTS | RECORDS,
    Role.DISTRICT_OFFICER: frozenset({"directory.view", "users.view", "workflow.inbox", "citizen.handle"}) | ALERTS | RECORDS,
    Role.ANALYST: frozenset({"stats.view", "alerts.dashboard"}),
    Role.CITIZEN: frozenset({"citizen.request"}),
    Role.SYSADMIN: frozenset({"directory.view", "users.view", "users.provision", "audit.view", "records.import"}),
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


def is_national(user) -> bool:
    return user.is_authenticated and user.role in NATIONAL_ROLES


def jurisdiction_q(
    user,
    *,
    agency: str | None = "agency",
    unit: str | None = "unit",
    station: str | None = "station",
    district: str | None = None,
    owner: str | None = None,
) -> Q:
    """A filter selecting the rows inside the user's jurisdiction.

    The keyword arguments name the model's lookups to the agency, unit office, station, district and owning
    user; pass None for a lookup the model does not have (then that level sees nothing of it). District
    officers see nothing unless the caller names the district lookup (usually "station__district").
    """
    nothing = Q(pk__in=[])
    if not user.is_authenticated or not user.is_active:
        return nothing
    if user.role in NATIONAL_ROLES:
        return Q()
    if user.role == Role.ILO and agency:
        return Q(**{f"{agency}_id": user.agency_id})
    if user.role == Role.UO and unit:
        return Q(**{f"{unit}_id": user.unit_id})
    if user.role == Role.STATION_OFFICER and station:
        return Q(**{f"{station}_id": user.station_id})
    if user.role == Role.DISTRICT_OFFICER and district:
        return Q(**{f"{district}_id": user.district_id})
    if owner:
        return Q(**{f"{owner}_id": user.pk})
    return nothing


def user_visibility_q(viewer) -> Q:
    """Which accounts a user may see: everyone inside their jurisdiction, and always themselves.

    A district officer sees the officers of the stations of the district and the other officers of its SP office.
    """
    if not viewer.is_authenticated:
        return Q(pk__in=[])
    if is_national(viewer):
        return Q()  # an empty Q OR-ed with another would narrow to that other
    if not can(viewer, "users.view"):
        return Q(pk=viewer.pk)
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
    if manager.role in NATIONAL_ROLES:
        return True
    return manager.role == Role.ILO and target.agency_id == manager.agency_id

"""Reads of alerts, already filtered to what the user may see."""

from django.db.models import Count, F, OuterRef, Q, Subquery

from accounts import access
from accounts.models import Role
from alerts.models import Alert, Delivery


def alerts_for_user(user, *, status: str = "", q: str = "", category: str = ""):
    alerts = Alert.objects.visible_to(user).select_related("origin_state", "origin_district")
    if status:
        alerts = alerts.filter(status=status)
    if category:
        alerts = alerts.filter(category=category)
    if q:
        alerts = alerts.filter(Q(headline__icontains=q) | Q(reference__icontains=q) | Q(description__icontains=q))
    return alerts.order_by("-created_at")


def office_deliveries(user):
    """The delivery rows the user's office answers for (a station's or a unit's)."""
    if user.role == Role.STATION_OFFICER:
        return Delivery.objects.filter(station_id=user.station_id)
    if user.role == Role.UO:
        return Delivery.objects.filter(unit_id=user.unit_id)
    return Delivery.objects.none()


def inbox_for_user(user, *, status: str = "", q: str = "", category: str = ""):
    """The inbox: visible alerts, newest first, each with the acknowledgement of the user's office for its current version."""
    mine = office_deliveries(user).filter(alert=OuterRef("pk"), version__number=OuterRef("version"))
    return alerts_for_user(user, status=status, q=q, category=category).annotate(
        my_delivery_id=Subquery(mine.values("pk")[:1]),
        my_acknowledged_at=Subquery(mine.values("acknowledged_at")[:1]),
    )


def get_alert_for_user(user, pk: int) -> Alert:
    return access.get_or_404(
        user,
        Alert.objects.visible_to(user).select_related(
            "created_by", "origin_station", "origin_unit", "origin_agency", "origin_district", "origin_state"
        ),
        pk=pk,
    )


def my_delivery(alert: Alert, user) -> Delivery | None:
    """The delivery of the alert's current version to the user's office, if it reached it."""
    return office_deliveries(user).filter(alert=alert, version__number=alert.version).select_related("acknowledged_by").first()


def acknowledgement_summary(alert: Alert) -> dict:
    rows = Delivery.objects.filter(alert=alert, version__number=alert.version)
    return rows.aggregate(total=Count("pk"), acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)))


def acknowledgements(alert: Alert, user, limit: int = 200):
    """Who acknowledged the current version, and when (the originator, the NCB and the origin state's ILOs see them all)."""
    rows = Delivery.objects.filter(alert=alert, version__number=alert.version, acknowledged_at__isnull=False)
    if user.role == Role.ILO and alert.origin_agency_id != user.agency_id:
        rows = rows.filter(station__agency_id=user.agency_id)
    elif user.role == Role.DISTRICT_OFFICER and alert.created_by_id != user.pk:
        rows = rows.filter(station__district_id=user.district_id)
    elif user.role in (Role.STATION_OFFICER, Role.UO) and not (
        alert.created_by_id == user.pk
        or alert.origin_station_id == user.station_id
        and user.station_id
        or alert.origin_unit_id == user.unit_id
        and user.unit_id
    ):
        rows = rows.filter(pk__in=office_deliveries(user).values("pk"))
    return (
        rows.select_related("station__district", "unit", "acknowledged_by")
        .annotate(delay=F("acknowledged_at") - F("delivered_at"))
        .order_by("acknowledged_at")[:limit]
    )

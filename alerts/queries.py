"""Reads of alerts, already filtered to what the user may see."""

from django.db.models import Count, F, OuterRef, Q, Subquery

from accounts import access
from alerts import audience
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
    return Delivery.objects.filter(audience.own_deliveries(audience.office_of(user)))


def inbox_for_user(user, *, status: str = "", q: str = "", category: str = ""):
    """The inbox: visible alerts, newest first, each with the acknowledgement of the user's office for its current version."""
    mine = office_deliveries(user).filter(alert=OuterRef("pk"), version__number=OuterRef("version"))
    return alerts_for_user(user, status=status, q=q, category=category).annotate(
        my_delivery_id=Subquery(mine.values("pk")[:1]),
        my_acknowledged_at=Subquery(mine.values("acknowledged_at")[:1]),
    )


def get_alert_for_user(user, pk: int, *, shown_as: str = "") -> Alert:
    """One alert the user may see, else 404 (an attempt on another office's alert is audited). Shown to the user
    (`shown_as`: "page", "cap", "api"), the read itself is audited too; fetched to act on it, the action is."""
    visible = Alert.objects.visible_to(user).select_related(
        "created_by", "origin_station", "origin_unit", "origin_agency", "origin_district", "origin_state"
    )
    if shown_as:
        return access.fetch(user, visible, shown_as=shown_as, pk=pk)
    return access.get_or_404(user, visible, pk=pk)


def my_delivery(alert: Alert, user) -> Delivery | None:
    """The delivery of the alert's current version to the user's office, if it reached it."""
    return office_deliveries(user).filter(alert=alert, version__number=alert.version).select_related("acknowledged_by").first()


def acknowledgement_summary(alert: Alert) -> dict:
    rows = Delivery.objects.filter(alert=alert, version__number=alert.version)
    return rows.aggregate(total=Count("pk"), acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)))


def acknowledgements(alert: Alert, user, limit: int = 200):
    """Who acknowledged the current version, and when: all of them for the author and the offices that own the alert
    (the publishing office and those above it), else those of the offices the user's office covers."""
    rows = Delivery.objects.filter(alert=alert, version__number=alert.version, acknowledged_at__isnull=False)
    office = audience.office_of(user)
    if office is None:
        return rows.none()
    if not Alert.objects.filter(audience.owned_filter(office, user.pk), pk=alert.pk).exists():
        rows = rows.filter(audience.delivery_filter(office))
    return (
        rows.select_related("station__district", "unit", "acknowledged_by")
        .annotate(delay=F("acknowledged_at") - F("delivered_at"))
        .order_by("acknowledged_at")[:limit]
    )

"""Reads of broadcasts, already filtered to the user's jurisdiction."""

from accounts import access
from broadcast.models import BroadcastItem, Dissemination


def broadcasts_for_user(user, *, stage: str = "", q: str = ""):
    items = BroadcastItem.objects.visible_to(user).select_related("origin_country")
    if stage:
        items = items.filter(stage=stage)
    if q:
        items = items.filter(title__icontains=q) | items.filter(reference__icontains=q)
    return items.order_by("-registered_at")


def get_broadcast_for_user(user, pk: int) -> BroadcastItem:
    return access.get_or_404(user, BroadcastItem.objects.visible_to(user).select_related("origin_country", "registered_by"), pk=pk)


def status_rows(item: BroadcastItem, user):
    """The live status table: every addressee with who acknowledged and acted, and when; ILOs see their agency's rows."""
    rows = item.disseminations.select_related("agency", "unit", "acknowledged_by", "reported_by")
    if user.role not in ("ncb_admin", "ncb_officer"):
        rows = rows.filter(agency_id=user.agency_id) if user.role == "ilo" else rows.filter(unit_id=user.unit_id)
    return rows.order_by("agency__name", "unit__name")


def my_rows(item: BroadcastItem, user):
    return Dissemination.objects.for_recipient(user).filter(item=item).select_related("agency", "unit")

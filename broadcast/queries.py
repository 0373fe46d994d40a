"""Reads of broadcasts, already filtered to the user's office; fetching an item or a row for a user is audited."""

from accounts import access
from broadcast.models import BroadcastItem, Dissemination


def broadcasts_for_user(user, *, stage: str = "", q: str = ""):
    items = BroadcastItem.objects.visible_to(user).select_related("origin_country")
    if stage:
        items = items.filter(stage=stage)
    if q:
        items = items.filter(title__icontains=q) | items.filter(reference__icontains=q)
    return items.order_by("-registered_at")


def get_broadcast_for_user(user, pk: int, *, shown_as: str = "page") -> BroadcastItem:
    """One item, as a page, its status table or an API answer: 404 if it did not reach the user's office (the attempt
    audited), and the read itself audited. Call it once per request: every call is an entry."""
    visible = BroadcastItem.objects.visible_to(user).select_related("origin_country", "registered_by")
    return access.fetch(user, visible, shown_as=shown_as, pk=pk)


def get_dissemination_for_user(user, item_pk: int, row_pk: int, *, shown_as: str = "page") -> Dissemination:
    """One row of an item that the user's office answers for (with its item), for acknowledging, reporting or passing
    on: 404 for anyone else's row (the attempt audited), and the read audited, once (the item comes with it)."""
    mine = (
        Dissemination.objects.for_recipient(user).filter(item_id=item_pk).select_related("item", "item__origin_country", "agency", "unit")
    )
    return access.fetch(user, mine, shown_as=shown_as, pk=row_pk)


def status_rows(item: BroadcastItem, user):
    """The live status table: every addressee with who acknowledged and acted, and when, as far as the user's office
    follows it (the NCB every row, an agency its own and its units', a unit office its own)."""
    rows = Dissemination.objects.seen_by(user).filter(item=item).select_related("agency", "unit", "acknowledged_by", "reported_by")
    return rows.order_by("agency__name", "unit__name")


def my_rows(item: BroadcastItem, user):
    return Dissemination.objects.for_recipient(user).filter(item=item).select_related("agency", "unit")

"""Reads of broadcasts, already filtered to the user's office; fetching an item or a row for a user is audited (the
status table that the item's page polls only when it changed)."""

import hashlib
import json

from accounts import access
from audit import services as audit
from broadcast.models import BroadcastItem, Dissemination


def broadcasts_for_user(user, *, stage: str = "", q: str = ""):
    items = BroadcastItem.objects.visible_to(user).select_related("origin_country")
    if stage:
        items = items.filter(stage=stage)
    if q:
        items = items.filter(title__icontains=q) | items.filter(reference__icontains=q)
    return items.order_by("-registered_at")


def _visible(user):
    return BroadcastItem.objects.visible_to(user).select_related("origin_country", "registered_by")


def get_broadcast_for_user(user, pk: int, *, shown_as: str = "page") -> BroadcastItem:
    """One item, for a step on it or an API answer: 404 if it did not reach the user's office (the attempt audited),
    and the read itself audited. Call it once per request: every call is an entry."""
    return access.fetch(user, _visible(user), shown_as=shown_as, pk=pk)


def get_broadcast_page_for_user(user, pk: int) -> tuple[BroadcastItem, list[Dissemination]]:
    """The item's page: the item (as `get_broadcast_for_user`) and its status table, the read audited once with what
    the table showed, so that the page's polls after it are audited only when the table changes."""
    item, rows = _item_with_rows(user, pk)
    audit.read(actor=user, target=item, shown_as="page", data=status_shown(rows))
    return item, rows


def poll_status_for_user(user, pk: int) -> tuple[BroadcastItem, list[Dissemination]]:
    """What the item's page asks every ten seconds: the item (404 if it did not reach the user's office, the attempt
    audited) and its status table, audited as a read only when the table differs from what the user's last audited
    read of the item showed (`audit.read_if_changed`), so that an open page does not write an entry at every poll."""
    item, rows = _item_with_rows(user, pk)
    audit.read_if_changed(actor=user, target=item, shown_as="status", shown=status_shown(rows))
    return item, rows


def _item_with_rows(user, pk: int) -> tuple[BroadcastItem, list[Dissemination]]:
    """The item (404 if it did not reach the user's office, the attempt audited) and its status table; the caller
    audits the read."""
    item = access.get_or_404(user, _visible(user), pk=pk)
    return item, list(status_rows(item, user))


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


def status_shown(rows: list[Dissemination]) -> dict:
    """What a status table shows, as its read's audit entry records it: how many addressees have acknowledged and
    reported, and a digest of everything on the table (the same table, the same digest)."""
    shown = [
        [row.pk, row.due_at, row.is_overdue, row.acknowledged_by_id, row.acknowledged_at, row.reported_by_id, row.reported_at,
         row.findings, row.reminders]
        for row in rows
    ]  # fmt: skip
    digest = hashlib.sha256(json.dumps(shown, default=str).encode()).hexdigest()[:16]
    acknowledged = sum(row.acknowledged_at is not None for row in rows)
    reported = sum(row.reported_at is not None for row in rows)
    return {"status": digest, "addressees": len(rows), "acknowledged": acknowledged, "reported": reported}


def my_rows(item: BroadcastItem, user):
    return Dissemination.objects.for_recipient(user).filter(item=item).select_related("agency", "unit")

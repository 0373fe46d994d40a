"""Messages about hits: to the office that owns the record and the officer handling the item, and back when decided.

Each is a catalogue message (notify/catalogue.py, "# --- Records ---"), enqueued inside the transaction that notifies
or decides the hit and rendered in each recipient's language (templates/messages/records.*/).
"""

from django.db.models import QuerySet

from accounts.models import User
from accounts.offices import Office
from notify import services as notify
from records.models import Hit


def owner_officers(hit: Hit) -> QuerySet[User]:
    """The ILOs of the agency that owns the record; the NCB's officers for a record without an owner."""
    owner = Office.agency(hit.owner_agency_id) if hit.owner_agency_id is not None else Office.national()
    return owner.members().order_by("pk")


def handler(hit: Hit) -> User | None:
    """The officer handling the item, while their account is active."""
    user = hit.handled_by
    return user if user is not None and user.is_active else None


def _why(hit: Hit) -> str:
    # The explanation comes from the matcher (records.matching), in its own words: kept as it is, one line each.
    return "\n".join(f"- {line}" for line in hit.explanation)


def hit_found(hit: Hit) -> int:
    """A strong hit: the owner office is asked to confirm or reject it; the handler is told it may follow.
    Call it inside the transaction that marks the hit notified; returns the deliveries enqueued."""
    hit = Hit.objects.select_related("person", "vehicle", "owner_agency", "handled_by").get(pk=hit.pk)
    owners = list(owner_officers(hit))
    context = {"hit": hit, "why": _why(hit), "restricted": hit.person_id is not None and hit.person.sensitive}
    sent = notify.send("records.match_found", to=[notify.of(user) for user in owners], **context)
    told = handler(hit)
    if told is not None and told.pk not in {user.pk for user in owners}:
        sent += notify.send("records.match_found_handler", to=[notify.of(told)], **context)
    return sent


def hit_decided(hit: Hit) -> int:
    """Tell the officer handling the item what the owner office decided (not when they decided it themselves).
    Call it inside the transaction of the decision; returns the deliveries enqueued."""
    hit = Hit.objects.select_related("person", "handled_by", "decided_by").get(pk=hit.pk)
    told = handler(hit)
    if told is None or hit.handled_by_id == hit.decided_by_id:
        return 0
    restricted = hit.person_id is not None and hit.person.sensitive  # the handler may not read a sensitive person's record
    return notify.send("records.match_decided", to=[notify.of(told)], hit=hit, restricted=restricted)

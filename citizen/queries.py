"""Reads of citizen requests, already filtered to what the user may see; an office fetching one is audited."""

from django.db.models import QuerySet

from accounts import access
from citizen.models import CitizenRequest

RELATED = ("station__district", "agency", "assigned_to")


def requests_for_user(user) -> QuerySet[CitizenRequest]:
    """A citizen's own requests, or those in reach of the user's office (see `CitizenRequest.objects.visible_to`)."""
    return CitizenRequest.objects.visible_to(user).select_related(*RELATED)


def get_request_for_user(user, reference: str, *, shown_as: str = "page", data: dict | None = None) -> CitizenRequest:
    """One request for an officer of an office that handles or follows it (a page, a file, an API answer): 404 outside
    the office (the attempt audited), and the read itself audited. Call it once per request: every call is an entry."""
    return access.fetch(user, requests_for_user(user), shown_as=shown_as, data=data, reference=reference)


def get_own_request(user, reference: str) -> CitizenRequest:
    """One of a citizen's own requests (not audited: a citizen reading their own file discloses nothing)."""
    return access.get_or_404(user, requests_for_user(user), reference=reference)

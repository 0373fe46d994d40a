"""Reads of notice requests, already filtered to the user's office; fetching one for a user is audited."""

from django.db.models import QuerySet

from accounts import access
from notices.models import NoticeRequest


def notices_for_user(user, *, stage: str = "", kind: str = "", q: str = "") -> QuerySet[NoticeRequest]:
    requests = NoticeRequest.objects.visible_to(user).select_related("agency", "unit", "drafted_by")
    if stage:
        requests = requests.filter(stage=stage)
    if kind:
        requests = requests.filter(kind=kind)
    if q:
        requests = (
            requests.filter(family_name__icontains=q) | requests.filter(reference__icontains=q) | requests.filter(forenames__icontains=q)
        )
    return requests.order_by("-created_at")


def get_notice_for_user(user, pk: int, *, shown_as: str = "page", data: dict | None = None) -> NoticeRequest:
    """One request, as a page, a PDF, INTERPOL's JSON or an API answer: 404 outside the user's office (the attempt
    audited), and the read itself audited. Call it once per request: every call is an entry."""
    visible = NoticeRequest.objects.visible_to(user).select_related("agency", "unit", "drafted_by", "country_of_birth")
    return access.fetch(user, visible, shown_as=shown_as, data=data, pk=pk)

"""Reads of notice requests, already filtered to the user's jurisdiction."""

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


def get_notice_for_user(user, pk: int) -> NoticeRequest:
    return access.get_or_404(
        user, NoticeRequest.objects.visible_to(user).select_related("agency", "unit", "drafted_by", "country_of_birth"), pk=pk
    )

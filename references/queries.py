"""Reads of references, already filtered to the user's jurisdiction."""

from accounts import access
from references.models import ReferenceRequest


def references_for_user(user, *, stage: str = "", q: str = ""):
    refs = ReferenceRequest.objects.visible_to(user).select_related("agency", "unit").prefetch_related("countries")
    if stage:
        refs = refs.filter(stage=stage)
    if q:
        refs = refs.filter(offence__icontains=q) | refs.filter(reference__icontains=q)
    return refs.order_by("-created_at")


def get_reference_for_user(user, pk: int) -> ReferenceRequest:
    return access.get_or_404(user, ReferenceRequest.objects.visible_to(user).select_related("agency", "unit", "drafted_by"), pk=pk)

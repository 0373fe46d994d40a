"""Reads of references, already filtered to the user's office; fetching one for a user is audited."""

from accounts import access
from references.models import ReferenceRequest


def references_for_user(user, *, stage: str = "", q: str = ""):
    refs = ReferenceRequest.objects.visible_to(user).select_related("agency", "unit").prefetch_related("countries")
    if stage:
        refs = refs.filter(stage=stage)
    if q:
        refs = refs.filter(offence__icontains=q) | refs.filter(reference__icontains=q)
    return refs.order_by("-created_at")


def get_reference_for_user(user, pk: int, *, shown_as: str = "page") -> ReferenceRequest:
    """One reference, as a page, a PDF or an API answer: 404 outside the user's office (the attempt audited), and the
    read itself audited. Call it once per request: every call is an entry."""
    visible = ReferenceRequest.objects.visible_to(user).select_related("agency", "unit", "drafted_by")
    return access.fetch(user, visible, shown_as=shown_as, pk=pk)

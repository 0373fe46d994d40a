"""Reads of hits, already filtered to what the user may see."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from accounts import access
from records.models import Hit

STRENGTHS = ("strong", "weak")


def hits_for_user(user, *, status: str = "", strength: str = "") -> QuerySet[Hit]:
    """The hits the user may see, newest first; `strength` is "strong", "weak" or empty for both."""
    hits = Hit.objects.visible_to(user).select_related("person__state", "vehicle", "owner_agency", "source_type")
    if status in Hit.Status.values:
        hits = hits.filter(status=status)
    if strength in STRENGTHS:
        hits = hits.filter(weak=strength == "weak")
    return hits.order_by("-created_at", "-pk")


def get_hit_for_user(user, pk: int) -> Hit:
    visible = Hit.objects.visible_to(user).select_related(
        "person__state", "vehicle__fir__station", "owner_agency", "handler_agency", "handled_by", "decided_by", "source_type"
    )
    return access.get_or_404(user, visible, pk=pk)


def hits_of_source(user, source) -> QuerySet[Hit]:
    """The hits on one item (a notice, an alert …) the user may see, strongest first."""
    return (
        Hit.objects.visible_to(user)
        .filter(source_type=ContentType.objects.get_for_model(source), source_id=str(source.pk))
        .select_related("person", "vehicle", "owner_agency")
        .order_by("weak", "-score", "pk")
    )

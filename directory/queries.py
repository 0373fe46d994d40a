"""Reads of the directory. It is reference data every police user may read; citizens see only stations (issue 7)."""

from django.db.models import Count, Q, QuerySet

from directory.models import Agency, PoliceStation


def agencies_with_counts() -> QuerySet[Agency]:
    return Agency.objects.select_related("state").annotate(
        unit_count=Count("units", distinct=True),
        ilo_count=Count("users", filter=Q(users__role="ilo", users__is_active=True), distinct=True),
    )


def stations_search(*, q: str = "", state_code: int | None = None, district_code: int | None = None) -> QuerySet[PoliceStation]:
    stations = PoliceStation.objects.select_related("district__state", "agency").filter(is_active=True)
    if q:
        stations = stations.filter(Q(name__icontains=q) | Q(code__iexact=q) | Q(pincode=q) | Q(district__name__icontains=q))
    if state_code:
        stations = stations.filter(district__state__lgd_code=state_code)
    if district_code:
        stations = stations.filter(district__lgd_code=district_code)
    return stations.order_by("district__state__name", "district__name", "name")

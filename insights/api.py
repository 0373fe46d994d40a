"""JSON API for the statistics: the same figures as /insights/, narrowed to the caller's office."""

from datetime import date

from ninja import Query, Router, Schema

from accounts.apiauth import require_scope
from insights import queries

router = Router(tags=["insights"])


class CrimeHeadOut(Schema):
    head: str
    label: str
    firs: int
    year_before: int
    change_percent: float | None


class CrimeOut(Schema):
    start: date
    end: date
    state_lgd_code: int | None
    heads: list[CrimeHeadOut]


class AgencyCooperationOut(Schema):
    agency: str
    name: str
    notices: dict[str, int]
    references: dict[str, int]
    overdue: int
    inactive: bool


class CooperationOut(Schema):
    start: date
    end: date
    agencies: list[AgencyCooperationOut]


def _period(start: str, end: str) -> queries.Period:
    return queries.Period.from_query({"from": start, "to": end})


@router.get("/crime", response=CrimeOut, summary="FIRs registered by crime head, with the same months a year before")
def crime(request, start: str = Query("", alias="from", description="First month, YYYY-MM (12 months ago by default)"), to: str = Query("", description="Last month, YYYY-MM (this one by default)"), state: int | None = Query(None, description="A state's LGD code, within your reach")):  # fmt: skip
    require_scope(request, "insights:read", "stats.view")
    period = _period(start, to)
    chosen = next((s for s in queries.states_for(request.user) if s.lgd_code == state), None) if state is not None else None
    rows = queries.crime_by_head(request.user, period, state=chosen.pk if chosen else None)
    heads = [
        {"head": r.head.key, "label": str(r.head.label), "firs": r.count, "year_before": r.previous, "change_percent": r.change}
        for r in rows
    ]
    return {"start": period.start, "end": period.end, "state_lgd_code": chosen.lgd_code if chosen else None, "heads": heads}


@router.get(
    "/cooperation", response=CooperationOut, summary="Per agency: the steps of its notice requests and references, and what is overdue"
)
def cooperation(request, start: str = Query("", alias="from", description="First month, YYYY-MM"), to: str = Query("", description="Last month, YYYY-MM")):  # fmt: skip
    from directory.models import Agency

    require_scope(request, "insights:read", "stats.view")
    period = _period(start, to)
    rows = queries.cooperation_by_agency(request.user, period)
    codes = dict(Agency.objects.filter(pk__in=[r.agency_id for r in rows]).values_list("pk", "code"))
    agencies = [
        {
            "agency": codes[r.agency_id],
            "name": r.name,
            "notices": r.notices,
            "references": r.references,
            "overdue": r.overdue,
            "inactive": r.inactive,
        }
        for r in rows
    ]
    return {"start": period.start, "end": period.end, "agencies": agencies}

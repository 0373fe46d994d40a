"""The figures of the insights pages and API, each narrowed to what the user's office may see.

The NCB and analysts see the whole country; an ILO its agency (for crime statistics, its state's stations); a
district officer its district. Figures are counts: no row of a sensitive record is ever listed or linked.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from accounts import access
from accounts.offices import Level, Office
from insights import crime_heads
from openpol.periods import Period


def office_of(user) -> Office | None:
    """The office whose figures the user sees; None without the capability."""
    return Office.of(user) if access.can(user, "stats.view") else None


# --- Crime statistics ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CrimeRow:
    head: crime_heads.Head
    count: int
    previous: int  # the same months a year before

    @property
    def change(self) -> float | None:
        """The change on the previous year, in per cent; None where there was nothing to compare with."""
        return round((self.count - self.previous) * 100 / self.previous, 1) if self.previous else None


def crime_by_head(user, period: Period, *, state: int | None = None) -> list[CrimeRow]:
    """Registered FIRs by crime head (one head per FIR, its gravest), in the period and the same months a year before."""
    office = office_of(user)
    if office is None:
        return []
    current, previous = _heads_counted(office, period, state), _heads_counted(office, period.year_before(), state)
    return [CrimeRow(head, current[head.key], previous[head.key]) for head in crime_heads.ALL if current[head.key] or previous[head.key]]


def crime_by_month(user, period: Period, *, state: int | None = None) -> tuple[list[date], list[tuple[crime_heads.Head, list[int]]]]:
    """Registered FIRs per crime head and month: the months, and for each head with any FIR its count per month."""
    office = office_of(user)
    if office is None:
        return period.months, []
    per_month: dict[str, Counter] = defaultdict(Counter)
    for (year, month), head in _principal_heads(office, period, state):
        per_month[head][date(year, month, 1)] += 1
    months = period.months
    return months, [(head, [per_month[head.key][m] for m in months]) for head in crime_heads.ALL if head.key in per_month]


def crime_by_place(user, period: Period, *, state: int | None = None) -> list[dict]:
    """Registered FIRs per state, or within one state per district, in the period."""
    office = office_of(user)
    if office is None:
        return []
    by = "district" if state else "district__state"
    rows = _firs(office, period, state).values(f"{by}_id", f"{by}__name").annotate(n=Count("pk")).order_by(f"{by}__name")
    return [{"id": row[f"{by}_id"], "name": row[f"{by}__name"], "firs": row["n"]} for row in rows]


def _firs(office: Office, period: Period, state: int | None):
    from records.models import Fir

    firs = Fir.objects.filter(office.scope(agency="station__agency", district="district", station="station"))
    firs = firs.filter(registered_on__gte=period.start, registered_on__lt=period.end_exclusive)
    return firs.filter(district__state_id=state) if state else firs


def _principal_heads(office: Office, period: Period, state: int | None):
    """((year, month), head key) of every FIR in reach, from one pass over their sections."""
    from records.models import Section

    sections = (
        Section.objects.filter(fir__in=_firs(office, period, state))
        .order_by("fir_id")
        .values_list("fir_id", "fir__registered_on", "law", "section")
    )
    current, when, found = None, None, []
    for fir_id, registered_on, law, section in sections.iterator(chunk_size=5000):
        if fir_id != current:
            if current is not None:
                yield (when.year, when.month), crime_heads.principal_head(found).key
            current, when, found = fir_id, registered_on, []
        found.append((law, section))
    if current is not None:
        yield (when.year, when.month), crime_heads.principal_head(found).key


def _heads_counted(office: Office, period: Period, state: int | None) -> Counter:
    return Counter(head for _month, head in _principal_heads(office, period, state))


# --- International cooperation --------------------------------------------------------------------------------

COOPERATION_ACTIONS = ("create", "submit", "return", "refuse", "approve", "record_published", "record_reply", "close")


@dataclass(frozen=True)
class AgencyRow:
    agency_id: int
    name: str
    notices: dict[str, int]  # by action: created, submitted, returned, refused, approved, published
    references: dict[str, int]  # by action: created, submitted, returned, refused, approved, replies recorded, closed
    overdue: int  # open requests past their deadline now

    @property
    def inactive(self) -> bool:
        return not any(self.notices.values()) and not any(self.references.values())


def cooperation_by_agency(user, period: Period) -> list[AgencyRow]:
    """Per agency: the steps its notice requests and references took in the period, and what is overdue now.
    Agencies with none at all are listed too (flagged `inactive`): Parliament asked which never use the portal."""
    from directory.models import Agency
    from notices.models import NoticeRequest
    from references.models import ReferenceRequest
    from workflow.models import Task, Transition

    office = office_of(user)
    if office is None or office.level not in (Level.NATIONAL, Level.AGENCY):
        return []
    agencies = Agency.objects.exclude(kind="ncb") if office.level is Level.NATIONAL else Agency.objects.filter(pk=office.id)
    counts: dict[tuple[str, int], Counter] = defaultdict(Counter)
    overdue: Counter = Counter()
    now = timezone.now()
    for kind, model in (("notices", NoticeRequest), ("references", ReferenceRequest)):
        content_type = ContentType.objects.get_for_model(model)
        agency = Subquery(model.objects.filter(pk=OuterRef("object_id")).values("agency_id")[:1])
        moves = (
            Transition.objects.filter(content_type=content_type, at__date__gte=period.start, at__date__lt=period.end_exclusive)
            .filter(action__in=COOPERATION_ACTIONS)
            .annotate(agency=agency)
            .values("agency", "action")
            .annotate(n=Count("pk"))
        )
        for row in moves:
            counts[(kind, row["agency"])][row["action"]] += row["n"]
        late = Task.objects.filter(content_type=content_type, closed_at__isnull=True, due_at__lt=now).annotate(agency=agency)
        for row in late.values("agency").annotate(n=Count("pk")):
            overdue[row["agency"]] += row["n"]
    return [
        AgencyRow(a.pk, a.name, dict(counts[("notices", a.pk)]), dict(counts[("references", a.pk)]), overdue[a.pk])
        for a in agencies.order_by("kind", "name")
    ]


def states_for(user):
    """The states whose figures the user may pick: every one for the national office, else its own."""
    from directory.models import State

    office = office_of(user)
    if office is None:
        return State.objects.none()
    if office.level is Level.NATIONAL:
        return State.objects.order_by("name")
    if office.district_id:
        return State.objects.filter(districts__id=office.district_id)
    return State.objects.filter(police__id=office.agency_id)

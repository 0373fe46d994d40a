"""What waits for the user, in numbers, on the dashboard's cards: one query per source, however much there is.

Each figure comes from the same reads as the list it links to (the office's open tasks, `connect.queries`,
`alerts.queries`, `citizen.queries`), so a card never counts what its list would not show; the counts of every
kind of task come from one aggregate over the office's open tasks.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext_lazy

from accounts.offices import Office

DUE_SOON = timedelta(days=2)
# What each figure says, in the user's language ("n": the count).
WAITING = ngettext_lazy("%(n)d waiting", "%(n)d waiting", "n")
OVERDUE = ngettext_lazy("%(n)d overdue", "%(n)d overdue", "n")
OPEN = ngettext_lazy("%(n)d open", "%(n)d open", "n")
DUE_WITHIN_2_DAYS = ngettext_lazy("%(n)d due within 2 days", "%(n)d due within 2 days", "n")
TO_DECIDE = ngettext_lazy("%(n)d to decide", "%(n)d to decide", "n")
FOR_YOUR_OFFICE = ngettext_lazy("%(n)d for your office", "%(n)d for your office", "n")
NOT_ACKNOWLEDGED = ngettext_lazy("%(n)d not acknowledged", "%(n)d not acknowledged", "n")
IN_PROGRESS = ngettext_lazy("%(n)d in progress", "%(n)d in progress", "n")
WAITING_FOR_YOU = ngettext_lazy("%(n)d waiting for your answer", "%(n)d waiting for your answer", "n")
UNREAD = ngettext_lazy("%(n)d conversation unread", "%(n)d conversations unread", "n")


@dataclass(frozen=True)
class Figure:
    value: int
    text: str  # "3 waiting", in the user's language
    url: str  # the list it counts, filtered to it
    urgent: bool = False  # overdue, or waiting on the user: shown as a warning


def _figure(value: int, words, url: str, urgent: bool = False) -> Figure:
    return Figure(value, words % {"n": value}, url, urgent)


def figures_for(user, module_keys: set[str]) -> dict[str, list[Figure]]:
    """The figures of each dashboard module the user has (by its key); a module with nothing to say has none."""
    figures: dict[str, list[Figure]] = {}
    office = Office.of(user)
    if office is not None and module_keys & {"inbox", "citizen", "hits", "broadcast"}:
        figures.update(_tasks(office, module_keys))
    if "connect" in module_keys:
        figures["connect"] = _connect(user)
    if "alerts" in module_keys and office is not None:
        figures["alerts"] = _alerts(user)
    if "my_requests" in module_keys:
        figures["my_requests"] = _my_requests(user)
    return {key: [figure for figure in values if figure.value] for key, values in figures.items()}


def _tasks(office: Office, module_keys: set[str]) -> dict[str, list[Figure]]:
    from workflow.models import Task

    now = timezone.now()
    citizen, hit, broadcast = Q(kind__startswith="citizen."), Q(kind="records.hit"), Q(kind="broadcast")
    overdue, soon = Q(due_at__lt=now), Q(due_at__gte=now, due_at__lt=now + DUE_SOON)
    counts = Task.objects.filter(office=office.key, closed_at__isnull=True).aggregate(
        cooperation=Count("pk", filter=~citizen),
        cooperation_overdue=Count("pk", filter=~citizen & overdue),
        citizen=Count("pk", filter=citizen),
        citizen_overdue=Count("pk", filter=citizen & overdue),
        citizen_soon=Count("pk", filter=citizen & soon),
        hits=Count("pk", filter=hit),
        broadcast=Count("pk", filter=broadcast),
        broadcast_overdue=Count("pk", filter=broadcast & overdue),
    )
    inbox, station = reverse("workflow:inbox"), reverse("citizen_station:inbox")
    figures = {
        "inbox": [
            _figure(counts["cooperation"], WAITING, inbox),
            _figure(counts["cooperation_overdue"], OVERDUE, f"{inbox}?overdue=1", True),
        ],
        "citizen": [
            _figure(counts["citizen"], OPEN, station),
            _figure(counts["citizen_overdue"], OVERDUE, f"{station}?overdue=1", True),
            _figure(counts["citizen_soon"], DUE_WITHIN_2_DAYS, station),
        ],
        "hits": [_figure(counts["hits"], TO_DECIDE, reverse("records:hits") + "?status=pending")],
        "broadcast": [
            _figure(counts["broadcast"], FOR_YOUR_OFFICE, f"{inbox}?kind=broadcast"),
            _figure(counts["broadcast_overdue"], OVERDUE, f"{inbox}?kind=broadcast&overdue=1", True),
        ],
    }  # fmt: skip
    return {key: value for key, value in figures.items() if key in module_keys}


def _connect(user) -> list[Figure]:
    from connect import queries

    unread = queries.threads_for_user(user).filter(unread__gt=0).count()
    return [_figure(unread, UNREAD, reverse("connect:thread_list"), True)]


def _alerts(user) -> list[Figure]:
    from alerts import queries
    from alerts.models import Alert

    waiting = (
        queries.office_deliveries(user)
        .filter(acknowledged_at__isnull=True, alert__status=Alert.Status.ACTIVE, alert__expires_at__gt=timezone.now())
        .filter(version__number=F("alert__version"))
        .count()
    )
    return [_figure(waiting, NOT_ACKNOWLEDGED, reverse("alerts:inbox"), True)]


def _my_requests(user) -> list[Figure]:
    from citizen import queries
    from citizen.models import CitizenRequest

    S = CitizenRequest.Stage
    counts = queries.requests_for_user(user).aggregate(
        open=Count("pk", filter=Q(stage__in=[S.SUBMITTED, S.IN_PROGRESS, S.MORE_INFO, S.REGISTERED])),
        asked=Count("pk", filter=Q(stage=S.MORE_INFO)),
    )
    url = reverse("citizen_public:my_requests")
    return [
        _figure(counts["open"], IN_PROGRESS, url),
        _figure(counts["asked"], WAITING_FOR_YOU, url, True),
    ]

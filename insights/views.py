"""The statistics page: every table with its CSV, filtered by period and state, narrowed to the user's office."""

import csv
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts import access
from insights import queries

# The steps counted per agency (workflow.models.ACTION_LABELS' keys), with their column headings.
NOTICE_COLUMNS = (
    ("create", _lazy("Notices drafted")), ("submit", _lazy("submitted")), ("return", _lazy("returned")),
    ("refuse", _lazy("refused")), ("approve", _lazy("approved")), ("record_published", _lazy("published by INTERPOL")),
)  # fmt: skip
REFERENCE_COLUMNS = (
    ("create", _lazy("References drafted")), ("submit", _lazy("submitted")), ("return", _lazy("returned")),
    ("refuse", _lazy("refused")), ("approve", _lazy("sent abroad")), ("record_reply", _lazy("replies recorded")),
    ("close", _lazy("closed")),
)  # fmt: skip


def overview(request):
    access.require(request.user, "stats.view")
    period = queries.Period.from_query(request.GET)
    states = list(queries.states_for(request.user))
    state = next((s for s in states if str(s.pk) == request.GET.get("state", "")), None)
    state_id = state.pk if state else None
    heads = queries.crime_by_head(request.user, period, state=state_id)
    months, monthly = queries.crime_by_month(request.user, period, state=state_id)
    places = queries.crime_by_place(request.user, period, state=state_id)
    agencies = queries.cooperation_by_agency(request.user, period)
    table = request.GET.get("csv", "")
    if table:
        return _csv(table, period, heads=heads, months=months, monthly=monthly, places=places, agencies=agencies)
    context = {
        "period": period,
        "states": states,
        "state": state,
        "heads": heads,
        "months": months,
        "monthly": monthly,
        "places": places,
        "by_district": state is not None,
        "agencies": [(row, *_counts(row)) for row in agencies],
        "alert_network": access.can(request.user, "alerts.dashboard"),
        "notice_columns": NOTICE_COLUMNS,
        "reference_columns": REFERENCE_COLUMNS,
        "query": urlencode({**period.as_params(), **({"state": state_id} if state_id else {})}),  # the CSV links keep the filters
    }
    return render(request, "insights/overview.html", context)


def _counts(row: queries.AgencyRow) -> tuple[list[int], list[int]]:
    return [row.notices.get(key, 0) for key, _label in NOTICE_COLUMNS], [row.references.get(key, 0) for key, _label in REFERENCE_COLUMNS]


def _csv(table: str, period, *, heads, months, monthly, places, agencies) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="openpol-{table}-{period.start:%Y-%m}-{period.end:%Y-%m}.csv"'
    writer = csv.writer(response)
    if table == "heads":
        writer.writerow([_("Crime head"), _("FIRs"), _("Same months a year before"), _("Change (%)")])
        writer.writerows([str(row.head.label), row.count, row.previous, "" if row.change is None else row.change] for row in heads)
    elif table == "months":
        writer.writerow([_("Crime head"), *(f"{month:%Y-%m}" for month in months)])
        writer.writerows([str(head.label), *counts] for head, counts in monthly)
    elif table == "places":
        writer.writerow([_("Place"), _("FIRs")])
        writer.writerows([row["name"], row["firs"]] for row in places)
    elif table == "agencies":
        writer.writerow(
            [
                _("Agency"),
                *(str(label) for _key, label in NOTICE_COLUMNS),
                *(str(label) for _key, label in REFERENCE_COLUMNS),
                _("Overdue now"),
            ]
        )
        writer.writerows([row.name, *notices, *references, row.overdue] for row in agencies for notices, references in [_counts(row)])
    else:
        return HttpResponse(_("No such table."), status=400, content_type="text/plain; charset=utf-8")
    return response

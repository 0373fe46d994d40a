"""The alerts dashboard: alerts published per state/UT per month, who published none, and how fast stations acknowledge."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from statistics import median

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from alerts.models import Alert, Delivery
from directory.models import State
from openpol.periods import Period


@dataclass
class Report:
    months: list[date]
    rows: list[dict] = field(default_factory=list)  # one per state/UT: name, counts per month, total
    silent: list[str] = field(default_factory=list)  # states/UTs with no alert in the period
    deliveries: int = 0
    acknowledged: int = 0
    median_minutes: float | None = None

    @property
    def share_acknowledged(self) -> float | None:
        return self.acknowledged / self.deliveries if self.deliveries else None


def build(period: Period) -> Report:
    """Three queries whatever the size: counts per state and month, deliveries acknowledged, acknowledgement delays."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(timezone.datetime.combine(period.start, timezone.datetime.min.time()), tz)
    end = timezone.make_aware(timezone.datetime.combine(period.end_exclusive, timezone.datetime.min.time()), tz)
    alerts = Alert.objects.filter(created_at__gte=start, created_at__lt=end)
    counts = {}
    for row in alerts.annotate(month=TruncMonth("created_at", tzinfo=tz)).values("origin_state_id", "month").annotate(n=Count("pk")):
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        counts[(row["origin_state_id"], month)] = row["n"]
    report = Report(months=period.months)
    for state in State.objects.order_by("name"):
        per_month = [counts.get((state.pk, m), 0) for m in report.months]
        report.rows.append({"state": state.name, "kind": state.get_kind_display(), "counts": per_month, "total": sum(per_month)})
        if not sum(per_month):
            report.silent.append(state.name)
    deliveries = Delivery.objects.filter(alert__in=alerts, version__msg_type__in=["Alert", "Update"])
    report.deliveries = deliveries.count()
    delays = deliveries.filter(acknowledged_at__isnull=False).values_list("delivered_at", "acknowledged_at")
    minutes = [(ack - sent).total_seconds() / 60 for sent, ack in delays]
    report.acknowledged = len(minutes)
    report.median_minutes = median(minutes) if minutes else None
    return report


def to_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("State/UT"), *[m.strftime("%Y-%m") for m in report.months], _("Total"), _("None published")])
    for row in report.rows:
        writer.writerow([row["state"], *row["counts"], row["total"], "yes" if not row["total"] else ""])
    writer.writerow([])
    writer.writerow([_("Deliveries"), report.deliveries])
    writer.writerow([_("Acknowledged"), report.acknowledged])
    writer.writerow([_("Median minutes to acknowledge"), f"{report.median_minutes:.1f}" if report.median_minutes is not None else ""])
    return out.getvalue()


def svg_chart(report: Report, width: int = 640, bar_height: int = 16) -> str:
    """A horizontal bar chart of alerts per state/UT over the period, as accessible inline SVG (title, desc, text labels)."""
    rows = [r for r in report.rows if r["total"]] or report.rows[:0]
    biggest = max((r["total"] for r in rows), default=1)
    label_width, gap = 200, 4
    height = max(1, len(rows)) * (bar_height + gap) + 10
    title = escape(_("Alerts published per state/UT"))
    parts = [
        f'<svg role="img" aria-labelledby="chart-title chart-desc" viewBox="0 0 {width} {height}" width="100%" class="alerts-chart" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{title}</title>',
        f'<desc id="chart-desc">{escape(_("The same figures are in the table below."))}</desc>',
    ]
    for i, row in enumerate(rows):
        y = i * (bar_height + gap) + 5
        bar = (width - label_width - 50) * row["total"] / biggest
        parts.append(f'<text x="{label_width - 6}" y="{y + bar_height - 4}" text-anchor="end" font-size="12">{escape(row["state"])}</text>')
        parts.append(f'<rect x="{label_width}" y="{y}" width="{bar:.1f}" height="{bar_height}" fill="#0b3d91"></rect>')
        parts.append(f'<text x="{label_width + bar + 4:.1f}" y="{y + bar_height - 4}" font-size="12">{row["total"]}</text>')
    if not rows:
        parts.append(f'<text x="10" y="20" font-size="12">{escape(_("No alert was published in this period."))}</text>')
    parts.append("</svg>")
    return "".join(parts)

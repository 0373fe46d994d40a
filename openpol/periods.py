"""A period of whole months, as the statistics pages and their APIs take it (`?from=YYYY-MM&to=YYYY-MM`)."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone


def _month(value: str | None, default: date) -> date:
    try:
        year, month = (int(part) for part in (value or "").split("-")[:2])
        return date(year, month, 1)
    except ValueError:
        return default


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    start: date  # first day of the first month
    end: date  # first day of the last month

    @classmethod
    def from_query(cls, query) -> "Period":
        """From "from" and "to" (YYYY-MM): the twelve months to this one by default; a bad value is its default."""
        today = timezone.localdate().replace(day=1)
        start, end = _month(query.get("from"), _add_months(today, -11)), _month(query.get("to"), today)
        return cls(min(start, end), max(start, end))

    @property
    def months(self) -> list[date]:
        months, current = [], self.start
        while current <= self.end:
            months.append(current)
            current = _add_months(current, 1)
        return months

    @property
    def end_exclusive(self) -> date:
        return _add_months(self.end, 1)

    def year_before(self) -> "Period":
        return Period(_add_months(self.start, -12), _add_months(self.end, -12))

    def as_params(self) -> dict[str, str]:
        return {"from": f"{self.start:%Y-%m}", "to": f"{self.end:%Y-%m}"}

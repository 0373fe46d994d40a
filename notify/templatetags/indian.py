"""`|indian`: a date or time as Indians write it, in Indian Standard Time, in the language being rendered:
"4 Dec 2026, 14:05 IST" (a date alone: "4 Dec 2026")."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django import template
from django.utils import formats
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

register = template.Library()
IST = ZoneInfo("Asia/Kolkata")


@register.filter
def indian(value) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, datetime):
        local = value.astimezone(IST) if value.tzinfo else value
        # Translators: a time in Indian Standard Time, as in "4 Dec 2026, 14:05 IST"
        return _("%(date)s, %(time)s IST") % {"date": date_format(local, "j M Y"), "time": date_format(local, "H:i")}
    if isinstance(value, date):
        return date_format(value, "j M Y")
    return formats.localize(value)

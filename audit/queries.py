"""Reads of the audit trail: the whole of it for NCB and system administrators, and for a record's owning office
who has looked at that record; each entry said in words."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts import access
from accounts.offices import Office
from audit import services as audit
from audit.models import AuditEntry

READS_SHOWN = 50  # a record's page lists its latest reads; the audit page has them all
ENTRIES_PER_PAGE = 50


def entries_for_user(
    user,
    *,
    actor: str = "",
    action: str = "",
    target_type: str = "",
    target_id: str = "",
    ip: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    access.require(user, "audit.view")
    entries = AuditEntry.objects.select_related("seal").order_by("-id")  # newest written first, sealed or not
    if actor:
        entries = entries.filter(actor_username__iexact=actor)
    if action:
        entries = entries.filter(action__startswith=action)
    if target_type:
        entries = entries.filter(target_type=target_type)
    if target_id:
        entries = entries.filter(target_id=target_id)
    if ip:
        entries = entries.filter(ip=ip)
    if since:
        entries = entries.filter(at__gte=timezone.make_aware(datetime.combine(since, time.min)))
    if until:
        entries = entries.filter(at__lt=timezone.make_aware(datetime.combine(until, time.max)))
    return entries


def entries_page_for_user(user, page_number, *, verify: bool = False, **filters) -> Page:
    """One page of the trail as the audit page lists it, each entry said in words (`summary`), and the read of it audited
    once (the trail is as sensitive as what it records): the filters, which page, how many entries matched."""
    entries = entries_for_user(user, **filters).select_related("actor")
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(page_number)
    for entry in page:
        entry.summary = describe(entry)
    read = {"query": filters, "page": page.number, "results": page.paginator.count}
    audit.read(actor=user, target=AuditEntry, shown_as="list", data={**read, "verify": True} if verify else read)
    return page


# --- Who has looked at a record ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reads:
    """The latest reads of one record (newest first) and how many there are in all."""

    entries: list[AuditEntry]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.entries)


def reads_of(obj: Model, *, limit: int = READS_SHOWN) -> Reads:
    """Every `access.read` entry naming this object: who, from which office, when, and as what (newest first)."""
    entries = AuditEntry.objects.filter(action="access.read", target_type=obj._meta.label_lower, target_id=str(obj.pk))
    shown = list(entries.order_by("-id")[:limit])
    for entry in shown:
        entry.how = shown_as(entry)
    return Reads(shown, len(shown) if len(shown) < limit else entries.count())


def reads_for_owner(user, obj: Model, *, owner: Office, limit: int = READS_SHOWN) -> Reads | None:
    """The reads of a record for its owning office (and the offices above it: the NCB), None for anyone else.

    N-DEx and the UK's PND show a record's owner who has looked at it; a UO reading its unit's request is not its
    owner (the agency is) and sees no list. The caller has already fetched `obj` for `user`, so `user` may see it.
    """
    office = Office.of(user)
    if office is None or not office.covers(owner):
        return None
    return reads_of(obj, limit=limit)


# --- Entries in words -------------------------------------------------------------------------------------------

SHOWN_AS = {
    "page": gettext_lazy("on its page"),
    "pdf": gettext_lazy("as a PDF"),
    "json": gettext_lazy("as INTERPOL JSON"),
    "api": gettext_lazy("through the API"),
    "attachment": gettext_lazy("through one of its attachments"),
    "poll": gettext_lazy("as new messages arrived"),
    "status": gettext_lazy("in its live status table"),
    "list": gettext_lazy("as a list"),
}


def shown_as(entry: AuditEntry) -> str:
    """How a read showed the object, in words ("as a PDF")."""
    how = (entry.data or {}).get("as", "")
    return str(SHOWN_AS.get(how, how))


def _model_label(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


def _query_words(query) -> str:
    if isinstance(query, dict):
        return ", ".join(f"{key} “{value}”" for key, value in query.items() if value not in ("", None, [], {}))
    return f"“{query}”"


def describe(entry: AuditEntry) -> str:
    """What an entry says beyond its action, in words: what was read and as what, what was searched for and how
    many results came back, which object an out-of-jurisdiction attempt was after, which capability was missing."""
    data = entry.data or {}
    if entry.action == "access.read" and entry.target_type and not entry.target_id:  # a list, narrowed by its filters
        words = {"objects": entry.target_repr or entry.target_type, "how": shown_as(entry), "page": data.get("page", 1)}
        if query := _query_words(data.get("query") or {}):
            listed = _("Read %(objects)s %(how)s, page %(page)s, filtered by %(query)s") % {**words, "query": query}
        else:
            listed = _("Read %(objects)s %(how)s, page %(page)s, unfiltered") % words
        results = data.get("results")
        if results is None:
            return f"{listed}."
        return ngettext("%(searched)s: %(n)s result.", "%(searched)s: %(n)s results.", results) % {"searched": listed, "n": results}
    if entry.action == "access.read":
        return _("Read %(object)s %(how)s.") % {"object": entry.target_repr or entry.target_type, "how": shown_as(entry)}
    if entry.action == "access.out_of_jurisdiction":
        lookup = data.get("lookup") or {}
        ident = ", ".join(f"{value}" if key in ("pk", "id") else f"{key} {value}" for key, value in lookup.items())
        return _("Tried to open %(model)s %(ident)s, outside their office: answered as missing.") % {
            "model": _model_label(data.get("model", "")),
            "ident": f"#{ident}" if ident.isdigit() else ident,
        }
    if entry.action == "access.forbidden":
        return _("Refused: their role lacks “%(capability)s”.") % {"capability": data.get("capability", "")}
    if entry.action.endswith("_refused") and data.get("reason"):
        refused = _("Refused: %(reason)s.") % {"reason": data["reason"]}
        if "query" not in data:
            return refused
        return f"{refused} " + _("Searched for %(query)s") % {"query": _query_words(data["query"]) or _("anything")} + "."
    if "query" in data or "queries" in data:
        results = data.get("results")
        if "query" in data:
            searched = _("Searched for %(query)s") % {"query": _query_words(data["query"]) or _("anything")}
        else:
            searched = _("Screened %(n)s queries") % {"n": data["queries"]}
        if results is None:
            return f"{searched}."
        return ngettext("%(searched)s: %(n)s result.", "%(searched)s: %(n)s results.", results) % {"searched": searched, "n": results}
    return ""

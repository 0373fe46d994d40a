"""JSON API for the audit trail (NCB and system administrators, scope audit:read)."""

from datetime import date, datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from accounts.apiauth import require_scope
from audit import queries
from audit import services as audit
from audit.models import AuditEntry
from openpol.pagination import PageNumberPagination

router = Router(tags=["audit"])


class EntryOut(Schema):
    seq: int | None  # the entry's place in the chain, once sealed
    at: datetime
    actor_username: str
    office: str
    action: str
    target_type: str
    target_id: str
    target_repr: str
    purpose: str
    ip: str | None
    data: dict
    hash: str  # the entry's HMAC-SHA256

    @staticmethod
    def resolve_hash(entry) -> str:
        return entry.mac


@router.get("/entries", response=list[EntryOut], summary="Audit entries, newest first, filterable")
@paginate(PageNumberPagination, page_size=100)
def entry_list(
    request,
    actor: str = "",
    action: str = "",
    target_type: str = "",
    target_id: str = "",
    since: date | None = None,
    until: date | None = None,
):
    require_scope(request, "audit:read", "audit.view")
    filters = {"actor": actor, "action": action, "target_type": target_type, "target_id": target_id, "since": since, "until": until}
    entries = queries.entries_for_user(request.user, **filters)
    # The export is a read of the trail like its page: one entry per page asked for, naming the filters.
    page = int(request.GET.get("page") or 1)  # already checked by the pagination
    audit.read(actor=request.user, target=AuditEntry, shown_as="api", data={"query": {k: v for k, v in filters.items() if v}, "page": page})
    return entries

"""JSON API for the audit trail (NCB and system administrators, scope audit:read)."""

from datetime import date, datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from accounts.apiauth import require_scope
from audit import queries
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
    return queries.entries_for_user(
        request.user, actor=actor, action=action, target_type=target_type, target_id=target_id, since=since, until=until
    )

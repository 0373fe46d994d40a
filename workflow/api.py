"""JSON API of the workflow: the inbox, what waits on the caller's office, nearest deadline first."""

from datetime import datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from accounts import access
from openpol.pagination import PageNumberPagination
from workflow import services

router = Router(tags=["workflow"])


class TaskOut(Schema):
    reference: str
    title: str
    kind: str
    stage: str
    due_at: datetime | None
    is_overdue: bool
    url: str


@router.get("/inbox", response=list[TaskOut], summary="What waits for you, nearest deadline first")
@paginate(PageNumberPagination, page_size=50)
def inbox(request, kind: str = "", q: str = "", overdue: bool = False):
    access.require(request.user, "workflow.inbox")
    return services.inbox_for(request.user, kind=kind, q=q, overdue_only=overdue)

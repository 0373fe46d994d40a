"""How references are screened against the national records: each of their subjects, from ILO review until replied
(registered with records.crossmatch by references/apps.py)."""

from records import crossmatch
from references.models import ReferenceRequest

OPEN = (ReferenceRequest.Stage.ILO_REVIEW, ReferenceRequest.Stage.NCB_REVIEW, ReferenceRequest.Stage.SENT, ReferenceRequest.Stage.REPLIED)


def persons(request: ReferenceRequest) -> list[crossmatch.PersonSubject]:
    subjects = (
        crossmatch.person_subject(s.get("name"), dob=s.get("dob"), numbers=[s.get("document")])
        for s in crossmatch.row_dicts(request.subjects)
    )
    return [s for s in subjects if s]


KIND = crossmatch.SourceKind(
    key="references",
    model=ReferenceRequest,
    persons=persons,
    vehicles=lambda request: [],
    handler=lambda request: (request.agency_id, request.drafted_by_id),
    open_items=lambda: ReferenceRequest.objects.filter(stage__in=OPEN),
)

"""How notice requests are screened against the national records: their subject, from ILO review until published
(registered with records.crossmatch by notices/apps.py)."""

from notices.models import NoticeRequest
from records import crossmatch

OPEN = (
    NoticeRequest.Stage.ILO_REVIEW,
    NoticeRequest.Stage.NCB_REVIEW,
    NoticeRequest.Stage.TRANSMITTED,
    NoticeRequest.Stage.MORE_INFO,
    NoticeRequest.Stage.PUBLISHED,
)


def persons(request: NoticeRequest) -> list[crossmatch.PersonSubject]:
    subject = crossmatch.person_subject(
        f"{request.forenames} {request.family_name}",
        others=[request.name_indian_script, *crossmatch.alias_list(request.aliases)],
        dob=request.date_of_birth or request.year_of_birth,
        sex=request.sex,
        numbers=crossmatch.document_numbers(request.identity_documents),
    )
    return [subject] if subject else []


KIND = crossmatch.SourceKind(
    key="notices",
    model=NoticeRequest,
    persons=persons,
    vehicles=lambda request: [],
    handler=lambda request: (request.agency_id, request.drafted_by_id),
    open_items=lambda: NoticeRequest.objects.filter(stage__in=OPEN),
)

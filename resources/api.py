"""JSON API of the resources module: the document library (search, versions, downloads) and training."""

from datetime import datetime
from typing import Literal

from django.http import HttpResponse
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from accounts import access
from accounts.apiauth import require_scope
from openpol.pagination import PageNumberPagination
from resources import queries, services
from resources.files import version_response
from resources.models import Category, Language, TrainingSession

router = Router(tags=["resources"])

READ, WRITE = "resources:read", "resources:write"


# --- Schemas ---------------------------------------------------------------------------------


class VersionOut(Schema):
    number: int
    original_name: str
    mime_type: str
    size: int
    sha256: str
    change_note: str
    uploaded_at: datetime
    uploaded_by: str = Field(alias="uploaded_by.username")


class DocumentOut(Schema):
    id: int
    title: str
    description: str
    category: str
    category_label: str = Field(alias="get_category_display")
    language: str
    visible_to_roles: list[str] = Field(description="Roles besides the NCB (which sees everything) that may see the document.")
    download_count: int
    current_version: int | None = Field(None, alias="current_version.number")
    updated_at: datetime


class DocumentDetailOut(DocumentOut):
    versions: list[VersionOut]

    @staticmethod
    def resolve_versions(obj):
        return list(queries.versions_of(obj))


class DocumentIn(Schema):
    title: str
    category: Category
    language: Language = Language.EN
    visible_to_roles: list[str] = []
    description: str = ""


class SessionIn(Schema):
    title: str
    description: str = ""
    mode: TrainingSession.Mode
    venue: str = ""
    link: str = ""
    organiser: str = "CBI Academy, Ghaziabad"
    starts_at: datetime
    ends_at: datetime
    capacity: int = Field(..., ge=1)


class SessionOut(Schema):
    id: int
    title: str
    description: str
    mode: str
    venue: str
    link: str = Field("", description="Shown to the NCB and to officers on the session's list.")
    organiser: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    places_taken: int

    @staticmethod
    def resolve_link(obj, context):
        return obj.link if obj.user_is_listed or access.can(context["request"].user, "training.manage") else ""


class EnrolmentOut(Schema):
    id: int
    session_id: int
    officer_id: int
    officer: str = Field(alias="officer.username")
    officer_name: str = Field(alias="officer.get_full_name")
    agency: str | None = Field(None, alias="officer.agency.code")
    status: str
    status_label: str = Field(alias="get_status_display")
    nominated_by: str | None = Field(None, alias="nominated_by.username")
    certificate_number: str | None


class SessionDetailOut(SessionOut):
    enrolments: list[EnrolmentOut] = Field(
        description="The enrolments you may see: all for the NCB, your agency's for an ILO, your own for a UO."
    )

    @staticmethod
    def resolve_enrolments(obj, context):
        return list(queries.enrolments_for_user(context["request"].user, session=obj))


class NominationIn(Schema):
    officer_id: int


class MarkIn(Schema):
    enrolment_id: int
    attended: bool


class AttendanceIn(Schema):
    marks: list[MarkIn]


class CoverageOut(Schema):
    agency: str
    agency_name: str
    officers: int
    trained: int
    untrained: int
    percent: int | None


# --- Documents ---------------------------------------------------------------------------------


@router.get("/documents", response=list[DocumentOut], summary="Documents open to you; `q` searches their titles and full text")
@paginate(PageNumberPagination, page_size=50)
def document_list(request, q: str = "", category: str = "", language: str = ""):
    require_scope(request, READ, "resources.view")
    return queries.documents_for_user(request.user, q=q, category=category, language=language)


@router.post("/documents", response={201: DocumentDetailOut}, summary="Upload a document, PDF or plain text (NCB administrators)")
def document_upload(
    request,
    title: Form[str],
    category: Form[Category],
    file: File[UploadedFile],
    language: Form[Language] = Language.EN,
    visible_to_roles: Form[list[str]] = None,
    description: Form[str] = "",
    change_note: Form[str] = "",
):
    require_scope(request, WRITE, "resources.manage")
    document = services.document_upload(
        by=request.user,
        upload=file,
        title=title,
        category=category,
        language=language,
        visible_to_roles=visible_to_roles or [],
        description=description,
        change_note=change_note,
    )
    return Status(201, document)


@router.get("/documents/{document_id}", response=DocumentDetailOut, summary="One document and its versions (404 if not open to your role)")
def document_detail(request, document_id: int):
    require_scope(request, READ, "resources.view")
    return queries.get_document_for_user(request.user, document_id)


@router.put(
    "/documents/{document_id}", response=DocumentDetailOut, summary="Describe a document and choose who may see it (NCB administrators)"
)
def document_update(request, document_id: int, payload: DocumentIn):
    require_scope(request, WRITE, "resources.manage")
    document = queries.get_document_for_user(request.user, document_id)
    return services.document_update(document=document, by=request.user, **payload.model_dump())


@router.post("/documents/{document_id}/versions", response={201: VersionOut}, summary="Upload a new version (NCB administrators)")
def document_version_add(request, document_id: int, change_note: Form[str], file: File[UploadedFile]):
    require_scope(request, WRITE, "resources.manage")
    document = queries.get_document_for_user(request.user, document_id)
    return Status(201, services.document_version_add(document=document, by=request.user, upload=file, change_note=change_note))


@router.get(
    "/documents/{document_id}/download",
    summary="The file of the current version, or of `version` (counted and audited)",
    openapi_extra={"responses": {200: {"description": "The file", "content": {"application/pdf": {}, "text/plain": {}}}}},
)
def document_download(request, document_id: int, version: int | None = None):
    require_scope(request, READ, "resources.view")
    document = queries.get_document_for_user(request.user, document_id)
    return version_response(services.document_download(document=document, by=request.user, number=version))


# --- Training -------------------------------------------------------------------------------------


@router.get("/sessions", response=list[SessionOut], summary="Training sessions: `when` is upcoming, past or empty for all")
@paginate(PageNumberPagination, page_size=50)
def session_list(request, when: Literal["upcoming", "past", ""] = ""):
    require_scope(request, READ, "resources.view")
    return queries.sessions_for_user(request.user, when=when)


@router.post("/sessions", response={201: SessionOut}, summary="Schedule a session (NCB)")
def session_create(request, payload: SessionIn):
    require_scope(request, WRITE, "training.manage")
    session = services.training_session_create(by=request.user, data=payload.model_dump())
    return Status(201, queries.get_session_for_user(request.user, session.pk))


@router.get("/sessions/{session_id}", response=SessionDetailOut, summary="One session and the enrolments you may see")
def session_detail(request, session_id: int):
    require_scope(request, READ, "resources.view")
    return queries.get_session_for_user(request.user, session_id)


@router.post(
    "/sessions/{session_id}/nominations",
    response={201: EnrolmentOut},
    summary="Nominate an officer: the NCB anyone, an ILO its agency's officers (another agency's officer answers 404)",
)
def session_nominate(request, session_id: int, payload: NominationIn):
    require_scope(request, WRITE, "resources.view")
    session = queries.get_session_for_user(request.user, session_id)
    officer = queries.get_nominee_for_user(request.user, payload.officer_id)
    return Status(201, services.enrolment_nominate(session=session, officer=officer, by=request.user))


@router.post("/sessions/{session_id}/requests", response={201: EnrolmentOut}, summary="Ask for a place (ILOs and UOs)")
def session_request(request, session_id: int):
    require_scope(request, WRITE, "resources.view")
    session = queries.get_session_for_user(request.user, session_id)
    return Status(201, services.enrolment_request(session=session, by=request.user))


@router.post("/sessions/{session_id}/attendance", response=list[EnrolmentOut], summary="Record who attended and who was absent (NCB)")
def session_attendance(request, session_id: int, payload: AttendanceIn):
    require_scope(request, WRITE, "training.manage")
    session = queries.get_session_for_user(request.user, session_id)
    marks = {mark.enrolment_id: mark.attended for mark in payload.marks}
    return services.attendance_record(session=session, by=request.user, marks=marks)


@router.get("/enrolments", response=list[EnrolmentOut], summary="Enrolments you may see: all (NCB), your agency's (ILO), your own (UO)")
@paginate(PageNumberPagination, page_size=50)
def enrolment_list(request, session_id: int | None = None):
    require_scope(request, READ, "resources.view")
    enrolments = queries.enrolments_for_user(request.user)
    return enrolments.filter(session_id=session_id) if session_id else enrolments


@router.post("/enrolments/{enrolment_id}/accept", response=EnrolmentOut, summary="Accept a request or confirm a nomination (NCB)")
def enrolment_accept(request, enrolment_id: int):
    require_scope(request, WRITE, "training.manage")
    enrolment = queries.get_enrolment_for_user(request.user, enrolment_id)
    return services.enrolment_accept(enrolment=enrolment, by=request.user)


@router.get(
    "/enrolments/{enrolment_id}/certificate",
    summary="The certificate of an officer who attended, as a PDF",
    openapi_extra={"responses": {200: {"description": "A PDF", "content": {"application/pdf": {}}}}},
)
def enrolment_certificate(request, enrolment_id: int):
    require_scope(request, READ, "resources.view")
    enrolment = queries.get_enrolment_for_user(request.user, enrolment_id)
    response = HttpResponse(services.certificate_pdf(enrolment=enrolment, by=request.user), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{enrolment.certificate_number}.pdf"'
    return response


@router.get("/coverage", response=list[CoverageOut], summary="Per agency, how many ILOs and UOs are trained: the least covered first (NCB)")
def coverage(request):
    require_scope(request, READ, "training.manage")
    return [
        {
            "agency": row.agency.code,
            "agency_name": row.agency.name,
            "officers": row.officers,
            "trained": row.trained,
            "untrained": row.untrained,
            "percent": row.percent,
        }
        for row in queries.training_coverage()
    ]

"""JSON API of Connect: threads, messages (with files), read receipts, polling for new messages, and the directory."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import FileResponse
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from accounts.apiauth import require_scope
from accounts.models import User
from connect import queries, services
from openpol.pagination import PageNumberPagination

router = Router(tags=["connect"])

READ, WRITE, CAPABILITY = "connect:read", "connect:write", "connect.use"


class ConnectPersonOut(Schema):
    id: int
    username: str
    name: str
    role: str
    agency: str | None = Field(None, alias="agency.code")

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.get_full_name() or obj.username


class ThreadOut(Schema):
    id: int
    subject: str
    created_by: str = Field(alias="created_by.username")
    created_at: datetime
    last_message_at: datetime
    unread: int = Field(description="Messages from others past your read marker.")
    match: str | None = Field(None, description="With `q`: the latest message containing it.")


class AttachmentOut(Schema):
    id: int
    name: str = Field(alias="original_name")
    mime_type: str
    size: int
    sha256: str


class MessageOut(Schema):
    id: int
    thread: int = Field(alias="thread_id")
    author: ConnectPersonOut
    body: str
    created_at: datetime
    attachments: list[AttachmentOut] = Field(alias="files")
    read_by: list[str] = Field(description="Usernames of the other participants who have read this message.")

    @staticmethod
    def resolve_read_by(obj) -> list[str]:
        return [user.username for user in obj.read_by]


class ParticipantOut(Schema):
    user: ConnectPersonOut
    joined_at: datetime
    last_read_message_id: int | None = Field(description="How far this participant has read (their read receipt).")
    last_read_at: datetime | None


class ThreadDetailOut(Schema):
    id: int
    subject: str
    created_by: str = Field(alias="created_by.username")
    created_at: datetime
    last_message_at: datetime
    participants: list[ParticipantOut] = Field(alias="participant_list")
    messages: list[MessageOut] = Field(
        alias="message_list", description="The latest messages, oldest first; poll with `after=` for the rest."
    )
    older_left_out: bool


class MessageHitOut(Schema):
    id: int
    thread: int = Field(alias="thread_id")
    thread_subject: str = Field(alias="thread.subject")
    author: str = Field(alias="author.username")
    body: str
    created_at: datetime


class ThreadIn(Schema):
    subject: str
    participants: list[int] = Field(description="Ids of the people to write to (see the directory).")
    body: str


class ParticipantIn(Schema):
    user: int


class ReadOut(Schema):
    last_read_message_id: int | None


class DirectoryEntryOut(Schema):
    id: int
    username: str
    name: str
    role: str
    designation: str
    email: str
    phone: str
    agency: str = Field(alias="agency.code")
    agency_name: str = Field(alias="agency.name")
    unit: str | None = Field(None, alias="unit.name")
    state: str | None

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.get_full_name() or obj.username

    @staticmethod
    def resolve_state(obj) -> str | None:
        state = queries.state_of(obj)
        return state.name if state else None


class Refusal(Schema):
    detail: str
    errors: dict[str, list[str]]


def _refusal(error: ValidationError) -> Status:
    errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return Status(422, {"detail": "Refused: nothing was saved.", "errors": errors})


def _detail(thread):
    """The thread with its people and latest messages (with receipts and files), as ThreadDetailOut reads it."""
    thread.participant_list = queries.participants_of(thread)
    shown, thread.older_left_out = queries.latest_messages(thread)
    thread.message_list = queries.with_receipts(shown, thread.participant_list)
    return thread


@router.get("/threads", response=list[ThreadOut], summary="Your conversations, latest first, with unread counts; `q` searches")
@paginate(PageNumberPagination, page_size=50)
def thread_list(request, q: str = ""):
    require_scope(request, READ, CAPABILITY)
    services.presence_touch(request.user)
    return queries.threads_for_user(request.user, q=q)


@router.post("/threads", response={201: ThreadDetailOut, 422: Refusal}, summary="Start a conversation (along the hierarchy only)")
def thread_start(request, payload: ThreadIn):
    require_scope(request, WRITE, CAPABILITY)
    people = list(User.objects.filter(pk__in=payload.participants))
    unknown = sorted(set(payload.participants) - {user.pk for user in people})
    if unknown:
        return _refusal(ValidationError({"participants": [f"No account with the id {pk}." for pk in unknown]}))
    try:
        thread = services.thread_start(by=request.user, subject=payload.subject, participants=people, body=payload.body)
    except ValidationError as refused:
        return _refusal(refused)
    return Status(201, _detail(thread))


@router.get("/threads/{thread_id}", response=ThreadDetailOut, summary="One conversation with its people and messages (404 if not yours)")
def thread_detail(request, thread_id: int):
    require_scope(request, READ, CAPABILITY)
    thread = queries.get_thread_for_user(request.user, thread_id, shown_as="api")
    services.presence_touch(request.user)
    return _detail(thread)


@router.get(
    "/threads/{thread_id}/messages",
    response=list[MessageOut],
    summary="Poll: the messages after id `after` (marks them read)",
    description="Ask every few seconds with the id of the last message you have; an empty list means nothing new.",
)
def thread_poll(request, thread_id: int, after: int = 0):
    require_scope(request, READ, CAPABILITY)
    thread, arrived = queries.poll_thread_for_user(request.user, thread_id, max(after, 0))
    services.presence_touch(request.user)
    if not arrived:
        return []
    services.thread_mark_read(by=request.user, thread=thread, up_to=arrived[-1].pk)
    return queries.with_receipts(arrived, queries.participants_of(thread))


@router.post(
    "/threads/{thread_id}/messages", response={201: MessageOut, 422: Refusal}, summary="Post a message, with PDF, JPEG or PNG files"
)
def message_post(request, thread_id: int, body: Form[str] = "", files: File[list[UploadedFile]] = None):
    require_scope(request, WRITE, CAPABILITY)
    thread = queries.get_thread_for_user(request.user, thread_id, shown_as="api")
    try:
        message = services.message_post(by=request.user, thread=thread, body=body, attachments=files or [])
    except ValidationError as refused:
        return _refusal(refused)
    return Status(201, queries.with_receipts([message], queries.participants_of(thread))[0])


@router.post("/threads/{thread_id}/read", response=ReadOut, summary="Mark the conversation read up to its latest message")
def thread_mark_read(request, thread_id: int):
    require_scope(request, WRITE, CAPABILITY)
    thread = queries.get_thread_for_user(request.user, thread_id, shown_as="api")
    return {"last_read_message_id": services.thread_mark_read(by=request.user, thread=thread)}


@router.post("/threads/{thread_id}/participants", response={201: ParticipantOut, 422: Refusal}, summary="Add someone the hierarchy allows")
def participant_add(request, thread_id: int, payload: ParticipantIn):
    require_scope(request, WRITE, CAPABILITY)
    thread = queries.get_thread_for_user(request.user, thread_id, shown_as="api")
    user = User.objects.filter(pk=payload.user).first()
    if user is None:
        return _refusal(ValidationError({"user": [f"No account with the id {payload.user}."]}))
    try:
        return Status(201, services.participant_add(by=request.user, thread=thread, user=user))
    except ValidationError as refused:
        return _refusal(refused)


@router.get(
    "/threads/{thread_id}/attachments/{attachment_id}",
    summary="Download a file sent in a conversation",
    openapi_extra={"responses": {200: {"description": "The file", "content": {t: {} for t in sorted(services.ATTACHMENT_TYPES)}}}},
)
def attachment_download(request, thread_id: int, attachment_id: int):
    require_scope(request, READ, CAPABILITY)
    attachment = queries.get_attachment_for_user(request.user, thread_id, attachment_id)
    response = FileResponse(
        attachment.file.open("rb"), content_type=attachment.mime_type, as_attachment=True, filename=attachment.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.get("/messages", response=list[MessageHitOut], summary="Search the messages of your conversations")
@paginate(PageNumberPagination, page_size=50)
def message_search(request, q: str):
    require_scope(request, READ, CAPABILITY)
    return queries.messages_search_for_user(request.user, q)


@router.get("/directory", response=list[DirectoryEntryOut], summary="ILOs and Unit Officers by agency and state, with contacts")
@paginate(PageNumberPagination, page_size=50)
def directory(request, agency: str = "", state: int | None = None, q: str = ""):
    """Filter by agency code (e.g. PS-DL), state id, or part of a name, designation or unit."""
    require_scope(request, READ, CAPABILITY)
    return queries.directory_for_user(request.user, agency=agency, state=state, q=q)

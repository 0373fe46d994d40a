"""Every write on a notice request: drafting, attaching, and one function per step of the review."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User
from accounts.offices import Level, Office
from audit import services as audit
from directory.models import Country
from notices import rules
from notices.interpol import to_interpol_json
from notices.models import NoticeKind, NoticeRequest
from notify import services as notify
from records import crossmatch
from workflow import services as workflow
from workflow import transmission
from workflow.files import DOCUMENT_TYPES, IMAGE_TYPES, attachment_save, check_upload
from workflow.models import Attachment

AUDIT = "notice"
# Fields a drafter may set; everything else (stage, agency, flags, INTERPOL's answer) only services set.
EDITABLE_FIELDS = (
    "case_reference family_name forenames aliases name_indian_script sex date_of_birth year_of_birth place_of_birth "
    "country_of_birth nationalities identity_documents height_cm weight_kg eye_colour hair_colour distinguishing_marks "
    "languages fingerprints_available dna_available offence law sections max_penalty_months max_penalty_life purpose "
    "sentence_remaining_months warrant_kind warrant_number warrant_date issuing_court facts_summary extradition_intended facts "
    "country_of_birth_id"
).split()


class RequestInvalid(ValidationError):
    """The request breaks INTERPOL's rules; carries every problem, field by field."""

    def __init__(self, problems: list[rules.Problem]):
        self.problems = problems
        by_field: dict[str, list[str]] = {}
        for problem in problems:
            by_field.setdefault(problem.field, []).append(problem.message)
        super().__init__(by_field)


def _require_drafter_of(request: NoticeRequest, by: User) -> None:
    if not workflow.is_drafter(by, request):
        raise PermissionDenied(_("Only the officers who drafted this request may change it."))


def _check_fields(data: dict) -> None:
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field cannot be set here.")] for name in sorted(unknown)})


# Requests are drafted in an agency (by its ILOs) or in one of its unit offices (by its UOs), never above or beside them.
DRAFTING_LEVELS = (Level.AGENCY, Level.UNIT)


def may_draft(user) -> bool:
    """Does the user sit in an office that drafts notice requests (and may open them at all)?"""
    office = Office.of(user)
    return office is not None and office.level in DRAFTING_LEVELS and access.can(user, "notices.view")


@transaction.atomic
def notice_draft_create(*, by: User, kind: str, data: dict) -> NoticeRequest:
    """A UO (or an ILO) starts a request; it waits in their drafts until submitted."""
    if not may_draft(by):
        raise PermissionDenied(_("Only Unit Officers and ILOs draft notice requests."))
    if kind not in NoticeKind.values:
        raise ValidationError({"kind": [_("Choose one of the nine kinds of notice.")]})
    _check_fields(data)
    office = Office.of(by)
    request = NoticeRequest(kind=kind, agency_id=office.agency_id, unit_id=office.id if office.level is Level.UNIT else None, drafted_by=by)
    request.stage = NoticeRequest.Stage.DRAFT
    for name, value in data.items():
        setattr(request, name, value)
    request.full_clean(exclude=["reference"])
    request.save()
    request.reference = f"NR/{timezone.localdate().year}/{request.pk:06d}"
    request.save(update_fields=["reference"])
    workflow.record_creation(request, by=by, audit_label=AUDIT)
    return request


@transaction.atomic
def notice_draft_update(*, request: NoticeRequest, by: User, data: dict, expected_version: int | None = None) -> NoticeRequest:
    """Change a draft (or a request INTERPOL sent back for more information)."""
    _require_drafter_of(request, by)
    if not request.is_editable:
        raise workflow.IllegalMove(_("This request is %(stage)s: it can no longer be edited.") % {"stage": request.get_stage_display()})
    _check_fields(data)
    version = request.version if expected_version is None else expected_version
    for name, value in data.items():
        setattr(request, name, value)
    request.full_clean(exclude=["reference"])
    updated = NoticeRequest.objects.filter(pk=request.pk, version=version, stage=request.stage).update(
        version=F("version") + 1, updated_at=timezone.now(), **{name: getattr(request, name) for name in data}
    )
    if updated != 1:
        raise workflow.Conflict(_("Someone else changed this request a moment ago. Reload it; your changes were not saved."))
    request.refresh_from_db()
    audit.record(actor=by, action=f"{AUDIT}.update", target=request, data={"fields": sorted(data)})
    return request


@transaction.atomic
def notice_attach(*, request: NoticeRequest, by: User, upload, kind: str) -> Attachment:
    """Attach a photo, warrant or document, checked by its content and size."""
    _require_drafter_of(request, by)
    if not request.is_editable:
        raise workflow.IllegalMove(_("Files can be added only while the request is being drafted."))
    if kind not in Attachment.Kind.values:
        raise ValidationError({"kind": [_("Choose what the file is.")]})
    checked = check_upload(upload, allowed=IMAGE_TYPES if kind == Attachment.Kind.PHOTO else DOCUMENT_TYPES)
    attachment = attachment_save(request, checked, kind=kind, by=by)
    audit.record(actor=by, action=f"{AUDIT}.attach", target=request, data={"file": checked.name, "kind": kind, "sha256": checked.sha256})
    return attachment


def attachments_of(request: NoticeRequest):
    return Attachment.objects.filter(content_type=ContentType.objects.get_for_model(request), object_id=request.pk)


def notice_check(request: NoticeRequest) -> list[rules.Problem]:
    """Every problem INTERPOL's rules find in the request, blocking ones and Article 3 flags alike."""
    has_photo = attachments_of(request).filter(kind=Attachment.Kind.PHOTO).exists()
    countries = set(Country.objects.values_list("iso2", flat=True))
    return rules.check(request, has_photo=has_photo, countries=countries)


def _refuse_if_invalid(request: NoticeRequest) -> list[rules.Problem]:
    problems = notice_check(request)
    blocking = rules.blocking(problems)
    if blocking:
        raise RequestInvalid(blocking)
    return problems


def _move(request, by, action, note="", expected_version=None) -> NoticeRequest:
    workflow.advance(request, action=action, by=by, note=note, expected_version=expected_version, audit_label=AUDIT)
    notify_stage_changed(request=request, by=by, note=note)
    return request


@transaction.atomic
def notice_submit(*, request: NoticeRequest, by: User, expected_version: int | None = None) -> NoticeRequest:
    """The drafter sends a complete request to the ILO; INTERPOL's rules are checked first."""
    _require_drafter_of(request, by)
    problems = _refuse_if_invalid(request)
    flags = [{"field": p.field, "message": p.message, "rule": p.rule} for p in rules.flags(problems)]
    NoticeRequest.objects.filter(pk=request.pk).update(article3_flags=flags)
    request.article3_flags = flags
    crossmatch.screen_enqueue(request)
    return _move(request, by, "submit", expected_version=expected_version)


@transaction.atomic
def notice_return(*, request: NoticeRequest, by: User, note: str, expected_version: int | None = None) -> NoticeRequest:
    """The ILO (to the UO) or the NCB (to the ILO) sends the request back with comments."""
    return _move(request, by, "return", note, expected_version)


@transaction.atomic
def notice_forward(*, request: NoticeRequest, by: User, note: str = "", expected_version: int | None = None) -> NoticeRequest:
    """The ILO sends a reviewed request on to the NCB."""
    _refuse_if_invalid(request)
    return _move(request, by, "forward", note, expected_version)


@transaction.atomic
def notice_refuse(*, request: NoticeRequest, by: User, note: str, expected_version: int | None = None) -> NoticeRequest:
    """The NCB refuses the request, with its reasons."""
    return _move(request, by, "refuse", note, expected_version)


@transaction.atomic
def notice_approve(*, request: NoticeRequest, by: User, note: str = "", expected_version: int | None = None) -> NoticeRequest:
    """The NCB approves and transmits: a signed copy goes into the outbound queue to INTERPOL's General Secretariat."""
    _refuse_if_invalid(request)
    if request.article3_flags and not note.strip():
        raise workflow.IllegalMove(_("This request is flagged under Article 3: record the NCB's decision on it in the comment."))
    _move(request, by, "approve", note, expected_version)
    payload = {"request": to_interpol_json(request), "kind": request.kind, "reference": request.reference, "approved_by": by.username}
    transmission.enqueue(request, payload=payload, destination="INTERPOL General Secretariat", destination_kind="interpol", by=by)
    return request


@transaction.atomic
def notice_record_answer(
    *, request: NoticeRequest, by: User, answer: str, note: str = "", notice_number: str = "", expected_version: int | None = None
) -> NoticeRequest:
    """The NCB records INTERPOL's answer: published (with its notice number), more information, refused, cancelled."""
    actions = {
        "published": "record_published",
        "more_info": "record_more_info",
        "refused": "record_refused",
        "cancelled": "record_cancelled",
    }
    if answer not in actions:
        raise ValidationError({"answer": [_("Choose INTERPOL's answer.")]})
    notice_number = notice_number.strip()
    if answer == "published" and not notice_number:
        raise ValidationError({"notice_number": [_("Enter the notice number INTERPOL gave (for example A-1234/5-2026).")]})
    _move(request, by, actions[answer], note, expected_version)
    fields = {"interpol_answered_at": timezone.now()}
    if notice_number:
        fields["interpol_notice_number"] = notice_number
    NoticeRequest.objects.filter(pk=request.pk).update(**fields)
    request.refresh_from_db()
    return request


@transaction.atomic
def notice_withdraw(*, request: NoticeRequest, by: User, note: str, expected_version: int | None = None) -> NoticeRequest:
    """The drafter withdraws a draft; the NCB withdraws a transmitted or published request at the agency's demand."""
    if request.stage == NoticeRequest.Stage.DRAFT:
        _require_drafter_of(request, by)
    return _move(request, by, "withdraw", note, expected_version)


def notify_stage_changed(*, request: NoticeRequest, by: User, note: str = "") -> None:
    """Tell the drafter when someone else moves their request (enqueued in the transaction of the move)."""
    if request.drafted_by_id != by.pk:
        notify.send("notices.stage_changed", [request.drafted_by], request=request, note=note)

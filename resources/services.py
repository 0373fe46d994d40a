"""Every write of the Resources module: the document library and training (sessions, enrolments, attendance, certificates)."""

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Role, User
from audit import services as audit
from notify import services as notify
from resources import queries, search
from resources.files import CheckedDocument, check_document
from resources.models import AUDIENCE_ROLES, Category, Document, DocumentVersion, Enrolment, Language, TrainingSession
from resources.pdf import render_certificate

S = Enrolment.Status
SESSION_FIELDS = ("title", "description", "mode", "venue", "link", "organiser", "starts_at", "ends_at", "capacity")


# --- Documents ------------------------------------------------------------------------------


def _document_fields(*, title: str, category: str, language: str, visible_to_roles, description: str) -> dict:
    roles = list(dict.fromkeys(visible_to_roles or []))
    unknown = [role for role in roles if role not in AUDIENCE_ROLES]
    if unknown:
        allowed = ", ".join(str(Role(role).label) for role in AUDIENCE_ROLES)
        raise ValidationError({"visible_to_roles": [_("A document can be opened only to these roles: %(roles)s.") % {"roles": allowed}]})
    if category not in Category.values:
        raise ValidationError({"category": [_("Choose the category of the document.")]})
    if language not in Language.values:
        raise ValidationError({"language": [_("Choose the language of the document.")]})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("Give the document a title.")]})
    return {
        "title": title,
        "category": category,
        "language": language,
        "visible_to_roles": roles,
        "description": (description or "").strip(),
    }


def _checked_file(upload) -> CheckedDocument:
    try:
        return check_document(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error


def _store_version(document: Document, checked: CheckedDocument, *, by: User, change_note: str) -> DocumentVersion:
    number = (document.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = DocumentVersion(
        document=document,
        number=number,
        original_name=checked.name,
        mime_type=checked.mime_type,
        size=len(checked.content),
        sha256=checked.sha256,
        body_text=checked.body_text,
        change_note=change_note.strip()[:300],
        uploaded_by=by,
    )
    version.file.save(checked.sha256[:16], ContentFile(checked.content), save=False)
    version.save()
    document.current_version = version
    document.save(update_fields=["current_version", "updated_at"])
    search.index(document)
    return version


@transaction.atomic
def document_upload(
    *,
    by: User,
    upload,
    title: str,
    category: str,
    language: str,
    visible_to_roles: list[str],
    description: str = "",
    change_note: str = "",
) -> Document:
    """An NCB administrator adds a document to the library; the file becomes its version 1."""
    access.require(by, "resources.manage")
    fields = _document_fields(title=title, category=category, language=language, visible_to_roles=visible_to_roles, description=description)
    checked = _checked_file(upload)
    document = Document.objects.create(created_by=by, **fields)
    version = _store_version(document, checked, by=by, change_note=change_note)
    audit.record(
        actor=by,
        action="resource.upload",
        target=document,
        data={"file": checked.name, "sha256": checked.sha256, "version": version.number, "visible_to_roles": fields["visible_to_roles"]},
    )
    return document


@transaction.atomic
def document_version_add(*, document: Document, by: User, upload, change_note: str) -> DocumentVersion:
    """An NCB administrator uploads a new version; it becomes the current one and the earlier ones stay in the history."""
    access.require(by, "resources.manage")
    if not (change_note or "").strip():
        raise ValidationError({"change_note": [_("Say what changed in this version.")]})
    checked = _checked_file(upload)
    # The lock serialises two uploads to the same document, so each gets its own number.
    document = Document.objects.select_for_update(of=("self",)).select_related("current_version").get(pk=document.pk)
    if document.current_version and document.current_version.sha256 == checked.sha256:
        raise ValidationError(
            {"file": [_("This file is the same as the current version (%(number)s).") % {"number": document.current_version.number}]}
        )
    version = _store_version(document, checked, by=by, change_note=change_note)
    audit.record(actor=by, action="resource.version_add", target=document, data={"file": checked.name, "version": version.number})
    return version


@transaction.atomic
def document_update(
    *, document: Document, by: User, title: str, category: str, language: str, visible_to_roles: list[str], description: str = ""
) -> Document:
    """An NCB administrator corrects a document's description or changes the roles it is open to."""
    access.require(by, "resources.manage")
    fields = _document_fields(title=title, category=category, language=language, visible_to_roles=visible_to_roles, description=description)
    changed = {name: value for name, value in fields.items() if getattr(document, name) != value}
    for name, value in changed.items():
        setattr(document, name, value)
    document.save()
    search.index(document)
    audit.record(actor=by, action="resource.update", target=document, data={"fields": sorted(changed), **{k: changed[k] for k in changed}})
    return document


@transaction.atomic
def document_download(*, document: Document, by: User, number: int | None = None) -> DocumentVersion:
    """Hand out a version (the current one unless a number is given), counted and audited."""
    access.require(by, "resources.view")
    versions = document.versions.all()
    version = versions.filter(number=number).first() if number else document.current_version
    if version is None:
        raise ValidationError({"version": [_("This document has no such version.")]})
    Document.objects.filter(pk=document.pk).update(download_count=F("download_count") + 1)
    document.refresh_from_db(fields=["download_count"])
    audit.record(actor=by, action="resource.download", target=document, data={"version": version.number, "sha256": version.sha256})
    return version


# --- Training ---------------------------------------------------------------------------------


@transaction.atomic
def training_session_create(*, by: User, data: Mapping) -> TrainingSession:
    """The NCB (or the CBI Academy) schedules a session, online or in person, with a number of places."""
    access.require(by, "training.manage")
    unknown = set(data) - set(SESSION_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field cannot be set here.")] for name in sorted(unknown)})
    session = TrainingSession(created_by=by, **data)
    errors: dict[str, list[str]] = {}
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        errors["ends_at"] = [_("The session must end after it starts.")]
    if session.mode == TrainingSession.Mode.IN_PERSON and not (session.venue or "").strip():
        errors["venue"] = [_("Say where an in-person session takes place.")]
    if session.capacity is not None and session.capacity < 1:
        errors["capacity"] = [_("A session needs at least one place.")]
    if errors:
        raise ValidationError(errors)
    session.full_clean()
    session.save()
    audit.record(actor=by, action="training.schedule", target=session, data={"capacity": session.capacity, "mode": session.mode})
    return session


def _locked(session: TrainingSession) -> TrainingSession:
    """The session, locked until the transaction ends, so two officers never take its last place at once."""
    return TrainingSession.objects.select_for_update().get(pk=session.pk)


def _take_place(session: TrainingSession) -> None:
    taken = session.enrolments.holding_places().count()
    if taken >= session.capacity:
        raise ValidationError(
            _("This session is full (%(taken)s of %(capacity)s places taken).") % {"taken": taken, "capacity": session.capacity},
            code="full",
        )


def _enrolment_of(session: TrainingSession, officer: User) -> Enrolment | None:
    return Enrolment.objects.select_for_update().filter(session=session, officer=officer).first()


def _already(enrolment: Enrolment) -> ValidationError:
    return ValidationError(
        _("%(officer)s is already on this session's list (%(status)s).")
        % {"officer": enrolment.officer, "status": enrolment.get_status_display()},
        code="duplicate",
    )


@transaction.atomic
def enrolment_nominate(*, session: TrainingSession, officer: User, by: User) -> Enrolment:
    """The NCB gives an officer a place; an ILO nominates one of its own agency's officers, which also holds a place."""
    access.require(by, "resources.view")
    is_ncb = access.can(by, "training.manage")
    if not queries.may_nominate(by):
        raise PermissionDenied(_("Only the NCB and ILOs nominate officers for training."))
    officer = access.get_or_404(by, queries.nominees_for_user(by), pk=officer.pk)  # another agency's officer is "missing"
    session = _locked(session)
    if not is_ncb and session.has_begun:
        raise ValidationError(_("Nominations closed when the session began."), code="closed")
    enrolment = _enrolment_of(session, officer)
    if enrolment is not None and enrolment.status != S.REQUESTED:
        raise _already(enrolment)
    _take_place(session)
    status = S.ACCEPTED if is_ncb else S.NOMINATED
    if enrolment is None:
        enrolment = Enrolment.objects.create(
            session=session, officer=officer, status=status, nominated_by=by, decided_by=by if is_ncb else None
        )
    else:
        enrolment.status, enrolment.nominated_by = status, by
        enrolment.decided_by = by if is_ncb else None
        enrolment.save(update_fields=["status", "nominated_by", "decided_by", "updated_at"])
    audit.record(actor=by, action="training.nominate", target=session, data={"officer": officer.username, "status": status})
    notify_enrolment(enrolment)
    return enrolment


@transaction.atomic
def enrolment_request(*, session: TrainingSession, by: User) -> Enrolment:
    """An ILO or UO asks for a place; the NCB accepts the request if places remain."""
    access.require(by, "resources.view")
    if not queries.may_enrol(by):
        raise PermissionDenied(_("Only ILOs and Unit Officers enrol in training."))
    session = _locked(session)
    if session.has_begun:
        raise ValidationError(_("This session has begun; it no longer takes requests."), code="closed")
    enrolment = _enrolment_of(session, by)
    if enrolment is not None:
        raise _already(enrolment)
    enrolment = Enrolment.objects.create(session=session, officer=by, status=S.REQUESTED)
    audit.record(actor=by, action="training.request", target=session)
    return enrolment


@transaction.atomic
def enrolment_accept(*, enrolment: Enrolment, by: User) -> Enrolment:
    """The NCB accepts an officer's request (if a place remains) or confirms an agency's nomination."""
    access.require(by, "training.manage")
    session = _locked(enrolment.session)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status not in (S.REQUESTED, S.NOMINATED):
        raise ValidationError(
            _("Only a request or a nomination can be accepted; this enrolment is %(status)s.") % {"status": enrolment.get_status_display()},
            code="illegal",
        )
    if enrolment.status == S.REQUESTED:
        _take_place(session)
    enrolment.status, enrolment.decided_by = S.ACCEPTED, by
    enrolment.save(update_fields=["status", "decided_by", "updated_at"])
    audit.record(actor=by, action="training.accept", target=session, data={"officer": enrolment.officer.username})
    notify_enrolment(enrolment)
    return enrolment


def certificate_number_for(enrolment: Enrolment) -> str:
    return f"OP-TRG-{timezone.localtime(enrolment.session.starts_at):%Y}-{enrolment.pk:06d}"


@transaction.atomic
def attendance_record(*, session: TrainingSession, by: User, marks: Mapping[int, bool]) -> list[Enrolment]:
    """The NCB records who attended (True) and who was absent (False), by enrolment; an attendee gets a certificate number."""
    access.require(by, "training.manage")
    session = _locked(session)
    if not session.has_begun:
        raise ValidationError(_("Attendance can be recorded once the session has begun."), code="early")
    if not marks:
        raise ValidationError(_("Mark at least one officer present or absent."), code="empty")
    enrolments = {e.pk: e for e in session.enrolments.select_for_update(of=("self",)).filter(pk__in=list(marks)).select_related("officer")}
    strangers = sorted(str(pk) for pk in marks if pk not in enrolments)
    if strangers:
        raise ValidationError(_("Not enrolled in this session: %(ids)s.") % {"ids": ", ".join(strangers)}, code="unknown")
    waiting = [str(e.officer) for e in enrolments.values() if e.status == S.REQUESTED]
    if waiting:
        raise ValidationError(
            _("These officers asked for a place but were never accepted: %(names)s.") % {"names": ", ".join(sorted(waiting))},
            code="no_place",
        )
    for pk, attended in marks.items():
        enrolment = enrolments[pk]
        enrolment.status = S.ATTENDED if attended else S.ABSENT
        # A certificate number names one attendance; an officer found absent after all loses it.
        enrolment.certificate_number = certificate_number_for(enrolment) if attended else None
        enrolment.save(update_fields=["status", "certificate_number", "updated_at"])
    audit.record(
        actor=by,
        action="training.attendance",
        target=session,
        data={
            "attended": sorted(enrolments[pk].officer.username for pk, a in marks.items() if a),
            "absent": sorted(enrolments[pk].officer.username for pk, a in marks.items() if not a),
        },
    )
    return list(enrolments.values())


@transaction.atomic
def certificate_pdf(*, enrolment: Enrolment, by: User) -> bytes:
    """The certificate of an officer who attended, as a PDF (audited: it is an official paper)."""
    access.require(by, "resources.view")
    if enrolment.status != S.ATTENDED or not enrolment.certificate_number:
        raise ValidationError(_("A certificate is issued only to an officer who attended the session."), code="not_attended")
    audit.record(actor=by, action="training.certificate", target=enrolment.session, data={"certificate": enrolment.certificate_number})
    return render_certificate(enrolment)


def notify_enrolment(enrolment: Enrolment) -> None:
    """Tell the officer they have a place (nominated by the agency or accepted by the NCB), in the transaction that gave it."""
    notify.send("resources.enrolment_placed", [enrolment.officer], enrolment=enrolment)

"""Every write of the citizen services: sign-up, one-time codes, filing, the station's steps, documents and reminders."""

import hashlib
import hmac
import json
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import NotifyBy, Role, User
from audit import services as audit
from citizen import catalogue, routing
from citizen.models import CitizenRequest, Feedback, IssuedDocument, Message, OneTimeCode, Open311Key
from notify import services as notify
from records import ipc_bns
from records import services as records
from workflow import services as workflow
from workflow.files import DOCUMENT_TYPES, IMAGE_TYPES, attachment_save, check_upload
from workflow.models import Attachment, Task

AUDIT = "citizen"
CITIZEN_FILE_MAX_BYTES = 5 * 1024 * 1024  # a file a citizen sends: with a request, or with an answer
CODE_TTL = timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
ACK_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
DOC_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
PROGRESS_DAYS = 90  # BNSS s.193(3)(ii): the informant is told of the investigation's progress within 90 days
REMINDER_LEAD_DAYS = 15


class CodeRefused(Exception):
    """A one-time code that was wrong, expired, used or tried too often; the message says which."""


# --- One-time codes ---------------------------------------------------------------------------


def _code_hash(code_id: int, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{code_id}:{code.strip()}".encode(), hashlib.sha256).hexdigest()


def _code_issue(*, purpose: str, email: str, subject: str = "", payload: dict | None = None) -> tuple[OneTimeCode, str]:
    """Store a new code (only its keyed hash) and return it with its plain value, to be e-mailed once."""
    code = f"{secrets.randbelow(1_000_000):06d}"
    # A new code replaces any earlier unused one for the same purpose and subject.
    OneTimeCode.objects.filter(purpose=purpose, email=email, subject=subject, used_at__isnull=True).update(used_at=timezone.now())
    otc = OneTimeCode.objects.create(
        purpose=purpose, email=email, subject=subject, code_hash="-", payload=payload or {}, expires_at=timezone.now() + CODE_TTL
    )
    otc.code_hash = _code_hash(otc.pk, code)
    otc.save(update_fields=["code_hash"])
    return otc, code


def code_check(*, code_id: int, purpose: str, code: str, now: datetime | None = None) -> OneTimeCode:
    """Accept a code once, before it expires and within 5 attempts; raises CodeRefused otherwise."""
    now = now or timezone.now()
    refusal = None
    with transaction.atomic():  # refusals are raised after the block, so a counted wrong try is not rolled back
        otc = OneTimeCode.objects.select_for_update().filter(pk=code_id, purpose=purpose).first()
        if otc is None or otc.used_at is not None:
            refusal = _("This code was already used or replaced. Ask for a new code.")
        elif otc.expires_at <= now:
            refusal = _("This code has expired (codes last 10 minutes). Ask for a new code.")
        elif otc.attempts >= CODE_MAX_ATTEMPTS:
            refusal = _("Too many wrong tries for this code. Ask for a new code.")
        elif not hmac.compare_digest(otc.code_hash, _code_hash(otc.pk, code)):
            OneTimeCode.objects.filter(pk=otc.pk).update(attempts=F("attempts") + 1)
            left = CODE_MAX_ATTEMPTS - otc.attempts - 1
            audit.record(action=f"{AUDIT}.code_wrong", data={"purpose": purpose, "left": left})
            refusal = (
                _("Too many wrong tries for this code. Ask for a new code.")
                if left <= 0
                else _("That code is not right. %(left)s tries left.") % {"left": left}
            )
        else:
            otc.used_at = now
            otc.save(update_fields=["used_at"])
    if refusal:
        raise CodeRefused(refusal)
    return otc


# --- Sign-up ------------------------------------------------------------------------------------


def normalise_mobile(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) == 12 and digits.startswith("91"):
        digits = digits[2:]
    elif len(digits) == 11 and digits.startswith("0"):
        digits = digits[1:]
    if len(digits) != 10 or digits[0] not in "6789":
        raise ValidationError({"mobile": [_("Give a 10-digit Indian mobile number, e.g. 98765 43210.")]})
    return f"+91{digits}"


SMS_CHANNELS = (NotifyBy.SMS, NotifyBy.BOTH)


def messages_check(*, language: str, notify_by: str, mobile: str) -> None:
    """The language and channel a citizen chose for the portal's messages: one of the portal's languages, and SMS only
    with a mobile number to send it to."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Choose one of the languages offered.")]})
    if notify_by not in NotifyBy.values:
        raise ValidationError({"notify_by": [_("Choose e-mail, SMS, or both.")]})
    if notify_by in SMS_CHANNELS and not mobile.strip():
        raise ValidationError({"mobile": [_("Messages by SMS need your mobile number. Give it, or choose e-mail.")]})


def signup_start(
    *, name: str, email: str, mobile: str, password: str, language: str | None = None, notify_by: str = NotifyBy.EMAIL
) -> OneTimeCode:
    """Check the sign-up and e-mail a code (in the language chosen); the account is created only when the code comes back."""
    email = email.strip().lower()
    language = language or _current_language()
    messages_check(language=language, notify_by=notify_by, mobile=mobile)
    mobile = normalise_mobile(mobile)
    exists = User.objects.filter(username__iexact=email).exists() or User.objects.filter(email__iexact=email).exists()
    first, _sep, last = name.strip().partition(" ")
    probe = User(username=email, email=email, first_name=first, last_name=last)
    try:
        password_validation.validate_password(password, probe)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    payload = {
        "name": name.strip(),
        "mobile": mobile,
        "password": make_password(password),
        "language": language,
        "notify_by": notify_by,
    }
    with transaction.atomic():
        if exists:  # the page answers as for a new address; the address's owner is told, and no code is sent
            otc, _code = _code_issue(purpose=OneTimeCode.Purpose.SIGNUP, email=email, payload={"language": language, "existing": True})
            audit.record(action=f"{AUDIT}.signup_existing", username=email)
            notify.send("citizen.account_exists", [notify.address(email, language=language)])
            return otc
        otc, code = _code_issue(purpose=OneTimeCode.Purpose.SIGNUP, email=email, payload=payload)
        audit.record(action=f"{AUDIT}.signup_started", username=email)
        _send_code(notify.address(email, language=language), code)
    return otc


def signup_resend(*, code_id: int) -> OneTimeCode:
    old = OneTimeCode.objects.get(pk=code_id, purpose=OneTimeCode.Purpose.SIGNUP)
    with transaction.atomic():
        otc, code = _code_issue(purpose=old.purpose, email=old.email, payload=old.payload)
        to = notify.address(old.email, language=old.payload.get("language", ""))
        if old.payload.get("existing"):
            notify.send("citizen.account_exists", [to])
        else:
            _send_code(to, code)
    return otc


def signup_confirm(*, code_id: int, code: str) -> User:
    """The right code came back: create the citizen's account (sign in at /accounts/login/ next)."""
    otc = code_check(code_id=code_id, purpose=OneTimeCode.Purpose.SIGNUP, code=code)  # outside any transaction: wrong tries count
    with transaction.atomic():
        return _signup_finish(otc)


def _signup_finish(otc: OneTimeCode) -> User:
    if User.objects.filter(username__iexact=otc.email).exists():
        raise CodeRefused(_("An account with this e-mail already exists. Sign in instead."))
    first, _sep, last = otc.payload["name"].partition(" ")
    user = User(username=otc.email, email=otc.email, first_name=first[:150], last_name=last[:150], role=Role.CITIZEN)
    user.phone = otc.payload["mobile"]
    user.password = otc.payload["password"]
    user.language = otc.payload.get("language") or settings.LANGUAGE_CODE
    user.notify_by = otc.payload.get("notify_by") or NotifyBy.EMAIL
    user.save()
    OneTimeCode.objects.filter(pk=otc.pk).update(payload={})
    audit.record(actor=user, action=f"{AUDIT}.signup", target=user, data={"language": user.language, "notify_by": user.notify_by})
    return user


def _current_language() -> str:
    current = translation.get_language() or ""
    return current if current in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _send_code(to: notify.Recipient, code: str, reference: str = "") -> None:
    """The one-time code, at once and by e-mail whatever the channel chosen: it proves the e-mail address."""
    notify.send("citizen.code", [to], code=code, reference=reference)


# --- Filing a request ----------------------------------------------------------------------------


def _acknowledgement_number() -> str:
    today = timezone.localdate().strftime("%Y%m%d")
    return f"DP-{today}-{''.join(secrets.choice(ACK_ALPHABET) for _ in range(6))}"


def request_create(
    *,
    by: User,
    service: str,
    details: dict,
    station=None,
    pincode: str = "",
    lat: float | None = None,
    lon: float | None = None,
    uploads: dict | None = None,
    contact_phone: str = "",
) -> CitizenRequest:
    """A citizen files a request: routed, acknowledged at once, the office handling it notified, the citizen e-mailed."""
    if not access.can(by, "citizen.request"):
        raise PermissionDenied(_("Only citizens file requests here."))
    definition = catalogue.get(service)
    if definition is None:
        raise ValidationError({"service": [_("There is no such service.")]})
    problems = catalogue.answer_problems(definition, details, timezone.localdate())
    if problems:
        raise ValidationError(problems)
    if contact_phone.strip():
        try:
            contact_phone = normalise_mobile(contact_phone)
        except ValidationError as error:
            raise ValidationError({"contact_phone": error.message_dict["mobile"]}) from None
    route = routing.resolve_station(station=station, pincode=pincode, lat=lat, lon=lon)
    checked = {}
    for spec in definition.file_fields:
        upload = (uploads or {}).get(spec.name)
        if upload is None:
            if spec.required:
                raise ValidationError({spec.name: [_("Attach this file.")]})
            continue
        allowed = IMAGE_TYPES if spec.accept == "image" else DOCUMENT_TYPES
        try:
            checked[spec.name] = check_upload(upload, allowed=allowed, max_bytes=min(settings.MAX_ATTACHMENT_BYTES, CITIZEN_FILE_MAX_BYTES))
        except ValidationError as error:
            raise ValidationError({spec.name: error.messages}) from error
    sensitive = details.get("category") in catalogue.SENSITIVE_CATEGORIES
    for _attempt in range(5):
        try:
            with transaction.atomic():
                request = CitizenRequest(
                    reference=_acknowledgement_number(),
                    service=service,
                    citizen=by,
                    contact_name=by.get_full_name() or by.username,
                    contact_email=by.email,
                    contact_phone=contact_phone or by.phone,
                    station=route.station,
                    agency_id=route.station.agency_id,
                    level=routing.level_for(definition, details, route.station),
                    routed_by=route.routed_by,
                    pincode=pincode,
                    lat=lat,
                    lon=lon,
                    details=details,
                    sensitive=sensitive,
                )
                if definition.instant:  # issued as it is filed: nothing for the station to do
                    request.stage = CitizenRequest.Stage.ISSUED
                else:
                    request.due_at = routing.due_for(request, request.stage)
                request.save()
                break
        except IntegrityError:  # the one-in-a-billion acknowledgement number already taken today
            continue
    with transaction.atomic():
        for name, file in checked.items():
            attachment_save(
                request,
                file,
                kind=Attachment.Kind.PHOTO if name == "photo" else Attachment.Kind.DOCUMENT,
                by=by,
                name=f"{name}: {file.name}",
            )
        workflow.record_creation(request, by=by, audit_label=AUDIT)
        if definition.instant:
            document = _document_make(request=request, kind=definition.output, by=by)
            notify.send("citizen.lost_report_issued", [_citizen_recipient(request)], request=request, document=document)
        else:
            notify_created(request=request)
    return request


def attachments_of(request: CitizenRequest):
    return Attachment.objects.filter(content_type=ContentType.objects.get_for_model(request), object_id=request.pk)


# --- The station's steps, and the citizen's answer --------------------------------------------


def _require_handler(request: CitizenRequest, by: User) -> None:
    if not CitizenRequest.objects.handled_by(by).filter(pk=request.pk).exists():
        raise PermissionDenied(_("This request is not handled by your office."))


def _move(
    request: CitizenRequest, *, by: User, action: str, note: str = "", expected_version: int | None = None, told: str | None = None
) -> CitizenRequest:
    """Take a step and tell whom it concerns; `told` is what the citizen reads of the note, when it differs (the note
    recorded for the FIR is in the officer's language; the citizen's message says it in theirs)."""
    workflow.advance(request, action=action, by=by, note=note, expected_version=expected_version, audit_label=AUDIT)
    task = workflow.task_for(request)
    CitizenRequest.objects.filter(pk=request.pk).update(due_at=task.due_at if task else None, progress_sent_at=timezone.now())
    request.refresh_from_db()
    notify_stage_changed(request=request, note=note if told is None else told)
    return request


@transaction.atomic
def request_accept(*, request: CitizenRequest, by: User, note: str = "", expected_version: int | None = None) -> CitizenRequest:
    """The station takes the request up (enquiry, verification or permission under way)."""
    _require_handler(request, by)
    return _move(request, by=by, action="accept", note=note, expected_version=expected_version)


@transaction.atomic
def request_reject(*, request: CitizenRequest, by: User, note: str, expected_version: int | None = None) -> CitizenRequest:
    """The station refuses the request, with its reasons (shown to the citizen)."""
    _require_handler(request, by)
    request = _move(request, by=by, action="reject", note=note, expected_version=expected_version)
    CitizenRequest.objects.filter(pk=request.pk).update(decision_reason=note)
    request.decision_reason = note
    return request


@transaction.atomic
def request_close(*, request: CitizenRequest, by: User, note: str, expected_version: int | None = None) -> CitizenRequest:
    """The station closes the request with its outcome."""
    _require_handler(request, by)
    request = _move(request, by=by, action="close", note=note, expected_version=expected_version)
    CitizenRequest.objects.filter(pk=request.pk).update(decision_reason=note)
    return request


@transaction.atomic
def request_ask_info(*, request: CitizenRequest, by: User, note: str, expected_version: int | None = None) -> CitizenRequest:
    """The station asks the citizen for more information; the citizen answers on the portal."""
    _require_handler(request, by)
    request = _move(request, by=by, action="ask_info", note=note, expected_version=expected_version)
    Message.objects.create(request=request, author=by, from_citizen=False, text=note)
    return request


def request_answer(*, request: CitizenRequest, by: User, text: str, upload=None) -> CitizenRequest:
    """The citizen answers the station's question, with the document or photo it asked for (`upload`, checked as a
    request's files are: its whole content, not its name); the request goes back to the station."""
    if request.citizen_id != by.pk:
        raise PermissionDenied
    checked = None
    if upload is not None:
        try:
            checked = check_upload(upload, allowed=DOCUMENT_TYPES, max_bytes=min(settings.MAX_ATTACHMENT_BYTES, CITIZEN_FILE_MAX_BYTES))
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from error
    with transaction.atomic():
        request = _move(request, by=by, action="answer", note=text)
        attachment = None
        if checked is not None:
            kind = Attachment.Kind.PHOTO if checked.mime_type in IMAGE_TYPES else Attachment.Kind.DOCUMENT
            attachment = attachment_save(request, checked, kind=kind, by=by)
        Message.objects.create(request=request, author=by, from_citizen=True, text=text, attachment=attachment)
    return request


@transaction.atomic
def feedback_give(*, request: CitizenRequest, by: User, rating: int, comment: str = "") -> Feedback:
    """The citizen says how their finished request was handled: once, after it was issued, closed or rejected."""
    if request.citizen_id != by.pk:
        raise PermissionDenied
    if request.stage not in CitizenRequest.FINISHED_STAGES or request.definition.instant:
        raise ValidationError({"__all__": [_("You can say how your request was handled once it is finished.")]})
    if rating not in Feedback.Rating.values:
        raise ValidationError({"rating": [_("Choose how your request was handled, from very poor to very good.")]})
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(request=request, rating=rating, comment=comment.strip())
    except IntegrityError:
        raise ValidationError({"__all__": [_("You have already said how this request was handled. Thank you.")]}) from None
    audit.record(actor=by, action=f"{AUDIT}.feedback", target=request, data={"rating": rating})
    return feedback


@transaction.atomic
def request_register_fir(*, request: CitizenRequest, by: User, registration: dict, note: str = "") -> CitizenRequest:
    """The station registers an FIR from the request (for an e-FIR, its confirmation under BNSS s.173): the FIR is a
    record of the national records at once (records.services.fir_register), and the request points to it."""
    _require_handler(request, by)
    if not request.definition.fir_capable:
        raise ValidationError({"__all__": [_("An FIR is not registered from this kind of request.")]})
    if request.fir_id is not None:
        raise ValidationError({"__all__": [_("An FIR is already registered from this request.")]})
    fir = records.fir_register(by=by, station=request.station, source_reference=request.reference, **registration)
    number = f"{fir.number}/{fir.year}"
    sensitive = request.sensitive or fir.sensitive
    CitizenRequest.objects.filter(pk=request.pk).update(fir=fir, fir_number=number, sensitive=sensitive)
    request.fir, request.fir_number, request.sensitive = fir, number, sensitive
    recorded = note or _("FIR %(number)s registered.") % {"number": number}
    return _move(request, by=by, action="register_fir", note=recorded, told=note)


def registration_initial(request: CitizenRequest) -> dict:
    """The FIR form filled in from what the citizen reported: the complainant, when and where, the facts, the property
    and, for a vehicle theft, the vehicle; for a theft the section of theft under the law of the day it happened."""
    details = request.details
    occurred = details.get("occurred_on") or ""
    today = timezone.localdate()
    fir = {
        "year": today.year,
        "registered_on": today,
        "information_received_at": timezone.localtime(request.created_at).replace(second=0, microsecond=0, tzinfo=None),
        "occurred_from": f"{occurred}T00:00" if occurred else None,
        "place": details.get("place", ""),
        "complainant_name": request.contact_name,
        "complainant_phone": request.contact_phone,
        "property": details.get("property", ""),
        "property_value": details.get("value") or None,
        "narrative": details.get("description", ""),
        "sensitive": request.sensitive,
    }
    sections = []
    if details.get("category") in ("theft", "vehicle_theft") and occurred:
        law = ipc_bns.law_for_date(date.fromisoformat(occurred))
        sections.append({"law": law, "section": "303(2)" if law == "BNS" else "379"})
    vehicles = []
    if details.get("category") == "vehicle_theft":
        vehicle = {k: details.get(f"vehicle_{k}", "") for k in ("registration", "chassis", "engine", "make", "model", "colour")}
        vehicles.append({**vehicle, "status": "stolen"})
    return {"initial": fir, "sections": sections, "vehicles": vehicles}


@transaction.atomic
def request_assign(*, request: CitizenRequest, by: User, officer: User) -> CitizenRequest:
    """Put an officer of the office handling the request (its station, SP office or the state's ILOs) in charge of it."""
    _require_handler(request, by)
    if not CitizenRequest.objects.handled_by(officer).filter(pk=request.pk).exists():
        raise ValidationError({"officer": [_("Choose an officer of the office handling this request.")]})
    CitizenRequest.objects.filter(pk=request.pk).update(assigned_to=officer, version=F("version") + 1)
    request.refresh_from_db()
    audit.record(actor=by, action=f"{AUDIT}.assign", target=request, data={"officer": officer.username})
    return request


@transaction.atomic
def request_issue(*, request: CitizenRequest, by: User, note: str = "", expected_version: int | None = None) -> IssuedDocument:
    """The station issues the certificate or NOC: a PDF with a QR code and a check code anyone can verify."""
    _require_handler(request, by)
    if not request.definition.issues_document:
        raise ValidationError({"__all__": [_("This service does not end in a document.")]})
    request = _move(request, by=by, action="issue", note=note, expected_version=expected_version)
    kind = IssuedDocument.Kind.NOC if request.definition.output == "noc" else IssuedDocument.Kind.CERTIFICATE
    return _document_make(request=request, kind=kind, by=by)


def _document_make(*, request: CitizenRequest, kind: str, by: User) -> IssuedDocument:
    from citizen import pdf

    code = "".join(secrets.choice(DOC_ALPHABET) for _ in range(10))
    with translation.override(request.citizen.language or settings.LANGUAGE_CODE):  # the applicant's language, not the officer's
        content = pdf.document_content(request, kind=kind, code=code, issued_by=by)
        pdf_bytes = pdf.render_document(content)
    document = IssuedDocument.objects.create(
        code=code,
        request=request,
        kind=kind,
        content=content,
        content_sha256=content_hash(content),
        pdf=pdf_bytes,
        pdf_sha256=hashlib.sha256(pdf_bytes).hexdigest(),
        issued_by=by,
    )
    audit.record(actor=by, action=f"{AUDIT}.document_issued", target=request, data={"code": code, "kind": kind})
    return document


def content_hash(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.sha256(canonical).hexdigest()


@transaction.atomic
def document_revoke(*, document: IssuedDocument, by: User, reason: str) -> IssuedDocument:
    """The station withdraws a document; the public check says so from now on."""
    _require_handler(document.request, by)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the document is revoked.")]})
    if document.revoked_at is None:
        IssuedDocument.objects.filter(pk=document.pk).update(revoked_at=timezone.now(), revoked_by=by, revocation_reason=reason)
        document.refresh_from_db()
        audit.record(actor=by, action=f"{AUDIT}.document_revoked", target=document.request, purpose=reason, data={"code": document.code})
        notify.send("citizen.document_revoked", [_citizen_recipient(document.request)], request=document.request, document=document)
    return document


def fir_copy(*, request: CitizenRequest, by: User) -> IssuedDocument:
    """The FIR copy of a registered e-FIR or complaint; never for sexual offences, POCSO or terrorism."""
    if not request.fir_number:
        raise ValidationError(_("No FIR has been registered for this request yet."))
    if request.sensitive:
        audit.record(actor=by, action=f"{AUDIT}.fir_copy_refused", target=request)
        raise PermissionDenied(
            _("The FIR copy of this case is not given through the portal, by law. Ask at the police station or the court for a copy.")
        )
    document = request.documents.filter(kind=IssuedDocument.Kind.FIR, revoked_at__isnull=True).first()
    if document is None:
        with transaction.atomic():
            document = _document_make(request=request, kind=IssuedDocument.Kind.FIR, by=by)
    audit.record(actor=by, action=f"{AUDIT}.fir_copy", target=request)
    return document


def document_check(*, code: str, uploaded: bytes | None = None) -> dict:
    """What the public page may say about a document: genuine, unaltered, not revoked; nothing of its content."""
    document = IssuedDocument.objects.filter(code=code.strip().lower()).first()
    if document is None:
        return {"found": False}
    intact = content_hash(document.content) == document.content_sha256 and hashlib.sha256(bytes(document.pdf)).hexdigest() == (
        document.pdf_sha256
    )
    details = document.request.details if document.request_id else {}  # a vehicle's NOC has no request
    whose = (details or {}).get("subject_name") or document.content.get("applicant", "")
    result = {
        "found": True,
        "kind": document.get_kind_display(),
        # Whose document, masked, and which station issued it: a copy that reuses another person's code shows it.
        "holder": masked_name(whose) if whose else document.content.get("registration", ""),  # a vehicle: its number
        "station": document.content.get("station", ""),
        "issued_on": timezone.localtime(document.issued_at).date(),
        "intact": intact,
        "revoked": document.revoked_at is not None,
        "file_checked": uploaded is not None,
    }
    if uploaded is not None:
        result["file_matches"] = hashlib.sha256(uploaded).hexdigest() == document.pdf_sha256
    result["genuine"] = intact and not result["revoked"] and result.get("file_matches", True)
    return result


def masked_name(name: str) -> str:
    """A name as the public may see it: each word's first letter, the rest hidden ("Ravi Kumar" is "R*** K****")."""
    return " ".join(word[0] + "*" * max(1, len(word) - 1) for word in str(name).split())


@transaction.atomic
def request_escalate(*, request: CitizenRequest, task: Task, now: datetime) -> workflow.Assignment | None:
    """An e-FIR the station did not confirm in time (BNSS s.173) goes up to the SP office of the station's district, or to
    the state's ILOs while that office has no account; the citizen is told.

    Called by `workflow.services.escalate_overdue` for an overdue task; returns who takes the request over, or None to
    leave it where it is (other services, other stages, or a request that moved meanwhile).
    """
    escalating_stages = (CitizenRequest.Stage.SUBMITTED, CitizenRequest.Stage.IN_PROGRESS)
    if not request.definition.escalates or request.level != CitizenRequest.Level.STATION or request.stage not in escalating_stages:
        return None
    level = CitizenRequest.Level.DISTRICT if routing.has_district_officer(request.station) else CitizenRequest.Level.ILO
    due = routing.due_for(request, request.stage, start=now)
    moved = CitizenRequest.objects.filter(pk=request.pk, version=request.version, level=CitizenRequest.Level.STATION).update(
        level=level, escalated_at=now, due_at=due, assigned_to=None, version=F("version") + 1
    )
    if not moved:
        return None
    request.refresh_from_db()
    data = {"to": level, "station": request.station.code, "due_before": task.due_at.isoformat() if task.due_at else None}
    if level == CitizenRequest.Level.ILO:
        data["fallback"] = "The station's district has no district officer: sent to the state's ILOs."
    audit.record(action=f"{AUDIT}.escalated", target=request, data=data)
    notify_escalated(request=request)
    return request.assignment_for_stage(request.stage, due)


# --- Tracking without an account ----------------------------------------------------------------


def track_start(*, reference: str) -> OneTimeCode | None:
    """E-mail a code to the address the request was filed with (nothing happens, silently, for an unknown number)."""
    request = CitizenRequest.objects.filter(reference=reference.strip().upper()).first()
    if request is None:
        audit.record(action=f"{AUDIT}.track_unknown", data={"reference": reference[:40]})
        return None
    with transaction.atomic():
        otc, code = _code_issue(purpose=OneTimeCode.Purpose.TRACK, email=request.contact_email, subject=request.reference)
        # To the address the request was filed with (not the account's channel: the code proves that address), in the
        # language of whoever asks now.
        _send_code(notify.address(request.contact_email, language=_current_language()), code, reference=request.reference)
    return otc


def track_confirm(*, code_id: int, code: str) -> CitizenRequest:
    otc = code_check(code_id=code_id, purpose=OneTimeCode.Purpose.TRACK, code=code)
    request = CitizenRequest.objects.get(reference=otc.subject)
    audit.record(action=f"{AUDIT}.tracked", target=request)
    return request


# --- Messages (notify/catalogue.py, templates/messages/citizen.*) ------------------------------------------
# Enqueued inside the transaction of the change; each is rendered in its recipient's language: the citizen's own (as
# chosen at sign-up or with the language switch), never that of the officer acting.


def _citizen_recipient(request: CitizenRequest) -> notify.Recipient:
    """The citizen who filed the request, in their language and by the channel they chose."""
    return notify.of(request.citizen)


def _station_recipients(request: CitizenRequest) -> list:
    """The officers in charge: the station's own address and its officers; above the station, the officers of the
    district's SP office or the state's ILOs."""
    recipients: list = [notify.of(officer) for officer in request.handling_office().members().exclude(email="").order_by("pk")]
    if request.level == CitizenRequest.Level.STATION and request.station.email:
        recipients.append(notify.address(request.station.email))
    return recipients


def notify_created(*, request: CitizenRequest) -> None:
    """The acknowledgement to the citizen (with its number, by SMS too if they chose it), and the new request to its office."""
    notify.send("citizen.request_created", [_citizen_recipient(request)], request=request)
    recipients = _station_recipients(request)
    if recipients:
        notify.send("citizen.request_new", recipients, request=request)


def notify_stage_changed(*, request: CitizenRequest, note: str = "") -> None:
    """Every change of status goes to the citizen; the citizen's answers go to the office handling the request."""
    if request.stage == CitizenRequest.Stage.SUBMITTED:  # the citizen answered: tell the station
        recipients = _station_recipients(request)
        if recipients:
            notify.send("citizen.request_answered", recipients, request=request)
        return
    notify.send("citizen.request_stage_changed", [_citizen_recipient(request)], request=request, note=note)


def notify_escalated(*, request: CitizenRequest) -> None:
    """Tell the citizen that the request went up from the station, and to whom."""
    notify.send("citizen.request_escalated", [_citizen_recipient(request)], request=request)


def citizen_reminders_send(now=None) -> int:
    """Remind the station of requests whose 90-day progress report to the citizen (BNSS s.193) falls due in 15 days; returns reminders sent."""
    now = now or timezone.now()
    threshold = now - timedelta(days=PROGRESS_DAYS - REMINDER_LEAD_DAYS)
    due = CitizenRequest.objects.filter(
        stage__in=CitizenRequest.OPEN_STAGES, created_at__lt=threshold, reminded_at__isnull=True
    ).select_related("station")
    sent = 0
    for request in due:
        with transaction.atomic():
            if not CitizenRequest.objects.filter(pk=request.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            recipients = _station_recipients(request)
            audit.record(action=f"{AUDIT}.reminder", target=request, data={"to": [r.email for r in recipients]})
            if not recipients:
                continue
            deadline = request.created_at + timedelta(days=PROGRESS_DAYS)
            notify.send("citizen.progress_due", recipients, request=request, deadline=deadline)
            sent += 1
    return sent


# --- Open311 keys ----------------------------------------------------------------------------------


@transaction.atomic
def open311_key_create(*, citizen: User, name: str) -> str:
    """A key for one Open311 application acting for one citizen; its only readable copy is returned."""
    if not access.can(citizen, "citizen.request"):
        raise ValidationError({"citizen": [_("Open311 keys belong to citizens.")]})
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    Open311Key.objects.create(citizen=citizen, name=name or "Open311 app", key_id=key_id, secret_hash=_sha(secret))
    audit.record(actor=citizen, action=f"{AUDIT}.open311_key_created", data={"name": name})
    return f"{Open311Key.PREFIX}_{key_id}_{secret}"


def _sha(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def open311_authenticate(raw: str) -> User | None:
    """The citizen behind an Open311 api_key: a per-app key (o311_…) or, as fallback, none."""
    parts = (raw or "").split("_", 2)
    if len(parts) != 3 or parts[0] != Open311Key.PREFIX:
        return None
    key = Open311Key.objects.select_related("citizen").filter(key_id=parts[1], revoked_at__isnull=True).first()
    if key is None or not hmac.compare_digest(key.secret_hash, _sha(parts[2])) or not key.citizen.is_active:
        audit.record(action=f"{AUDIT}.open311_key_rejected")
        return None
    return key.citizen

"""Every write on a reference: drafting, the review steps, the NCB's transmission, foreign replies, reminders, closing."""

from datetime import date

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
from notify import services as notify
from records import crossmatch
from references.models import Assistance, Outcome, ReferenceReply, ReferenceRequest
from workflow import services as workflow
from workflow import transmission

AUDIT = "reference"
EDITABLE_FIELDS = (
    "case_reference",
    "subjects",
    "offence",
    "law_sections",
    "facts",
    "assistance",
    "assistance_details",
    "legal_basis",
    "urgency",
    "handling_code",
)


def _require_drafter_of(request: ReferenceRequest, by: User) -> None:
    if not workflow.is_drafter(by, request):
        raise PermissionDenied(_("Only the officers who drafted this request may change it."))


def reference_problems(request: ReferenceRequest) -> dict[str, list[str]]:
    """What must be complete before a reference leaves its drafter, field by field."""
    problems: dict[str, list[str]] = {}
    if not request.pk or not request.countries.exists():
        problems["countries"] = [_("Choose at least one country to ask.")]
    if not request.assistance:
        problems["assistance"] = [_("Say what assistance you need.")]
    elif set(request.assistance) - set(Assistance.values):
        problems["assistance"] = [_("Unknown kind of assistance.")]
    if len(request.facts.strip()) < 50:
        problems["facts"] = [_("Describe the facts of the case (at least 50 characters): the foreign police know nothing of it.")]
    if not request.offence.strip():
        problems["offence"] = [_("Name the offence.")]
    if not request.subjects:
        problems["subjects"] = [_("Name at least one person, company or object the request is about.")]
    for index, subject in enumerate(request.subjects, start=1):
        if not str(subject.get("name", "")).strip():
            problems.setdefault("subjects", []).append(_("Subject %(n)s has no name.") % {"n": index})
        dob = subject.get("dob")
        if dob:
            try:
                if date.fromisoformat(dob) > timezone.localdate():
                    problems.setdefault("subjects", []).append(_("Subject %(n)s: the date of birth is in the future.") % {"n": index})
            except ValueError:
                problems.setdefault("subjects", []).append(_("Subject %(n)s: write the date of birth as YYYY-MM-DD.") % {"n": index})
    if request.assistance and Assistance.OTHER in request.assistance and not request.assistance_details.strip():
        problems["assistance_details"] = [_("Describe the other assistance you need.")]
    return problems


def _apply(request: ReferenceRequest, data: dict, countries: list[str] | None) -> None:
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field cannot be set here.")] for name in sorted(unknown)})
    for name, value in data.items():
        setattr(request, name, value)
    if countries is not None:
        known = set(Country.objects.filter(iso2__in=countries).values_list("iso2", flat=True))
        missing = sorted(set(countries) - known)
        if missing:
            raise ValidationError({"countries": [_("Not INTERPOL member countries: %(codes)s") % {"codes": ", ".join(missing)}]})


# References are drafted in an agency (by its ILOs) or in one of its unit offices (by its UOs).
DRAFTING_LEVELS = (Level.AGENCY, Level.UNIT)


def may_draft(user) -> bool:
    """Does the user sit in an office that drafts references (and may open them at all)?"""
    office = Office.of(user)
    return office is not None and office.level in DRAFTING_LEVELS and access.can(user, "references.view")


def acts_for_the_ncb(user) -> bool:
    """NCB staff working references: the national office, with the capability (analysts and administrators lack it)."""
    office = Office.of(user)
    return office is not None and office.is_national and access.can(user, "references.view")


@transaction.atomic
def reference_draft_create(*, by: User, data: dict, countries: list[str]) -> ReferenceRequest:
    if not may_draft(by):
        raise PermissionDenied(_("Only Unit Officers and ILOs draft references."))
    office = Office.of(by)
    request = ReferenceRequest(agency_id=office.agency_id, unit_id=office.id if office.level is Level.UNIT else None, drafted_by=by)
    request.stage = ReferenceRequest.Stage.DRAFT
    _apply(request, data, countries)
    request.full_clean(exclude=["reference"])
    request.save()
    request.countries.set(countries)
    request.reference = f"RR/{timezone.localdate().year}/{request.pk:06d}"
    request.save(update_fields=["reference"])
    workflow.record_creation(request, by=by, audit_label=AUDIT)
    return request


@transaction.atomic
def reference_draft_update(
    *, request: ReferenceRequest, by: User, data: dict, countries: list[str] | None, expected_version: int | None = None
):
    _require_drafter_of(request, by)
    if not request.is_editable:
        raise workflow.IllegalMove(_("This request is %(stage)s: it can no longer be edited.") % {"stage": request.get_stage_display()})
    version = request.version if expected_version is None else expected_version
    _apply(request, data, countries)
    request.full_clean(exclude=["reference"])
    updated = ReferenceRequest.objects.filter(pk=request.pk, version=version, stage=request.stage).update(
        version=F("version") + 1, updated_at=timezone.now(), **{name: getattr(request, name) for name in data}
    )
    if updated != 1:
        raise workflow.Conflict(_("Someone else changed this request a moment ago. Reload it; your changes were not saved."))
    if countries is not None:
        request.countries.set(countries)
    request.refresh_from_db()
    audit.record(actor=by, action=f"{AUDIT}.update", target=request, data={"fields": sorted(data)})
    return request


def _move(request, by, action, note="", expected_version=None, *, reply: ReferenceReply | None = None):
    workflow.advance(request, action=action, by=by, note=note, expected_version=expected_version, audit_label=AUDIT)
    notify_drafter(request=request, by=by, note=note, reply=reply, first_reply=reply is not None)
    return request


def _refuse_if_incomplete(request: ReferenceRequest) -> None:
    problems = reference_problems(request)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def reference_submit(*, request: ReferenceRequest, by: User, expected_version: int | None = None):
    """The drafter sends a complete reference to the ILO."""
    _require_drafter_of(request, by)
    _refuse_if_incomplete(request)
    crossmatch.screen_enqueue(request)
    return _move(request, by, "submit", expected_version=expected_version)


@transaction.atomic
def reference_return(*, request: ReferenceRequest, by: User, note: str, expected_version: int | None = None):
    return _move(request, by, "return", note, expected_version)


@transaction.atomic
def reference_forward(*, request: ReferenceRequest, by: User, note: str = "", expected_version: int | None = None):
    _refuse_if_incomplete(request)
    return _move(request, by, "forward", note, expected_version)


@transaction.atomic
def reference_refuse(*, request: ReferenceRequest, by: User, note: str, expected_version: int | None = None):
    return _move(request, by, "refuse", note, expected_version)


def _payload(request: ReferenceRequest, by: User, *, reminder: bool = False) -> dict:
    return {
        "type": "reminder" if reminder else "request_for_assistance",
        "reference": request.reference,
        "requesting_country": "IN",
        "offence": request.offence,
        "law_sections": request.law_sections,
        "facts": request.facts,
        "subjects": request.subjects,
        "assistance": request.assistance,
        "assistance_details": request.assistance_details,
        "legal_basis": request.legal_basis,
        "urgency": request.urgency,
        "handling_code": request.handling_code,
        "sent_by": by.username,
    }


@transaction.atomic
def reference_approve(*, request: ReferenceRequest, by: User, note: str = "", expected_version: int | None = None):
    """The NCB approves: one signed copy per country goes into the outbound queue."""
    _refuse_if_incomplete(request)
    _move(request, by, "approve", note, expected_version)
    for country in request.countries.all():
        transmission.enqueue(
            request,
            payload=_payload(request, by),
            destination=f"NCB {country.name} ({country.iso2})",
            destination_kind="foreign_ncb",
            by=by,
        )
    return request


@transaction.atomic
def reference_reply_record(
    *, request: ReferenceRequest, by: User, country: str, received_on: date, body: str, foreign_reference: str = ""
) -> ReferenceReply:
    """The NCB records a foreign NCB's reply in the request's thread; the requesting officer is told."""
    if not acts_for_the_ncb(by):
        raise PermissionDenied(_("Only the NCB records replies from abroad."))
    if request.stage not in (ReferenceRequest.Stage.SENT, ReferenceRequest.Stage.REPLIED):
        raise workflow.IllegalMove(_("Replies are recorded once the request was sent abroad and before it is closed."))
    errors = {}
    if not request.countries.filter(iso2=country).exists():
        errors["country"] = [_("This country was not asked in this request.")]
    if received_on > timezone.localdate():
        errors["received_on"] = [_("The date is in the future.")]
    if not body.strip():
        errors["body"] = [_("Enter the reply.")]
    if errors:
        raise ValidationError(errors)
    reply = ReferenceReply.objects.create(
        request=request,
        country_id=country,
        received_on=received_on,
        body=body.strip(),
        foreign_reference=foreign_reference.strip(),
        recorded_by=by,
    )
    audit.record(actor=by, action=f"{AUDIT}.reply", target=request, data={"country": country})
    if request.stage == ReferenceRequest.Stage.SENT:
        _move(request, by, "record_reply", _("Reply from %(country)s") % {"country": country}, reply=reply)
    else:
        notify_drafter(request=request, by=by, reply=reply, first_reply=False)
    return reply


@transaction.atomic
def reference_close(*, request: ReferenceRequest, by: User, outcome: str, note: str, expected_version: int | None = None):
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": [_("Choose the outcome.")]})
    _move(request, by, "close", note, expected_version)
    ReferenceRequest.objects.filter(pk=request.pk).update(outcome=outcome)
    request.refresh_from_db()
    return request


@transaction.atomic
def reference_withdraw(*, request: ReferenceRequest, by: User, note: str, expected_version: int | None = None):
    _require_drafter_of(request, by)
    return _move(request, by, "withdraw", note, expected_version)


def reference_reminders_send(now=None) -> int:
    """Remind every country that has not replied past the deadline, once per deadline; returns the reminders queued."""
    now = now or timezone.now()
    sent = 0
    overdue = ReferenceRequest.objects.filter(stage__in=[ReferenceRequest.Stage.SENT, ReferenceRequest.Stage.REPLIED], due_at__lt=now)
    system = Office.national().members().order_by("pk").first()  # the NCB sends the reminders
    for request in overdue:
        with transaction.atomic():
            next_due = workflow.deadline_for("foreign_reply", now)
            claimed = ReferenceRequest.objects.filter(pk=request.pk, due_at=request.due_at).update(due_at=next_due)
            if not claimed or system is None:
                continue
            replied = set(request.replies.values_list("country_id", flat=True))
            for country in request.countries.exclude(iso2__in=replied):
                transmission.enqueue(
                    request,
                    payload=_payload(request, system, reminder=True),
                    destination=f"NCB {country.name} ({country.iso2})",
                    destination_kind="foreign_ncb",
                    by=system,
                )
                sent += 1
            workflow.task_reschedule(request, next_due)
            audit.record(action=f"{AUDIT}.reminder", target=request, data={"next_due": next_due.isoformat()})
    return sent


def notify_drafter(
    *, request: ReferenceRequest, by: User, note: str = "", reply: ReferenceReply | None = None, first_reply: bool = False
) -> None:
    """Tell the drafter when someone else moves their reference or records a reply to it (enqueued in that transaction)."""
    if request.drafted_by_id == by.pk:
        return
    if reply is not None:
        notify.send("references.reply_received", [request.drafted_by], request=request, reply=reply, first=first_reply)
    else:
        notify.send("references.stage_changed", [request.drafted_by], request=request, note=note)

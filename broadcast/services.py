"""Every write on a broadcast: registering, importing, disseminating, passing on, acknowledging, reporting action,
reminding, replying abroad and closing."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User
from accounts.offices import Office
from audit import services as audit
from broadcast.models import BroadcastItem, BroadcastKind, Dissemination, Purpose
from directory.models import Agency, Country, UnitOffice
from notices.interpol import from_interpol_json
from notify import services as notify
from records import crossmatch
from references.models import HandlingCode
from workflow import services as workflow
from workflow import transmission
from workflow.files import DOCUMENT_TYPES, attachment_save, check_upload
from workflow.models import Attachment

AUDIT = "broadcast"
REGISTER_FIELDS = (
    "kind origin_country_id origin_reference received_on title summary offence urgency handling_code "
    "source_evaluation information_evaluation persons vehicles documents"
).split()


def acts_for_the_ncb(user) -> bool:
    """NCB staff managing broadcasts: the national office, with the capability (analysts and administrators lack it)."""
    office = Office.of(user)
    return office is not None and office.is_national and access.can(user, "broadcast.manage")


def may_pass_on(row: Dissemination, user) -> bool:
    """Only the ILOs of the agency an item was sent to pass it on (to their unit offices); a unit office does not."""
    return row.unit_id is None and Office.of(user) == row.office and access.can(user, "broadcast.view")


def _require_ncb(by: User) -> None:
    if not acts_for_the_ncb(by):
        raise PermissionDenied(_("Only the NCB does this."))


@transaction.atomic
def broadcast_register(*, by: User, data: dict) -> BroadcastItem:
    """The NCB registers what arrived from a foreign NCB or INTERPOL's General Secretariat."""
    _require_ncb(by)
    unknown = set(data) - set(REGISTER_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field cannot be set here.")] for name in sorted(unknown)})
    item = BroadcastItem(registered_by=by, **data)
    item.full_clean(exclude=["reference"])
    if item.received_on > timezone.localdate():
        raise ValidationError({"received_on": [_("The date is in the future.")]})
    item.save()
    item.reference = f"BC/{timezone.localdate().year}/{item.pk:06d}"
    item.save(update_fields=["reference"])
    workflow.record_creation(item, by=by, audit_label=AUDIT)
    crossmatch.screen_enqueue(item)
    return item


def parse_interpol_json(payload: dict) -> dict:
    """Register-ready fields from an item in INTERPOL's JSON shape; every unreadable field is named."""
    if not isinstance(payload, dict):
        raise ValidationError({"__all__": [_("Expected a JSON object.")]})
    errors: dict[str, list[str]] = {}
    kind = payload.get("type") or payload.get("kind")
    if kind not in BroadcastKind.values:
        errors["kind"] = [_("'type' must be one of: %(kinds)s.") % {"kinds": ", ".join(BroadcastKind.values)}]
    country = str(payload.get("issuing_country_id") or payload.get("country") or "").upper()
    if not Country.objects.filter(iso2=country).exists():
        errors["origin_country"] = [_("'issuing_country_id' must be the ISO code of an INTERPOL member country.")]
    code = payload.get("handling_code", "H1")
    if code not in HandlingCode.values:
        errors["handling_code"] = [_("'handling_code' must be H0, H1, H2 or H3.")]
    persons = []
    for index, person in enumerate(payload.get("persons") or [], start=1):
        try:
            fields = from_interpol_json(person)
        except ValidationError as error:
            errors[f"persons[{index}]"] = [f"{k}: {' '.join(v)}" for k, v in error.message_dict.items()]
            continue
        persons.append(
            {
                "name": f"{fields.get('forenames', '')} {fields.get('family_name', '')}".strip(),
                "dob": fields["date_of_birth"].isoformat() if fields.get("date_of_birth") else str(fields.get("year_of_birth") or ""),
                "nationalities": fields.get("nationalities", []),
                "sex": fields.get("sex", ""),
            }
        )
    title = str(payload.get("title") or "").strip()
    if not title:
        errors["title"] = [_("'title' is missing.")]
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "origin_country_id": country,
        "origin_reference": str(payload.get("reference") or "")[:100],
        "title": title[:200],
        "summary": str(payload.get("summary") or ""),
        "offence": str(payload.get("offence") or "")[:200],
        "urgency": payload.get("urgency", "routine"),
        "handling_code": code,
        "source_evaluation": str(payload.get("source_evaluation") or "X"),
        "information_evaluation": str(payload.get("information_evaluation") or "4"),
        "persons": persons,
        "vehicles": list(payload.get("vehicles") or []),
        "documents": list(payload.get("documents") or []),
    }


def broadcast_import(*, by: User, payload: dict) -> BroadcastItem:
    return broadcast_register(by=by, data=parse_interpol_json(payload))


def _open_task(row: Dissemination) -> None:
    workflow.task_open(row, row.office, row.due_at)


def _close_task(row: Dissemination) -> None:
    workflow.tasks_close(row)


def _check_due(due_at: datetime | None) -> None:
    if due_at is None:
        raise ValidationError({"due_at": [_("Give a due date.")]})
    if due_at <= timezone.now():
        raise ValidationError({"due_at": [_("The due date must be in the future.")]})


@transaction.atomic
def broadcast_disseminate(
    *, item: BroadcastItem, by: User, agencies: list[Agency], purpose: str, due_at: datetime, note: str = ""
) -> list[Dissemination]:
    """The NCB sends the item to agencies (their ILOs) for action or information, with a due date."""
    _require_ncb(by)
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": [_("Choose for action or for information.")]})
    _check_due(due_at)
    if not agencies:
        raise ValidationError({"agencies": [_("Choose at least one agency.")]})
    if item.stage not in (BroadcastItem.Stage.REGISTERED, BroadcastItem.Stage.DISSEMINATED):
        raise workflow.IllegalMove(_("This item is %(stage)s: it can no longer be disseminated.") % {"stage": item.get_stage_display()})
    already = set(item.disseminations.filter(unit__isnull=True).values_list("agency_id", flat=True))
    if item.is_restricted and already:
        raise workflow.IllegalMove(
            _("Handling code %(code)s: this item may not be passed beyond its addressees without the originator's permission.")
            % {"code": item.handling_code}
        )
    duplicates = [a.name for a in agencies if a.pk in already]
    if duplicates:
        raise ValidationError({"agencies": [_("Already sent to: %(names)s.") % {"names": ", ".join(duplicates)}]})
    rows = []
    for agency in agencies:
        row = Dissemination.objects.create(item=item, agency=agency, purpose=purpose, due_at=due_at, note=note, disseminated_by=by)
        _open_task(row)
        rows.append(row)
    if item.stage == BroadcastItem.Stage.REGISTERED:
        workflow.advance(item, action="disseminate", by=by, note=note, audit_label=AUDIT)
    audit.record(actor=by, action=f"{AUDIT}.disseminated", target=item, data={"agencies": [a.code for a in agencies], "purpose": purpose})
    _tell_recipients(rows)
    return rows


@transaction.atomic
def dissemination_pass_on(
    *, row: Dissemination, by: User, units: list[UnitOffice], purpose: str, due_at: datetime, note: str = ""
) -> list[Dissemination]:
    """An ILO passes what reached its agency on to its unit offices."""
    if not may_pass_on(row, by):
        raise PermissionDenied(_("Only the ILOs of the agency it was sent to may pass it on."))
    if row.item.is_restricted:
        raise workflow.IllegalMove(
            _("Handling code %(code)s: this item may not be passed beyond its addressees without the originator's permission.")
            % {"code": row.item.handling_code}
        )
    _check_due(due_at)
    if not units:
        raise ValidationError({"units": [_("Choose at least one unit office.")]})
    foreign = [u.name for u in units if u.agency_id != row.agency_id]
    if foreign:
        raise ValidationError({"units": [_("Not units of your agency: %(names)s.") % {"names": ", ".join(foreign)}]})
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": [_("Choose for action or for information.")]})
    rows = []
    for unit in units:
        if Dissemination.objects.filter(item=row.item, unit=unit).exists():
            raise ValidationError({"units": [_("Already passed on to %(name)s.") % {"name": unit.name}]})
        child = Dissemination.objects.create(
            item=row.item, agency_id=row.agency_id, unit=unit, parent=row, purpose=purpose, due_at=due_at, note=note, disseminated_by=by
        )
        _open_task(child)
        rows.append(child)
    audit.record(actor=by, action=f"{AUDIT}.passed_on", target=row.item, data={"units": [u.code for u in units]})
    _tell_recipients(rows)
    return rows


def _require_recipient(row: Dissemination, by: User) -> None:
    if not Dissemination.objects.for_recipient(by).filter(pk=row.pk).exists():
        raise PermissionDenied(_("Only the addressee acknowledges or reports on this."))


@transaction.atomic
def dissemination_acknowledge(*, row: Dissemination, by: User) -> Dissemination:
    """The addressee confirms receipt (once)."""
    _require_recipient(row, by)
    claimed = Dissemination.objects.filter(pk=row.pk, acknowledged_at__isnull=True).update(
        acknowledged_by=by, acknowledged_at=timezone.now()
    )
    row.refresh_from_db()
    if not claimed:
        raise ValidationError(
            _("Already acknowledged by %(who)s on %(when)s.")
            % {"who": row.acknowledged_by, "when": timezone.localtime(row.acknowledged_at).strftime("%d %b %Y %H:%M")}
        )
    if row.purpose == Purpose.INFORMATION:
        _close_task(row)
    audit.record(actor=by, action=f"{AUDIT}.acknowledged", target=row.item, data={"recipient": row.recipient_label})
    return row


@transaction.atomic
def dissemination_report(*, row: Dissemination, by: User, findings: str, upload=None) -> Dissemination:
    """The addressee reports the action taken, with findings and an optional document."""
    _require_recipient(row, by)
    if row.purpose != Purpose.ACTION:
        raise workflow.IllegalMove(_("This was sent for information: no action report is expected."))
    if not findings.strip():
        raise ValidationError({"findings": [_("Describe the action taken and what you found.")]})
    checked = check_upload(upload, allowed=DOCUMENT_TYPES) if upload is not None else None
    now = timezone.now()
    locked = Dissemination.objects.select_for_update().get(pk=row.pk)
    if locked.reported_at is not None:
        raise ValidationError(_("The action was already reported."))
    locked.findings, locked.reported_by, locked.reported_at = findings.strip(), by, now
    if locked.acknowledged_at is None:
        locked.acknowledged_by, locked.acknowledged_at = by, now
    locked.save(update_fields=["findings", "reported_by", "reported_at", "acknowledged_by", "acknowledged_at"])
    if checked is not None:
        attachment_save(locked, checked, kind=Attachment.Kind.DOCUMENT, by=by)
    _close_task(locked)
    audit.record(actor=by, action=f"{AUDIT}.action_reported", target=locked.item, data={"recipient": locked.recipient_label})
    return locked


def broadcast_reply_draft(item: BroadcastItem) -> str:
    """A first draft of the reply abroad, gathered from the action reports."""
    lines = [f"Your reference: {item.origin_reference or '-'}. Our reference: {item.reference}.", f"Subject: {item.title}", ""]
    for row in item.disseminations.filter(reported_at__isnull=False).select_related("agency", "unit"):
        lines.append(f"- {row.recipient_label}: {row.findings}")
    if len(lines) == 3:
        lines.append("Enquiries are in progress; we will write again.")
    lines += ["", "NCB New Delhi (CBI)"]
    return "\n".join(lines)


@transaction.atomic
def broadcast_reply_send(*, item: BroadcastItem, by: User, text: str, expected_version: int | None = None) -> BroadcastItem:
    """The NCB records that its reply went abroad: a signed copy is queued to the originating NCB."""
    _require_ncb(by)
    if not text.strip():
        raise ValidationError({"reply_text": [_("Write the reply.")]})
    workflow.advance(item, action="send_reply", by=by, expected_version=expected_version, audit_label=AUDIT)
    BroadcastItem.objects.filter(pk=item.pk).update(reply_text=text.strip(), reply_sent_at=timezone.now())
    item.refresh_from_db()
    transmission.enqueue(
        item,
        payload={"type": "broadcast_reply", "reference": item.reference, "their_reference": item.origin_reference, "text": item.reply_text},
        destination=f"NCB {item.origin_country.name} ({item.origin_country_id})",
        destination_kind="foreign_ncb",
        by=by,
    )
    return item


@transaction.atomic
def broadcast_close(*, item: BroadcastItem, by: User, note: str, expected_version: int | None = None) -> BroadcastItem:
    _require_ncb(by)
    workflow.advance(item, action="close", by=by, note=note, expected_version=expected_version, audit_label=AUDIT)
    for row in item.disseminations.all():
        _close_task(row)
    return item


def _recipients_of(row: Dissemination) -> list[User]:
    """The officers of the office a row is addressed to: the unit office's UOs, or the agency's ILOs."""
    return list(row.office.members().exclude(email="").order_by("email"))


def _tell_recipients(rows: list[Dissemination]) -> None:
    """Tell each addressed office's officers, in the transaction that addressed it."""
    for row in rows:
        recipients = _recipients_of(row)
        if recipients:
            notify.send("broadcast.disseminated", recipients, row=row)


def broadcast_reminders_send(now=None) -> int:
    """Remind every overdue addressee, at most once a day; returns the number of reminders sent. Each row is claimed
    (its reminder count moved on) in the transaction that enqueues its message, so a re-run sends nothing twice."""
    now = now or timezone.now()
    sent = 0
    overdue = Dissemination.objects.filter(
        due_at__lt=now, item__stage__in=[BroadcastItem.Stage.DISSEMINATED, BroadcastItem.Stage.REPLIED]
    ).select_related("item", "agency", "unit")
    for row in overdue:
        if row.is_done or (row.reminded_at and now - row.reminded_at < settings.BROADCAST_REMINDER_INTERVAL):
            continue
        with transaction.atomic():
            claimed = Dissemination.objects.filter(pk=row.pk, reminders=row.reminders).update(reminded_at=now, reminders=row.reminders + 1)
            if not claimed:
                continue
            recipients = _recipients_of(row)
            audit.record(
                action=f"{AUDIT}.reminded", target=row.item, data={"recipient": row.recipient_label, "to": [u.email for u in recipients]}
            )
            if recipients:
                notify.send("broadcast.reminder", recipients, row=row)
            sent += 1
    return sent

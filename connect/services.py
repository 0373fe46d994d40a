"""Every write in Connect: starting threads, posting, adding people, reading, presence and the unread digest.

A refusal (someone outside the hierarchy, a file of the wrong type) is checked before anything is
written, raises ValidationError with the reason next to the field, and is audited outside the
transaction of the change so the refusal stays in the trail.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User
from audit import services as audit
from connect import rules
from connect.models import Message, MessageAttachment, Participant, Presence, Thread
from notify import services as notify
from workflow.files import CheckedFile, check_upload

AUDIT = "connect"
ATTACHMENT_TYPES = {"application/pdf", "image/jpeg", "image/png"}
MAX_ATTACHMENTS = 5
MAX_PARTICIPANTS = 100
MAX_BODY = 10_000
# Someone not seen in Connect for this long is "not online" and gets unread messages by e-mail.
OFFLINE_AFTER = timedelta(minutes=10)
DIGEST_MESSAGES_PER_THREAD = 10
# Presence is written at most this often per user: far finer than OFFLINE_AFTER, far rarer than the 4-second poll.
PRESENCE_RESOLUTION = timedelta(minutes=1)


def _refuse(by: User, action: str, errors: dict[str, list[str]], target=None, **data) -> ValidationError:
    # Called before any write of the change, outside its transaction: the refusal stays in the trail.
    audit.record(actor=by, action=f"{AUDIT}.{action}", target=target, data={"errors": errors, **data})
    return ValidationError(errors)


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def _check_message(body: str, attachments: Sequence) -> tuple[str, list[CheckedFile], dict[str, list[str]]]:
    """The body and files as they will be stored, and every problem with them (nothing is written)."""
    errors: dict[str, list[str]] = {}
    body = (body or "").strip()
    if len(body) > MAX_BODY:
        errors["body"] = [_("A message can be at most %(n)s characters long.") % {"n": MAX_BODY}]
    if not body and not attachments:
        errors["body"] = [_("Write a message or attach a file.")]
    checked: list[CheckedFile] = []
    if len(attachments) > MAX_ATTACHMENTS:
        errors["attachments"] = [_("Attach at most %(n)s files to one message.") % {"n": MAX_ATTACHMENTS}]
    else:
        for upload in attachments:
            try:
                checked.append(check_upload(upload, allowed=ATTACHMENT_TYPES))
            except ValidationError as refused:
                errors.setdefault("attachments", []).extend(refused.messages)
    return body, checked, errors


def _insert_message(*, thread: Thread, by: User, body: str, files: list[CheckedFile]) -> Message:
    message = Message.objects.create(thread=thread, author=by, body=body)
    for checked in files:
        attachment = MessageAttachment(
            message=message, original_name=checked.name, mime_type=checked.mime_type, size=len(checked.content), sha256=checked.sha256
        )
        attachment.file.save(checked.sha256[:16], ContentFile(checked.content), save=False)
        attachment.save()
    Thread.objects.filter(pk=thread.pk).update(last_message_at=message.created_at)
    thread.last_message_at = message.created_at
    # The author has read what they wrote.
    Participant.objects.filter(thread=thread, user=by).update(last_read_message=message, last_read_at=message.created_at)
    return message


def thread_start(*, by: User, subject: str, participants: Iterable[User], body: str, attachments: Sequence = ()) -> Thread:
    """Start a conversation with people the hierarchy lets the starter talk to, with its first message."""
    subject = (subject or "").strip()
    people = {user.pk: user for user in participants if user.pk != by.pk}
    errors: dict[str, list[str]] = {}
    if not access.can(by, "connect.use"):  # an inactive account can nothing
        raise PermissionDenied(_("Connect is only for NCB staff, ILOs and Unit Officers."))
    if not subject:
        errors["subject"] = [_("Give the conversation a subject.")]
    elif len(subject) > 200:
        errors["subject"] = [_("Keep the subject under 200 characters.")]
    if not people:
        errors["participants"] = [_("Choose at least one person to write to.")]
    elif len(people) > MAX_PARTICIPANTS:
        errors["participants"] = [_("A conversation can have at most %(n)s people.") % {"n": MAX_PARTICIPANTS}]
    else:
        refused = [rules.why_not(by, user) for user in people.values() if not rules.may_converse(by, user)]
        if refused:
            errors["participants"] = refused
    body, files, message_errors = _check_message(body, attachments)
    errors.update(message_errors)
    if errors:
        raise _refuse(by, "thread_refused", errors, to=sorted(people))
    with transaction.atomic():
        thread = Thread.objects.create(subject=subject, created_by=by)
        Participant.objects.bulk_create(
            [Participant(thread=thread, user=by, added_by=by)]
            + [Participant(thread=thread, user=user, added_by=by) for user in people.values()]
        )
        message = _insert_message(thread=thread, by=by, body=body, files=files)
        audit.record(
            actor=by,
            action=f"{AUDIT}.thread_start",
            target=thread,
            data={"participants": sorted(people), "message": message.pk, "files": [f.sha256 for f in files]},
        )
    return thread


def _require_participant(thread: Thread, user: User) -> None:
    if not Participant.objects.filter(thread=thread, user=user).exists():
        raise PermissionDenied(_("You are not part of this conversation."))


def message_post(*, by: User, thread: Thread, body: str, attachments: Sequence = ()) -> Message:
    """Post a message (and its files) to a thread the author takes part in and still belongs to."""
    _require_participant(thread, by)
    body, files, errors = _check_message(body, attachments)
    if not rules.may_write(creator=thread.created_by, user=by):
        # The author moved office since joining: the hierarchy no longer lets them speak here.
        errors["body"] = [_("You can no longer write in this conversation: your office has changed since you joined it.")]
    if errors:
        raise _refuse(by, "message_refused", errors, target=thread)
    with transaction.atomic():
        message = _insert_message(thread=thread, by=by, body=body, files=files)
        audit.record(
            actor=by, action=f"{AUDIT}.message_post", target=thread, data={"message": message.pk, "files": [f.sha256 for f in files]}
        )
    return message


def participant_add(*, by: User, thread: Thread, user: User) -> Participant:
    """Bring someone into a thread: allowed with the thread's creator and with the one who adds them."""
    _require_participant(thread, by)
    errors: dict[str, list[str]] = {}
    creator = thread.created_by
    if Participant.objects.filter(thread=thread, user=user).exists():
        errors["user"] = [_("%(name)s is already in this conversation.") % {"name": _name(user)}]
    elif not rules.may_join(creator=creator, adder=by, user=user):
        reason_with = creator if not rules.placed_together(creator, user) else by
        errors["user"] = [rules.why_not(reason_with, user)]
    elif thread.participants.count() >= MAX_PARTICIPANTS:
        errors["user"] = [_("A conversation can have at most %(n)s people.") % {"n": MAX_PARTICIPANTS}]
    if errors:
        raise _refuse(by, "participant_refused", errors, target=thread, to=user.pk)
    with transaction.atomic():
        participant = Participant.objects.create(thread=thread, user=user, added_by=by)
        audit.record(actor=by, action=f"{AUDIT}.participant_add", target=thread, data={"user": user.pk, "username": user.username})
    return participant


@transaction.atomic
def thread_mark_read(*, by: User, thread: Thread, up_to: int | None = None) -> int | None:
    """Record that the user has read the thread up to a message (the latest by default); returns that message's id.

    The marker only moves forward, so a late or repeated call changes nothing, and only a move is audited.
    """
    if up_to is None:
        up_to = Message.objects.filter(thread=thread).order_by("-pk").values_list("pk", flat=True).first()
        if up_to is None:
            return None
    moved = (
        Participant.objects.filter(thread=thread, user=by)
        .filter(Q(last_read_message__isnull=True) | Q(last_read_message_id__lt=up_to))
        .update(last_read_message_id=up_to, last_read_at=timezone.now())
    )
    if moved:
        audit.record(actor=by, action=f"{AUDIT}.thread_read", target=thread, data={"up_to": up_to})
    return up_to


def presence_touch(user: User, now: datetime | None = None) -> None:
    """Note that the user is in Connect now (opening a page or polling it).

    The poll calls this every few seconds, so it writes at most once a minute per user (the cache
    remembers the last write), as one INSERT … ON CONFLICT UPDATE statement, atomic by itself.
    An explicit `now` always writes.
    """
    key = f"connect:presence:{user.pk}"
    if now is None and cache.get(key):
        return
    Presence.objects.bulk_create(
        [Presence(user=user, last_seen_at=now or timezone.now())],
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["last_seen_at"],
    )
    cache.set(key, True, PRESENCE_RESOLUTION.total_seconds())


def unread_digest_send(now: datetime | None = None) -> int:
    """E-mail one summary to each person not seen in Connect for a while, of messages they have neither read nor been told of.

    A periodic job (settings.PERIODIC_JOBS), run as a task by the worker's tick. Each message is summarised once:
    the participant's digest marker moves past it, claimed with a compare-and-set in the transaction that enqueues
    the e-mail, so two runs at once cannot both send. Returns the number of e-mails.
    """
    now = now or timezone.now()
    seen_recently = Presence.objects.filter(user=OuterRef("user"), last_seen_at__gte=now - OFFLINE_AFTER)
    pending = (
        Participant.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .annotate(
            since=Greatest(Coalesce("last_read_message_id", 0), Coalesce("last_digested_message_id", 0)),
        )
        .filter(
            Exists(Message.objects.filter(thread=OuterRef("thread"), pk__gt=OuterRef("since")).exclude(author=OuterRef("user"))),
            ~Exists(seen_recently),
        )
        .select_related("user", "thread")
        .order_by("user_id", "thread__last_message_at")
    )
    by_user: dict[int, list[Participant]] = defaultdict(list)
    for participant in pending:
        by_user[participant.user_id].append(participant)
    sent = 0
    for participations in by_user.values():
        if _digest_one(participations, now):
            sent += 1
    return sent


def _digest_one(participations: list[Participant], now: datetime) -> bool:
    user = participations[0].user
    sections, total = [], 0
    with transaction.atomic():
        for participant in participations:
            unread = list(
                Message.objects.filter(thread_id=participant.thread_id, pk__gt=participant.since)
                .exclude(author=user)
                .select_related("author")
                .order_by("pk")
            )
            if not unread:
                continue
            claimed = (
                Participant.objects.filter(pk=participant.pk, last_digested_message_id=participant.last_digested_message_id)
                .filter(Q(last_read_message__isnull=True) | Q(last_read_message_id__lt=unread[-1].pk))
                .update(last_digested_message_id=unread[-1].pk, last_digest_at=now)
            )
            if not claimed:
                continue  # read meanwhile, or another tick got there first
            total += len(unread)
            sections.append((participant.thread, unread))
        if not sections:
            return False
        audit.record(
            action=f"{AUDIT}.digest_sent",
            target=user,
            data={"threads": [thread.pk for thread, _m in sections], "messages": total},
        )
        summary = [
            {
                "thread": thread,
                "messages": messages[:DIGEST_MESSAGES_PER_THREAD],
                "more": max(len(messages) - DIGEST_MESSAGES_PER_THREAD, 0),
            }
            for thread, messages in sections
        ]
        notify.send("connect.unread_digest", [user], user=user, total=total, sections=summary)
    return True

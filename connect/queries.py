"""Reads of Connect, already narrowed to what the user may see: their threads, messages, receipts, contacts, the directory.

Fetching a thread for a user (its page, an API answer, an attachment, a poll that brings new messages) is audited.
"""

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from accounts import access
from accounts.models import User
from accounts.offices import MEMBER_ROLES, Level, Office
from audit import services as audit
from connect import rules
from connect.models import Message, MessageAttachment, Participant, Thread

# The directory lists the officers of the agencies and their unit offices: how they find each other.
DIRECTORY_ROLES = (*MEMBER_ROLES[Level.AGENCY], *MEMBER_ROLES[Level.UNIT])
# A thread page shows its latest messages; older ones stay reachable through the API (`after=`).
THREAD_PAGE_MESSAGES = 200


def threads_for_user(user, *, q: str = "") -> QuerySet[Thread]:
    """The user's threads, latest activity first, each with `unread` (messages from others past their read marker).

    With `q`, only threads whose subject or some message contains it, each with the latest such message as `match`.
    """
    mine = Participant.objects.filter(thread=OuterRef("pk"), user=user)
    threads = Thread.objects.visible_to(user).annotate(
        my_last_read=Coalesce(Subquery(mine.values("last_read_message_id")[:1]), Value(0), output_field=IntegerField())
    )
    unread = (
        Message.objects.filter(thread=OuterRef("pk"), pk__gt=OuterRef("my_last_read"))
        .exclude(author=user)
        .order_by()
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    threads = threads.annotate(unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)))
    q = q.strip()
    if q:
        matching = Message.objects.filter(thread=OuterRef("pk"), body__icontains=q).order_by("-pk")
        threads = threads.annotate(match=Subquery(matching.values("body")[:1])).filter(Q(subject__icontains=q) | Q(match__isnull=False))
    return threads.select_related("created_by").order_by("-last_message_at", "-pk")


def get_thread_for_user(user, pk: int, *, shown_as: str = "page", data: dict | None = None) -> Thread:
    """One of the user's threads, as a page or an API answer: anyone else's answers 404 (the attempt audited), and
    the read itself is audited. Call it once per request: every call is an entry."""
    return access.fetch(user, Thread.objects.visible_to(user).select_related("created_by"), shown_as=shown_as, data=data, pk=pk)


def poll_thread_for_user(user, pk: int, after: int) -> tuple[Thread, list[Message]]:
    """What a poll asks every few seconds: one of the user's threads (404 for anyone else's, audited) and its messages
    after id `after`. A poll that brings messages is a read and audited as one (`audit.read_if_changed`); an empty one
    shows nothing and is not, so that an open page does not write an entry every four seconds."""
    thread = access.get_or_404(user, Thread.objects.visible_to(user).select_related("created_by"), pk=pk)
    arrived = messages_after(thread, after)
    shown = {"messages": [arrived[0].pk, arrived[-1].pk]} if arrived else {}
    audit.read_if_changed(actor=user, target=thread, shown_as="poll", shown=shown)
    return thread, arrived


def messages_search_for_user(user, q: str) -> QuerySet[Message]:
    """Messages of the user's threads containing `q`, newest first."""
    return Message.objects.visible_to(user).filter(body__icontains=q.strip()).select_related("author", "thread").order_by("-pk")


def participants_of(thread: Thread) -> list[Participant]:
    return list(thread.participants.select_related("user", "user__agency", "user__unit").order_by("joined_at", "pk"))


def messages_after(thread: Thread, after: int = 0) -> list[Message]:
    """What the poll returns: the thread's messages past id `after`, in order (one query on the (thread, id) index)."""
    return list(Message.objects.filter(thread=thread, pk__gt=after).select_related("author__agency").order_by("pk"))


def latest_messages(thread: Thread, limit: int = THREAD_PAGE_MESSAGES) -> tuple[list[Message], bool]:
    """The thread's latest messages in order, and whether older ones were left out."""
    newest = list(Message.objects.filter(thread=thread).select_related("author__agency").order_by("-pk")[: limit + 1])
    return list(reversed(newest[:limit])), len(newest) > limit


def with_receipts(messages: list[Message], participants: list[Participant]) -> list[Message]:
    """Give each message `read_by` (the other participants who have read it) and `files` (its attachments)."""
    files: dict[int, list[MessageAttachment]] = {}
    if messages:
        for attachment in MessageAttachment.objects.filter(message__in=[m.pk for m in messages]).order_by("pk"):
            files.setdefault(attachment.message_id, []).append(attachment)
    for message in messages:
        message.read_by = [p.user for p in participants if p.user_id != message.author_id and (p.last_read_message_id or 0) >= message.pk]
        message.read_by_names = ", ".join(str(reader) for reader in message.read_by)
        message.files = files.get(message.pk, [])
    return messages


def get_attachment_for_user(user, thread_pk: int, attachment_pk: int) -> MessageAttachment:
    """A file of one of the user's threads; the thread's read is audited, naming the file."""
    thread = get_thread_for_user(user, thread_pk, shown_as="attachment", data={"attachment": attachment_pk})
    return access.get_or_404(
        user, MessageAttachment.objects.filter(message__thread=thread).select_related("message__thread"), pk=attachment_pk
    )


def contacts_for(user, *, exclude_thread: Thread | None = None) -> list[User]:
    """The people the user may write to (or add to `exclude_thread`, leaving out who is already in it)."""
    office = Office.of(user)
    if office is None or not access.can(user, "connect.use"):
        return []
    # A coarse filter in the database, the exact rule in Python (connect.rules is the one place that decides): the
    # NCB's staff, and the officers of the user's agency (seen from the NCB: every agency's ILOs).
    national = Q(role__in=MEMBER_ROLES[Level.NATIONAL])
    if office.is_national:
        near = national | Q(role__in=MEMBER_ROLES[Level.AGENCY])
    else:
        near = national | Q(agency_id=office.agency_id, role__in=DIRECTORY_ROLES)
    people = User.objects.filter(near, is_active=True).exclude(pk=user.pk).select_related("agency", "unit")
    if exclude_thread is None:
        return [person for person in people.order_by("agency__name", "first_name", "username") if rules.may_converse(user, person)]
    inside = set(exclude_thread.participants.values_list("user_id", flat=True))
    creator = exclude_thread.created_by
    return [
        person
        for person in people.exclude(pk__in=inside).order_by("agency__name", "first_name", "username")
        if rules.may_join(creator=creator, adder=user, user=person)
    ]


def directory_for_user(user, *, agency: str = "", state: int | None = None, q: str = "") -> QuerySet[User]:
    """Active ILOs and Unit Officers with their contacts, by agency and state (filters: agency code, state id, name).

    The same for every police user with "connect.use": the directory is how they find each other.
    """
    people = User.objects.filter(is_active=True, role__in=DIRECTORY_ROLES).select_related(
        "agency", "agency__state", "unit", "unit__district__state"
    )
    if agency:
        people = people.filter(agency__code=agency)
    if state:
        people = people.filter(Q(unit__district__state_id=state) | Q(agency__state_id=state))
    if q.strip():
        q = q.strip()
        people = people.filter(
            Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(designation__icontains=q) | Q(unit__name__icontains=q)
        )
    return people.order_by("agency__name", "role", "unit__name", "first_name", "username")


def state_of(person: User):
    """The state a directory entry is listed under: its unit's district, else its agency's state (none for central agencies)."""
    if person.unit_id and person.unit.district_id:
        return person.unit.district.state
    return person.agency.state if person.agency_id else None

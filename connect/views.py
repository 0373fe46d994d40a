"""Pages of Connect: the inbox, a new conversation, a thread (polled for new messages), attachments and the directory."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import access
from accounts.forms import add_service_errors
from connect import queries, services
from connect.forms import DirectoryFilterForm, MessageForm, ParticipantForm, ThreadForm


def _enter(request) -> None:
    """Every Connect page: refuse roles without Connect (403), and note that the user is here (presence)."""
    access.require(request.user, "connect.use")
    services.presence_touch(request.user)


def _after(request) -> int | None:
    try:
        return max(int(request.GET.get("after") or 0), 0)
    except ValueError:
        return None


@require_GET
def thread_list(request):
    _enter(request)
    q = request.GET.get("q", "").strip()
    page = Paginator(queries.threads_for_user(request.user, q=q), 25).get_page(request.GET.get("page"))
    context = {"page": page, "q": q}
    if request.htmx:
        # The inbox refreshes its rows every so often, so unread counts move without a reload.
        return render(request, "connect/_thread_rows.html", context)
    return render(request, "connect/thread_list.html", context)


def thread_new(request):
    _enter(request)
    contacts = queries.contacts_for(request.user)
    initial = {"participants": [pk for pk in request.GET.getlist("to") if pk.isdigit()]}
    form = ThreadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        contacts=contacts,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_start(
                by=request.user,
                subject=form.cleaned_data["subject"],
                participants=form.cleaned_data["participants"],
                body=form.cleaned_data["body"],
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, _("Conversation started."))
            return redirect(thread.get_absolute_url())
    return render(request, "connect/thread_new.html", {"form": form, "has_contacts": bool(contacts)}, status=400 if form.errors else 200)


def thread_detail(request, pk: int):
    _enter(request)
    return _detail(request, queries.get_thread_for_user(request.user, pk))


def _detail(request, thread, *, message_form=None, participant_form=None, status: int = 200):
    """The thread's page, for a thread already fetched (and its read audited) by the view answering."""
    participants = queries.participants_of(thread)
    shown, older_left_out = queries.latest_messages(thread)
    if shown:
        services.thread_mark_read(by=request.user, thread=thread, up_to=shown[-1].pk)
        for participant in participants:  # the reader's own receipt, as just recorded
            if participant.user_id == request.user.pk:
                participant.last_read_message_id = max(participant.last_read_message_id or 0, shown[-1].pk)
    context = {
        "thread": thread,
        "participants": participants,
        "thread_messages": queries.with_receipts(shown, participants),
        "older_left_out": older_left_out,
        "last_id": shown[-1].pk if shown else 0,
        "message_form": message_form or MessageForm(),
        "participant_form": participant_form or ParticipantForm(contacts=queries.contacts_for(request.user, exclude_thread=thread)),
    }
    return render(request, "connect/thread_detail.html", context, status=status)


@require_GET
def thread_poll(request, pk: int):
    """The thread page asks every few seconds for messages after the last one it shows (HTMX, `beforeend`).

    Cheap on purpose: one query for the thread (access) and one on the (thread, id) index for new messages;
    presence is written at most once a minute; only when something arrived, the read marker and the receipts.
    """
    access.require(request.user, "connect.use")
    after = _after(request)
    if after is None:
        return HttpResponseBadRequest(_("`after` must be a message number."))
    thread, arrived = queries.poll_thread_for_user(request.user, pk, after)
    services.presence_touch(request.user)
    if not arrived:
        return HttpResponse(status=204)  # HTMX swaps nothing
    services.thread_mark_read(by=request.user, thread=thread, up_to=arrived[-1].pk)
    participants = queries.participants_of(thread)
    context = {"thread": thread, "thread_messages": queries.with_receipts(arrived, participants), "last_id": arrived[-1].pk}
    return render(request, "connect/_poll.html", context)


@require_POST
def message_post(request, pk: int):
    _enter(request)
    thread = queries.get_thread_for_user(request.user, pk)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.message_post(
                by=request.user, thread=thread, body=form.cleaned_data["body"], attachments=form.cleaned_data["attachments"]
            )
        except ValidationError as refused:
            add_service_errors(form, refused)
    if request.htmx:
        # The form comes back (empty, or with its errors); the poller fetches the new message at once.
        response = render(request, "connect/_message_form.html", {"thread": thread, "message_form": form if form.errors else MessageForm()})
        if not form.errors:
            response["HX-Trigger"] = "connect-posted"
        return response
    if form.errors:
        return _detail(request, thread, message_form=form, status=400)
    return redirect(thread.get_absolute_url())


@require_POST
def participant_add(request, pk: int):
    _enter(request)
    thread = queries.get_thread_for_user(request.user, pk)
    form = ParticipantForm(request.POST, contacts=queries.contacts_for(request.user, exclude_thread=thread))
    if form.is_valid():
        try:
            participant = services.participant_add(by=request.user, thread=thread, user=form.cleaned_data["user"])
        except ValidationError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, _("%(name)s can now read and write here.") % {"name": participant.user})
            return redirect(thread.get_absolute_url())
    return _detail(request, thread, participant_form=form, status=400)


@require_GET
def attachment_download(request, pk: int, attachment_id: int):
    _enter(request)
    attachment = queries.get_attachment_for_user(request.user, pk, attachment_id)
    # Photos open in the browser, PDFs download; FileResponse encodes any name safely.
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.mime_type,
        as_attachment=not attachment.mime_type.startswith("image/"),
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def directory(request):
    _enter(request)
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    agency, state = filters.get("agency"), filters.get("state")
    people = queries.directory_for_user(
        request.user, agency=agency.code if agency else "", state=state.pk if state else None, q=filters.get("q", "")
    )
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    reachable = {person.pk for person in queries.contacts_for(request.user)}
    entries = [(person, queries.state_of(person), person.pk in reachable) for person in page]
    return render(request, "connect/directory.html", {"form": form, "page": page, "entries": entries})

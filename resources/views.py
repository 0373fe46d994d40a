"""Pages of the Resources module: the document library, training sessions, certificates and the NCB's coverage table."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.forms import add_service_errors
from resources import queries, services
from resources.files import version_response
from resources.forms import AttendanceForm, DocumentForm, DocumentUploadForm, NominateForm, SessionForm, VersionForm
from resources.models import Category, Enrolment, Language

PAGE_SIZE = 25


def _messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def _render(request, template: str, context: dict, status: int = 200):
    context["can_manage_training"] = access.can(request.user, "training.manage")
    return render(request, f"resources/{template}", context, status=status)


# --- Documents ---------------------------------------------------------------------------------


def document_list(request):
    access.require(request.user, "resources.view")
    q, category, language = request.GET.get("q", "").strip(), request.GET.get("category", ""), request.GET.get("language", "")
    documents = queries.documents_for_user(request.user, q=q, category=category, language=language)
    context = {
        "page": Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page")),
        "q": q,
        "category": category,
        "language": language,
        "categories": Category.choices,
        "languages": Language.choices,
        "can_upload": access.can(request.user, "resources.manage"),
    }
    return _render(request, "document_list.html", context)


def document_detail(request, pk: int, *, version_form=None, edit_form=None, status: int = 200):
    access.require(request.user, "resources.view")
    document = queries.get_document_for_user(request.user, pk)
    can_manage = access.can(request.user, "resources.manage")
    context = {
        "document": document,
        "versions": queries.versions_of(document),
        "can_manage": can_manage,
        "version_form": version_form or (VersionForm() if can_manage else None),
        "edit_form": edit_form or (DocumentForm.of(document) if can_manage else None),
    }
    return _render(request, "document_detail.html", context, status=status)


def document_upload(request):
    access.require(request.user, "resources.manage")
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_upload(
                by=request.user, upload=form.cleaned_data["file"], change_note=form.cleaned_data["change_note"], **form.service_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(title)s” is in the library.") % {"title": document.title})
            return redirect(document.get_absolute_url())
    return _render(request, "document_form.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def document_edit(request, pk: int):
    access.require(request.user, "resources.manage")
    document = queries.get_document_for_user(request.user, pk)
    form = DocumentForm(request.POST)
    if form.is_valid():
        try:
            services.document_update(document=document, by=request.user, **form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(document.get_absolute_url())
    return document_detail(request, pk, edit_form=form, status=400)


@require_POST
def document_version_add(request, pk: int):
    access.require(request.user, "resources.manage")
    document = queries.get_document_for_user(request.user, pk)
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = services.document_version_add(
                document=document, by=request.user, upload=form.cleaned_data["file"], change_note=form.cleaned_data["change_note"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Version %(number)s is now the current one.") % {"number": version.number})
            return redirect(document.get_absolute_url())
    return document_detail(request, pk, version_form=form, status=400)


def document_download(request, pk: int, number: int | None = None):
    access.require(request.user, "resources.view")
    document = queries.get_document_for_user(request.user, pk)
    try:
        version = services.document_download(document=document, by=request.user, number=number)
    except ValidationError:
        raise Http404 from None
    return version_response(version)


# --- Training ------------------------------------------------------------------------------------


def training_list(request):
    access.require(request.user, "resources.view")
    when = request.GET.get("when", "upcoming")
    when = when if when in ("upcoming", "past") else "upcoming"
    sessions = queries.sessions_for_user(request.user, when=when)
    mine = {e.session_id: e for e in queries.enrolments_for_user(request.user).filter(officer=request.user)}
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": [(session, mine.get(session.pk)) for session in page],
        "when": when,
        "can_manage": access.can(request.user, "training.manage"),
    }
    return _render(request, "training_list.html", context)


def training_create(request):
    access.require(request.user, "training.manage")
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.training_session_create(by=request.user, data=form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Session scheduled."))
            return redirect(session.get_absolute_url())
    return _render(request, "training_form.html", {"form": form}, status=400 if form.errors else 200)


def training_detail(request, pk: int, *, error: str = "", status: int = 200):
    access.require(request.user, "resources.view")
    session = queries.get_session_for_user(request.user, pk)
    user = request.user
    enrolments = list(queries.enrolments_for_user(user, session=session).order_by("officer__agency__name", "officer__username"))
    can_manage = access.can(user, "training.manage")
    may_nominate = can_manage or (queries.may_nominate(user) and not session.has_begun)
    own = next((e for e in enrolments if e.officer_id == user.pk), None)
    nominees = []
    if may_nominate:
        taken = set(session.enrolments.exclude(status=Enrolment.Status.REQUESTED).values_list("officer_id", flat=True))
        nominees = [officer for officer in queries.nominees_for_user(user).order_by("agency__name", "username") if officer.pk not in taken]
    attendance_form = AttendanceForm(enrolments=enrolments) if can_manage and session.has_begun else None
    context = {
        "session": session,
        "enrolments": [(e, attendance_form.field_for(e) if attendance_form else None) for e in enrolments],
        "attendance_form": attendance_form,
        "own": own,
        "show_list": queries.may_nominate(user),  # a UO sees only its own enrolment, shown above the list
        "can_manage": can_manage,
        "may_request": queries.may_enrol(user) and own is None and not session.has_begun,
        "nominate_form": NominateForm(nominees=nominees) if may_nominate else None,
        "places_left": max(session.capacity - session.places_taken, 0),
        "error": error,
    }
    return _render(request, "training_detail.html", context, status=status)


def _refused(request, pk: int, error: Exception):
    message = _messages_of(error) if isinstance(error, ValidationError) else (str(error) or _("Your role cannot do this."))
    return training_detail(request, pk, error=message, status=400 if isinstance(error, ValidationError) else 403)


@require_POST
def training_request(request, pk: int):
    access.require(request.user, "resources.view")
    session = queries.get_session_for_user(request.user, pk)
    try:
        services.enrolment_request(session=session, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        return _refused(request, pk, error)
    messages.success(request, _("Your request is with the NCB; you will hear when it is accepted."))
    return redirect(session.get_absolute_url())


@require_POST
def training_nominate(request, pk: int):
    access.require(request.user, "resources.view")
    session = queries.get_session_for_user(request.user, pk)
    form = NominateForm(request.POST)
    if not form.is_valid():
        return training_detail(request, pk, error=_("Choose an officer to nominate."), status=400)
    officer = queries.get_nominee_for_user(request.user, form.cleaned_data["officer"])
    try:
        enrolment = services.enrolment_nominate(session=session, officer=officer, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        return _refused(request, pk, error)
    messages.success(request, _("%(officer)s: %(status)s.") % {"officer": officer, "status": enrolment.get_status_display()})
    return redirect(session.get_absolute_url())


@require_POST
def enrolment_accept(request, pk: int, enrolment_id: int):
    access.require(request.user, "training.manage")
    session = queries.get_session_for_user(request.user, pk)
    enrolment = queries.get_enrolment_for_user(request.user, enrolment_id, session=session)
    try:
        services.enrolment_accept(enrolment=enrolment, by=request.user)
    except ValidationError as error:
        return _refused(request, pk, error)
    messages.success(request, _("%(officer)s has a place.") % {"officer": enrolment.officer})
    return redirect(session.get_absolute_url())


@require_POST
def training_attendance(request, pk: int):
    access.require(request.user, "training.manage")
    session = queries.get_session_for_user(request.user, pk)
    form = AttendanceForm(request.POST, enrolments=queries.enrolments_for_user(request.user, session=session))
    if not form.is_valid():
        return training_detail(request, pk, error=_("Mark each officer present or absent."), status=400)
    try:
        recorded = services.attendance_record(session=session, by=request.user, marks=form.marks())
    except ValidationError as error:
        return _refused(request, pk, error)
    messages.success(request, _("Attendance recorded for %(count)s officers.") % {"count": len(recorded)})
    return redirect(session.get_absolute_url())


def certificate(request, enrolment_id: int):
    access.require(request.user, "resources.view")
    enrolment = queries.get_enrolment_for_user(request.user, enrolment_id)
    try:
        pdf = services.certificate_pdf(enrolment=enrolment, by=request.user)
    except ValidationError as error:
        return training_detail(request, enrolment.session_id, error=_messages_of(error), status=400)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{enrolment.certificate_number}.pdf"'
    return response


def training_coverage(request):
    access.require(request.user, "training.manage")
    rows = queries.training_coverage()
    totals = {"officers": sum(r.officers for r in rows), "trained": sum(r.trained for r in rows)}
    return _render(request, "training_coverage.html", {"rows": rows, "totals": totals})

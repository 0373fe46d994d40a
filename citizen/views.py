"""The citizen portal under /services/: public by the sign-in gate, so each citizen-only view checks the citizen itself."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import get_usage

from accounts import access
from accounts.forms import add_service_errors
from accounts.models import NotifyBy
from citizen import catalogue, pdf, public_records, routing, services
from citizen.forms import (
    AnswerForm,
    CodeForm,
    FeedbackForm,
    LocateForm,
    MissingSearchForm,
    PublicFirForm,
    PublicListForm,
    ServiceForm,
    SignupForm,
    TrackForm,
    VehicleNocForm,
    VerifyFileForm,
)
from citizen.models import CitizenRequest, Feedback, IssuedDocument
from directory.models import PoliceStation
from openpol import limits
from workflow import services as workflow

SIGNUP_SESSION = "citizen_signup_code"
TRACK_SESSION = "citizen_track_code"
TRACKED_SESSION = "citizen_tracked"
CITIZEN_DOCUMENTS = ("certificate", "noc", "lost_report")  # downloaded from the request's page (an FIR copy has its own)
SIGNUP_RATE = "10/h"
EMAIL_RATE = "5/h"
TRACK_RATE = "10/h"


def _is_citizen(user) -> bool:
    return access.can(user, "citizen.request")


def _to_login(request):
    if request.user.is_authenticated:  # a police officer on a citizen's page: not a sign-in problem
        raise PermissionDenied(_("These pages are for citizens."))
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}")


def _limited(request, group: str, rate: str, key="ip") -> bool:
    usage = get_usage(request, group=f"citizen.{group}", key=key, rate=rate, increment=True)  # None when limits are off
    if usage is None or not usage["should_limit"]:
        return False
    limits.remember_retry_after(request, max(1, usage["time_left"]))
    return True


def _email_key(email: str):
    return lambda _group, _request: email.strip().lower()


TOO_MANY = _("Too many attempts from here. Wait an hour and try again.")


# --- The catalogue -------------------------------------------------------------------------------


def index(request):
    groups = [(label, [s for s in catalogue.SERVICES if s.group == code]) for code, label in catalogue.GROUPS]
    return render(request, "citizen/index.html", {"groups": groups, "is_citizen": _is_citizen(request.user)})


def privacy(request, service: str):
    definition = catalogue.get(service)
    if definition is None:
        raise Http404
    return render(request, "citizen/privacy.html", {"service": definition})


# --- Sign-up ---------------------------------------------------------------------------------------


def signup(request):
    if _is_citizen(request.user):
        return redirect("citizen_public:my_requests")
    form = SignupForm(request.POST if request.method == "POST" else None, initial={"language": request.LANGUAGE_CODE})
    status = 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if _limited(request, "signup_ip", SIGNUP_RATE) or _limited(request, "signup_email", EMAIL_RATE, _email_key(email)):
            form.add_error(None, TOO_MANY)
            status = 429
        else:
            try:
                otc = services.signup_start(
                    name=form.cleaned_data["name"],
                    email=email,
                    mobile=form.cleaned_data["mobile"],
                    password=form.cleaned_data["password"],
                    language=form.cleaned_data["language"] or None,
                    notify_by=form.cleaned_data["notify_by"] or NotifyBy.EMAIL,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                request.session[SIGNUP_SESSION] = otc.pk
                return redirect("citizen_public:signup_verify")
    if form.errors and status == 200:
        status = 400
    return render(request, "citizen/signup.html", {"form": form, "services": catalogue.SERVICES}, status=status)


def signup_verify(request):
    code_id = request.session.get(SIGNUP_SESSION)
    if not code_id:
        return redirect("citizen_public:signup")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and "resend" in request.POST:
        if _limited(request, "code_ip", SIGNUP_RATE):
            form = CodeForm()
            form.add_error(None, TOO_MANY)
        else:
            request.session[SIGNUP_SESSION] = services.signup_resend(code_id=code_id).pk
            messages.info(request, _("We sent a new code. The earlier one no longer works."))
            return redirect("citizen_public:signup_verify")
    elif request.method == "POST" and form.is_valid():
        try:
            services.signup_confirm(code_id=code_id, code=form.cleaned_data["code"])
        except services.CodeRefused as refused:
            form.add_error("code", str(refused))
        else:
            del request.session[SIGNUP_SESSION]
            messages.success(request, _("Your account is ready. Sign in with your e-mail and password."))
            return redirect(f"{reverse('accounts:login')}?{urlencode({'next': reverse('citizen_public:index')})}")
    context = {"form": form, "title": _("Check your e-mail"), "resend": True}
    return render(request, "citizen/code.html", context, status=400 if form.errors else 200)


# --- Filing and following requests ---------------------------------------------------------------


def request_new(request, service: str):
    definition = catalogue.get(service)
    if definition is None:
        raise Http404
    if not _is_citizen(request.user):
        return _to_login(request)
    form = ServiceForm(
        request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None, service=definition
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.request_create(
                by=request.user,
                service=service,
                details=form.details(),
                station=data.get("station"),
                pincode=data.get("pincode", ""),
                lat=data.get("lat"),
                lon=data.get("lon"),
                uploads=form.uploads(),
                contact_phone=data.get("contact_phone", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Received. Your acknowledgement number is %(ref)s; we e-mailed it to you.") % {"ref": created.reference},
            )
            return redirect(created.citizen_url())
    return render(request, "citizen/request_form.html", {"form": form, "service": definition}, status=400 if form.errors else 200)


def my_requests(request):
    if not _is_citizen(request.user):
        return _to_login(request)
    mine = CitizenRequest.objects.visible_to(request.user).select_related("station__district")
    return render(request, "citizen/my_requests.html", {"requests": mine})


def _get_request_for_viewer(request, reference: str) -> tuple[CitizenRequest, bool]:
    """The request, for its citizen (owner=True) or for whoever proved a tracking code in this session."""
    found = CitizenRequest.objects.select_related("station__district", "assigned_to").filter(reference=reference).first()
    if found is None:
        raise Http404
    if _is_citizen(request.user) and found.citizen_id == request.user.pk:
        return found, True
    if reference in request.session.get(TRACKED_SESSION, []):
        return found, False
    raise Http404


def request_detail(request, reference: str):
    if not request.user.is_authenticated and reference not in request.session.get(TRACKED_SESSION, []):
        return redirect(f"{reverse('citizen_public:track')}?{urlencode({'reference': reference})}")
    obj, owner = _get_request_for_viewer(request, reference)
    return _render_detail(request, obj, owner, AnswerForm())


def _render_detail(request, obj, owner, answer_form, status=200, feedback_form=None):
    feedback = Feedback.objects.filter(request=obj).first()
    context = {
        "feedback": feedback,
        # the form posted (with what was wrong), or a new one while a finished request has none
        "feedback_form": feedback_form
        or (FeedbackForm() if owner and feedback is None and obj.is_finished and not obj.definition.instant else None),
        "obj": obj,
        "owner": owner,
        "history": workflow.history(obj),
        "messages_list": obj.messages.select_related("author", "attachment"),
        "documents": obj.documents.filter(kind__in=CITIZEN_DOCUMENTS),
        "answer_form": answer_form,
        "can_answer": owner and obj.stage == CitizenRequest.Stage.MORE_INFO,
    }
    return render(request, "citizen/request_detail.html", context, status=status)


@require_POST
def request_answer(request, reference: str):
    if not _is_citizen(request.user):
        return _to_login(request)
    obj, owner = _get_request_for_viewer(request, reference)
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.request_answer(request=obj, by=request.user, text=form.cleaned_data["text"], upload=form.cleaned_data["file"])
        except workflow.WorkflowError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your answer was sent to %(office)s.") % {"office": obj.office_label})
            return redirect(obj.citizen_url())
    return _render_detail(request, obj, owner, form, status=400)


@require_POST
def request_feedback(request, reference: str):
    if not _is_citizen(request.user):
        return _to_login(request)
    obj, owner = _get_request_for_viewer(request, reference)
    if not owner:
        raise Http404
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.feedback_give(request=obj, by=request.user, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: the police will read what you said."))
            return redirect(obj.citizen_url())
    return _render_detail(request, obj, owner, AnswerForm(), status=400, feedback_form=form)


def fir_copy(request, reference: str):
    if not _is_citizen(request.user):
        return _to_login(request)
    obj, _owner = _get_request_for_viewer(request, reference)
    try:
        document = services.fir_copy(request=obj, by=request.user)
    except ValidationError as error:
        raise Http404(error.messages[0]) from error
    except PermissionDenied as refused:
        return render(request, "citizen/refused.html", {"obj": obj, "message": str(refused)}, status=403)
    return _pdf_response(document)


def document_download(request, reference: str, code: str):
    obj, _owner = _get_request_for_viewer(request, reference)
    document = obj.documents.filter(code=code, kind__in=CITIZEN_DOCUMENTS).first()
    if document is None:
        raise Http404
    return _pdf_response(document)


def _pdf_response(document: IssuedDocument) -> HttpResponse:
    """The PDF as issued; once revoked, stamped REVOKED with the date and reason (the issued file stays as it was)."""
    body = bytes(document.pdf)
    if document.revoked_at is not None:
        revoked_on = dateformat.format(timezone.localtime(document.revoked_at), "d M Y")
        body = pdf.revoked_copy(body, revoked_on=revoked_on, reason=document.revocation_reason)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.kind}-{document.request.reference}.pdf"'
    return response


# --- Tracking without an account ------------------------------------------------------------------


def track(request):
    form = TrackForm(request.POST if request.method == "POST" else None, initial={"reference": request.GET.get("reference", "")})
    status = 200
    if request.method == "POST" and form.is_valid():
        reference = form.cleaned_data["reference"].strip().upper()
        if _limited(request, "track_ip", TRACK_RATE) or _limited(request, "track_ref", EMAIL_RATE, _email_key(reference)):
            form.add_error(None, TOO_MANY)
            status = 429
        else:
            otc = services.track_start(reference=reference)
            # The same answer whether or not the number exists: the code goes only to the request's own e-mail.
            request.session[TRACK_SESSION] = otc.pk if otc else 0
            return redirect("citizen_public:track_verify")
    return render(request, "citizen/track.html", {"form": form}, status=status if not form.errors or status != 200 else 400)


def track_verify(request):
    if TRACK_SESSION not in request.session:
        return redirect("citizen_public:track")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.track_confirm(code_id=request.session[TRACK_SESSION], code=form.cleaned_data["code"])
        except services.CodeRefused as refused:
            form.add_error("code", str(refused))
        else:
            tracked = request.session.get(TRACKED_SESSION, [])
            request.session[TRACKED_SESSION] = [*tracked[-9:], obj.reference]
            del request.session[TRACK_SESSION]
            return redirect(obj.citizen_url())
    context = {"form": form, "title": _("Enter the code we e-mailed"), "resend": False}
    return render(request, "citizen/code.html", context, status=400 if form.errors else 200)


# --- Checking a document --------------------------------------------------------------------------


def verify(request, code: str):
    form = VerifyFileForm(request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None)
    uploaded = None
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"].read(20 * 1024 * 1024)
    result = services.document_check(code=code, uploaded=uploaded)
    return render(request, "citizen/verify.html", {"result": result, "code": code, "form": form}, status=200 if result["found"] else 404)


# --- Finding a police station ---------------------------------------------------------------------


def locate(request):
    form = LocateForm(request.GET or None)
    results: list = []
    searched = False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        searched = any(data.get(k) not in (None, "") for k in ("pincode", "place", "lat"))
        if data.get("lat") is not None and data.get("lon") is not None:
            results = routing.nearest_stations(data["lat"], data["lon"], limit=5)
        elif data.get("pincode"):
            results = [(s, None) for s in routing.stations_for_pincode(data["pincode"])]
        elif data.get("place"):
            results = [(s, None) for s in routing.stations_for_place(data["place"])]
    status = 400 if form.errors else 200
    return render(request, "citizen/locate.html", {"form": form, "results": results, "searched": searched}, status=status)


# --- Vehicle NOC, public lists and the missing-persons search (read from the national records) ------

VEHICLE_RATE = "20/h"
LIST_RATE = "120/h"
MISSING_RATE = "30/h"
LIST_PAGE_SIZE = 25


def vehicle_noc(request):
    form = VehicleNocForm(request.POST if request.method == "POST" else None)
    status, result = 200, None
    if request.method == "POST" and form.is_valid():
        if _limited(request, "vehicle_noc_ip", VEHICLE_RATE):
            form.add_error(None, TOO_MANY)
            status = 429
        else:
            result = public_records.vehicle_noc_check(**{k: form.cleaned_data.get(k, "") for k in ("registration", "chassis", "engine")})
    elif form.errors:
        status = 400
    return render(request, "citizen/vehicle_noc.html", {"form": form, "result": result}, status=status)


def vehicle_noc_pdf(request, code: str):
    document = IssuedDocument.objects.filter(code=code, kind=IssuedDocument.Kind.VEHICLE_NOC, request__isnull=True).first()
    if document is None:
        raise Http404
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="vehicle-noc-{document.code}.pdf"'
    return response


def public_list(request, kind: str):
    if kind not in public_records.LISTS:
        raise Http404
    form = PublicListForm(request.GET or None)
    if form.is_bound and _limited(request, "list_ip", LIST_RATE):
        return render(request, "citizen/public_list.html", {"form": form, "kind": kind, "title": public_records.LISTS[kind]}, status=429)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    listing = public_records.public_list(
        kind, name=data.get("name", ""), station=data.get("station"), date_from=data.get("date_from"), date_to=data.get("date_to")
    )
    page = Paginator(listing.queryset, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "kind": kind,
        "title": public_records.LISTS[kind],
        "lists": public_records.LISTS,
        "page": page,
        "rows": listing.rows(page.object_list),
    }
    return render(request, "citizen/public_list.html", context, status=400 if form.errors else 200)


def missing_search(request):
    if not _is_citizen(request.user):
        return _to_login(request)
    form = MissingSearchForm(request.GET or None)
    results, status = None, 200
    if form.is_bound and form.is_valid():
        if _limited(request, "missing_user", MISSING_RATE, key="user_or_ip"):
            form.add_error(None, TOO_MANY)
            status = 429
        else:
            data = form.cleaned_data
            results = public_records.missing_search(
                by=request.user,
                name=data.get("name", ""),
                age=data.get("age"),
                sex=data.get("sex", ""),
                district=data.get("district"),
                missing_since=data.get("missing_since"),
            )
    elif form.errors:
        status = 400
    return render(request, "citizen/missing_search.html", {"form": form, "results": results}, status=status)


FIR_RATE = "60/h"


def public_fir(request):
    """Anyone finds a registered FIR by state, district, station, year and number (not the sensitive ones)."""
    form = PublicFirForm(request.GET or None)
    fir, status = None, 200
    if form.is_bound and form.complete:
        if _limited(request, "fir_ip", FIR_RATE):
            form.add_error(None, TOO_MANY)
            status = 429
        else:
            data = form.cleaned_data
            fir = public_records.public_fir(station=data["station"], year=data["year"], number=data["number"])
            if fir is None:
                status = 404
    elif form.errors:
        status = 400
    return render(
        request, "citizen/public_fir.html", {"form": form, "fir": fir, "searched": form.is_bound and form.complete}, status=status
    )


def public_fir_pdf(request, station: str, year: int, number: int):
    if _limited(request, "fir_ip", FIR_RATE):
        return HttpResponse(TOO_MANY, status=429, content_type="text/plain; charset=utf-8")
    found = PoliceStation.objects.filter(code=station).first()
    fir = public_records.public_fir(station=found, year=year, number=number) if found else None
    if fir is None:
        raise Http404
    response = HttpResponse(pdf.render_public_fir(fir), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="fir-{station}-{year}-{number}.pdf"'
    return response

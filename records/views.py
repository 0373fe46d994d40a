"""Pages of the records module: person and vehicle search, a person's, an FIR's and a vehicle's details (police only,
with a purpose, audited), and hits to decide."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import access
from accounts.forms import add_service_errors
from audit import queries as audit_queries
from records import queries, services
from records.forms import (
    ArrestForm,
    FirRegistration,
    HitDecisionForm,
    PersonReportForm,
    PersonSearchForm,
    ProclamationForm,
    PurposeForm,
    VehicleSearchForm,
)
from records.models import Hit, Person

PERSON_FIELDS = ("name", "father_name", "dob", "sex", "state")
ROLE_LABELS = dict(Person.Role.choices)
VEHICLE_FIELDS = ("registration", "chassis", "engine")


def _refusal_reason(form) -> str:
    return "no purpose" if "purpose" in form.errors else "invalid query"


def _require_search(request, form, search: str, fields: tuple[str, ...]) -> None:
    """Refuse (403) a user who may not search; a search they asked for is audited with its query, as from the API."""
    if access.can(request.user, "records.search"):
        return
    if not form.is_bound:
        access.require(request.user, "records.search")
    query = {name: form.data.get(name, "") for name in fields}
    services.search_refused(user=request.user, search=search, query=query, reason="no capability", capability="records.search")
    raise PermissionDenied


def search(request):
    form = PersonSearchForm(request.GET or None)
    _require_search(request, form, "persons", PERSON_FIELDS)
    strong, weak = [], []
    searched, purpose = False, ""
    if form.is_bound and not form.is_valid():
        query = {name: form.data.get(name, "") for name in PERSON_FIELDS}
        services.search_refused(user=request.user, search="persons", query=query, reason=_refusal_reason(form), fields=sorted(form.errors))
    elif form.is_bound:
        data = form.cleaned_data
        try:
            results = services.person_search(
                user=request.user,
                purpose=data["purpose"],
                name=data["name"],
                father_name=data["father_name"],
                dob=data["dob"] or None,
                sex=data["sex"],
                state=data["state"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            searched, purpose = True, data["purpose"]
            for result in results:
                result.firs = services.firs_of(result.person, request.user)
                (strong if result.strong else weak).append(result)
    context = {"form": form, "strong": strong, "weak": weak, "searched": searched, "purpose_qs": _purpose_qs(purpose)}
    context["registers_here"] = queries.registers_at_a_station(request.user)
    template = "records/_results.html" if request.htmx and searched else "records/search.html"
    return render(request, template, context)


def vehicle_search(request):
    form = VehicleSearchForm(request.GET or None)
    _require_search(request, form, "vehicles", VEHICLE_FIELDS)
    results, searched, purpose = [], False, ""
    if form.is_bound and not form.is_valid():
        query = {name: form.data.get(name, "") for name in VEHICLE_FIELDS}
        services.search_refused(user=request.user, search="vehicles", query=query, reason=_refusal_reason(form), fields=sorted(form.errors))
    elif form.is_bound:
        try:
            results = services.vehicle_search(user=request.user, **form.cleaned_data)
            searched, purpose = True, form.cleaned_data["purpose"]
        except ValidationError as error:
            form.add_error(None, error)
    context = {"form": form, "results": results, "searched": searched, "purpose_qs": _purpose_qs(purpose)}
    return render(request, "records/vehicles.html", context)


def _purpose_qs(purpose: str) -> str:
    """The purpose of the search, carried into the links to its results so that it is not asked again."""
    return urlencode({"purpose": purpose}) if purpose else ""


# --- A person's, an FIR's, a vehicle's details: for a stated purpose, every read audited ---------------------


def _ask_purpose(request, what: str):
    """The small form asking why a record is opened (400 when a purpose was given but says too little)."""
    form = PurposeForm(request.GET if "purpose" in request.GET else None)
    form.is_valid()
    return render(request, "records/purpose.html", {"form": form, "what": what}, status=400 if form.is_bound else 200)


def person_detail(request, pk: int):
    access.require(request.user, "records.search")
    purpose = request.GET.get("purpose", "").strip()
    try:
        person = queries.get_person_for_user(request.user, pk, purpose=purpose)
    except services.PurposeMissing:
        return _ask_purpose(request, _("this person's record"))
    context = {
        "person": person,
        "firs": services.firs_of(person, request.user),
        "arrests": person.arrests.select_related("station", "fir__station").order_by("-arrested_at"),
        "proclamations": person.proclamations.select_related("fir__station").order_by("-proclaimed_on"),
        "hits": queries.hits_for_user(request.user).filter(person=person)[:50],
        "roles": [ROLE_LABELS.get(role, role) for role in person.roles or []],
        "purpose_qs": _purpose_qs(purpose),
        "reads": audit_queries.reads_for_owner(request.user, person, owner=queries.person_owner(person)),
    }
    return render(request, "records/person_detail.html", context)


def fir_detail(request, pk: int):
    access.require(request.user, "records.search")
    purpose = request.GET.get("purpose", "").strip()
    try:
        fir = queries.get_fir_for_user(request.user, pk, purpose=purpose)
    except services.PurposeMissing:
        return _ask_purpose(request, _("this FIR"))
    context = {
        "fir": fir,
        "sections": fir.sections.all(),
        "involvements": queries.involvements_of(fir, request.user),
        "vehicles": fir.vehicles.all(),
        "purpose_qs": _purpose_qs(purpose),
        "reads": audit_queries.reads_for_owner(request.user, fir, owner=fir.owner()),
        "may_record": services.may_register_at(request.user, fir.station),
    }
    return render(request, "records/fir_detail.html", context)


def vehicle_detail(request, pk: int):
    access.require(request.user, "records.search")
    purpose = request.GET.get("purpose", "").strip()
    vehicle = queries.get_vehicle_for_user(request.user, pk, purpose=purpose)
    fir_readable = vehicle.fir_id is not None and queries.firs_for_user(request.user).filter(pk=vehicle.fir_id).exists()
    context = {"vehicle": vehicle, "fir_readable": fir_readable, "purpose_qs": _purpose_qs(purpose)}
    return render(request, "records/vehicle_detail.html", context)


# --- Hits: possible matches between incoming items and the records ------------------------------------------


def split_explanation(lines: list[str]) -> tuple[list[str], list[str]]:
    """The facts that agreed and those that disagreed, for the page (the score's explanation lists both)."""
    disagreeing = ("differs", "apart", "weak:")
    agreed = [line for line in lines if not any(word in line for word in disagreeing)]
    return agreed, [line for line in lines if line not in agreed]


SCREENED_LABELS = {
    "name": gettext_lazy("Name"),
    "other_names": gettext_lazy("Other names"),
    "father_name": gettext_lazy("Father's or husband's name"),
    "dob": gettext_lazy("Date or year of birth"),
    "sex": gettext_lazy("Sex"),
    "id_numbers": gettext_lazy("Identity numbers"),
    "registration": gettext_lazy("Registration number"),
    "chassis": gettext_lazy("Chassis number"),
    "engine": gettext_lazy("Engine number"),
    "description": gettext_lazy("Description"),
}


def screened_rows(screened: dict) -> list[tuple[str, str]]:
    """What the item said of the person or vehicle, as labelled lines."""
    rows = []
    for key, label in SCREENED_LABELS.items():
        value = screened.get(key)
        if value:
            rows.append((label, ", ".join(value) if isinstance(value, list) else str(value)))
    return rows


def hit_list(request):
    access.require(request.user, "records.search")
    status = request.GET.get("status", Hit.Status.PENDING)
    strength = request.GET.get("strength", "strong")
    page = Paginator(queries.hits_for_user(request.user, status=status, strength=strength), 25).get_page(request.GET.get("page"))
    for hit in page:
        hit.decidable = hit.status == Hit.Status.PENDING and services.may_decide(hit, request.user)
    context = {"page": page, "status": status, "strength": strength, "statuses": Hit.Status.choices}
    return render(request, "records/hit_list.html", context)


def hit_detail(request, pk: int):
    access.require(request.user, "records.search")
    return _hit_detail(request, queries.get_hit_for_user(request.user, pk))


def _hit_detail(request, hit: Hit, *, form: HitDecisionForm | None = None, status: int = 200):
    """The hit's page, for a hit already fetched (and its read audited) by the view answering."""
    agreed, disagreed = split_explanation(hit.explanation)
    decidable = hit.status == Hit.Status.PENDING and services.may_decide(hit, request.user)
    vehicle_fir = None
    if hit.vehicle_id and hit.vehicle.fir_id:
        readable = queries.firs_for_user(request.user).filter(pk=hit.vehicle.fir_id).exists()
        vehicle_fir = str(hit.vehicle.fir) if readable else _("A restricted FIR")
    context = {
        "hit": hit,
        "screened": screened_rows(hit.screened),
        "agreed": agreed,
        "disagreed": disagreed,
        "firs": services.firs_of(hit.person, request.user) if hit.person_id else [],
        "vehicle_fir": vehicle_fir,
        "form": form or (HitDecisionForm() if decidable else None),
    }
    return render(request, "records/hit_detail.html", context, status=status)


@require_POST
def hit_decide(request, pk: int):
    access.require(request.user, "records.search")
    hit = queries.get_hit_for_user(request.user, pk)
    form = HitDecisionForm(request.POST)
    if not form.is_valid():
        return _hit_detail(request, hit, form=form, status=400)
    try:
        services.hit_decide(hit=hit, by=request.user, confirmed=form.cleaned_data["decision"] == "confirm", note=form.cleaned_data["note"])
    except ValidationError as error:
        add_service_errors(form, error)
        return _hit_detail(request, hit, form=form, status=400)
    messages.success(request, _("%(reference)s is %(status)s.") % {"reference": hit.reference, "status": hit.get_status_display().lower()})
    return redirect("records:hit_detail", pk=pk)


# --- A station registers an FIR -----------------------------------------------------------------------

REGISTERED_PURPOSE = gettext_lazy("Registered by me at the station")


def fir_register(request):
    station = queries.registering_station_for(request.user)
    today = timezone.localdate()
    form = FirRegistration(request.POST or None, initial={"year": today.year, "registered_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            fir = services.fir_register(by=request.user, station=station, **form.service_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("%(fir)s is registered: it is in the national records now.") % {"fir": fir})
            return redirect(fir_registered_url(fir))
    status = 400 if request.method == "POST" else 200
    return render(request, "records/fir_register.html", {"form": form, "station": station, "from_request": None}, status=status)


def fir_registered_url(fir) -> str:
    return reverse("records:fir", args=[fir.pk]) + "?" + urlencode({"purpose": str(REGISTERED_PURPOSE)})


# --- Arrests and proclamations in a station's FIR; missing and unidentified persons --------------------------


def _station_fir(request, pk: int):
    """An FIR of a station the user records at; any other answers 404, as a missing one does."""
    access.require(request.user, "records.register")
    fir = queries.firs_for_user(request.user).select_related("station__district").filter(pk=pk).first()
    if fir is None or not services.may_register_at(request.user, fir.station):
        raise Http404
    return fir


def _accused(fir):
    return Person.objects.filter(involvements__fir=fir, involvements__role__in=services.FIR_PERSON_ROLES[:2]).distinct().order_by("name")


def fir_arrest(request, pk: int):
    return _fir_record(
        request, pk, ArrestForm, services.arrest_record, _("The arrest is recorded: it is in the district's list of arrested persons.")
    )


def fir_proclamation(request, pk: int):
    return _fir_record(
        request,
        pk,
        ProclamationForm,
        services.proclamation_record,
        _("The proclamation is recorded: the person is listed as a proclaimed offender."),
    )


def _fir_record(request, pk: int, form_class, service, done: str):
    fir = _station_fir(request, pk)
    accused = list(_accused(fir))
    form = form_class(request.POST or None, accused=accused)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person = next(p for p in accused if p.pk == data.pop("person"))
        try:
            service(by=request.user, fir=fir, person=person, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(fir_registered_url(fir))
    status = 400 if request.method == "POST" else 200
    return render(request, "records/fir_record.html", {"form": form, "fir": fir, "kind": form_class.__name__}, status=status)


def person_report(request):
    station = queries.registering_station_for(request.user)
    form = PersonReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_report(by=request.user, station=station, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Recorded in the national records."))
            return redirect(reverse("records:person", args=[person.pk]) + "?" + urlencode({"purpose": str(REGISTERED_PURPOSE)}))
    status = 400 if request.method == "POST" else 200
    return render(request, "records/person_report.html", {"form": form, "station": station}, status=status)

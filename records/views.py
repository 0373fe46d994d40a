"""Pages of the records module: person and vehicle search (police only, with a purpose, audited), and hits to decide."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import access
from accounts.forms import add_service_errors
from records import queries, services
from records.forms import HitDecisionForm, PersonSearchForm, VehicleSearchForm
from records.models import Fir, Hit


def search(request):
    access.require(request.user, "records.search")
    form = PersonSearchForm(request.GET or None)
    strong, weak = [], []
    searched = False
    if form.is_valid():
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
            searched = True
            for result in results:
                result.firs = services.firs_of(result.person, request.user)
                (strong if result.strong else weak).append(result)
    template = "records/_results.html" if request.htmx and searched else "records/search.html"
    return render(request, template, {"form": form, "strong": strong, "weak": weak, "searched": searched})


def vehicle_search(request):
    access.require(request.user, "records.search")
    form = VehicleSearchForm(request.GET or None)
    results, searched = [], False
    if form.is_valid():
        try:
            results = services.vehicle_search(user=request.user, **form.cleaned_data)
            searched = True
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "records/vehicles.html", {"form": form, "results": results, "searched": searched})


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


def hit_detail(request, pk: int, *, form: HitDecisionForm | None = None, status: int = 200):
    access.require(request.user, "records.search")
    hit = queries.get_hit_for_user(request.user, pk)
    agreed, disagreed = split_explanation(hit.explanation)
    decidable = hit.status == Hit.Status.PENDING and services.may_decide(hit, request.user)
    vehicle_fir = None
    if hit.vehicle_id and hit.vehicle.fir_id:
        readable = Fir.objects.filter(Fir.details_q(request.user), pk=hit.vehicle.fir_id).exists()
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
        return hit_detail(request, pk, form=form, status=400)
    try:
        services.hit_decide(hit=hit, by=request.user, confirmed=form.cleaned_data["decision"] == "confirm", note=form.cleaned_data["note"])
    except ValidationError as error:
        add_service_errors(form, error)
        return hit_detail(request, pk, form=form, status=400)
    messages.success(request, _("%(reference)s is %(status)s.") % {"reference": hit.reference, "status": hit.get_status_display().lower()})
    return redirect("records:hit_detail", pk=pk)

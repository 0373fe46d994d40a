"""Pages of the records module: person and vehicle search (police only, with a purpose, audited)."""

from django.core.exceptions import ValidationError
from django.shortcuts import render

from accounts import access
from records import services
from records.forms import PersonSearchForm, VehicleSearchForm


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

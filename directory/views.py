"""Directory pages: agencies with their ILOs and unit offices, and police stations."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from accounts import access
from accounts.offices import Office
from directory import queries
from directory.models import Agency, State


def agency_list(request):
    access.require(request.user, "directory.view")
    agencies = queries.agencies_with_counts().order_by("kind", "name")
    return render(request, "directory/agency_list.html", {"agencies": agencies})


def agency_detail(request, code: str):
    access.require(request.user, "directory.view")
    agency = get_object_or_404(Agency.objects.select_related("state"), code=code)
    ilos = Office.agency(agency.pk).members().order_by("last_name")
    units = agency.units.select_related("district").order_by("name")
    return render(request, "directory/agency_detail.html", {"agency": agency, "ilos": ilos, "units": units})


def station_list(request):
    access.require(request.user, "directory.view")
    q = request.GET.get("q", "").strip()
    state = request.GET.get("state", "")
    stations = queries.stations_search(q=q, state_code=int(state) if state.isdigit() else None)
    page = Paginator(stations, 50).get_page(request.GET.get("page"))
    context = {"page": page, "q": q, "state": state, "states": State.objects.all()}
    template = "directory/_station_rows.html" if request.htmx else "directory/station_list.html"
    return render(request, template, context)

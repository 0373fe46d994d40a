"""JSON API for the directory: places, countries, agencies, unit offices and police stations."""

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from accounts.apiauth import require_scope
from directory import queries
from directory.models import Agency, Country, District, State, UnitOffice
from openpol.pagination import PageNumberPagination

router = Router(tags=["directory"])


class StateOut(Schema):
    lgd_code: int
    name: str
    name_hi: str
    kind: str
    iso_code: str


class DistrictOut(Schema):
    lgd_code: int
    name: str
    state_lgd_code: int = Field(alias="state.lgd_code")
    lat: float | None
    lon: float | None


class CountryOut(Schema):
    iso2: str
    iso3: str
    name: str


class AgencyOut(Schema):
    code: str
    name: str
    name_hi: str
    kind: str
    state_lgd_code: int | None = Field(None, alias="state.lgd_code")


class UnitOut(Schema):
    code: str
    name: str
    agency: str = Field(alias="agency.code")
    district_lgd_code: int | None = Field(None, alias="district.lgd_code")
    is_demo: bool


class StationOut(Schema):
    code: str
    name: str
    agency: str = Field(alias="agency.code")
    district_lgd_code: int = Field(alias="district.lgd_code")
    address: str
    pincode: str
    phone: str
    lat: float
    lon: float
    is_demo: bool


@router.get("/states", response=list[StateOut], summary="States and union territories with LGD codes")
def state_list(request):
    require_scope(request, "directory:read", "directory.view")
    return State.objects.all()


@router.get("/districts", response=list[DistrictOut], summary="Districts with LGD codes")
@paginate(PageNumberPagination, page_size=100)
def district_list(request, state: int | None = None):
    require_scope(request, "directory:read", "directory.view")
    districts = District.objects.select_related("state").order_by("lgd_code")
    return districts.filter(state__lgd_code=state) if state else districts


@router.get("/countries", response=list[CountryOut], summary="INTERPOL member countries")
def country_list(request):
    require_scope(request, "directory:read", "directory.view")
    return Country.objects.all()


@router.get("/agencies", response=list[AgencyOut], summary="Agencies the NCB works with")
def agency_list(request):
    require_scope(request, "directory:read", "directory.view")
    return Agency.objects.select_related("state").filter(is_active=True)


@router.get("/agencies/{code}/units", response=list[UnitOut], summary="Unit offices of an agency")
@paginate(PageNumberPagination, page_size=100)
def unit_list(request, code: str):
    require_scope(request, "directory:read", "directory.view")
    agency = get_object_or_404(Agency, code=code)
    return UnitOffice.objects.filter(agency=agency).select_related("agency", "district")


@router.get("/stations", response=list[StationOut], summary="Police stations, searchable")
@paginate(PageNumberPagination, page_size=100)
def station_list(request, q: str = "", state: int | None = None, district: int | None = None):
    require_scope(request, "directory:read", "directory.view")
    return queries.stations_search(q=q, state_code=state, district_code=district)

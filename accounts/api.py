"""JSON API for accounts: who am I, the accounts in my jurisdiction, provisioning."""

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from accounts import access, services
from accounts.apiauth import require_scope
from accounts.models import Role, User
from accounts.queries import get_account_for_user
from directory.models import Agency, District, PoliceStation, UnitOffice
from openpol.pagination import PageNumberPagination

router = Router(tags=["accounts"])


class UserOut(Schema):
    id: int
    username: str
    full_name: str = Field(alias="get_full_name")
    email: str
    role: str
    agency: str | None = Field(None, alias="agency.code")
    unit: str | None = Field(None, alias="unit.code")
    station: str | None = Field(None, alias="station.code")
    district: int | None = Field(None, alias="district.lgd_code")
    designation: str
    is_active: bool


class UserCreateIn(Schema):
    role: Role
    username: str
    email: str
    first_name: str = ""
    last_name: str = ""
    designation: str = ""
    phone: str = ""
    agency: str | None = Field(None, description="Agency code, for an ILO.")
    unit: str | None = Field(None, description="Unit office code, for a UO.")
    station: str | None = Field(None, description="Police station code, for a station officer.")
    district: int | None = Field(None, description="District LGD code, for a district officer.")


class UserCreatedOut(Schema):
    user: UserOut
    temporary_password: str = Field(description="Shown once: give it to the officer, who must change it at first sign-in.")


class ReasonIn(Schema):
    reason: str


@router.get("/me", response=UserOut, summary="The account making the call")
def me(request):
    return request.user


@router.get("/users", response=list[UserOut], summary="Accounts in your jurisdiction")
@paginate(PageNumberPagination, page_size=50)
def user_list(request, role: Role | None = None, agency: str | None = None):
    require_scope(request, "users:read", "users.view")
    users = User.objects.visible_to(request.user).select_related("agency", "unit", "station", "district").order_by("username")
    if role:
        users = users.filter(role=role)
    if agency:
        users = users.filter(agency__code=agency)
    return users


@router.get("/users/{user_id}", response=UserOut, summary="One account (404 outside your jurisdiction)")
def user_detail(request, user_id: int):
    require_scope(request, "users:read", "users.view")
    return get_account_for_user(request.user, user_id)


def _lookup(model, code: str | None, field: str):
    if not code:
        return None
    found = model.objects.filter(code=code).first()
    if found is None:
        raise ValidationError({field: [f"No {field} has the code '{code}'."]})
    return found


def _district(lgd_code: int | None) -> District | None:
    if lgd_code is None:
        return None
    found = District.objects.filter(lgd_code=lgd_code).first()
    if found is None:
        raise ValidationError({"district": [f"No district has the LGD code {lgd_code}."]})
    return found


@router.post("/users", response={201: UserCreatedOut}, summary="Create an account you may grant")
def user_create(request, payload: UserCreateIn):
    require_scope(request, "users:write", "users.provision")
    account = services.user_create(
        by=request.user,
        role=payload.role,
        username=payload.username,
        email=payload.email,
        first_name=payload.first_name,
        last_name=payload.last_name,
        designation=payload.designation,
        phone=payload.phone,
        agency=_lookup(Agency, payload.agency, "agency"),
        unit=_lookup(UnitOffice, payload.unit, "unit"),
        station=_lookup(PoliceStation, payload.station, "station"),
        district=_district(payload.district),
    )
    return Status(201, {"user": account.user, "temporary_password": account.temporary_password})


@router.post("/users/{user_id}/disable", response=UserOut, summary="Disable an account you manage")
def user_disable(request, user_id: int, payload: ReasonIn):
    require_scope(request, "users:write", "users.provision")
    target = get_account_for_user(request.user, user_id)
    if not access.may_manage(request.user, target):
        raise PermissionDenied("You may not change this account.")
    return services.user_set_active(by=request.user, target=target, active=False, reason=payload.reason)

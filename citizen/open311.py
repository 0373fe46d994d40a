"""Open311 GeoReport v2 at /open311/v2/: the service list and definitions, filing a request and reading its status.

Filing and reading need `api_key`: a per-application key of a citizen (`o311_…`, made by `citizen.services.open311_key_create`).
A status read answers only for the key's own citizen; anything else is 404, like a missing request.
"""

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from citizen import catalogue, services
from citizen.forms import ServiceForm
from citizen.models import CitizenRequest

DATATYPES = {
    "text": "string",
    "textarea": "text",
    "date": "datetime",
    "choice": "singlevaluelist",
    "number": "number",
    "email": "string",
    "phone": "string",
}


def _error(status: int, description: str, code: int | None = None) -> JsonResponse:
    return JsonResponse([{"code": code or status, "description": description}], status=status, safe=False)


def _open311_services():
    # Services that need uploaded files (verifications) are filed on the portal, not through Open311.
    return [s for s in catalogue.SERVICES if not any(f.kind == "file" and f.required for f in s.fields)]


@require_GET
def service_list(request):
    return JsonResponse(
        [
            {
                "service_code": s.code,
                "service_name": str(s.name),
                "description": str(s.description),
                "metadata": True,
                "type": "batch",
                "keywords": ",".join(s.keywords),
                "group": s.group,
            }
            for s in _open311_services()
        ],
        safe=False,
    )


@require_GET
def service_definition(request, code: str):
    service = catalogue.get(code)
    if service is None or service not in _open311_services():
        return _error(404, "No such service.")
    attributes = [
        {
            "variable": True,
            "code": "pincode",
            "datatype": "string",
            "required": False,
            "datatype_description": "6-digit Indian PIN code of the place (or give lat and long)",
            "order": 0,
            "description": "PIN code",
        }
    ]
    for order, spec in enumerate((f for f in service.fields if f.kind != "file" and f.name != "description"), start=1):
        attribute = {
            "variable": True,
            "code": spec.name,
            "datatype": DATATYPES.get(spec.kind, "string"),
            "required": spec.required,
            "datatype_description": "YYYY-MM-DD, not in the future" if spec.past_only else "",
            "order": order,
            "description": str(spec.label),
        }
        if spec.choices:
            attribute["values"] = [{"key": key, "name": str(name)} for key, name in spec.choices]
        attributes.append(attribute)
    return JsonResponse({"service_code": service.code, "attributes": attributes})


def _caller(request):
    key = request.POST.get("api_key") or request.GET.get("api_key") or ""
    return services.open311_authenticate(key)


@csrf_exempt
def requests_view(request):
    citizen = _caller(request)
    if citizen is None:
        return _error(403, "A valid api_key is required.")
    if request.method == "GET":
        mine = CitizenRequest.objects.filter(citizen=citizen).select_related("station")[:200]
        return JsonResponse([_status(r) for r in mine], safe=False)
    if request.method != "POST":
        return _error(405, "Use GET or POST.")
    service = catalogue.get(request.POST.get("service_code", ""))
    if service is None or service not in _open311_services():
        return _error(404, "No such service_code.")
    data = {key[len("attribute[") : -1]: value for key, value in request.POST.items() if key.startswith("attribute[")}
    data.update(lat=request.POST.get("lat", ""), lon=request.POST.get("long", ""))
    if "description" not in data:
        data["description"] = request.POST.get("description", "")
    if "place" not in data and request.POST.get("address_string"):
        data["place"] = request.POST["address_string"]
    form = ServiceForm(data, service=service)
    if not form.is_valid():
        problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        return _error(400, problems)
    try:
        created = services.request_create(
            by=citizen,
            service=service.code,
            details=form.details(),
            pincode=form.cleaned_data.get("pincode", ""),
            lat=form.cleaned_data.get("lat"),
            lon=form.cleaned_data.get("lon"),
        )
    except ValidationError as error:
        return _error(400, "; ".join(error.messages))
    return JsonResponse(
        [{"service_request_id": created.reference, "service_notice": f"Received by {created.station}.", "account_id": None}], safe=False
    )


@require_GET
def request_status(request, reference: str):
    citizen = _caller(request)
    if citizen is None:
        return _error(403, "A valid api_key is required.")
    found = CitizenRequest.objects.select_related("station").filter(reference=reference, citizen=citizen).first()
    if found is None:
        return _error(404, "No such request.")
    return JsonResponse([_status(found)], safe=False)


def _status(r: CitizenRequest) -> dict:
    return {
        "service_request_id": r.reference,
        "status": "open" if r.is_open else "closed",
        "status_notes": r.get_stage_display() + (f": {r.decision_reason}" if r.decision_reason else ""),
        "service_name": r.service_label,
        "service_code": r.service,
        "description": r.details.get("description", ""),
        "agency_responsible": str(r.office_label),
        "requested_datetime": timezone.localtime(r.created_at).isoformat(),
        "updated_datetime": timezone.localtime(r.stage_entered_at).isoformat(),
        "expected_datetime": timezone.localtime(r.due_at).isoformat() if r.due_at else None,
        "address": r.details.get("place", ""),
        "lat": r.lat,
        "long": r.lon,
    }

"""Where a request goes and by when: the station of a place (chosen, by PIN code or by coordinates) and the service's deadline."""

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from citizen import catalogue
from citizen.models import CitizenRequest
from directory.models import PoliceStation
from workflow.services import add_working_days, district_officers_of_station

PIN_RE = re.compile(r"^[1-9][0-9]{5}$")
EARTH_RADIUS_KM = 6371.0088
# India's bounding box, generously: coordinates outside it are a typo or a phone abroad.
INDIA_BOX = (6.0, 37.6, 68.0, 97.5)


def is_indian_pincode(value: str) -> bool:
    return bool(PIN_RE.match(value or ""))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points, in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def active_stations():
    return PoliceStation.objects.filter(is_active=True).select_related("district__state", "agency")


def nearest_stations(lat: float, lon: float, *, limit: int = 5) -> list[tuple[PoliceStation, float]]:
    """The active stations nearest to a point, with their distance in km (a bounding box first, then haversine)."""
    for box in (0.5, 2.0, 8.0, 90.0):
        candidates = list(active_stations().filter(lat__range=(lat - box, lat + box), lon__range=(lon - box, lon + box)))
        if len(candidates) >= limit or box == 90.0:
            break
    ranked = sorted(((s, haversine_km(lat, lon, s.lat, s.lon)) for s in candidates), key=lambda pair: pair[1])
    return ranked[:limit]


def stations_for_pincode(pincode: str) -> list[PoliceStation]:
    """Stations with this PIN code; failing that, those of the same sorting district (first three digits)."""
    exact = list(active_stations().filter(pincode=pincode))
    return exact or list(active_stations().filter(pincode__startswith=pincode[:3]).order_by("pincode", "name")[:10])


def stations_for_place(text: str) -> list[PoliceStation]:
    text = text.strip()
    if not text:
        return []
    q = Q(name__icontains=text) | Q(address__icontains=text) | Q(district__name__icontains=text)
    return list(active_stations().filter(q).order_by("name")[:10])


@dataclass(frozen=True)
class Route:
    station: PoliceStation
    routed_by: str


def check_coordinates(lat, lon) -> None:
    if lat is None and lon is None:
        return
    if lat is None or lon is None:
        raise ValidationError({"lat": [_("Give both latitude and longitude, or neither.")]})
    south, north, west, east = INDIA_BOX
    if not (south <= lat <= north and west <= lon <= east):
        raise ValidationError({"lat": [_("These coordinates are outside India. Check them, or give the PIN code instead.")]})


def resolve_station(*, station: PoliceStation | None = None, pincode: str = "", lat=None, lon=None) -> Route:
    """The station a request goes to: the one chosen, else the one of the PIN code, else the nearest to the coordinates."""
    if station is not None:
        if not station.is_active:
            raise ValidationError({"station": [_("This police station is no longer in service. Choose another, or give the PIN code.")]})
        return Route(station, "chosen")
    if pincode:
        if not is_indian_pincode(pincode):
            raise ValidationError({"pincode": [_("An Indian PIN code has 6 digits and does not start with 0, e.g. 110001.")]})
        found = stations_for_pincode(pincode)
        if found:
            return Route(found[0], "pincode")
        if lat is None:
            raise ValidationError(
                {"pincode": [_("We found no police station for PIN code %(pin)s. Choose the station from the list.") % {"pin": pincode}]}
            )
    check_coordinates(lat, lon)
    if lat is not None:
        nearest = nearest_stations(lat, lon, limit=1)
        if nearest:
            return Route(nearest[0][0], "location")
    raise ValidationError({"station": [_("Tell us where it happened: choose the police station, or give the PIN code or the location.")]})


def has_district_officer(station: PoliceStation) -> bool:
    """Whether the SP office of the station's district has an active account on the portal."""
    return district_officers_of_station(station.pk).exists()


def level_for(service: catalogue.Service, details: dict, station: PoliceStation) -> str:
    """Who handles a new request: the station; for a complaint against an official, the district's SP office, or the
    state's ILOs when the official works at the SP office or higher, or when that SP office has no account yet."""
    if service.routing != "district":
        return CitizenRequest.Level.STATION
    if details.get("official_at") == "district" or not has_district_officer(station):
        return CitizenRequest.Level.ILO
    return CitizenRequest.Level.DISTRICT


def due_for(request, stage: str, start: datetime | None = None) -> datetime:
    """The deadline of a request at a stage, from its service (calendar or working days).

    `WORKFLOW_DEADLINES["citizen_<service>"]` (working days), when set, overrides the catalogue.
    """
    start = start or timezone.now()
    override = getattr(settings, "WORKFLOW_DEADLINES", {}).get(f"citizen_{request.service}")
    if override:
        return add_working_days(start, override)
    deadline = catalogue.BY_CODE[request.service].deadline
    if deadline.working:
        return add_working_days(start, deadline.days)
    return start + timedelta(days=deadline.days)

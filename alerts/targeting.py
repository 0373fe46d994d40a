"""Who receives an alert: one pure function over plain data, so the rules are tested without a database.

Rules, in order:
1. A nationwide category (terror) goes to every active station in the country.
2. Otherwise, the stations of the originating district and of its neighbours. The directory has no adjacency
   data, so a *neighbour* is a district whose centroid (LGD lat/lon) lies within `neighbour_km` (120 km by
   default, setting ALERTS_NEIGHBOUR_KM) of the originating district's centroid. The state police (its ILOs)
   see every alert reaching one of its stations, so "the state's share" needs no extra rows.
3. Plus the area the publisher named: every station of the listed states and districts, and every station
   within the circle (point and radius).
4. Plus every office (station or unit) whose subscription matches the category and the place.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from math import asin, cos, radians, sin, sqrt

from alerts.models import NATIONWIDE_CATEGORIES

EARTH_RADIUS_KM = 6371.0088
DEFAULT_NEIGHBOUR_KM = 120.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance."""
    dlat, dlon = radians(lat2 - lat1), radians(lon2 - lon1)
    a = sin(dlat / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(sqrt(a))


@dataclass(frozen=True)
class DistrictInfo:
    id: int
    lgd_code: int
    state_id: int
    state_lgd: int
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class StationInfo:
    id: int
    district_id: int
    lat: float
    lon: float
    agency_id: int | None = None


@dataclass(frozen=True)
class SubscriptionInfo:
    station_id: int | None
    unit_id: int | None
    categories: frozenset[str] = frozenset()
    states: frozenset[int] = frozenset()  # LGD codes
    districts: frozenset[int] = frozenset()  # LGD codes


@dataclass(frozen=True)
class Target:
    """What the publisher said about where the alert matters."""

    category: str
    origin_district_id: int | None = None
    area_states: frozenset[int] = frozenset()  # LGD codes
    area_districts: frozenset[int] = frozenset()  # LGD codes
    point: tuple[float, float] | None = None
    radius_km: float | None = None


@dataclass
class Recipients:
    station_ids: set[int] = field(default_factory=set)
    unit_ids: set[int] = field(default_factory=set)
    district_ids: set[int] = field(default_factory=set)  # the districts covered (for subscriptions and the record)
    agency_ids: set[int] = field(default_factory=set)  # the state police of the stations reached (their ILOs see it)
    reached_district_ids: set[int] = field(default_factory=set)  # the districts of the stations reached (their SP offices see it)
    circle_district_ids: set[int] = field(default_factory=set)  # the districts of the stations inside the circle (for the lane check)
    nationwide: bool = False

    def audience(self) -> dict:
        """As stored on the alert version (JSON)."""
        return {
            "stations": sorted(self.station_ids),
            "units": sorted(self.unit_ids),
            "agencies": sorted(self.agency_ids),
            "districts": sorted(self.reached_district_ids),
        }


def neighbour_district_ids(origin: DistrictInfo, districts: Iterable[DistrictInfo], neighbour_km: float) -> set[int]:
    """The origin district and every district whose centroid lies within `neighbour_km` of its centroid."""
    found = {origin.id}
    if origin.lat is None or origin.lon is None:
        return found
    for d in districts:
        if d.lat is not None and d.lon is not None and distance_km(origin.lat, origin.lon, d.lat, d.lon) <= neighbour_km:
            found.add(d.id)
    return found


def recipients_for(
    target: Target,
    *,
    districts: dict[int, DistrictInfo],
    stations: Iterable[StationInfo],
    subscriptions: Iterable[SubscriptionInfo] = (),
    neighbour_km: float = DEFAULT_NEIGHBOUR_KM,
) -> Recipients:
    """The stations and units that receive an alert (see the module docstring for the rules)."""
    result = Recipients()
    stations = list(stations)
    if target.category in NATIONWIDE_CATEGORIES:
        result.nationwide = True
        result.station_ids = {s.id for s in stations}
        result.district_ids = set(districts)
    else:
        covered: set[int] = set()
        origin = districts.get(target.origin_district_id) if target.origin_district_id else None
        if origin is not None:
            covered |= neighbour_district_ids(origin, districts.values(), neighbour_km)
        for d in districts.values():
            if d.lgd_code in target.area_districts or d.state_lgd in target.area_states:
                covered.add(d.id)
        in_circle: set[int] = set()
        if target.point is not None and target.radius_km:
            lat, lon = target.point
            in_circle = {s.id for s in stations if distance_km(lat, lon, s.lat, s.lon) <= target.radius_km}
            result.circle_district_ids = {s.district_id for s in stations if s.id in in_circle}
            covered |= result.circle_district_ids
        result.district_ids = covered
        result.station_ids = {s.id for s in stations if s.district_id in covered} | in_circle
    covered_districts = [districts[i] for i in result.district_ids if i in districts]
    district_lgds = {d.lgd_code for d in covered_districts}
    state_lgds = {d.state_lgd for d in covered_districts}
    for sub in subscriptions:
        if sub.categories and target.category not in sub.categories:
            continue
        place_free = not sub.states and not sub.districts
        if not (place_free or sub.states & state_lgds or sub.districts & district_lgds):
            continue
        if sub.station_id:
            result.station_ids.add(sub.station_id)
        elif sub.unit_id:
            result.unit_ids.add(sub.unit_id)
    reached = [s for s in stations if s.id in result.station_ids]
    result.agency_ids = {s.agency_id for s in reached if s.agency_id}
    result.reached_district_ids = {s.district_id for s in reached}
    return result

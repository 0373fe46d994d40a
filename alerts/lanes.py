"""Alerts stay in their lane: where a publisher's office may send an alert.

- A station, district SP office or unit office publishes inside its own state, and to the districts neighbouring its
  own district across a state border (the same ring the alert reaches by default: centroids within
  ALERTS_NEIGHBOUR_KM).
- An agency (its ILOs), and a unit office without a district of its own, publishes inside its state and to the
  districts of other states that border it (within the same distance of one of its districts).
- Another state as a whole, a district beyond the border ring, or the whole country (a nationwide category such as
  terror) takes the NCB's capability `alerts.publish_interstate`.
Offices that subscribed to alerts from elsewhere still receive them: that is the receiver's choice, not the
publisher's reach. There is no approval path: an alert beyond the lane is refused, next to the field that asked for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from accounts import access
from accounts.offices import Level, Office
from alerts import targeting

INTERSTATE = "alerts.publish_interstate"


@dataclass(frozen=True)
class Lane:
    """The districts an office may reach, and its own state (None: an office without a state reaches none)."""

    state_id: int | None
    district_ids: frozenset[int]


def neighbour_km() -> float:
    return float(getattr(settings, "ALERTS_NEIGHBOUR_KM", targeting.DEFAULT_NEIGHBOUR_KM))


def lane_of(office: Office, districts: dict[int, targeting.DistrictInfo]) -> Lane:
    """The lane of a sub-national office: its state's districts and the districts neighbouring its own district(s)."""
    from directory.models import Agency, UnitOffice

    home = {office.district_id} if office.district_id else set()
    if office.level is Level.UNIT:
        unit_district = UnitOffice.objects.filter(pk=office.id).values_list("district_id", flat=True).first()
        home = {unit_district} if unit_district else set()
    state_id = next((districts[d].state_id for d in home if d in districts), None)
    if state_id is None and office.agency_id:
        state_id = Agency.objects.filter(pk=office.agency_id).values_list("state_id", flat=True).first()
    own = {d.id for d in districts.values() if state_id is not None and d.state_id == state_id}
    if not home:  # an agency, or a unit office without a district of its own: it works for the whole state
        home = own
    reach = set(own)
    for district_id in home:
        if district_id in districts:
            reach |= targeting.neighbour_district_ids(districts[district_id], districts.values(), neighbour_km())
    return Lane(state_id, frozenset(reach))


def lane_for(user, districts: dict[int, targeting.DistrictInfo]) -> Lane | None:
    """The publisher's lane; None when it may reach anywhere (the NCB's capability)."""
    if access.can(user, INTERSTATE):
        return None
    office = Office.of(user)
    return lane_of(office, districts) if office is not None else Lane(None, frozenset())


def _names(district_ids) -> str:
    from directory.models import District

    return ", ".join(f"{d.name} ({d.lgd_code})" for d in District.objects.filter(pk__in=district_ids).order_by("lgd_code")[:10])


def refusals(lane: Lane, alert, recipients: targeting.Recipients, districts: dict[int, targeting.DistrictInfo]) -> dict[str, list[str]]:
    """What in the alert's targeting lies beyond the lane, by the field that asked for it (empty: all of it is inside)."""
    errors: dict[str, list[str]] = {}
    beyond = _("Beyond your state and its neighbouring districts; only the NCB publishes there.")
    if lane.state_id is None:
        return {"area_districts": [_("Your office belongs to no state: alerts from it are published by the NCB.")]}
    if alert.category in targeting.NATIONWIDE_CATEGORIES:
        errors["category"] = [
            _("This category goes to every station in the country; only the NCB publishes beyond your state and its neighbours.")
        ]
        return errors
    state_lgd = {d.state_lgd for d in districts.values() if d.state_id == lane.state_id}
    other_states = sorted(set(alert.area_states) - state_lgd)
    if other_states:
        codes = ", ".join(str(c) for c in other_states)
        errors["area_states"] = [_("Another state as a whole (%(codes)s): %(why)s") % {"codes": codes, "why": beyond}]
    by_lgd = {d.lgd_code: d.id for d in districts.values()}
    far = {by_lgd[c] for c in alert.area_districts if c in by_lgd} - lane.district_ids
    if far:
        errors["area_districts"] = [_("%(names)s: %(why)s") % {"names": _names(far), "why": beyond}]
    if alert.area_lat is not None and alert.area_lon is not None and alert.area_radius_km:
        circle = recipients.circle_district_ids - lane.district_ids
        if circle:
            errors["area_radius_km"] = [_("The circle reaches %(names)s: %(why)s") % {"names": _names(circle), "why": beyond}]
    if not errors and recipients.district_ids - lane.district_ids:  # anything else (the ring around a named district)
        errors["area_districts"] = [_("%(names)s: %(why)s") % {"names": _names(recipients.district_ids - lane.district_ids), "why": beyond}]
    return errors

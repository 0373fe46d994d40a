"""Who sees an alert, written once, from the office (`accounts.offices.Office`) and the capability `alerts.view`.

An alert is seen by
- its author;
- the offices that *own* it: the office it was published from and every office above that one (a station's alert
  by the station, its district's SP office, its state's ILOs and the NCB). They also see every acknowledgement;
- the offices it *reached*: the stations and unit offices it was delivered to, and the offices above those
  stations (their district's SP office, their state's ILOs). They see the acknowledgements of the offices they cover.

The two tables below say, for each level of office, which column of an alert names its owner at that level and which
lookup of a delivery names its recipient there. Every reader is built from them: the database filters used by the
lists, the detail pages, the acknowledgements and the stream's replay (`alert_filter`, `event_filter`,
`owned_filter`), and the audience keys of live events (`event_keys`, matched against `viewer_keys`).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts import access
from accounts.offices import Level, Office

# The column of an alert naming, at each level, the office that owns it (besides the publishing office's own key,
# `Alert.origin_office`): a station's alert is owned by its district through the station's district.
OWNER: dict[Level, str] = {
    Level.AGENCY: "origin_agency",
    Level.DISTRICT: "origin_station__district",
    Level.UNIT: "origin_unit",
    Level.STATION: "origin_station",
}
# The lookup of a delivery naming, at each level, the office it reached, and the list of the version's stored
# audience that holds the same offices (written at publication, before the delivery rows).
REACHED: dict[Level, tuple[str, str]] = {
    Level.AGENCY: ("station__agency", "agencies"),
    Level.DISTRICT: ("station__district", "districts"),
    Level.UNIT: ("unit", "units"),
    Level.STATION: ("station", "stations"),
}
# The offices that receive a delivery row of their own (and acknowledge it): stations and unit offices.
RECIPIENT: dict[Level, str] = {Level.STATION: "station", Level.UNIT: "unit"}
PUBLISH_KINDS = ("published", "updated", "cancelled")
EVERYTHING = ~Q(pk__in=[])  # unlike Q(), it stays "everything" when OR-ed with another condition


def office_of(user) -> Office | None:
    """The office whose alerts the user sees: none without the capability (analysts and system administrators sit
    in the national office but read no alert), none for citizens."""
    return Office.of(user) if access.can(user, "alerts.view") else None


def _scope(office: Office, lookups: dict[Level, str], prefix: str = "") -> Q:
    return office.scope(**{str(level): prefix + path for level, path in lookups.items()})


def owned_filter(office: Office, user_id: int | None, *, prefix: str = "") -> Q:
    """Alerts (or, with prefix "alert__", their events) the office owns, or the user wrote."""
    if office.is_national:
        return EVERYTHING
    return Q(**{f"{prefix}created_by_id": user_id}) | Q(**{f"{prefix}origin_office": office.key}) | _scope(office, OWNER, prefix)


def _reached(office: Office, deliveries: QuerySet) -> Q:
    return Exists(deliveries.filter(_scope(office, {level: lookup for level, (lookup, _list) in REACHED.items()})))


def alert_filter(office: Office, user_id: int | None) -> Q:
    """The alerts the office sees: owned, written by the user, or delivered (any version) to it or below it."""
    from alerts.models import Delivery

    if office.is_national:
        return EVERYTHING
    return owned_filter(office, user_id) | _reached(office, Delivery.objects.filter(alert=OuterRef("pk")))


def event_filter(office: Office, user_id: int | None) -> Q:
    """The stream events the office is sent: a version's publication where the alert is owned or that version was
    delivered to it; an acknowledgement where the alert is owned (see `event_keys`, the same for live pages)."""
    from alerts.models import Delivery

    owned = owned_filter(office, user_id, prefix="alert__")
    if office.is_national:
        return owned
    return owned | Q(kind__in=PUBLISH_KINDS) & _reached(office, Delivery.objects.filter(version=OuterRef("version")))


def delivery_filter(office: Office) -> Q:
    """The deliveries to this office or to an office below it (whose acknowledgements it sees)."""
    return _scope(office, {level: lookup for level, (lookup, _list) in REACHED.items()})


def own_deliveries(office: Office | None) -> Q:
    """The deliveries this office itself answers for (a station's, a unit office's); none for the others."""
    column = RECIPIENT.get(office.level) if office is not None else None
    return Q(**{f"{column}_id": office.id}) if column else Q(pk__in=[])


# --- The same rules as audience keys, for live pages --------------------------------------------------------------


def viewer_keys(user_id: int, office: Office | None) -> tuple[str, ...]:
    """The keys an open page listens on: its user, and its office."""
    return (f"user:{user_id}",) if office is None else (f"user:{user_id}", office.key)


def _value(obj, path: str):
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id")


def owner_keys(alert) -> set[str]:
    """The keys of the offices that own the alert, and of its author (as `owned_filter`)."""
    keys = {Level.NATIONAL.value, f"user:{alert.created_by_id}"}
    if alert.origin_office:
        keys.add(alert.origin_office)
    for level, path in OWNER.items():
        value = _value(alert, path)
        if value is not None:
            keys.add(f"{level}:{value}")
    return keys


def event_keys(kind: str, alert, version_audience: dict) -> frozenset[str]:
    """Every key an event reaches: the owners of its alert, and for a publication the offices of its version's audience."""
    keys = owner_keys(alert)
    if kind in PUBLISH_KINDS:
        for level, (_lookup, name) in REACHED.items():
            keys.update(f"{level}:{pk}" for pk in version_audience.get(name, ()))
    return frozenset(keys)

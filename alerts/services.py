"""Every write on an alert: publishing, updating, cancelling, acknowledging, reporting action, reminding, subscribing."""

import contextlib
import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User
from accounts.offices import MEMBER_ROLES, Level, Office
from alerts import audience, lanes, realtime, targeting, tasks
from alerts.models import (
    HIGH_SEVERITIES,
    Alert,
    AlertEvent,
    AlertVersion,
    Category,
    Certainty,
    Delivery,
    Severity,
    Subscription,
    Urgency,
)
from audit import services as audit
from directory.models import Agency, District, PoliceStation, State, UnitOffice
from notify import services as notify
from records import crossmatch
from workflow.files import IMAGE_TYPES, attachment_save, check_upload
from workflow.models import Attachment

AUDIT = "alert"
log = logging.getLogger(__name__)
CONTENT_FIELDS = (
    "category urgency severity certainty headline description instruction area_states area_districts area_lat area_lon "
    "area_radius_km persons vehicles fir_number fir_sections expires_at"
).split()
# India's extent (Indira Point to Siachen, Gujarat's Kori Creek to Arunachal's Kibithu), padded a little.
INDIA_BOUNDS = (6.5, 37.5, 68.0, 97.5)
# Without boundary polygons, a point counts as inside India when it also lies near an Indian district's centroid.
NEAREST_DISTRICT_KM = 150.0
MAX_RADIUS_KM = 1000.0
MAX_LIFETIME = timedelta(days=365)
MAX_UTC_OFFSET = timedelta(hours=14)  # the farthest time zones on Earth: -12:00 and +14:00


# --- Validating what the publisher wrote -------------------------------------------------------------


def _text(data: dict, name: str, errors: dict, *, required: bool = False, max_length: int | None = None) -> str:
    value = str(data.get(name) or "").strip()
    if required and not value:
        errors.setdefault(name, []).append(_("This field is required."))
    if max_length and len(value) > max_length:
        errors.setdefault(name, []).append(_("At most %(n)s characters.") % {"n": max_length})
    return value


def _choice(data: dict, name: str, choices, default: str, errors: dict) -> str:
    value = data.get(name) or default
    if value not in choices.values:
        errors.setdefault(name, []).append(_("Choose one of: %(values)s.") % {"values": ", ".join(choices.values)})
    return value


def _codes(value, name: str, errors: dict) -> list[int]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [v for v in value.replace(";", ",").split(",") if v.strip()]
    try:
        return sorted({int(str(v).strip()) for v in value})
    except (TypeError, ValueError):
        errors.setdefault(name, []).append(_("Give LGD codes: whole numbers separated by commas."))
        return []


def _float(value, name: str, errors: dict) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        errors.setdefault(name, []).append(_("Give a number."))
        return None


def _expiry(value, errors: dict, now: datetime) -> datetime | None:
    if isinstance(value, str):
        try:
            value = parse_datetime(value.strip()) if value.strip() else None
        except ValueError:  # well formed but impossible, such as a time zone of +99:00
            errors.setdefault("expires_at", []).append(_("Give a real date and time (time zones run from -12:00 to +14:00)."))
            return None
    if value is None:
        errors.setdefault("expires_at", []).append(_("Say when the alert expires."))
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if abs(value.utcoffset()) > MAX_UTC_OFFSET:  # Python allows ±23:59, PostgreSQL refuses beyond ±15:59
        errors.setdefault("expires_at", []).append(_("Give a real date and time (time zones run from -12:00 to +14:00)."))
        return None
    if value <= now:
        errors.setdefault("expires_at", []).append(_("The expiry must be in the future."))
    elif value > now + MAX_LIFETIME:
        errors.setdefault("expires_at", []).append(_("An alert may run for at most a year; publish it again then."))
    return value


def point_in_india(lat: float, lon: float) -> bool:
    """True for a point inside India's extent and within 150 km of an Indian district's centroid (no boundary polygons exist here)."""
    south, north, west, east = INDIA_BOUNDS
    if not (south <= lat <= north and west <= lon <= east):
        return False
    centroids = District.objects.filter(lat__isnull=False, lon__isnull=False).values_list("lat", "lon")
    return any(targeting.distance_km(lat, lon, d_lat, d_lon) <= NEAREST_DISTRICT_KM for d_lat, d_lon in centroids)


def _persons(value, errors: dict) -> list[dict]:
    persons = []
    for index, person in enumerate(value or [], start=1):
        if isinstance(person, str):
            person = {"name": person}
        if not isinstance(person, dict):
            errors.setdefault("persons", []).append(_("Person %(n)s: give a name.") % {"n": index})
            continue
        name = str(person.get("name") or "").strip()
        if not name:
            errors.setdefault("persons", []).append(_("Person %(n)s: give a name.") % {"n": index})
        aliases = person.get("aliases") or []
        if isinstance(aliases, str):
            aliases = [a.strip() for a in aliases.split(",") if a.strip()]
        dob = str(person.get("dob") or "").strip()
        if dob and (parse_date(dob) is None or parse_date(dob) > timezone.localdate()):
            errors.setdefault("persons", []).append(_("Person %(n)s: the date of birth must be a past date (YYYY-MM-DD).") % {"n": index})
        persons.append(
            {"name": name[:200], "aliases": [str(a)[:200] for a in aliases], "dob": dob, "photos": list(person.get("photos") or [])}
        )
    return persons


def _vehicles(value, errors: dict) -> list[dict]:
    vehicles = []
    for index, vehicle in enumerate(value or [], start=1):
        if isinstance(vehicle, str):
            vehicle = {"registration": vehicle}
        if not isinstance(vehicle, dict):
            errors.setdefault("vehicles", []).append(_("Vehicle %(n)s: give a registration, chassis or engine number.") % {"n": index})
            continue
        cleaned = {key: str(vehicle.get(key) or "").strip().upper()[:40] for key in ("registration", "chassis", "engine")}
        cleaned["description"] = str(vehicle.get("description") or "").strip()[:200]
        if not (cleaned["registration"] or cleaned["chassis"] or cleaned["engine"]):
            errors.setdefault("vehicles", []).append(_("Vehicle %(n)s: give a registration, chassis or engine number.") % {"n": index})
        vehicles.append(cleaned)
    return vehicles


def clean_content(data: dict, *, now: datetime | None = None) -> dict:
    """The alert content, checked; every problem is reported at once, by field."""
    now = now or timezone.now()
    unknown = set(data) - set(CONTENT_FIELDS)
    errors: dict[str, list[str]] = {name: [_("This field cannot be set here.")] for name in sorted(unknown)}
    content = {
        "category": _choice(data, "category", Category, "", errors),
        "urgency": _choice(data, "urgency", Urgency, Urgency.IMMEDIATE, errors),
        "severity": _choice(data, "severity", Severity, Severity.SEVERE, errors),
        "certainty": _choice(data, "certainty", Certainty, Certainty.LIKELY, errors),
        "headline": _text(data, "headline", errors, required=True, max_length=160),
        "description": _text(data, "description", errors, required=True),
        "instruction": _text(data, "instruction", errors),
        "area_states": _codes(data.get("area_states"), "area_states", errors),
        "area_districts": _codes(data.get("area_districts"), "area_districts", errors),
        "area_lat": _float(data.get("area_lat"), "area_lat", errors),
        "area_lon": _float(data.get("area_lon"), "area_lon", errors),
        "area_radius_km": _float(data.get("area_radius_km"), "area_radius_km", errors),
        "persons": _persons(data.get("persons"), errors),
        "vehicles": _vehicles(data.get("vehicles"), errors),
        "fir_number": _text(data, "fir_number", errors, max_length=60),
        "fir_sections": _text(data, "fir_sections", errors, max_length=200),
        "expires_at": _expiry(data.get("expires_at"), errors, now),
    }
    known_states = set(State.objects.filter(lgd_code__in=content["area_states"]).values_list("lgd_code", flat=True))
    if set(content["area_states"]) - known_states:
        missing = ", ".join(str(c) for c in sorted(set(content["area_states"]) - known_states))
        errors.setdefault("area_states", []).append(_("Not the LGD code of an Indian state or UT: %(codes)s.") % {"codes": missing})
    known_districts = set(District.objects.filter(lgd_code__in=content["area_districts"]).values_list("lgd_code", flat=True))
    if set(content["area_districts"]) - known_districts:
        missing = ", ".join(str(c) for c in sorted(set(content["area_districts"]) - known_districts))
        errors.setdefault("area_districts", []).append(_("Not the LGD code of an Indian district: %(codes)s.") % {"codes": missing})
    point = (content["area_lat"], content["area_lon"], content["area_radius_km"])
    if any(v is not None for v in point) and "area_lat" not in errors and "area_lon" not in errors:
        lat, lon, radius = point
        if lat is None or lon is None or radius is None:
            errors.setdefault("area_radius_km", []).append(_("A circle needs a latitude, a longitude and a radius."))
        elif not (0 < radius <= MAX_RADIUS_KM):
            errors.setdefault("area_radius_km", []).append(_("The radius must be between 0 and %(max)s km.") % {"max": int(MAX_RADIUS_KM)})
        elif not point_in_india(lat, lon):
            errors.setdefault("area_lat", []).append(_("This point lies outside India."))
    if errors:
        raise ValidationError(errors)
    return content


def snapshot(alert: Alert) -> dict:
    """The full content of the alert as stored in a version row (JSON-ready)."""
    content = {name: getattr(alert, name) for name in CONTENT_FIELDS}
    content["expires_at"] = alert.expires_at.isoformat()
    content["reference"] = alert.reference
    content["status"] = alert.status
    content["origin"] = {
        "district": alert.origin_district.lgd_code if alert.origin_district_id else None,
        "state": alert.origin_state.lgd_code if alert.origin_state_id else None,
        "station": alert.origin_station.code if alert.origin_station_id else None,
        "unit": alert.origin_unit.code if alert.origin_unit_id else None,
        "agency": alert.origin_agency.code if alert.origin_agency_id else None,
        "office": alert.created_by.office_label,
    }
    return content


# --- Who receives it -------------------------------------------------------------------------------------


def _districts() -> dict[int, targeting.DistrictInfo]:
    return {
        d[0]: targeting.DistrictInfo(*d)
        for d in District.objects.values_list("id", "lgd_code", "state_id", "state__lgd_code", "lat", "lon")
    }


def _stations() -> list[targeting.StationInfo]:
    return [
        targeting.StationInfo(*s)
        for s in PoliceStation.objects.filter(is_active=True).values_list("id", "district_id", "lat", "lon", "agency_id")
    ]


EVERY_STATION_SQL = """
    SELECT coalesce(array_agg(id), '{}'), coalesce(array_agg(DISTINCT agency_id), '{}'), coalesce(array_agg(DISTINCT district_id), '{}')
    FROM directory_policestation WHERE is_active
"""


def _every_active_station() -> tuple[set[int], set[int], set[int]]:
    """The ids, state police and districts of every active station: on PostgreSQL three arrays in one row."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(EVERY_STATION_SQL)
            return tuple(set(column) for column in cursor.fetchone())
    rows = list(PoliceStation.objects.filter(is_active=True).values_list("id", "agency_id", "district_id"))
    if not rows:
        return set(), set(), set()
    ids, agencies, districts = zip(*rows, strict=True)
    return set(ids), set(agencies), set(districts)


def _subscriptions():
    return [
        targeting.SubscriptionInfo(
            station_id=s.station_id,
            unit_id=s.unit_id,
            categories=frozenset(s.categories or ()),
            states=frozenset(int(c) for c in s.states or ()),
            districts=frozenset(int(c) for c in s.districts or ()),
        )
        for s in Subscription.objects.all()
    ]


def recipients_of(alert: Alert, districts: dict[int, targeting.DistrictInfo] | None = None) -> targeting.Recipients:
    """Applies the targeting rules to an alert (saved or not)."""
    nationwide = alert.category in targeting.NATIONWIDE_CATEGORIES
    point = (alert.area_lat, alert.area_lon) if alert.area_lat is not None and alert.area_lon is not None else None
    target = targeting.Target(
        category=alert.category,
        origin_district_id=alert.origin_district_id,
        area_states=frozenset(alert.area_states),
        area_districts=frozenset(alert.area_districts),
        point=point,
        radius_km=alert.area_radius_km,
    )
    neighbour_km = float(getattr(settings, "ALERTS_NEIGHBOUR_KM", targeting.DEFAULT_NEIGHBOUR_KM))
    # A nationwide alert reaches every station whatever the rules say of places: it is published without building
    # 16,700 station objects for them to walk (that time is on the way to every open page).
    stations = [] if nationwide else _stations()
    result = targeting.recipients_for(
        target, districts=districts or _districts(), stations=stations, subscriptions=_subscriptions(), neighbour_km=neighbour_km
    )
    if nationwide:
        ids, agencies, reached = _every_active_station()
        result.station_ids |= ids
        result.agency_ids |= agencies
        result.reached_district_ids |= reached
    return result


# On PostgreSQL the rows come straight from the version's stored audience (jsonb): nothing crosses into Python.
DELIVERY_SQL = """
    INSERT INTO alerts_delivery (alert_id, version_id, station_id, unit_id, delivered_at, action_taken, reminders)
    SELECT v.alert_id, v.id, office.id::bigint, NULL, v.sent_at, '', 0
      FROM alerts_alertversion v, jsonb_array_elements_text(v.audience -> 'stations') AS office(id) WHERE v.id = %(version)s
    UNION ALL
    SELECT v.alert_id, v.id, NULL, office.id::bigint, v.sent_at, '', 0
      FROM alerts_alertversion v, jsonb_array_elements_text(v.audience -> 'units') AS office(id) WHERE v.id = %(version)s
"""


def _deliver(version: AlertVersion) -> int:
    """Writes one Delivery row per office in the version's audience, in one statement on PostgreSQL (16,671 rows in
    about a tenth of a second, where building as many model instances took seconds)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(DELIVERY_SQL, {"version": version.pk})
            return cursor.rowcount
    audience, now = version.audience, version.sent_at
    rows = [Delivery(alert_id=version.alert_id, version=version, station_id=pk, delivered_at=now) for pk in audience.get("stations", ())]
    rows += [Delivery(alert_id=version.alert_id, version=version, unit_id=pk, delivered_at=now) for pk in audience.get("units", ())]
    Delivery.objects.bulk_create(rows, batch_size=500)
    return len(rows)


# --- Publishing, updating, cancelling --------------------------------------------------------------------


def _origin(by: User, content: dict) -> dict:
    """Where the alert comes from: the publisher's office (its station or unit, and its district), else the first
    district named of the publisher's own state (any, for the NCB): the default ring around it stays in the lane."""
    office = Office.of(by)
    origin = {"origin_office": office.key if office else "", "origin_agency_id": by.agency_id, "origin_district_id": None}
    origin["origin_station_id"] = office.id if office and office.level is Level.STATION else None
    origin["origin_unit_id"] = office.id if office and office.level is Level.UNIT else None
    if office is not None and office.district_id:
        origin["origin_district_id"] = office.district_id
    elif origin["origin_unit_id"]:
        origin["origin_district_id"] = UnitOffice.objects.filter(pk=office.id).values_list("district_id", flat=True).first()
    state_id = Agency.objects.filter(pk=by.agency_id).values_list("state_id", flat=True).first() if by.agency_id else None
    if origin["origin_district_id"] is None and content["area_districts"]:
        named = District.objects.filter(lgd_code__in=content["area_districts"]).order_by("lgd_code")
        named = named.filter(state_id=state_id) if state_id else named
        origin["origin_district_id"] = named.values_list("pk", flat=True).first()
    if origin["origin_district_id"] is not None:
        origin["origin_state_id"] = District.objects.filter(pk=origin["origin_district_id"]).values_list("state_id", flat=True).first()
    elif state_id:
        origin["origin_state_id"] = state_id
    return origin


def _require_area(alert: Alert) -> None:
    has_area = alert.area_states or alert.area_districts or alert.area_lat is not None
    if not (has_area or alert.origin_district_id or alert.category in targeting.NATIONWIDE_CATEGORIES):
        raise ValidationError({"area_districts": [_("Say where: give districts or states (LGD codes), or a point and a radius.")]})


def _targeted(alert: Alert, by: User) -> targeting.Recipients:
    """The alert's recipients, once its targeting is checked: somewhere, and inside the publisher's lane (`alerts.lanes`)."""
    _require_area(alert)
    districts = _districts()
    recipients = recipients_of(alert, districts)
    lane = lanes.lane_for(by, districts)
    if lane is not None:
        errors = lanes.refusals(lane, alert, recipients, districts)
        if errors:
            raise ValidationError(errors)
    return recipients


def _new_version(alert: Alert, *, by: User, msg_type: str, note: str, now: datetime, audience: dict) -> AlertVersion:
    """The version, and in its transaction the task that makes sure its inbox rows are written (`alerts.tasks`)."""
    version = AlertVersion.objects.create(
        alert=alert, number=alert.version, msg_type=msg_type, content=snapshot(alert), note=note, sent_at=now, sent_by=by, audience=audience
    )
    grace = timedelta(seconds=float(getattr(settings, "ALERTS_DELIVERIES_GRACE_SECONDS", 30)))
    tasks.deliveries.using(run_after=now + grace).enqueue(version.pk)
    return version


def _one_transaction_on_sqlite():
    """SQLite serves one process and locks whole tables: there the inbox rows go in with the alert, and the page
    reading the new event never meets a half-finished write."""
    return transaction.atomic() if connection.vendor != "postgresql" else contextlib.nullcontext()


def deliveries_write(version_id: int, *, retried: bool = False) -> int:
    """Writes the inbox row of every office a version reached, from its audience, once; returns how many rows.

    Publishing commits the alert, its version (with the audience), its event and the task `alerts.tasks.deliveries`
    first, so open pages are told at once; the 16,700 rows of a nationwide alert follow in this second transaction,
    on the publishing request. If that step fails, the task (`retried`: a failure raises, so it is tried again)
    writes them later; whoever comes second finds nothing left to do.

    The officers of those offices are told in the same transaction (`officers_tell`): their messages are enqueued
    with the rows, so they go once the rows exist, exactly once, and never if the rows are not written.
    """
    if AlertVersion.objects.filter(pk=version_id, deliveries_written=True).exists():
        return 0  # the usual case for the task: read only, so it takes no write lock (SQLite has one for everything)
    try:
        with transaction.atomic():
            version = AlertVersion.objects.select_for_update(of=("self",)).select_related("alert").defer("audience").get(pk=version_id)
            if version.deliveries_written:
                return 0
            if connection.vendor == "postgresql":
                # Derived rows, flagged in the same transaction: if a crash loses them, the version's task writes them again.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            count = _deliver(version)
            version.deliveries_written = True
            version.save(update_fields=["deliveries_written"])
            officers_tell(version)
            return count
    except DatabaseError:
        if retried:
            raise
        log.exception("alerts: the deliveries of version %s were not written; its task will write them", version_id)
        return 0


def _announce(alert: Alert, version: AlertVersion, kind: str, delivery: Delivery | None = None) -> AlertEvent:
    event = AlertEvent.objects.create(alert=alert, version=version, kind=kind, delivery=delivery)
    realtime.announce(event.pk)
    version.event_id = event.pk  # for _after_pages
    return event


def _after_pages(version: AlertVersion) -> None:
    """Writes a version's inbox rows once the open pages of this server process have been handed its event.

    Pages come first: writing 16,700 rows takes the database a few hundred milliseconds of CPU that, on a small
    server, the pages would otherwise wait for. The wait is bounded (ALERTS_PAGES_FIRST_SECONDS) and skipped when
    this process serves no pages; inside a caller's transaction nothing was sent yet, so nothing is awaited.
    """
    if not transaction.get_autocommit():
        deliveries_write(version.pk)
        return
    realtime.broker.wait_served(version.event_id, timeout=float(getattr(settings, "ALERTS_PAGES_FIRST_SECONDS", 1.0)))
    deliveries_write(version.pk)


def _save_photos(alert: Alert, by: User, photos: dict | None) -> None:
    """Checks every photo (content, not name) and attaches it to its person; one bad photo refuses them all."""
    if not photos:
        return
    errors, checked = [], {}
    for index, uploads in photos.items():
        for upload in uploads:
            try:
                checked.setdefault(index, []).append(check_upload(upload, allowed=IMAGE_TYPES))
            except ValidationError as error:
                errors.extend(error.messages)
    if errors:
        raise ValidationError({"photos": errors})
    for index, files in checked.items():
        if not (0 <= index < len(alert.persons)):
            raise ValidationError({"photos": [_("A photo belongs to no person.")]})
        for item in files:
            attachment = attachment_save(alert, item, kind=Attachment.Kind.PHOTO, by=by)
            alert.persons[index]["photos"] = [*alert.persons[index].get("photos", []), {"id": attachment.pk, "sha256": item.sha256}]
    alert.save(update_fields=["persons"])


def alert_publish(*, by: User, data: dict, photos: dict[int, list] | None = None) -> Alert:
    """A station, unit, state or NCB officer publishes an alert; its recipients get it at once.

    On PostgreSQL, two transactions: the alert with its version, audience and event (open pages are told when it
    commits), then the inbox rows (`deliveries_write`). Inside a caller's transaction, or on SQLite, they are one.
    """
    with _one_transaction_on_sqlite():
        alert, version = _publish(by=by, data=data, photos=photos)
        _after_pages(version)
    return alert


@transaction.atomic
def _publish(*, by: User, data: dict, photos: dict[int, list] | None) -> tuple[Alert, AlertVersion]:
    access.require(by, "alerts.publish")
    now = timezone.now()
    content = clean_content(data, now=now)
    alert = Alert(created_by=by, **content, **_origin(by, content))
    recipients = _targeted(alert, by)
    alert.save()
    alert.reference = f"AL/{timezone.localdate().year}/{alert.pk:06d}"
    alert.save(update_fields=["reference"])
    _save_photos(alert, by, photos)
    version = _new_version(alert, by=by, msg_type=AlertVersion.MsgType.ALERT, note="", now=now, audience=recipients.audience())
    _announce(alert, version, AlertEvent.Kind.PUBLISHED)
    count = len(recipients.station_ids) + len(recipients.unit_ids)
    audit.record(actor=by, action=f"{AUDIT}.published", target=alert, data={"recipients": count, "nationwide": recipients.nationwide})
    crossmatch.screen_enqueue(alert)  # a task: the worker screens it against the records once this commits
    return alert, version


def may_amend(alert: Alert, by: User) -> bool:
    """The author, the office that published an alert and the offices above it (its SP office, its state's ILOs, the
    NCB) may update or cancel it."""
    office = Office.of(by)
    if office is None or not access.can(by, "alerts.publish"):
        return False
    return Alert.objects.filter(audience.owned_filter(office, by.pk), pk=alert.pk).exists()


def _lock_for_amend(alert: Alert, by: User) -> Alert:
    access.require(by, "alerts.publish")
    if not may_amend(alert, by):
        raise PermissionDenied(_("Only the office that published this alert, or the NCB, may change it."))
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    if locked.status == Alert.Status.CANCELLED:
        raise ValidationError(_("This alert was cancelled; publish a new one."))
    return locked


def alert_update(*, alert: Alert, by: User, data: dict, note: str = "", photos: dict[int, list] | None = None) -> Alert:
    """A new version of the alert: its recipients are worked out again and told; earlier versions are kept."""
    with _one_transaction_on_sqlite():
        updated, version = _update(alert=alert, by=by, data=data, note=note, photos=photos)
        _after_pages(version)
    return updated


@transaction.atomic
def _update(*, alert: Alert, by: User, data: dict, note: str, photos: dict[int, list] | None) -> tuple[Alert, AlertVersion]:
    locked = _lock_for_amend(alert, by)
    now = timezone.now()
    merged = {name: getattr(locked, name) for name in CONTENT_FIELDS} | data
    content = clean_content(merged, now=now)
    for name, value in content.items():
        setattr(locked, name, value)
    recipients = _targeted(locked, by)
    locked.version += 1
    locked.save()
    _save_photos(locked, by, photos)
    version = _new_version(locked, by=by, msg_type=AlertVersion.MsgType.UPDATE, note=note, now=now, audience=recipients.audience())
    _announce(locked, version, AlertEvent.Kind.UPDATED)
    count = len(recipients.station_ids) + len(recipients.unit_ids)
    audit.record(actor=by, action=f"{AUDIT}.updated", target=locked, data={"version": locked.version, "recipients": count})
    crossmatch.screen_enqueue(locked)  # an update may name new persons or vehicles
    return locked, version


def alert_cancel(*, alert: Alert, by: User, note: str) -> Alert:
    """Withdraws the alert; everyone who received the last version is told."""
    with _one_transaction_on_sqlite():
        cancelled, version = _cancel(alert=alert, by=by, note=note)
        _after_pages(version)
    return cancelled


@transaction.atomic
def _cancel(*, alert: Alert, by: User, note: str) -> tuple[Alert, AlertVersion]:
    if not note.strip():
        raise ValidationError({"note": [_("Say why the alert is cancelled.")]})
    locked = _lock_for_amend(alert, by)
    now = timezone.now()
    previous = locked.versions.get(number=locked.version)
    locked.status = Alert.Status.CANCELLED
    locked.version += 1
    locked.save()
    audience = previous.audience or _audience_of_rows(previous)
    version = _new_version(locked, by=by, msg_type=AlertVersion.MsgType.CANCEL, note=note.strip(), now=now, audience=audience)
    _announce(locked, version, AlertEvent.Kind.CANCELLED)
    audit.record(actor=by, action=f"{AUDIT}.cancelled", target=locked, data={"version": locked.version, "note": note.strip()})
    return locked, version


def _audience_of_rows(version: AlertVersion) -> dict:
    """The audience of a version published before audiences were stored, from its delivery rows."""
    rows = list(version.deliveries.values_list("station_id", "unit_id", "station__agency_id"))
    return {
        "stations": sorted({s for s, _u, _a in rows if s}),
        "units": sorted({u for _s, u, _a in rows if u}),
        "agencies": sorted({a for _s, _u, a in rows if a}),
    }


# --- Recipients acknowledge and report ---------------------------------------------------------------------


def is_recipient(delivery: Delivery, user: User) -> bool:
    """Is the delivery addressed to the user's own office (a station's or unit office's)?"""
    return Delivery.objects.filter(audience.own_deliveries(audience.office_of(user)), pk=delivery.pk).exists()


@transaction.atomic
def delivery_acknowledge(*, delivery: Delivery, by: User, action_taken: str = "") -> Delivery:
    """The recipient office confirms it received the alert (once), optionally saying what it did."""
    if not is_recipient(delivery, by):
        raise PermissionDenied(_("Only the office the alert reached acknowledges it."))
    now = timezone.now()
    claimed = Delivery.objects.filter(pk=delivery.pk, acknowledged_at__isnull=True).update(
        acknowledged_by=by, acknowledged_at=now, action_taken=action_taken.strip()
    )
    delivery.refresh_from_db()
    if not claimed:
        raise ValidationError(
            _("Already acknowledged by %(who)s on %(when)s.")
            % {"who": delivery.acknowledged_by, "when": timezone.localtime(delivery.acknowledged_at).strftime("%d %b %Y %H:%M")}
        )
    _announce(delivery.alert, delivery.version, AlertEvent.Kind.ACKNOWLEDGED, delivery=delivery)
    audit.record(actor=by, action=f"{AUDIT}.acknowledged", target=delivery.alert, data={"office": delivery.office_label})
    return delivery


@transaction.atomic
def delivery_report_action(*, delivery: Delivery, by: User, action_taken: str) -> Delivery:
    """The recipient office says what it did (acknowledging first if it had not)."""
    if not is_recipient(delivery, by):
        raise PermissionDenied(_("Only the office the alert reached reports on it."))
    if not action_taken.strip():
        raise ValidationError({"action_taken": [_("Describe the action taken.")]})
    locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if locked.acknowledged_at is None:
        locked.acknowledged_by, locked.acknowledged_at = by, timezone.now()
    locked.action_taken = action_taken.strip()
    locked.save(update_fields=["acknowledged_by", "acknowledged_at", "action_taken"])
    _announce(locked.alert, locked.version, AlertEvent.Kind.ACKNOWLEDGED, delivery=locked)
    audit.record(actor=by, action=f"{AUDIT}.action_reported", target=locked.alert, data={"office": locked.office_label})
    return locked


def subscriber_office(user: User) -> dict | None:
    """The user's office as a subscription or feed names it ({"station_id": 12} or {"unit_id": 3}); None for offices
    that receive no deliveries of their own."""
    office = audience.office_of(user)
    column = audience.RECIPIENT.get(office.level) if office is not None else None
    return {f"{column}_id": office.id} if column else None


@transaction.atomic
def subscription_save(*, by: User, categories: list[str], states: list[int], districts: list[int]) -> Subscription:
    """The user's office (station or unit) subscribes to alerts beyond its default share; one subscription per office."""
    access.require(by, "alerts.view")
    office = subscriber_office(by)
    if office is None:
        raise PermissionDenied(_("Only stations and unit offices subscribe."))
    bad = sorted(set(categories) - set(Category.values))
    if bad:
        raise ValidationError({"categories": [_("Unknown categories: %(c)s.") % {"c": ", ".join(bad)}]})
    subscription, _created = Subscription.objects.update_or_create(
        **office, defaults={"categories": sorted(categories), "states": sorted(states), "districts": sorted(districts)}
    )
    audit.record(actor=by, action=f"{AUDIT}.subscribed", target=subscription, data={"categories": categories, "states": states})
    return subscription


# --- Telling the officers: e-mail, SMS to the duty numbers, reminders --------------------------------------------

# Only these alerts are e-mailed to the officers of the offices they reach, and sent by SMS to those offices' duty
# numbers (and to the officers who chose SMS): the others wait in the inbox and on open pages.
TELL_SEVERITIES = HIGH_SEVERITIES
SMS_SEVERITIES = HIGH_SEVERITIES
MESSAGE_KEYS = {AlertVersion.MsgType.ALERT: "alerts.published", AlertVersion.MsgType.UPDATE: "alerts.updated"}


def officers_of(deliveries):
    """The active officers of the offices these deliveries reached (a station's officers, a unit office's UOs)."""
    stations = deliveries.filter(station__isnull=False).values("station_id")
    units = deliveries.filter(unit__isnull=False).values("unit_id")
    return User.objects.filter(is_active=True).filter(
        Q(role__in=MEMBER_ROLES[Level.STATION], station_id__in=stations) | Q(role__in=MEMBER_ROLES[Level.UNIT], unit_id__in=units)
    )


def duty_numbers(deliveries) -> list[str]:
    """The duty numbers of the offices these deliveries reached: each station's and unit office's own phone in the
    directory (`notify` sends only to the mobile numbers among them)."""
    stations = PoliceStation.objects.filter(pk__in=deliveries.filter(station__isnull=False).values("station_id")).exclude(phone="")
    units = UnitOffice.objects.filter(pk__in=deliveries.filter(unit__isnull=False).values("unit_id")).exclude(phone="")
    return sorted(set(stations.values_list("phone", flat=True)) | set(units.values_list("phone", flat=True)))


def _officer(user: User, *, urgent: bool):
    """Police always get the e-mail; for an urgent alert, an officer who chose SMS gets the SMS as well."""
    by = notify.BOTH if urgent and user.notify_by in (notify.SMS, notify.BOTH) else notify.EMAIL
    return notify.of(user, by=by)


def officers_tell(version: AlertVersion) -> int:
    """Enqueues the messages of a published or updated alert of high severity to the officers of every office it
    reached, each in their own language, and for the gravest an SMS to the offices' duty numbers; returns how many
    deliveries. Called in the transaction that writes the version's inbox rows."""
    alert = version.alert
    key = MESSAGE_KEYS.get(version.msg_type)
    if key is None or alert.severity not in TELL_SEVERITIES or version.number != alert.version:
        return 0  # a version superseded before its rows were written (by its task, later) is told by its successor
    deliveries = Delivery.objects.filter(version_id=version.pk)
    urgent = alert.severity in SMS_SEVERITIES
    officers = officers_of(deliveries).only("email", "phone", "language", "notify_by", "first_name", "last_name", "username")
    return notify.send(
        key,
        to=[_officer(user, urgent=urgent) for user in officers.order_by("pk")],
        sms_to=duty_numbers(deliveries) if urgent else (),
        alert=alert,
        version=version,
    )


def alert_reminders_send(now: datetime | None = None) -> int:
    """Reminds every recipient office that has not acknowledged an active alert, once per interval; returns how many offices were reminded.

    Listed in settings.PERIODIC_JOBS; the reminders are e-mails enqueued with the claim of the rows they are about.
    """
    now = now or timezone.now()
    interval = getattr(settings, "ALERTS_REMINDER_INTERVAL", timedelta(hours=1))
    due = Delivery.objects.filter(
        acknowledged_at__isnull=True,
        delivered_at__lte=now - interval,
        alert__status=Alert.Status.ACTIVE,
        alert__expires_at__gt=now,
        version__number=F("alert__version"),
    ).exclude(reminded_at__gt=now - interval)
    sent = 0
    for version_id in sorted(set(due.values_list("version_id", flat=True))):
        with transaction.atomic():
            rows = due.filter(version_id=version_id)
            claimed = list(rows.values_list("pk", flat=True))
            Delivery.objects.filter(pk__in=claimed, acknowledged_at__isnull=True).update(reminded_at=now, reminders=F("reminders") + 1)
            version = AlertVersion.objects.select_related("alert").get(pk=version_id)
            audit.record(action=f"{AUDIT}.reminded", target=version.alert, data={"offices": len(claimed)})
            officers = officers_of(Delivery.objects.filter(pk__in=claimed)).order_by("pk")
            notify.send("alerts.reminder", to=[_officer(user, urgent=False) for user in officers], alert=version.alert, version=version)
            sent += len(claimed)
    return sent


def timed(fn, *args, **kwargs):
    """Runs fn and returns (result, seconds): used by the benchmark and the performance test."""
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start

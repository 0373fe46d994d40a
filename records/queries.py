"""Reads of the records, already filtered to what the user may see; fetching one record for a user is audited.

A person's or an FIR's details are opened for a stated purpose, recorded with the read (as searches are): without
one the helpers refuse with `services.PurposeMissing`, after answering 404 for what the user may not see, so that
the question never tells what exists.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts import access
from accounts.offices import Level, Office
from directory.models import PoliceStation
from records import crossmatch, services
from records.models import Fir, Hit, Person, Vehicle

STRENGTHS = ("strong", "weak")


# --- Persons, FIRs, vehicles ---------------------------------------------------------------------------------


def persons_for_user(user) -> QuerySet[Person]:
    """The persons the user may read: police nationally, a sensitive person only the NCB and the police of its state."""
    return Person.objects.filter(Person.visible_q(user)).select_related("state", "district")


def firs_for_user(user) -> QuerySet[Fir]:
    """The FIRs whose details the user may read (a sensitive one: the NCB and the police of the owning state)."""
    return Fir.objects.details_visible_to(user).select_related("station__district", "station__agency", "district", "transferred_to")


def vehicles_for_user(user) -> QuerySet[Vehicle]:
    """The vehicles the user may read: every police officer (the stolen-vehicle records are national)."""
    if not access.can(user, "records.search"):
        return Vehicle.objects.none()
    return Vehicle.objects.select_related("fir__station")


def _fetch_with_purpose(user, visible: QuerySet, pk: int, *, purpose: str, shown_as: str):
    try:
        purpose = services.purpose_checked(purpose)
    except services.PurposeMissing:
        access.get_or_404(user, visible, pk=pk)  # what the user may not see answers 404 before anything is asked
        raise
    return access.fetch(user, visible, shown_as=shown_as, purpose=purpose, pk=pk)


def get_person_for_user(user, pk: int, *, purpose: str, shown_as: str = "page") -> Person:
    """One person's details, for a stated purpose: 404 outside what the user may see, the read audited with its purpose."""
    return _fetch_with_purpose(user, persons_for_user(user), pk, purpose=purpose, shown_as=shown_as)


def get_fir_for_user(user, pk: int, *, purpose: str, shown_as: str = "page") -> Fir:
    """One FIR's details, for a stated purpose: 404 outside what the user may read, the read audited with its purpose."""
    return _fetch_with_purpose(user, firs_for_user(user), pk, purpose=purpose, shown_as=shown_as)


def get_vehicle_for_user(user, pk: int, *, purpose: str = "", shown_as: str = "page") -> Vehicle:
    """One vehicle, the read audited (with the purpose of the search it came from, when given)."""
    return access.fetch(user, vehicles_for_user(user), shown_as=shown_as, purpose=(purpose or "").strip(), pk=pk)


def person_owner(person: Person) -> Office:
    """The office that owns a person's record: the agency of its latest FIR's station, else its state's police, else the NCB."""
    agency_id = crossmatch.person_owner_id(person.pk)
    return Office.agency(agency_id) if agency_id else Office.national()


def involvements_of(fir: Fir, user) -> list[dict]:
    """The persons of an FIR, each with their role; a person the user may not read is named only as restricted."""
    readable = set(persons_for_user(user).filter(involvements__fir=fir).values_list("pk", flat=True))
    return [
        {"role": inv.get_role_display(), "person": inv.person if inv.person_id in readable else None}
        for inv in fir.involvements.select_related("person").order_by("role", "pk")
    ]


# --- Hits ------------------------------------------------------------------------------------------------------


def hits_for_user(user, *, status: str = "", strength: str = "") -> QuerySet[Hit]:
    """The hits the user may see, newest first; `strength` is "strong", "weak" or empty for both."""
    hits = Hit.objects.visible_to(user).select_related("person__state", "vehicle", "owner_agency", "source_type")
    if status in Hit.Status.values:
        hits = hits.filter(status=status)
    if strength in STRENGTHS:
        hits = hits.filter(weak=strength == "weak")
    return hits.order_by("-created_at", "-pk")


def get_hit_for_user(user, pk: int, *, shown_as: str = "page") -> Hit:
    """One hit, as a page or an API answer: 404 outside what the user may see (the attempt audited), the read audited.
    Call it once per request: every call is an entry."""
    visible = Hit.objects.visible_to(user).select_related(
        "person__state", "vehicle__fir__station", "owner_agency", "handler_agency", "handled_by", "decided_by", "source_type"
    )
    return access.fetch(user, visible, shown_as=shown_as, pk=pk)


def hits_of_source(user, source) -> QuerySet[Hit]:
    """The hits on one item (a notice, an alert …) the user may see, strongest first."""
    return (
        Hit.objects.visible_to(user)
        .filter(source_type=ContentType.objects.get_for_model(source), source_id=str(source.pk))
        .select_related("person", "vehicle", "owner_agency")
        .order_by("weak", "-score", "pk")
    )


def registers_at_a_station(user) -> bool:
    """Does the user register FIRs and reports directly (a station officer)?"""
    office = Office.of(user)
    return access.can(user, "records.register") and office is not None and office.level is Level.STATION


def registering_station_for(user):
    """The station at which the user registers FIRs directly: their own (others register from a request sent to them)."""
    access.require(user, "records.register")
    office = Office.of(user)
    if office is None or office.level is not Level.STATION:
        raise PermissionDenied(_("FIRs are registered at a police station: open the citizen's request to register one from it."))
    return PoliceStation.objects.select_related("district", "agency").get(pk=office.id)

"""The hierarchy in one place: where a user sits (their `Office`), who sits there, what lies above it, and what it sees.

    national (the NCB)
    └── agency (a state/UT police or central agency: its ILOs)
        ├── unit office (its UOs)
        ├── district SP office (its district officers)
        │   └── police station (its station officers)   (a station belongs to its district and its agency)

`Office.of(user)` is the office a user acts for; `accounts.access.CAPABILITIES` says what a role may do, the office
says where. Every jurisdiction filter (`Office.scope`), inbox, escalation, alert audience and list of recipients is
derived from these two; no other module branches on `user.role`.

NCB staff, analysts and system administrators sit in the national office (what they may do there is their
capability's business: a system administrator reads no case); citizens sit in no office and see only their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import Role


class Level(StrEnum):
    """The levels of the hierarchy, top down."""

    NATIONAL = "national"
    AGENCY = "agency"
    UNIT = "unit"
    DISTRICT = "district"
    STATION = "station"


# Who acts for each office: the roles whose members are its officers (national: the NCB's own staff).
MEMBER_ROLES: dict[Level, tuple[str, ...]] = {
    Level.NATIONAL: (Role.NCB_ADMIN, Role.NCB_OFFICER),
    Level.AGENCY: (Role.ILO,),
    Level.UNIT: (Role.UO,),
    Level.DISTRICT: (Role.DISTRICT_OFFICER,),
    Level.STATION: (Role.STATION_OFFICER,),
}
# Where each role sits. Analysts and system administrators sit at the centre without being NCB officers.
ROLE_LEVEL: dict[str, Level] = {
    Role.NCB_ADMIN: Level.NATIONAL,
    Role.NCB_OFFICER: Level.NATIONAL,
    Role.ANALYST: Level.NATIONAL,
    Role.SYSADMIN: Level.NATIONAL,
    Role.ILO: Level.AGENCY,
    Role.UO: Level.UNIT,
    Role.DISTRICT_OFFICER: Level.DISTRICT,
    Role.STATION_OFFICER: Level.STATION,
}


@dataclass(frozen=True)
class Office:
    """One office of the hierarchy, as a value: its level, its row's id, and the agency (and district) it belongs to.

    Built without touching the database (`Office.of(user)` reads only the user's own columns), so it can be held by
    a long-lived alert stream, stored as a `key` on a task, and compared.
    """

    level: Level
    id: int | None = None  # the Agency, UnitOffice, District or PoliceStation; None for the national office
    agency_id: int | None = None  # the agency above (its own id for an agency)
    district_id: int | None = None  # a station's district (its own id for a district)

    # --- Building --------------------------------------------------------------------------------------------------

    @classmethod
    def national(cls) -> Office:
        return cls(Level.NATIONAL)

    @classmethod
    def agency(cls, agency_id: int) -> Office:
        return cls(Level.AGENCY, agency_id, agency_id)

    @classmethod
    def unit(cls, unit_id: int, agency_id: int | None) -> Office:
        return cls(Level.UNIT, unit_id, agency_id)

    @classmethod
    def district(cls, district_id: int, agency_id: int | None) -> Office:
        return cls(Level.DISTRICT, district_id, agency_id, district_id)

    @classmethod
    def station(cls, station_id: int, agency_id: int | None, district_id: int | None) -> Office:
        return cls(Level.STATION, station_id, agency_id, district_id)

    @classmethod
    def of(cls, user, *, active_only: bool = True) -> Office | None:
        """The office a user acts for; None for citizens, anonymous and disabled accounts (they see only their own).

        `active_only=False`: where a disabled account sat (a Connect thread goes on after its creator left)."""
        if user is None or not user.is_authenticated or (active_only and not user.is_active):
            return None
        level = ROLE_LEVEL.get(user.role)
        if level is None:
            return None
        if level is Level.NATIONAL:
            return cls.national()
        if level is Level.AGENCY:
            return cls.agency(user.agency_id) if user.agency_id else None
        if level is Level.UNIT:
            return cls.unit(user.unit_id, user.agency_id) if user.unit_id else None
        if level is Level.DISTRICT:
            return cls.district(user.district_id, user.agency_id) if user.district_id else None
        if user.station_id is None:
            return None
        # A station officer's station is loaded by the header anyway; its district is one column of it.
        return cls.station(user.station_id, user.agency_id, user.station.district_id)

    @classmethod
    def of_station(cls, station) -> Office:
        return cls.station(station.pk, station.agency_id, station.district_id)

    @classmethod
    def of_district(cls, district) -> Office:
        """A district's SP office; its agency is its state's police (None where the state has none)."""
        from directory.models import Agency

        agency_id = Agency.objects.filter(state_id=district.state_id).values_list("pk", flat=True).first()
        return cls.district(district.pk, agency_id)

    @classmethod
    def from_key(cls, key: str) -> Office:
        """The office a `key` names (as stored on a task): 'national', 'agency:7', 'unit:3', 'district:12', 'station:40'."""
        from directory.models import PoliceStation, UnitOffice

        level, _sep, ident = key.partition(":")
        level = Level(level)
        if level is Level.NATIONAL:
            return cls.national()
        pk = int(ident)
        if level is Level.AGENCY:
            return cls.agency(pk)
        if level is Level.UNIT:
            return cls.unit(pk, UnitOffice.objects.filter(pk=pk).values_list("agency_id", flat=True).first())
        if level is Level.STATION:
            row = PoliceStation.objects.filter(pk=pk).values_list("agency_id", "district_id").first() or (None, None)
            return cls.station(pk, *row)
        from directory.models import District

        return cls.of_district(District.objects.get(pk=pk))

    # --- Naming ----------------------------------------------------------------------------------------------------

    @property
    def key(self) -> str:
        """A short stable name for the office, stored on tasks and used as the alert stream's audience key."""
        return str(self.level) if self.level is Level.NATIONAL else f"{self.level}:{self.id}"

    def __str__(self) -> str:
        return self.key

    def label(self) -> str:
        """The office in words, for pages and e-mails."""
        from directory.models import Agency, District, PoliceStation, UnitOffice

        if self.level is Level.NATIONAL:
            return _("NCB-New Delhi")
        model = {Level.AGENCY: Agency, Level.UNIT: UnitOffice, Level.DISTRICT: District, Level.STATION: PoliceStation}[self.level]
        row = model.objects.filter(pk=self.id).first()
        if row is None:
            return self.key
        if self.level is Level.DISTRICT:
            return _("SP office, %(district)s district") % {"district": row.name}
        return str(row.name if self.level is Level.AGENCY else row)

    # --- The hierarchy ---------------------------------------------------------------------------------------------

    @property
    def is_national(self) -> bool:
        return self.level is Level.NATIONAL

    def parent(self) -> Office | None:
        """The office directly above: a station's SP office, a district's or unit's agency, an agency's NCB."""
        if self.level is Level.NATIONAL:
            return None
        if self.level is Level.STATION and self.district_id is not None:
            return Office.district(self.district_id, self.agency_id)
        if self.level is not Level.AGENCY and self.agency_id is not None:
            return Office.agency(self.agency_id)
        return Office.national()

    def chain(self) -> list[Office]:
        """Every office above this one, nearest first (a station: its SP office, its agency's ILOs, the NCB)."""
        above, office = [], self.parent()
        while office is not None:
            above.append(office)
            office = office.parent()
        return above

    def covers(self, other: Office) -> bool:
        """Is `other` this office or below it? (The NCB covers all; an agency its units, districts and stations.)"""
        if self == other or self.level is Level.NATIONAL:
            return True
        if self.level is Level.AGENCY:
            return other.agency_id == self.id and other.level is not Level.NATIONAL
        if self.level is Level.DISTRICT:
            return other.level is Level.STATION and other.district_id == self.id
        return False

    def has_member(self, user) -> bool:
        """Is the account one of this office's officers, active or not? (Analysts and system administrators sit in the
        national office without being NCB officers.)"""
        return user.is_authenticated and user.role in MEMBER_ROLES[self.level] and Office.of(user, active_only=False) == self

    def members(self) -> QuerySet:
        """The active accounts that act for this office."""
        from accounts.models import User

        users = User.objects.filter(is_active=True, role__in=MEMBER_ROLES[self.level])
        column = {Level.AGENCY: "agency_id", Level.UNIT: "unit_id", Level.DISTRICT: "district_id", Level.STATION: "station_id"}
        if self.level is Level.NATIONAL:
            return users
        return users.filter(**{column[self.level]: self.id})

    def staffed(self) -> Office | None:
        """This office, or when it has no active account, the nearest office above that has one (today's fallbacks:
        a station whose district has no SP officer reaches its agency's ILOs; anything reaches the NCB in the end)."""
        for office in (self, *self.chain()):
            if office.members().exists():
                return office
        return None

    # --- What it sees ----------------------------------------------------------------------------------------------

    def scope(
        self,
        *,
        agency: str | None = None,
        unit: str | None = None,
        district: str | None = None,
        station: str | None = None,
    ) -> Q:
        """The rows of a model inside this office's reach, given the model's lookups to each level (None: it has none).

        The national office sees every row; an agency the rows of its agency; a unit office its unit's; an SP office its
        district's; a station its own. A level whose lookup the model lacks sees nothing of it.
        """
        nothing = Q(pk__in=[])
        lookup = {Level.AGENCY: agency, Level.UNIT: unit, Level.DISTRICT: district, Level.STATION: station}
        if self.level is Level.NATIONAL:
            return Q()
        path = lookup[self.level]
        return Q(**{f"{path}_id": self.id}) if path else nothing

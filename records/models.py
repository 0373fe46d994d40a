"""The national records of crimes and criminals: FIRs, persons, vehicles, arrests; search and cross-matching."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.offices import Office
from directory.models import Agency


class Law(models.TextChoices):
    BNS = "BNS", _("Bharatiya Nyaya Sanhita, 2023")
    IPC = "IPC", _("Indian Penal Code, 1860 (offences before 1 July 2024)")
    SLL = "SLL", _("Special or local law")


class FirQuerySet(models.QuerySet):
    def visible_to(self, user) -> "FirQuerySet":
        """Police see every FIR's existence nationally; see `sensitive_q` for whose details they may read."""
        if not access.can(user, "records.search"):
            return self.none()
        return self

    def details_visible_to(self, user) -> "FirQuerySet":
        return self.filter(Fir.details_q(user))


class Fir(models.Model):
    """A First Information Report with the fields of the IIF-1 form; unique per police station and year."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered, under investigation")
        CHARGESHEETED = "chargesheeted", _("Charge-sheet filed")
        FINAL_REPORT = "final_report", _("Final report (closed)")
        TRANSFERRED = "transferred", _("Transferred (Zero FIR)")
        CONVICTED = "convicted", _("Ended in conviction")
        ACQUITTED = "acquitted", _("Ended in acquittal")

    source = models.CharField(max_length=40, default="manual")
    external_id = models.CharField(max_length=100)
    district = models.ForeignKey("directory.District", on_delete=models.PROTECT, related_name="+")
    station = models.ForeignKey("directory.PoliceStation", on_delete=models.PROTECT, related_name="firs")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    registered_on = models.DateField()
    occurred_from = models.DateTimeField(null=True, blank=True)
    occurred_to = models.DateTimeField(null=True, blank=True)
    information_received_at = models.DateTimeField(null=True, blank=True)
    place = models.CharField(max_length=300, blank=True)
    place_district = models.ForeignKey("directory.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    complainant_name = models.CharField(max_length=200, blank=True)
    complainant_details = models.JSONField(default=dict, blank=True, help_text="Father's/husband's name, address, phone, ID.")
    accused_details = models.JSONField(default=list, blank=True, help_text="As written in the FIR; persons are linked separately.")
    property_details = models.JSONField(default=list, blank=True, help_text="Property stolen or involved, with value.")
    narrative = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REGISTERED)
    is_zero_fir = models.BooleanField(default=False, help_text="Registered regardless of jurisdiction (BNSS s.173).")
    transferred_to = models.ForeignKey(
        "directory.PoliceStation", null=True, blank=True, on_delete=models.PROTECT, related_name="zero_firs_received"
    )
    transferred_on = models.DateField(null=True, blank=True)
    sensitive = models.BooleanField(default=False, help_text="Sexual offence, POCSO or terrorism: details only to the owner and the NCB.")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Registered in the portal by.",
    )
    public_views = models.PositiveIntegerField(default=0, help_text="Opened on the public FIR page (not sensitive FIRs only).")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FirQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["station", "year", "number"], name="fir_number_unique_per_station_year"),
            models.UniqueConstraint(fields=["source", "external_id"], name="fir_external_id_unique_per_source"),
        ]

    def __str__(self) -> str:
        return f"FIR {self.number}/{self.year}, {self.station.name} PS"

    @staticmethod
    def details_q(user, prefix: str = "") -> Q:
        """Who reads an FIR's details: everyone for an ordinary FIR; for a sensitive one the NCB, and the police of the
        state that owns it (its ILO/UOs through their agency, its station officers through their station's agency)."""
        ordinary = Q(**{f"{prefix}sensitive": False})
        if not access.can(user, "records.search"):
            return Q(pk__in=[])
        office = Office.of(user)
        if office is not None and office.is_national:
            return Q()
        agency_id = police_agency_id(user)
        if agency_id is None:
            return ordinary
        return ordinary | Q(**{f"{prefix}station__agency_id": agency_id})

    def owner(self) -> Office:
        """The office that owns the FIR: the station that registered it."""
        return Office.of_station(self.station)


class Section(models.Model):
    """One act and section an FIR is registered under."""

    fir = models.ForeignKey(Fir, on_delete=models.CASCADE, related_name="sections")
    law = models.CharField(max_length=3, choices=Law.choices)
    act = models.CharField(max_length=100, blank=True, help_text="For special and local laws: the act, e.g. NDPS Act 1985.")
    section = models.CharField(max_length=20)

    def __str__(self) -> str:
        return f"{self.act or self.law} s.{self.section}"


class Person(models.Model):
    """A person in the records, in one or more roles; retrieved by phonetic name keys (NamePosting)."""

    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")
        OTHER = "X", _("Transgender / other")
        UNKNOWN = "U", _("Unknown")

    class Role(models.TextChoices):
        ACCUSED = "accused", _("Accused")
        ARRESTED = "arrested", _("Arrested")
        CONVICTED = "convicted", _("Convicted")
        PROCLAIMED_OFFENDER = "proclaimed_offender", _("Proclaimed offender")
        WANTED = "wanted", _("Wanted")
        MISSING = "missing", _("Missing person")
        UNIDENTIFIED_PERSON = "unidentified_person", _("Unidentified person")
        UNIDENTIFIED_BODY = "unidentified_body", _("Unidentified dead body")
        VICTIM = "victim", _("Victim")
        COMPLAINANT = "complainant", _("Complainant")

    source = models.CharField(max_length=40, default="manual")
    external_id = models.CharField(max_length=100)
    name = models.CharField(max_length=200)
    name_native = models.CharField(max_length=200, blank=True, help_text="The name in an Indian script, as written.")
    name_norm = models.CharField(max_length=200, help_text="Normalised Latin tokens, space-separated (set by services).")
    aliases = models.JSONField(default=list, blank=True)
    father_name = models.CharField(max_length=200, blank=True, help_text="Father's or husband's name.")
    father_norm = models.CharField(max_length=200, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    dob = models.DateField(null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Age as recorded, when no date or year is known.")
    age_recorded_on = models.DateField(null=True, blank=True)
    # Bulk imports write millions of persons: the state and district are checked against the directory by the
    # importer and the services, not by a database constraint and index per row (states and districts are reference
    # data, never deleted; PROTECT still guards the ORM). No query selects persons by them alone.
    state = models.ForeignKey(
        "directory.State", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False
    )
    district = models.ForeignKey(
        "directory.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False
    )
    addresses = models.JSONField(default=list, blank=True)
    id_numbers = models.JSONField(default=list, blank=True, help_text='[{"type": "aadhaar|pan|passport|dl|voter", "number": "…"}]')
    photo = models.ImageField(upload_to="records/photos/", blank=True, db_default="")
    roles = models.JSONField(default=list, blank=True)
    description = models.TextField(
        blank=True, db_default="", help_text="Height, build, clothes, marks: of a missing or unidentified person."
    )
    sensitive = models.BooleanField(default=False, help_text="Victim of a sexual offence or a child: shown only to the owner and the NCB.")
    row_hash = models.CharField(max_length=32, blank=True, help_text="Of the imported row, so that a re-import changes nothing.")
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())  # the database's default for bulk imports

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="person_external_id_unique_per_source")]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def visible_q(user) -> Q:
        """Police search persons nationally; a sensitive person only the NCB and the police of the person's state."""
        if not access.can(user, "records.search"):
            return Q(pk__in=[])
        office = Office.of(user)
        if office is not None and office.is_national:
            return Q()
        agency_id = police_agency_id(user)
        state_id = Agency.objects.filter(pk=agency_id).values_list("state_id", flat=True).first() if agency_id else None
        return Q(sensitive=False) | Q(state_id=state_id) if state_id else Q(sensitive=False)


class NamePosting(models.Model):
    """The persons carrying one name key, as a packed array of ids: one segment of the inverted index that person
    search reads (records.name_index); a key has a segment per bulk import batch, small ones merged when they grow many."""

    key = models.CharField(max_length=48)
    lo = models.BigIntegerField(help_text="The smallest person id in the segment.")
    hi = models.BigIntegerField(help_text="The largest person id in the segment.")
    n = models.IntegerField(help_text="How many ids the segment holds.")
    ids = models.BinaryField(help_text="Person ids, little-endian unsigned 32-bit.")

    class Meta:
        indexes = [models.Index(fields=["key", "n"], name="records_posting_key_n")]

    def __str__(self) -> str:
        return f"{self.key}: {self.n} from {self.lo}"


class NameKeyStat(models.Model):
    """How many persons carry a key, so that search skips very common keys when rarer ones exist."""

    key = models.CharField(max_length=48, primary_key=True)
    count = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class Involvement(models.Model):
    """A person's role in an FIR (accused, victim, complainant …)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="involvements")
    fir = models.ForeignKey(Fir, on_delete=models.CASCADE, related_name="involvements")
    role = models.CharField(max_length=20, choices=Person.Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "fir", "role"], name="involvement_unique")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.role} in FIR {self.fir_id}"


class Vehicle(models.Model):
    """A vehicle in the records; registration, chassis and engine numbers are stored normalised (records.vehicles)."""

    class Status(models.TextChoices):
        STOLEN = "stolen", _("Stolen")
        RECOVERED = "recovered", _("Recovered")
        INVOLVED = "involved", _("Involved in a crime")
        UNCLAIMED = "unclaimed", _("Unclaimed / seized")

    source = models.CharField(max_length=40, default="manual")
    external_id = models.CharField(max_length=100)
    registration = models.CharField(max_length=20, blank=True, db_index=True)
    chassis = models.CharField(max_length=30, blank=True, db_index=True)
    engine = models.CharField(max_length=30, blank=True, db_index=True)
    make = models.CharField(max_length=60, blank=True)
    model = models.CharField(max_length=60, blank=True)
    colour = models.CharField(max_length=30, blank=True)
    kind = models.CharField(max_length=30, blank=True, help_text="Two-wheeler, car, truck …")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.STOLEN)
    fir = models.ForeignKey(Fir, null=True, blank=True, on_delete=models.SET_NULL, related_name="vehicles")
    reported_on = models.DateField(null=True, blank=True)
    recovered_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="vehicle_external_id_unique_per_source")]

    def __str__(self) -> str:
        return self.registration or self.chassis or self.engine


class Arrest(models.Model):
    """An arrest as published in the district list under BNSS s.37."""

    source = models.CharField(max_length=40, default="manual")
    external_id = models.CharField(max_length=100)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="arrests")
    fir = models.ForeignKey(Fir, null=True, blank=True, on_delete=models.PROTECT, related_name="arrests")
    arrested_at = models.DateTimeField()
    place = models.CharField(max_length=300, blank=True)
    arrested_by = models.CharField(max_length=200, blank=True, help_text="Name and rank of the arresting officer.")
    station = models.ForeignKey("directory.PoliceStation", on_delete=models.PROTECT, related_name="+")
    informed_person = models.CharField(max_length=200, blank=True, help_text="The relative or friend told of the arrest.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="arrest_external_id_unique_per_source")]

    def __str__(self) -> str:
        return f"Arrest of {self.person_id} on {self.arrested_at:%Y-%m-%d}"


class ProclaimedOffender(models.Model):
    """A proclamation under BNSS s.84 against an absconding person."""

    source = models.CharField(max_length=40, default="manual")
    external_id = models.CharField(max_length=100)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="proclamations")
    fir = models.ForeignKey(Fir, null=True, blank=True, on_delete=models.PROTECT, related_name="proclamations")
    court = models.CharField(max_length=200)
    proclaimed_on = models.DateField()
    reward_inr = models.PositiveIntegerField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "external_id"], name="po_external_id_unique_per_source")]

    def __str__(self) -> str:
        return f"Proclamation of {self.person_id} by {self.court}"


def police_agency_id(user) -> int | None:
    """The agency a police user's office belongs to (none for the national office)."""
    office = Office.of(user)
    return office.agency_id if office is not None else None


class HitQuerySet(models.QuerySet):
    def visible_to(self, user) -> "HitQuerySet":
        """The NCB: every hit; other police: hits on their agency's records, and hits on items their agency handles
        (except on a sensitive person, whom only the owner and the NCB see)."""
        if not access.can(user, "records.search"):
            return self.none()
        office = Office.of(user)
        if office is not None and office.is_national:
            return self
        agency_id = police_agency_id(user)
        handled = Q(handled_by_id=user.pk)
        if agency_id is not None:
            handled |= Q(handler_agency_id=agency_id)
        mine = handled & ~Q(person__sensitive=True)
        if agency_id is not None:
            mine |= Q(owner_agency_id=agency_id)
        return self.filter(mine)


class Hit(models.Model):
    """A possible match between something another module holds (a notice, an alert …) and a record, for a human to decide."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    source_id = models.CharField(max_length=64)
    source = GenericForeignKey("source_type", "source_id")
    source_label = models.CharField(max_length=300, blank=True, help_text="The source item as it was named when screened.")
    source_url = models.CharField(max_length=300, blank=True)
    screened = models.JSONField(default=dict, blank=True, help_text="What the source item said of the person or vehicle screened.")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="hits")
    vehicle = models.ForeignKey(Vehicle, null=True, blank=True, on_delete=models.CASCADE, related_name="hits")
    score = models.FloatField()
    explanation = models.JSONField(default=list)
    weak = models.BooleanField(default=False)
    owner_agency = models.ForeignKey("directory.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    handler_agency = models.ForeignKey(
        "directory.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The office handling the source item.",
    )
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    notified_at = models.DateTimeField(
        null=True, blank=True, help_text="When the owner office and the handler were told (strong hits only)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HitQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(person__isnull=False) | Q(vehicle__isnull=False), name="hit_has_a_record"),
            models.UniqueConstraint(fields=["source_type", "source_id", "person"], name="hit_unique_person"),
            models.UniqueConstraint(fields=["source_type", "source_id", "vehicle"], name="hit_unique_vehicle"),
        ]
        indexes = [
            models.Index(fields=["owner_agency", "status"], name="records_hit_owner_status"),
            models.Index(fields=["handler_agency", "status"], name="records_hit_handler_status"),
        ]

    def __str__(self) -> str:
        return f"Hit {self.pk} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("records:hit_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"HIT/{self.pk:06d}"

    @property
    def stage(self) -> str:
        """What the inbox shows as the stage of this hit."""
        return self.status

    @property
    def record_label(self) -> str:
        return self.person.name if self.person_id else str(self.vehicle)

    def task_title(self) -> str:
        return f"{self.record_label} — {self.source_label}"

    def task_kind(self) -> str:
        return "records.hit"


class ScreeningRun(models.Model):
    """One re-screening of the open items against all records (nightly or on demand), with its summary."""

    class Trigger(models.TextChoices):
        NIGHTLY = "nightly", _("Nightly")
        MANUAL = "manual", _("On demand")

    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    night = models.DateField(null=True, blank=True, help_text="For a nightly run: the local date it ran for (one run per night).")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["night"], condition=Q(trigger="nightly"), name="one_nightly_screening_run_per_night")
        ]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()} screening run {self.started_at:%Y-%m-%d %H:%M}"

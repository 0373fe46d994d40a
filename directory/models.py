"""The directory: where things are (states, districts, countries) and who the police are (agencies, units, stations)."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class State(models.Model):
    """A state or union territory of India, keyed by its LGD code."""

    class Kind(models.TextChoices):
        STATE = "state", _("State")
        UT = "ut", _("Union territory")

    lgd_code = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    name_hi = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=5, choices=Kind.choices)
    iso_code = models.CharField(max_length=6, unique=True)
    capital = models.CharField(max_length=100, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_hi if get_language() == "hi" and self.name_hi else self.name


class District(models.Model):
    """A district, keyed by its LGD code."""

    lgd_code = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=100)
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="districts")
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["state__name", "name"]
        constraints = [models.UniqueConstraint(fields=["state", "name"], name="district_name_unique_in_state")]

    def __str__(self) -> str:
        return f"{self.name} ({self.state.name})"


class Country(models.Model):
    """An INTERPOL member country, the counterpart of international requests."""

    iso2 = models.CharField(max_length=2, primary_key=True)
    iso3 = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """A law-enforcement agency the NCB works with: the NCB itself, a state/UT police force or a central agency."""

    class Kind(models.TextChoices):
        NCB = "ncb", _("National Central Bureau")
        STATE_POLICE = "state_police", _("State/UT police")
        CENTRAL = "central", _("Central agency")

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=150, unique=True)
    name_hi = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    state = models.OneToOneField(State, null=True, blank=True, on_delete=models.PROTECT, related_name="police")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_hi if get_language() == "hi" and self.name_hi else self.name


class UnitOffice(models.Model):
    """A unit office of an agency (a branch, cell or wing); its Unit Officers work under the agency's ILOs."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="units")
    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=150)
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.PROTECT, related_name="units")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True)
    is_demo = models.BooleanField(default=False, help_text="Generated demo data, not a real office.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="unit_name_unique_in_agency")]

    def __str__(self) -> str:
        return f"{self.name}, {self.agency.name}"


class PoliceStation(models.Model):
    """A police station, in a district, run by the police force of its state."""

    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=150)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="stations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="stations")
    address = models.CharField(max_length=300, blank=True)
    pincode = models.CharField(max_length=6, blank=True, db_index=True)
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    lat = models.FloatField()
    lon = models.FloatField()
    is_demo = models.BooleanField(default=False, help_text="Generated demo data, not a real station.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["district__name", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="station_name_unique_in_district")]

    def __str__(self) -> str:
        return f"{self.name} PS, {self.district.name}"

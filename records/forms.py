"""The search forms of the records module."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import State
from records.models import Law, Person, Vehicle
from records.services import FIR_FIELDS


class PersonSearchForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose of the search"), min_length=10, max_length=300, help_text=_("Case, FIR or diary reference and why you search.")
    )
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("In Latin or any Indian script; initials are fine."))
    father_name = forms.CharField(label=_("Father's or husband's name"), max_length=200, required=False)
    dob = forms.CharField(label=_("Date or year of birth"), max_length=10, required=False, help_text=_("YYYY-MM-DD or YYYY"))
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", "—"), ("M", _("Male")), ("F", _("Female")), ("X", _("Other"))])
    state = forms.ModelChoiceField(label=_("State"), queryset=State.objects.all(), required=False)

    def clean_dob(self):
        from records.matching import parse_dob

        value = self.cleaned_data["dob"].strip()
        try:
            parse_dob(value)
        except ValueError:
            raise forms.ValidationError(_("Write the date as YYYY-MM-DD or only the year as YYYY.")) from None
        return value


class VehicleSearchForm(forms.Form):
    purpose = forms.CharField(label=_("Purpose of the search"), min_length=10, max_length=300)
    registration = forms.CharField(label=_("Registration number"), max_length=20, required=False)
    chassis = forms.CharField(label=_("Chassis number"), max_length=30, required=False)
    engine = forms.CharField(label=_("Engine number"), max_length=30, required=False)

    def clean(self):
        data = super().clean()
        if not any(data.get(k) for k in ("registration", "chassis", "engine")):
            raise forms.ValidationError(_("Give a registration, chassis or engine number."))
        return data


class HitDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("confirm", _("Confirm: it is the same person or vehicle")), ("reject", _("Reject: it is not"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Why"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you compared: photograph, fingerprints, documents, the FIR."),
    )


class PurposeForm(forms.Form):
    """Why a person's or an FIR's details are opened: recorded with the read, as a search's purpose is."""

    purpose = forms.CharField(
        label=_("Purpose"),
        min_length=10,
        max_length=300,
        help_text=_("Case, FIR or diary reference and why you open this record."),
        error_messages={
            "required": _("Say why you open this record: it is recorded with your name."),
            "min_length": _("Say a little more: a case, FIR or diary reference and why (at least %(limit_value)d characters)."),
        },
    )


# --- A station registers an FIR (the core of IIF-1) ----------------------------------------------------

DATETIME = {"type": "datetime-local"}


class FirForm(forms.Form):
    """The FIR itself: number, when, where, the complainant and the brief facts."""

    number = forms.IntegerField(label=_("FIR number"), min_value=1, max_value=10**7)
    year = forms.IntegerField(label=_("Year"), min_value=1950, max_value=2100)
    registered_on = forms.DateField(label=_("Date of registration"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    information_received_at = forms.DateTimeField(
        label=_("Information received at the station"), required=False, widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M")
    )
    occurred_from = forms.DateTimeField(
        label=_("Occurrence: from"), widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M"), help_text=_("Date and time.")
    )
    occurred_to = forms.DateTimeField(
        label=_("Occurrence: to"), required=False, widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M")
    )
    place = forms.CharField(label=_("Place of occurrence"), max_length=300)
    complainant_name = forms.CharField(label=_("Complainant's name"), max_length=200)
    complainant_father_name = forms.CharField(label=_("Father's or husband's name"), max_length=200, required=False)
    complainant_address = forms.CharField(label=_("Address"), max_length=300, required=False)
    complainant_phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    property = forms.CharField(
        label=_("Other property stolen or involved"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Vehicles go below, one per row."),
    )
    property_value = forms.IntegerField(label=_("Its value in rupees"), required=False, min_value=0, max_value=10**12)
    narrative = forms.CharField(label=_("Brief facts"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6}))
    sensitive = forms.BooleanField(
        label=_("Sexual offence, POCSO or terrorism"),
        required=False,
        help_text=_("Also set by itself from the sections. The FIR's details are then shown only to the police of the state and the NCB."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("occurred_from"), data.get("occurred_to")
        now = timezone.now()
        if start and start > now:
            self.add_error("occurred_from", _("This is in the future. Give when it happened."))
        if start and end and end < start:
            self.add_error("occurred_to", _("The end is before the start."))
        if data.get("registered_on") and data["registered_on"] > timezone.localdate():
            self.add_error("registered_on", _("This date is in the future."))
        return data


class SectionForm(forms.Form):
    law = forms.ChoiceField(label=_("Law"), choices=[("", "—"), *Law.choices], required=False)
    act = forms.CharField(label=_("Act (special or local law)"), max_length=100, required=False)
    section = forms.CharField(label=_("Section"), max_length=20, required=False, help_text=_("Like 303(2)."))

    def clean(self):
        data = super().clean()
        if data.get("section") and not data.get("law"):
            self.add_error("law", _("Choose the law of this section."))
        return data


class PersonForm(forms.Form):
    ROLES = [("", "—")] + [(r.value, r.label) for r in (Person.Role.ACCUSED, Person.Role.WANTED, Person.Role.VICTIM)]

    role = forms.ChoiceField(label=_("Role"), choices=ROLES, required=False)
    name = forms.CharField(label=_("Name"), max_length=200, required=False, help_text=_("As written; in any Indian script or Latin."))
    father_name = forms.CharField(label=_("Father's or husband's name"), max_length=200, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *[(s.value, s.label) for s in Person.Sex]], required=False)
    age = forms.IntegerField(label=_("Age in years"), min_value=0, max_value=120, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("role"):
            self.add_error("role", _("Say whether this person is accused, wanted or a victim."))
        if data.get("role") and not data.get("name"):
            self.add_error("name", _('Give the name, or "unknown" with a description in the brief facts.'))
        return data


class VehicleForm(forms.Form):
    registration = forms.CharField(label=_("Registration number"), max_length=20, required=False, help_text=_("Like DL 3C AB 1234."))
    chassis = forms.CharField(label=_("Chassis number"), max_length=30, required=False)
    engine = forms.CharField(label=_("Engine number"), max_length=30, required=False)
    make = forms.CharField(label=_("Make"), max_length=60, required=False)
    model = forms.CharField(label=_("Model"), max_length=60, required=False)
    colour = forms.CharField(label=_("Colour"), max_length=30, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[
            ("", "—"),
            ("two_wheeler", _("Two-wheeler")),
            ("car", _("Car")),
            ("three_wheeler", _("Three-wheeler")),
            ("truck", _("Truck or bus")),
            ("other", _("Other")),
        ],
    )
    status = forms.ChoiceField(
        label=_("The vehicle was"),
        choices=[(Vehicle.Status.STOLEN.value, _("Stolen")), (Vehicle.Status.INVOLVED.value, _("Used in the crime"))],
        initial=Vehicle.Status.STOLEN,
    )

    def clean(self):
        data = super().clean()
        described = any(data.get(k) for k in ("make", "model", "colour"))
        if described and not any(data.get(k) for k in ("registration", "chassis", "engine")):
            self.add_error("registration", _("Give the registration, chassis or engine number, so that the vehicle can be traced."))
        return data

    def has_numbers(self) -> bool:
        return any(self.cleaned_data.get(k) for k in ("registration", "chassis", "engine"))


SectionFormSet = forms.formset_factory(SectionForm, extra=0, min_num=3, max_num=20, absolute_max=20)
PersonFormSet = forms.formset_factory(PersonForm, extra=0, min_num=3, max_num=30, absolute_max=30)
VehicleFormSet = forms.formset_factory(VehicleForm, extra=0, min_num=2, max_num=20, absolute_max=20)


class FirRegistration:
    """The whole FIR form: the FIR, its sections, persons and vehicles, each part validated, the service's refusals put
    back beside the fields they name."""

    def __init__(self, data=None, *, initial: dict | None = None, sections=(), persons=(), vehicles=()):
        self.fir = FirForm(data, initial=initial)
        self.sections = SectionFormSet(data, prefix="sections", initial=list(sections) or None)
        self.persons = PersonFormSet(data, prefix="persons", initial=list(persons) or None)
        self.vehicles = VehicleFormSet(data, prefix="vehicles", initial=list(vehicles) or None)
        self.errors_top: list[str] = []

    def is_valid(self) -> bool:
        return all([self.fir.is_valid(), self.sections.is_valid(), self.persons.is_valid(), self.vehicles.is_valid()])

    def service_kwargs(self) -> dict:
        """What records.services.fir_register takes."""
        data = self.fir.cleaned_data
        fir = {k: data.get(k) for k in FIR_FIELDS}
        complainant = {
            "name": data["complainant_name"],
            "father_name": data.get("complainant_father_name", ""),
            "address": data.get("complainant_address", ""),
            "phone": data.get("complainant_phone", ""),
        }
        return {
            "fir": fir,
            "complainant": complainant,
            "sections": [f.cleaned_data for f in self.sections if f.cleaned_data.get("section")],
            "persons": [f.cleaned_data for f in self.persons if f.cleaned_data.get("name")],
            "vehicles": [f.cleaned_data for f in self.vehicles if f.has_numbers()],
        }

    def add_service_errors(self, error) -> None:
        """A service refusal: on the FIR's field it names, on the formset it names, or at the top."""
        groups = {"sections": self.sections, "persons": self.persons, "vehicles": self.vehicles}
        for field, messages in getattr(error, "message_dict", {None: error.messages}).items():
            if field in self.fir.fields:
                self.fir.add_error(field, messages)
            elif field in groups:
                groups[field]._non_form_errors = groups[field].error_class(list(groups[field].non_form_errors()) + list(messages))
            else:
                self.errors_top.extend(messages)


class _AccusedForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Person"), coerce=int)

    def __init__(self, *args, accused=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.name) for p in accused]


class ArrestForm(_AccusedForm):
    arrested_at = forms.DateTimeField(label=_("Arrested at"), widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M"))
    place = forms.CharField(label=_("Place of arrest"), max_length=300)
    arrested_by = forms.CharField(label=_("Arresting officer (name and rank)"), max_length=200)
    informed_person = forms.CharField(label=_("Relative or friend told of the arrest"), max_length=200, required=False)


class ProclamationForm(_AccusedForm):
    court = forms.CharField(label=_("Court"), max_length=200)
    proclaimed_on = forms.DateField(label=_("Proclaimed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reward_inr = forms.IntegerField(label=_("Reward in rupees"), min_value=0, max_value=10**9, required=False)


class PersonReportForm(forms.Form):
    ROLES = [
        (Person.Role.MISSING.value, _("A missing person")),
        (Person.Role.UNIDENTIFIED_PERSON.value, _("An unidentified person found alive")),
        (Person.Role.UNIDENTIFIED_BODY.value, _("An unidentified dead body")),
    ]

    role = forms.ChoiceField(label=_("What is reported"), choices=ROLES, widget=forms.RadioSelect)
    name = forms.CharField(label=_("Name"), max_length=200, required=False, help_text=_("Of a missing person; leave empty when not known."))
    father_name = forms.CharField(label=_("Father's or husband's name"), max_length=200, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *[(s.value, s.label) for s in Person.Sex]], required=False)
    age = forms.IntegerField(label=_("Age in years (about)"), min_value=0, max_value=120, required=False)
    seen_on = forms.DateField(label=_("Last seen on, or found on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    place = forms.CharField(label=_("Place"), max_length=300)
    description = forms.CharField(
        label=_("Description"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Height, build, clothes, marks."),
    )  # fmt: skip

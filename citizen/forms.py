"""Forms of the citizen portal and the station's pages; a service's form is built from its catalogue entry."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import NotifyBy
from citizen import catalogue, routing
from citizen.models import Feedback
from directory.models import District, PoliceStation, State

PIN_ATTRS = {"inputmode": "numeric", "autocomplete": "postal-code", "maxlength": "6", "pattern": "[1-9][0-9]{5}"}


class SignupForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    # Not required here: the service says what is missing, and that SMS needs it (citizen.services.messages_check).
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    password = forms.CharField(
        label=_("Choose a password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True)
    )
    # Not required either: without them, messages come by e-mail in the language of the page.
    language = forms.ChoiceField(label=_("Language of our messages"), choices=settings.LANGUAGES, required=False)
    notify_by = forms.ChoiceField(
        label=_("Send me messages by"),
        choices=NotifyBy.choices,
        initial=NotifyBy.EMAIL,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("By SMS, we send your acknowledgement number and each change of status to your mobile."),
    )
    consent = forms.BooleanField(label=_("I have read how my data is used (privacy notice)"))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the e-mail"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class TrackForm(forms.Form):
    reference = forms.CharField(label=_("Acknowledgement number"), max_length=40, help_text=_("Like DP-20260115-AB12CD."))


class AnswerForm(forms.Form):
    """The citizen's answer to the station's question, with the document or photo it asked for, if any."""

    text = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    file = forms.FileField(
        label=_("A document or photo"),
        required=False,
        help_text=_("If the police asked for one: JPEG, PNG or PDF, up to 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )


class FeedbackForm(forms.Form):
    """How a finished request was handled: five choices as radio buttons (large targets on a phone, no script)."""

    rating = forms.TypedChoiceField(
        label=_("How was your request handled?"),
        choices=Feedback.Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how your request was handled, from very poor to very good.")},
    )
    comment = forms.CharField(
        label=_("Anything you want to tell the police (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LocateForm(forms.Form):
    pincode = forms.CharField(label=_("PIN code"), required=False, max_length=12, widget=forms.TextInput(attrs=PIN_ATTRS))
    place = forms.CharField(label=_("Place or station name"), required=False, max_length=100)
    lat = forms.FloatField(label=_("Latitude"), required=False, widget=forms.NumberInput(attrs={"step": "any"}))
    lon = forms.FloatField(label=_("Longitude"), required=False, widget=forms.NumberInput(attrs={"step": "any"}))

    def clean_pincode(self):
        pincode = self.cleaned_data["pincode"].strip()
        if pincode and not routing.is_indian_pincode(pincode):
            raise forms.ValidationError(_("An Indian PIN code has 6 digits and does not start with 0, e.g. 110001."))
        return pincode

    def clean(self):
        data = super().clean()
        try:
            routing.check_coordinates(data.get("lat"), data.get("lon"))
        except forms.ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
        return data


class VerifyFileForm(forms.Form):
    file = forms.FileField(label=_("The PDF you were given (optional: checks it was not altered)"))


class ServiceForm(forms.Form):
    """The form of one catalogue service: where it happened (station, PIN code or location), then the service's own questions."""

    station = forms.ModelChoiceField(
        label=_("Police station (if you know it)"),
        queryset=PoliceStation.objects.none(),
        required=False,
        empty_label=_("— Find it from the PIN code or location —"),
        error_messages={"invalid_choice": _("This police station does not exist. Choose one from the list, or give the PIN code.")},
    )
    pincode = forms.CharField(label=_("PIN code of the place"), required=False, max_length=12, widget=forms.TextInput(attrs=PIN_ATTRS))
    lat = forms.FloatField(label=_("Latitude"), required=False, widget=forms.NumberInput(attrs={"step": "any"}))
    lon = forms.FloatField(label=_("Longitude"), required=False, widget=forms.NumberInput(attrs={"step": "any"}))
    contact_phone = forms.CharField(label=_("Mobile number to reach you"), required=False, max_length=20)

    def __init__(self, *args, service: catalogue.Service, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.fields["station"].queryset = PoliceStation.objects.filter(is_active=True).select_related("district").order_by("name")
        for spec in service.fields:
            self.fields[spec.name] = _field_for(spec)

    @property
    def location_fields(self):
        return [self[name] for name in ("station", "pincode", "lat", "lon")]

    @property
    def service_fields(self):
        return [self[spec.name] for spec in self.service.fields] + [self["contact_phone"]]

    def clean_pincode(self):
        pincode = self.cleaned_data["pincode"].strip()
        if pincode and not routing.is_indian_pincode(pincode):
            raise forms.ValidationError(_("An Indian PIN code has 6 digits and does not start with 0, e.g. 110001."))
        return pincode

    def clean_contact_phone(self):
        from citizen.services import normalise_mobile  # the service's own rule (it checks the API's numbers too)

        phone = self.cleaned_data["contact_phone"].strip()
        try:
            return normalise_mobile(phone) if phone else ""
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["mobile"]) from None

    def clean(self):
        data = super().clean()
        for name, messages in catalogue.answer_problems(self.service, data, timezone.localdate()).items():
            if name not in self.errors:
                self.add_error(name, messages)
        if not self.errors and not (data.get("station") or data.get("pincode") or data.get("lat") is not None):
            self.add_error("pincode", _("Tell us where: choose the police station, or give the PIN code or the location."))
        return data

    def details(self) -> dict:
        """The answers to the service's own questions, as JSON (files apart)."""
        out = {}
        for spec in self.service.fields:
            if spec.kind == "file" or not spec.applies(self.cleaned_data):
                continue
            value = self.cleaned_data.get(spec.name)
            out[spec.name] = value.isoformat() if hasattr(value, "isoformat") else ("" if value is None else value)
        return out

    def uploads(self) -> dict:
        return {spec.name: self.cleaned_data.get(spec.name) for spec in self.service.file_fields if self.cleaned_data.get(spec.name)}


def _field_for(spec: catalogue.Field) -> forms.Field:
    # What an answer means is checked in clean() (catalogue.answer_problems); the attributes only help the browser.
    help_text = format_lazy("{} {}", _("Only for a vehicle theft."), spec.help) if spec.needed_if else spec.help
    common = {"label": spec.label, "required": spec.required and not spec.needed_if, "help_text": help_text}
    if spec.kind == "textarea":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, **common)
    if spec.kind == "date":
        today = timezone.localdate()
        attrs = {"type": "date", "min": catalogue.EARLIEST_DATE.isoformat()}
        if spec.past_only:
            attrs["max"] = today.isoformat()
        if spec.future_only:
            attrs["min"] = today.isoformat()
        return forms.DateField(widget=forms.DateInput(attrs=attrs, format="%Y-%m-%d"), **common)
    if spec.kind == "choice":
        return forms.ChoiceField(choices=[("", _("— Choose —")), *spec.choices], **common)
    if spec.kind == "number":
        return forms.IntegerField(min_value=spec.min_value, max_value=spec.max_value, **common)
    if spec.kind == "email":
        return forms.EmailField(**common)
    if spec.kind == "phone":
        return forms.CharField(max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}), **common)
    if spec.kind == "file":
        accept = "image/jpeg,image/png" if spec.accept == "image" else "image/jpeg,image/png,application/pdf"
        return forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": accept}), **common)
    return forms.CharField(max_length=300, **common)


# --- The station ------------------------------------------------------------------------------------


class StepForm(forms.Form):
    note = forms.CharField(label=_("Reasons or message to the citizen"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("Officer in charge"), queryset=None)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Why is it revoked?"), widget=forms.Textarea(attrs={"rows": 2}))


class VehicleNocForm(forms.Form):
    registration = forms.CharField(label=_("Registration number"), required=False, max_length=30, help_text=_("Like DL 3C AB 1234."))
    chassis = forms.CharField(label=_("Chassis number"), required=False, max_length=40)
    engine = forms.CharField(label=_("Engine number"), required=False, max_length=40)

    def clean(self):
        data = super().clean()
        if not any(ch.isalnum() for k in ("registration", "chassis", "engine") for ch in (data.get(k) or "")):
            raise forms.ValidationError(_("Give the registration, chassis or engine number."))
        return data


class PublicListForm(forms.Form):
    name = forms.CharField(label=_("Name"), required=False, max_length=100)
    station = forms.ModelChoiceField(
        label=_("Police station"), required=False, queryset=PoliceStation.objects.filter(is_active=True).order_by("name")
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


class MissingSearchForm(forms.Form):
    SEX_CHOICES = (("", _("Any")), ("M", _("Male")), ("F", _("Female")), ("X", _("Transgender / other")))

    name = forms.CharField(label=_("Name of the missing person"), required=False, max_length=150)
    age = forms.IntegerField(label=_("Age (years)"), required=False, min_value=0, max_value=120)
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=SEX_CHOICES)
    district = forms.ModelChoiceField(label=_("District"), required=False, queryset=District.objects.order_by("name"))
    missing_since = forms.DateField(
        label=_("Missing since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day they were last seen."),
    )

    def clean_missing_since(self):
        value = self.cleaned_data["missing_since"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class PublicFirForm(forms.Form):
    """Find a registered FIR: state, then district, then police station (each list follows the one before, also
    without JavaScript), then the year and the number."""

    state = forms.ModelChoiceField(label=_("State or union territory"), queryset=State.objects.order_by("name"), required=False)
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none(), required=False)
    station = forms.ModelChoiceField(label=_("Police station"), queryset=PoliceStation.objects.none(), required=False)
    year = forms.IntegerField(label=_("Year"), min_value=1950, max_value=2100, required=False)
    number = forms.IntegerField(label=_("FIR number"), min_value=1, max_value=10**7, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        state, district = self.data.get("state"), self.data.get("district")
        if str(state).isdigit():
            self.fields["district"].queryset = District.objects.filter(state_id=state).order_by("name")
        if str(district).isdigit():
            self.fields["station"].queryset = PoliceStation.objects.filter(district_id=district, is_active=True).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("district") and data.get("state") and data["district"].state_id != data["state"].pk:
            self.add_error("district", _("This district is not in the state chosen."))
        return data

    @property
    def complete(self) -> bool:
        return self.is_valid() and all(self.cleaned_data.get(k) for k in ("station", "year", "number"))

    @property
    def next_missing(self) -> str:
        """The field to fill in next."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return next((k for k in ("state", "district", "station", "year", "number") if not data.get(k)), "")

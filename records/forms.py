"""The search forms of the records module."""

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import State


class PersonSearchForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose of the search"), min_length=10, max_length=300, help_text=_("Case, FIR or diary reference and why you search.")
    )
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("In Latin or Devanagari script; initials are fine."))
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

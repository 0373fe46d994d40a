"""Forms of the crime alerts module."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alerts.models import Category, Certainty, Severity, Urgency


def _lines(text: str) -> list[list[str]]:
    return [[part.strip() for part in line.split(";")] for line in (text or "").splitlines() if line.strip()]


def default_expiry():
    """Two days from now, on the hour: long enough for a pursuit to play out, short enough not to linger."""
    return (timezone.localtime() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)


class AlertForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.IMMEDIATE)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.SEVERE)
    certainty = forms.ChoiceField(label=_("Certainty"), choices=Certainty.choices, initial=Certainty.LIKELY)
    headline = forms.CharField(label=_("Headline"), max_length=160)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    instruction = forms.CharField(label=_("Instructions to stations"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    area_districts = forms.CharField(
        label=_("Districts"), required=False, help_text=_("LGD codes, separated by commas. Your own district is always included.")
    )
    area_states = forms.CharField(label=_("Whole states or UTs"), required=False, help_text=_("LGD codes, separated by commas."))
    area_lat = forms.FloatField(label=_("Latitude"), required=False)
    area_lon = forms.FloatField(label=_("Longitude"), required=False)
    area_radius_km = forms.FloatField(
        label=_("Radius (km)"), required=False, help_text=_("With a latitude and longitude: every station inside the circle.")
    )
    persons = forms.CharField(
        label=_("Persons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: name; aliases (comma-separated); date of birth (YYYY-MM-DD)"),
    )
    photo = forms.FileField(label=_("Photo of the first person"), required=False, help_text=_("JPEG, PNG, WebP or GIF."))
    vehicles = forms.CharField(
        label=_("Vehicles"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: registration; chassis number; engine number"),
    )
    fir_number = forms.CharField(label=_("FIR number"), required=False, max_length=60)
    fir_sections = forms.CharField(label=_("Sections of law"), required=False, max_length=200)
    expires_at = forms.DateTimeField(
        label=_("Expires"),
        initial=default_expiry,
        help_text=_("Required: when the alert stops being shown. Two days from now unless you change it."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    note = forms.CharField(label=_("What changed"), required=False, max_length=500)

    def __init__(self, *args, updating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not updating:
            del self.fields["note"]

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("photo", "note")}
        data["persons"] = [
            {
                "name": p[0],
                "aliases": [a.strip() for a in (p[1] if len(p) > 1 else "").split(",") if a.strip()],
                "dob": p[2] if len(p) > 2 else "",
            }
            for p in _lines(data["persons"])
        ]
        data["vehicles"] = [
            {"registration": v[0], "chassis": v[1] if len(v) > 1 else "", "engine": v[2] if len(v) > 2 else ""}
            for v in _lines(data["vehicles"])
        ]
        return data

    @staticmethod
    def initial_from(alert) -> dict:
        initial = {name: getattr(alert, name) for name in AlertForm.base_fields if hasattr(alert, name)}
        initial["area_states"] = ", ".join(str(c) for c in alert.area_states)
        initial["area_districts"] = ", ".join(str(c) for c in alert.area_districts)
        initial["persons"] = "\n".join(f"{p['name']}; {', '.join(p.get('aliases', []))}; {p.get('dob', '')}" for p in alert.persons)
        initial["vehicles"] = "\n".join(f"{v['registration']}; {v['chassis']}; {v['engine']}" for v in alert.vehicles)
        return initial


class AcknowledgeForm(forms.Form):
    action_taken = forms.CharField(label=_("Action taken"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CancelForm(forms.Form):
    note = forms.CharField(label=_("Why it is cancelled"), widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    cap = forms.CharField(label=_("CAP 1.2 XML"), widget=forms.Textarea(attrs={"rows": 8}))


class SubscriptionForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("Categories"), choices=Category.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    states = forms.CharField(label=_("States or UTs (LGD codes)"), required=False)
    districts = forms.CharField(label=_("Districts (LGD codes)"), required=False)

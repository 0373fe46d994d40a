"""Forms of the Broadcast module."""

from django import forms
from django.utils.translation import gettext_lazy as _

from broadcast.models import BroadcastItem, Purpose
from directory.models import Agency, UnitOffice


class RegisterForm(forms.ModelForm):
    persons = forms.CharField(
        label=_("Persons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: name; date of birth; nationality codes"),
    )
    vehicles = forms.CharField(
        label=_("Vehicles"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: registration; chassis; engine; make and model"),
    )
    documents = forms.CharField(
        label=_("Documents"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: type; number; issuing country"),
    )

    class Meta:
        model = BroadcastItem
        fields = [
            "kind",
            "origin_country",
            "origin_reference",
            "received_on",
            "title",
            "summary",
            "offence",
            "urgency",
            "handling_code",
            "source_evaluation",
            "information_evaluation",
        ]
        widgets = {"received_on": forms.DateInput(attrs={"type": "date"}), "summary": forms.Textarea(attrs={"rows": 4})}

    @staticmethod
    def _rows(text: str, keys: tuple[str, ...]) -> list[dict]:
        rows = []
        for line in text.splitlines():
            if line.strip():
                parts = [part.strip() for part in line.split(";")] + [""] * len(keys)
                rows.append(dict(zip(keys, parts, strict=False)))
        return rows

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name != "origin_country"}
        data["origin_country_id"] = self.cleaned_data["origin_country"].iso2
        data["persons"] = [
            {**p, "nationalities": [c.strip().upper() for c in p.pop("nationalities").split(",") if c.strip()]}
            for p in self._rows(self.cleaned_data["persons"], ("name", "dob", "nationalities"))
        ]
        data["vehicles"] = self._rows(self.cleaned_data["vehicles"], ("registration", "chassis", "engine", "model"))
        data["documents"] = self._rows(self.cleaned_data["documents"], ("type", "number", "country"))
        return data


class ImportForm(forms.Form):
    payload = forms.CharField(label=_("INTERPOL-format JSON"), widget=forms.Textarea(attrs={"rows": 10}))


class DisseminateForm(forms.Form):
    agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies"), queryset=Agency.objects.exclude(kind=Agency.Kind.NCB), widget=forms.CheckboxSelectMultiple
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    due_at = forms.DateTimeField(label=_("Due"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    note = forms.CharField(label=_("Instructions"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PassOnForm(forms.Form):
    units = forms.ModelMultipleChoiceField(label=_("Unit offices"), queryset=UnitOffice.objects.none(), widget=forms.CheckboxSelectMultiple)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    due_at = forms.DateTimeField(label=_("Due"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    note = forms.CharField(label=_("Instructions"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, agency_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = UnitOffice.objects.filter(agency_id=agency_id, is_active=True)


class ReportForm(forms.Form):
    findings = forms.CharField(label=_("Action taken and findings"), widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(label=_("Document (PDF, JPEG or PNG)"), required=False)


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply to the foreign country"), widget=forms.Textarea(attrs={"rows": 8}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Why it is closed"), widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

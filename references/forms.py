"""Forms of the Interpol References module."""

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import Country
from references.models import Assistance, Outcome, ReferenceRequest


class ReferenceForm(forms.ModelForm):
    countries = forms.ModelMultipleChoiceField(
        label=_("Countries to ask"), queryset=Country.objects.all(), help_text=_("Hold Ctrl (or Cmd) to choose several.")
    )
    assistance = forms.MultipleChoiceField(label=_("Assistance sought"), choices=Assistance.choices, widget=forms.CheckboxSelectMultiple)
    subjects = forms.CharField(
        label=_("Subjects"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: name; date of birth (YYYY-MM-DD, optional); nationality code (optional); passport or ID (optional)"),
    )

    class Meta:
        model = ReferenceRequest
        fields = ["case_reference", "offence", "law_sections", "facts", "assistance_details", "legal_basis", "urgency", "handling_code"]
        widgets = {"facts": forms.Textarea(attrs={"rows": 6}), "assistance_details": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries"].required = False
        self.fields["assistance"].required = False
        self.fields["subjects"].required = False
        if self.instance.pk:
            self.initial["countries"] = list(self.instance.countries.all())
            self.initial["assistance"] = self.instance.assistance
            self.initial["subjects"] = "\n".join(
                "; ".join(str(s.get(k, "")) for k in ("name", "dob", "nationality", "document")).rstrip("; ")
                for s in self.instance.subjects
            )

    def clean_subjects(self):
        subjects = []
        for number, line in enumerate(self.cleaned_data["subjects"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(";")] + ["", "", ""]
            if not parts[0]:
                raise forms.ValidationError(_("Line %(n)s: start with the name.") % {"n": number})
            subjects.append({"name": parts[0], "dob": parts[1], "nationality": parts[2].upper(), "document": parts[3]})
        return subjects

    def service_data(self) -> tuple[dict, list[str]]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["assistance"] = list(self.cleaned_data["assistance"])
        data["subjects"] = self.cleaned_data["subjects"]
        return data, [c.iso2 for c in self.cleaned_data["countries"]]


class StepForm(forms.Form):
    note = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *Outcome.choices], required=False)


class ReplyForm(forms.Form):
    country = forms.ChoiceField(label=_("From"))
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    foreign_reference = forms.CharField(label=_("Their reference"), required=False)
    body = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, request: ReferenceRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [(c.iso2, c.name) for c in request.countries.all()]

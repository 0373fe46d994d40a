"""The structured form of each kind of notice: the subject, the judicial data for Red, the facts of the others."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from directory.models import Country
from notices.kinds import KIND_FACTS
from notices.models import NoticeKind, NoticeRequest
from workflow.models import Attachment

SUBJECT_FIELDS = [
    "family_name",
    "forenames",
    "name_indian_script",
    "sex",
    "date_of_birth",
    "year_of_birth",
    "place_of_birth",
    "country_of_birth",
    "height_cm",
    "weight_kg",
    "eye_colour",
    "hair_colour",
    "distinguishing_marks",
    "fingerprints_available",
    "dna_available",
]
RED_FIELDS = [
    "offence",
    "law",
    "sections",
    "max_penalty_months",
    "max_penalty_life",
    "purpose",
    "sentence_remaining_months",
    "warrant_kind",
    "warrant_number",
    "warrant_date",
    "issuing_court",
    "facts_summary",
    "extradition_intended",
]
LIST_FIELDS = {
    "aliases": _("Aliases (one per line)"),
    "nationalities": _("Nationalities (ISO codes, e.g. IN, NP)"),
    "languages": _("Languages spoken (ISO 639 codes, e.g. hin, eng)"),
}


def _lines(value: str) -> list[str]:
    return [part.strip() for part in value.replace(",", "\n").splitlines() if part.strip()]


class NoticeForm(forms.ModelForm):
    """Built per kind: Red adds judicial data; every other kind adds its own facts (see notices.kinds)."""

    aliases = forms.CharField(label=LIST_FIELDS["aliases"], required=False, widget=forms.Textarea(attrs={"rows": 2}))
    nationalities = forms.CharField(label=LIST_FIELDS["nationalities"], required=False)
    languages = forms.CharField(label=LIST_FIELDS["languages"], required=False)
    identity_documents = forms.CharField(
        label=_("Identity documents"),
        required=False,
        help_text=_("One per line: type; number; issuing country code — e.g. Passport; Z1234567; IN"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    extradition_intended = forms.TypedChoiceField(
        label=_("Will extradition be sought?"),
        required=False,
        choices=[("", _("Not answered")), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
    )

    class Meta:
        model = NoticeRequest
        fields = ["case_reference", *SUBJECT_FIELDS, *RED_FIELDS]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}),
            "warrant_date": forms.DateInput(attrs={"type": "date"}),
            "distinguishing_marks": forms.Textarea(attrs={"rows": 2}),
            "facts_summary": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["country_of_birth"].queryset = Country.objects.all()
        if kind != NoticeKind.RED:
            for name in [*RED_FIELDS, "extradition_intended"]:
                self.fields.pop(name, None)
        self.fact_names = []
        facts = (self.instance.facts or {}) if self.instance else {}
        for fact in KIND_FACTS.get(kind, ()):
            name = f"fact_{fact.key}"
            self.fact_names.append(name)
            self.fields[name] = self._fact_field(fact)
            if fact.key in facts:
                self.initial[name] = facts[fact.key]
        if self.instance and self.instance.pk:
            self.initial["aliases"] = "\n".join(self.instance.aliases)
            self.initial["nationalities"] = ", ".join(self.instance.nationalities)
            self.initial["languages"] = ", ".join(self.instance.languages)
            self.initial["identity_documents"] = "\n".join(
                "; ".join(str(doc.get(k, "")) for k in ("type", "number", "country")) for doc in self.instance.identity_documents
            )
            if self.instance.extradition_intended is not None and "extradition_intended" in self.fields:
                self.initial["extradition_intended"] = "yes" if self.instance.extradition_intended else "no"

    @staticmethod
    def _fact_field(fact) -> forms.Field:
        # Required facts are enforced by INTERPOL's rules at submission, so a draft can be saved half-done.
        common = {"label": capfirst(fact.label), "required": False, "help_text": fact.help}
        if fact.kind == "textarea":
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
        if fact.kind == "date":
            return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        if fact.kind == "choice":
            return forms.ChoiceField(choices=[("", "—"), *fact.choices], **common)
        if fact.kind == "bool":
            return forms.BooleanField(**common)
        return forms.CharField(**common)

    def clean_nationalities(self):
        codes = [code.upper() for code in _lines(self.cleaned_data["nationalities"])]
        bad = [code for code in codes if len(code) != 2 or not code.isalpha()]
        if bad:
            raise forms.ValidationError(_("Use two-letter ISO country codes; not understood: %(codes)s") % {"codes": ", ".join(bad)})
        return codes

    def clean_aliases(self):
        return [line.strip() for line in self.cleaned_data["aliases"].splitlines() if line.strip()]

    def clean_languages(self):
        return [code.lower() for code in _lines(self.cleaned_data["languages"])]

    def clean_identity_documents(self):
        documents = []
        for number, line in enumerate(self.cleaned_data["identity_documents"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(";")]
            if len(parts) < 2 or not parts[1]:
                raise forms.ValidationError(_("Line %(n)s: write the type and the number, separated by ';'.") % {"n": number})
            documents.append({"type": parts[0], "number": parts[1], "country": (parts[2] if len(parts) > 2 else "").upper()})
        return documents

    def service_data(self) -> dict:
        """The cleaned values as the service takes them (facts gathered into one dict)."""
        data = {name: value for name, value in self.cleaned_data.items() if not name.startswith("fact_")}
        facts = {}
        for name in self.fact_names:
            value = self.cleaned_data.get(name)
            if value not in (None, ""):
                facts[name.removeprefix("fact_")] = value.isoformat() if hasattr(value, "isoformat") else value
        data["facts"] = facts
        return data


class KindForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of notice"), choices=NoticeKind.choices, widget=forms.RadioSelect)


class ActionForm(forms.Form):
    note = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class AnswerForm(ActionForm):
    answer = forms.ChoiceField(
        label=_("INTERPOL's answer"),
        choices=[
            ("published", _("Published")),
            ("more_info", _("More information requested")),
            ("refused", _("Refused")),
            ("cancelled", _("Cancelled")),
        ],
    )
    notice_number = forms.CharField(label=_("INTERPOL notice number"), required=False, max_length=40)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is it?"), choices=Attachment.Kind.choices)
    file = forms.FileField(label=_("File (JPEG, PNG or PDF, up to 10 MB)"))

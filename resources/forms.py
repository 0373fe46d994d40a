"""Forms of the Resources pages: uploading and describing documents, scheduling sessions, nominating, attendance."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from resources.models import AUDIENCE_ROLES, Category, Enrolment, Language, TrainingSession

DOCUMENT_FIELDS = ("title", "category", "language", "visible_to_roles", "description")


def _file_label():
    return _("File (PDF or plain text, up to %(mb)s MB)") % {"mb": settings.MAX_ATTACHMENT_BYTES // 1_048_576}


class DocumentForm(forms.Form):
    """What describes a document; the upload form adds the file of its first version."""

    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices, initial=Language.EN)
    visible_to_roles = forms.MultipleChoiceField(
        label=_("Open to"),
        choices=[(role, Role(role).label) for role in AUDIENCE_ROLES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The NCB always sees every document. Leave both unticked for a document only the NCB may read."),
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def of(cls, document) -> "DocumentForm":
        return cls(initial={name: getattr(document, name) for name in DOCUMENT_FIELDS})

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in DOCUMENT_FIELDS}


class DocumentUploadForm(DocumentForm):
    file = forms.FileField(label="")
    change_note = forms.CharField(label=_("Note on this version"), required=False, max_length=300, initial="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _file_label()
        self.fields["file"].widget.attrs["accept"] = ".pdf,.txt,application/pdf,text/plain"


class VersionForm(forms.Form):
    file = forms.FileField(label="")
    change_note = forms.CharField(label=_("What changed"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _file_label()
        self.fields["file"].widget.attrs["accept"] = ".pdf,.txt,application/pdf,text/plain"


class SessionForm(forms.ModelForm):
    link = forms.URLField(
        label=_("Link to join"), required=False, assume_scheme="https", help_text=_("For an online session; it can be sent later.")
    )

    class Meta:
        model = TrainingSession
        fields = ["title", "description", "mode", "venue", "link", "organiser", "starts_at", "ends_at", "capacity"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "capacity": forms.NumberInput(attrs={"min": 1}),
        }
        help_texts = {"venue": _("Required for a session in person.")}

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class NominateForm(forms.Form):
    """The officers on offer are the user's nominees; the service checks the chosen one again (another agency's answers 404)."""

    officer = forms.IntegerField(label=_("Officer"), widget=forms.Select)

    def __init__(self, *args, nominees=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Choose an officer"))]
        choices += [
            (officer.pk, f"{officer.get_full_name() or officer.username} · {officer.get_role_display()} · {officer.office_label}")
            for officer in nominees
        ]
        self.fields["officer"].widget.choices = choices


class AttendanceForm(forms.Form):
    """One choice per officer holding a place: present, absent, or not recorded yet."""

    MARKS = [("", _("Not recorded")), ("attended", _("Present")), ("absent", _("Absent"))]

    def __init__(self, *args, enrolments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.enrolments = [e for e in enrolments if e.status in Enrolment.HOLDS_PLACE]
        for enrolment in self.enrolments:
            field = forms.ChoiceField(label=str(enrolment.officer), choices=self.MARKS, required=False)
            if enrolment.status in (Enrolment.Status.ATTENDED, Enrolment.Status.ABSENT):
                field.initial = enrolment.status
            self.fields[f"enrolment_{enrolment.pk}"] = field

    def field_for(self, enrolment: Enrolment):
        name = f"enrolment_{enrolment.pk}"
        return self[name] if name in self.fields else None

    def marks(self) -> dict[int, bool]:
        return {
            int(name.removeprefix("enrolment_")): value == "attended"
            for name, value in self.cleaned_data.items()
            if name.startswith("enrolment_") and value
        }

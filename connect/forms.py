"""Forms of Connect: a new conversation, a reply, adding someone, and the directory's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from directory.models import Agency, State

ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe); the service checks each by its content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def _person_label(user: User) -> str:
    office = user.unit.name if user.unit_id else (user.agency.name if user.agency_id else "")
    return f"{user.get_full_name() or user.username} · {user.get_role_display()}" + (f" · {office}" if office else "")


class _People(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _person_label(obj)


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    attachments = MultipleFileField(label=_("Files (PDF, JPEG or PNG, up to 10 MB each)"), required=False)


class ThreadForm(MessageForm):
    """A new conversation. Anyone may be named; the hierarchy rule (connect.rules) refuses, with reasons, those out of reach."""

    subject = forms.CharField(label=_("Subject"), max_length=200)
    participants = _People(
        label=_("To"),
        queryset=User.objects.filter(is_active=True),
        help_text=_("The people you may write to. To reach another agency's ILO, ask the NCB to start a conversation."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    field_order = ["subject", "participants", "body", "attachments"]

    def __init__(self, *args, contacts: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only the people in reach; validation still accepts anyone, so the service can say why one is refused.
        self.fields["participants"].choices = [(user.pk, _person_label(user)) for user in contacts]


class ParticipantForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Add someone to this conversation"), queryset=User.objects.filter(is_active=True))

    def __init__(self, *args, contacts: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "—"), *[(user.pk, _person_label(user)) for user in contacts]]


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, designation or unit"), required=False)
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        required=False,
        queryset=Agency.objects.filter(is_active=True).exclude(kind=Agency.Kind.NCB),
        to_field_name="code",
        empty_label=_("All agencies"),
    )
    state = forms.ModelChoiceField(label=_("State or union territory"), required=False, queryset=State.objects.all(), empty_label=_("All"))

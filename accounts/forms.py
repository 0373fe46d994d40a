"""Forms for signing in and provisioning accounts; services hold the rules, forms parse and show errors."""

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.models import NotifyBy, Role, User
from directory.models import Agency, District, PoliceStation, UnitOffice


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names (or at the top of the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class SignInForm(forms.Form):
    username = forms.CharField(
        label=_("E-mail or username"), max_length=254, widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True})
    )
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        help_text=_("After adding the account to your app, type the 6-digit code it shows."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class NewPasswordForm(forms.Form):
    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html,
    )
    confirm_password = forms.CharField(
        label=_("New password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("confirm_password"):
            self.add_error("confirm_password", _("The two passwords differ. Type the same password twice."))
        return data


class NoticeForm(forms.Form):
    acknowledge = forms.BooleanField(
        label=_("I have read the notice and will use this system only for authorised police work."),
        error_messages={"required": _("Tick the box to acknowledge the notice.")},
    )


class UserCreateForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    username = forms.CharField(label=_("Username"), max_length=150, help_text=_("Letters, digits and . _ - only."))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Official e-mail"))
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    designation = forms.CharField(
        label=_("Designation"), max_length=100, required=False, help_text=_("For example: Superintendent of Police.")
    )
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none(), required=False)
    unit = forms.ModelChoiceField(label=_("Unit office"), queryset=UnitOffice.objects.none(), required=False)
    station = forms.ModelChoiceField(label=_("Police station"), queryset=PoliceStation.objects.none(), required=False)
    district = forms.ModelChoiceField(
        label=_("District (SP office)"), queryset=District.objects.none(), required=False, help_text=_("For a district officer.")
    )

    def __init__(self, *args, manager: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, Role(r).label) for r in access.grantable_roles(manager)]
        self.fields["username"].validators.append(forms.RegexField(r"^[A-Za-z0-9._-]+$").validators[-1])
        if manager.role == Role.ILO:
            del self.fields["agency"]
            self.fields["unit"].queryset = UnitOffice.objects.filter(agency_id=manager.agency_id, is_active=True)
            self.fields["station"].queryset = PoliceStation.objects.filter(agency_id=manager.agency_id, is_active=True).select_related(
                "district"
            )
            state_id = manager.agency.state_id if manager.agency_id else None
            self.fields["district"].queryset = District.objects.filter(state_id=state_id).select_related("state").order_by("name")
        else:
            self.fields["agency"].queryset = Agency.objects.filter(is_active=True).exclude(kind=Agency.Kind.NCB)
            del self.fields["unit"]
            del self.fields["station"]
            del self.fields["district"]


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices])
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), ("active", _("Active")), ("disabled", _("Disabled"))]
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class MessagesForm(forms.Form):
    """The language of the portal's messages and how they come (My security); the service checks SMS has a number."""

    language = forms.ChoiceField(label=_("Language of messages"), choices=settings.LANGUAGES)
    notify_by = forms.ChoiceField(
        label=_("Send me messages by"),
        choices=NotifyBy.choices,
        widget=forms.RadioSelect,
        help_text=_("SMS goes to the mobile number of your account."),
    )

"""Pages for signing in (password, second factor, notice) and for provisioning accounts."""

import base64
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language
from django_otp import login as otp_login

from accounts import access, services
from accounts.forms import (
    CodeForm,
    EnrolForm,
    MessagesForm,
    NewPasswordForm,
    NoticeForm,
    ReasonForm,
    SignInForm,
    UserCreateForm,
    UserFilterForm,
    add_service_errors,
)
from accounts.models import User
from accounts.queries import get_account_for_user
from accounts.signin import NOTICE_SESSION_KEY, is_verified, next_sign_in_step


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


def _continue(request):
    """Go to the next sign-in step still owed, or where the officer was going."""
    step = next_sign_in_step(request)
    if step:
        target = _next_url(request)
        return redirect(reverse(step) + (f"?{urlencode({'next': target})}" if target else ""))
    return redirect(_next_url(request) or settings.LOGIN_REDIRECT_URL)


# The sign-in steps' POSTs are limited per address (per account after the password) by openpol.limits.
def sign_in(request):
    if request.user.is_authenticated:
        return _continue(request)
    form = SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.sign_in_check_password(username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        except services.SignInRefused as refused:
            form.add_error(None, str(refused))
        else:
            login(request, user)
            if not user.is_police:
                services.sign_in_complete(user=user)
            return _continue(request)
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "next": _next_url(request), "expired": request.GET.get("expired") == "1"},
        status=400 if form.errors else 200,
    )


def mfa_verify(request):
    if services.confirmed_totp_device(request.user) is None or is_verified(request.user):
        return _continue(request)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.mfa_verify(user=request.user, code=form.cleaned_data["code"])
        except services.CodeThrottled as paused:
            form.add_error("code", str(paused))
        else:
            if device is not None:
                otp_login(request, device)
                return _continue(request)
            form.add_error("code", _("That code is not right, or was already used. Wait for the next code and try again."))
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": _next_url(request)}, status=400 if form.errors else 200)


def mfa_enrol(request):
    if next_sign_in_step(request) != "accounts:mfa_enrol" and request.method == "GET" and not request.GET.get("again"):
        return _continue(request)
    device = services.mfa_enrolment_device(request.user)
    form = EnrolForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.mfa_enrolment_confirm(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, ValidationError({"code": error.messages}))
        else:
            otp_login(request, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)})
    secret_b32 = base64.b32encode(device.bin_key).decode().rstrip("=")
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#111", light="#fff", title=_("QR code to scan"))
    context = {
        "form": form,
        "qr_svg": qr_svg,
        "secret_groups": " ".join(secret_b32[i : i + 4] for i in range(0, len(secret_b32), 4)),
        "next": _next_url(request),
    }
    return render(request, "accounts/mfa_enrol.html", context, status=400 if form.errors else 200)


def password_new(request):
    form = NewPasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(user=request.user, new_password=form.cleaned_data["new_password"])
        except ValidationError as error:
            add_service_errors(form, ValidationError({"new_password": error.messages}))
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your new password is set."))
            return _continue(request)
    forced = request.user.must_change_password
    return render(
        request,
        "accounts/password_new.html",
        {"form": form, "forced": forced, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


def notice(request):
    if next_sign_in_step(request) != "accounts:notice":
        return _continue(request)
    form = NoticeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.system_notice_acknowledge(user=request.user)
        request.session[NOTICE_SESSION_KEY] = True
        services.sign_in_complete(user=request.user)
        return _continue(request)
    return render(request, "accounts/notice.html", {"form": form, "next": _next_url(request)}, status=400 if form.errors else 200)


@require_POST
def sign_out(request):
    if request.user.is_authenticated:
        services.sign_out(user=request.user)
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("accounts:login")


def security(request):
    """The user's own security page: recovery codes and a fresh authenticator, and how the portal's messages come."""
    codes = None
    user = request.user
    initial = {"language": user.language, "notify_by": user.notify_by}
    messages_form = MessagesForm(request.POST if request.POST.get("action") == "messages" else None, initial=initial)
    if request.method == "POST" and request.POST.get("action") == "regenerate":
        codes = services.recovery_codes_regenerate(user=user)
    elif messages_form.is_bound and messages_form.is_valid():
        try:
            services.user_messages_set(user, **messages_form.cleaned_data)
        except ValidationError as error:
            add_service_errors(messages_form, error)
        else:
            messages.success(request, _("Your choice of messages is saved."))
            return redirect("accounts:security")
    context = {"codes": codes, "messages_form": messages_form}
    return render(request, "accounts/security.html", context, status=400 if messages_form.errors else 200)


def language_set(request):
    """The language switch: Django's set_language, which also makes the portal's messages follow for a signed-in user."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_language_set(request.user, language)
    return response


# --- Provisioning ---------------------------------------------------------------------------


def user_list(request):
    access.require(request.user, "users.view")
    users = User.objects.visible_to(request.user).select_related("agency", "unit", "station__district", "district")
    form = UserFilterForm(request.GET or None)
    if form.is_valid():
        if q := form.cleaned_data["q"].strip():
            users = users.filter(
                Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(agency__name__icontains=q)
            )
        if role := form.cleaned_data["role"]:
            users = users.filter(role=role)
        if status := form.cleaned_data["status"]:
            users = users.filter(is_active=status == "active")
    page = Paginator(users.order_by("role", "username"), 25).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "can_create": bool(access.grantable_roles(request.user))}
    template = "accounts/_user_rows.html" if request.htmx else "accounts/user_list.html"
    return render(request, template, context)


def user_create(request):
    if not access.grantable_roles(request.user):
        access.require(request.user, "users.provision")
    form = UserCreateForm(request.POST if request.method == "POST" else None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.user_create(
                by=request.user,
                role=data["role"],
                username=data["username"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                designation=data["designation"],
                phone=data["phone"],
                agency=data.get("agency"),
                unit=data.get("unit"),
                station=data.get("station"),
                district=data.get("district"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(request, "accounts/user_created.html", {"account": account})
    return render(request, "accounts/user_create.html", {"form": form}, status=400 if form.errors else 200)


def user_detail(request, pk: int):
    target = get_account_for_user(request.user, pk)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not access.may_manage(request.user, target):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.user_set_active(
                    by=request.user, target=target, active=request.POST.get("action") == "enable", reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The account is updated."))
                return redirect("accounts:user_detail", pk=target.pk)
    context = {"target": target, "form": form, "can_manage": access.may_manage(request.user, target)}
    return render(request, "accounts/user_detail.html", context, status=400 if form.errors else 200)

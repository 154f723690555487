"""Account pages: sign-out, password change, and the second factor (set-up, verify,
new recovery codes, removal).

Every change to the factors asks for the current password, and for the current code
where the user has a factor (`cases.second_factor.reauthenticate`): a session left open
on a shared workstation cannot swap the authenticator for the passer-by's."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from boardsite import second_factor as sf
from cases import second_factor as devices
from cases import services
from cases.selectors import second_factor_required


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return "/"


class LogoutView(auth_views.LogoutView):
    """Signing out of the site also revokes the user's API tokens: a shared clinic
    workstation keeps no credential of the person who left it."""

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            services.api_tokens_revoke(user=request.user)
        return super().post(request, *args, **kwargs)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label="Current password", strip=False,
                                   widget=forms.PasswordInput(
                                       attrs={"autocomplete": "current-password"}))
    new_password = forms.CharField(label="New password", strip=False,
                                   widget=forms.PasswordInput(
                                       attrs={"autocomplete": "new-password"}))
    new_password_again = forms.CharField(label="New password again", strip=False,
                                         widget=forms.PasswordInput(
                                             attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if (data.get("new_password") and data.get("new_password_again") is not None
                and data["new_password"] != data["new_password_again"]):
            self.add_error("new_password_again", "The two new passwords differ.")
        return data


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_change_own_password(
                user=request.user, old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field, errors)
        else:
            # This session goes on; every other session and every API token ends.
            update_session_auth_hash(request, request.user)
            messages.success(request, "Your password is changed. Other sessions and your "
                                      "API tokens have been signed out.")
            return redirect("account")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def account(request):
    return render(request, "accounts/account.html", {
        "has_second_factor": devices.has_second_factor(request.user),
        "required": second_factor_required(user=request.user),
    })


class CodeForm(forms.Form):
    code = forms.CharField(label="Code", max_length=16, strip=True, widget=forms.TextInput(
        attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


def _password_field() -> forms.CharField:
    return forms.CharField(label="Your password", strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "current-password"}))


class SetupForm(CodeForm):
    password = _password_field()


class ReauthenticateForm(forms.Form):
    """The current password and the current code: before recovery codes are renewed
    or the second factor is removed."""

    password = _password_field()
    current_code = forms.CharField(
        label="Code from your authenticator app (or a recovery code)", max_length=16,
        strip=True, widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                  "inputmode": "numeric"}))


def _reauthenticated(request, form) -> bool:
    """Check the form's password and code against the signed-in user; errors land on
    the form's fields."""
    if not form.is_valid():
        return False
    try:
        devices.reauthenticate(user=request.user, password=form.cleaned_data["password"],
                               code=form.cleaned_data.get("current_code"))
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field, errors)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Set up an authenticator app: scan the QR code (or type the key), then enter the
    code it shows. Reached at first sign-in by chairs and administrators, and from the
    account page by anyone."""
    if devices.has_second_factor(request.user):
        if not sf.is_verified(request):
            return redirect(f"/accounts/two-factor/verify/?next={_next_url(request)}")
        # One authenticator per person: a new phone replaces the old one by removing
        # it first (which asks for its current code), then setting up the new one.
        messages.info(request, "You already have an authenticator app. To move to a new "
                               "one, remove two-factor sign-in first, then set it up again.")
        return redirect("account")
    device = devices.unconfirmed_totp(request.user)
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not request.user.check_password(form.cleaned_data["password"]):
            form.add_error("password", "Your password is not right.")
            codes = None
        else:
            codes = devices.confirm_totp(request, device=device,
                                         code=form.cleaned_data["code"])
        if codes is not None:
            return render(request, "accounts/recovery_codes.html",
                          {"codes": codes, "next": _next_url(request)})
        if not form.has_error("password"):
            form.add_error("code", "That code is not right. Check the time on your phone "
                                   "and enter the code the app shows now.")
    return render(request, "accounts/two_factor_setup.html", {
        "form": form, "qr_svg": sf.qr_svg(device), "key": sf.base32_key(device),
        "next": _next_url(request),
        "required": second_factor_required(user=request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    if sf.is_verified(request):
        return redirect(_next_url(request))
    if not devices.has_second_factor(request.user):
        return redirect(f"/accounts/two-factor/setup/?next={_next_url(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = devices.check_code(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("code", "That code is not right, or was already used. After "
                               "several wrong codes, wait a little before the next try.")
    return render(request, "accounts/two_factor_verify.html",
                  {"form": form, "next": _next_url(request)})


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes_renew(request):
    if not sf.is_verified(request):
        return redirect("two_factor_verify")
    form = ReauthenticateForm(request.POST or None)
    if request.method == "POST" and _reauthenticated(request, form):
        codes = devices.new_recovery_codes(user=request.user)
        return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": "/"})
    return render(request, "accounts/reauthenticate.html", {
        "form": form, "title": "Make new recovery codes",
        "explanation": "Your earlier recovery codes stop working when the new ones are "
                       "made.",
        "button": "Make new recovery codes"})


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_remove(request):
    """Remove the authenticator and the recovery codes. Every other session of the
    user ends and their API tokens are revoked; chairs and administrators are sent to
    set up a new authenticator at once."""
    if not devices.has_second_factor(request.user):
        return redirect("account")
    if not sf.is_verified(request):
        return redirect("two_factor_verify")
    form = ReauthenticateForm(request.POST or None)
    if request.method == "POST" and _reauthenticated(request, form):
        devices.second_factor_remove(user=request.user, session=request.session)
        messages.success(request, "Two-factor sign-in is removed. Your other sessions and "
                                  "your API tokens have been signed out.")
        return redirect("account")
    return render(request, "accounts/reauthenticate.html", {
        "form": form, "title": "Remove two-factor sign-in",
        "explanation": (
            "This removes your authenticator app and your recovery codes, and signs out "
            "your other sessions and API tokens."
            + (" Your role needs a second factor: you will set up a new one straight away."
               if second_factor_required(user=request.user) else "")),
        "button": "Remove two-factor sign-in"})

import textwrap
from base64 import b32encode
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import login as otp_login

from . import accounts, tokens
from .models import RecoveryCodes, User


@login_required
def home(request):
    """Send each role to its own face."""
    user = request.user
    if user.is_regulator:
        return redirect("control:home")
    if user.is_operator_user:
        return redirect("portal:home")
    # A superuser without a role (created with createsuperuser) manages users in the admin.
    return redirect("admin:index")


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # The demo (DEBUG on) logs administration users in with a password alone, and says so.
        return super().get_context_data(**kwargs) | {
            "two_step_required": settings.REQUIRE_2FA_FOR_ADMINISTRATION,
        }

    def form_valid(self, form):
        response = super().form_valid(form)
        # The site speaks the language the user chose last time, on any browser.
        language = form.get_user().language
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=365 * 24 * 3600,
                samesite="Lax",
                secure=self.request.is_secure(),
            )
        return response


@require_POST
def set_language(request):
    """Django's language switch, which also remembers the choice on the user's profile."""
    response = django_set_language(request)
    language = request.POST.get("language")
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES):
        user.language = language
        user.save(update_fields=["language"])
    return response


class ProfileForm(forms.ModelForm):
    current_password = forms.CharField(
        label=gettext_lazy("Current password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=gettext_lazy("Needed only to change the e-mail address."),
    )

    class Meta:
        model = User
        fields = ["full_name", "email", "phone", "language", "receives_digest"]
        help_texts = {
            "receives_digest": gettext_lazy(
                "A weekday-morning e-mail with what is due, overdue and new (administration staff). "
                "Statutory notices — deadlines, reports due, interviews — are always sent."
            )
        }

    def clean(self):
        """The e-mail address receives password-reset links: changing it takes the password."""
        cleaned = super().clean()
        if "email" in self.changed_data and not self.instance.check_password(
            self.cleaned_data.get("current_password") or ""
        ):
            self.add_error("current_password", _("Enter your current password to change the e-mail address."))
        return cleaned


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        response = redirect("profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, form.cleaned_data["language"], samesite="Lax")
        return response
    return render(
        request,
        "registration/profile.html",
        {
            "form": form,
            "two_step_on": accounts.has_two_step_login(request.user),
            "two_step_required": request.user.must_use_two_step_login,
            "recovery_codes_left": accounts.unused_recovery_codes(request.user),
            "api_tokens": tokens.tokens_of(request.user),
            "now": timezone.now(),
        },
    )


SETUP_KEY_SESSION = "two_step_setup_key"


def _next_url(request) -> str:
    """Where to go after the second step: ``next`` if it stays on this site, else home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


@login_required
def two_step_verify(request):
    """The second step: a code from the authenticator, or one recovery code."""
    if not accounts.has_two_step_login(request.user):
        # The authenticator was removed (reset by a user administrator) since the log-in.
        request.session[accounts.TWO_STEP_SESSION_KEY] = False
        if not request.user.must_use_two_step_login:
            return redirect(_next_url(request))
        return redirect(f"{reverse('two_step_setup')}?{urlencode({'next': _next_url(request)})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = accounts.verify_second_step(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, RecoveryCodes):
                messages.warning(
                    request,
                    _("You used a recovery code; %(count)s are left. Make new ones in your profile.")
                    % {"count": accounts.unused_recovery_codes(request.user)},
                )
            return redirect(_next_url(request))
        form.add_error("code", _("The code is wrong or has expired. Wait a moment and try again."))
    return render(request, "registration/two_step_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def two_step_setup(request):
    """Enrol an authenticator: a QR code and the secret in text, confirmed with one code.

    A user who already has one must have passed the second step to replace it, so a password
    alone never enrols a new phone. The secret waits in the session until it is confirmed.
    """
    if accounts.has_two_step_login(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('two_step_verify')}?{urlencode({'next': request.get_full_path()})}")
    key = request.session.get(SETUP_KEY_SESSION)
    if not key or request.method == "GET":
        key = request.session[SETUP_KEY_SESSION] = accounts.new_totp_key()
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = accounts.enrol_totp(request.user, key, form.cleaned_data["code"])
        if device is not None:
            del request.session[SETUP_KEY_SESSION]
            otp_login(request, device)
            _device, codes = accounts.new_recovery_codes(request.user)
            return render(
                request, "registration/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
            )
        form.add_error("code", _("The code is wrong or has expired. Wait a moment and try again."))
    preview = accounts.totp_device_preview(request.user, key)
    qr = segno.make(preview.config_url, error="m")
    return render(
        request,
        "registration/two_step_setup.html",
        {
            "form": form,
            "qr_svg": qr.svg_data_uri(scale=5, border=2),
            "secret": " ".join(textwrap.wrap(b32encode(preview.bin_key).decode(), 4)),
            "required": request.user.must_use_two_step_login,
            "next": _next_url(request),
        },
    )


@require_POST
@login_required
def two_step_recovery_codes(request):
    """A new set of recovery codes (the old ones stop working), shown this once."""
    if not request.user.is_verified():
        raise PermissionDenied
    _device, codes = accounts.new_recovery_codes(request.user)
    return render(request, "registration/recovery_codes.html", {"codes": codes, "next": reverse("profile")})


@require_POST
@login_required
def two_step_turn_off(request):
    """Operators may turn two-step log-in off again; whoever must use it cannot."""
    if request.user.must_use_two_step_login or not request.user.is_verified():
        raise PermissionDenied
    accounts.reset_two_step_login(request.user)
    messages.success(request, _("Two-step log-in is off."))
    return redirect("profile")

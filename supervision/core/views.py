from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .models import User


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
    class Meta:
        model = User
        fields = ["full_name", "email", "phone", "language", "receives_digest"]
        help_texts = {
            "receives_digest": gettext_lazy(
                "A weekday-morning e-mail with what is due, overdue and new (administration staff). "
                "Statutory notices — deadlines, reports due, interviews — are always sent."
            )
        }


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        response = redirect("profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, form.cleaned_data["language"], samesite="Lax")
        return response
    return render(request, "registration/profile.html", {"form": form})

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language


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

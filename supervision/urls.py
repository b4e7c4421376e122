from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from supervision.core import health
from supervision.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    # For the reverse proxy and the monitors: 200 or 503, "name: ok|fail" a line (core.health).
    path("healthz", health.healthz, name="healthz"),
    path("accounts/login/", core_views.LoginView.as_view(), name="login"),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(
            subject_template_name="emails/password_reset_subject.txt",
            email_template_name="emails/password_reset.txt",
            html_email_template_name="emails/password_reset.html",
        ),
        name="password_reset",
    ),
    path("accounts/profile/", core_views.profile, name="profile"),
    path("accounts/two-step/", core_views.two_step_verify, name="two_step_verify"),
    path("accounts/two-step/setup/", core_views.two_step_setup, name="two_step_setup"),
    path(
        "accounts/two-step/recovery-codes/",
        core_views.two_step_recovery_codes,
        name="two_step_recovery_codes",
    ),
    path("accounts/two-step/turn-off/", core_views.two_step_turn_off, name="two_step_turn_off"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("dashboard/", include("supervision.control.urls")),
    path("portal/", include("supervision.portal.urls")),
    path("admin/", admin.site.urls),
    # The machine API: /api/v1/, its OpenAPI document and reference page (supervision/api).
    path("", include("supervision.api.urls")),
    path("", include("supervision.meetings.urls")),
]

if settings.METRICS_ENABLED:
    # Prometheus metrics, for the allowed addresses or the token holder only (core.health).
    urlpatterns.append(path("metrics", health.metrics, name="metrics"))

# The error pages, in the site's layout and in both languages (core.errors); 405: its middleware.
handler400 = "supervision.core.errors.bad_request"
handler403 = "supervision.core.errors.permission_denied"
handler404 = "supervision.core.errors.page_not_found"
handler500 = "supervision.core.errors.server_error"

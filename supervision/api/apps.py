from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The machine API (``/api/v1/``): a face, like the dashboard and the portal, that only calls
    the services below it, for programs holding a token (docs/api.md)."""

    name = "supervision.api"
    label = "api"
    verbose_name = _("Machine API")

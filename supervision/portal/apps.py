from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "supervision.portal"
    label = "portal"
    verbose_name = _("Operator portal")

    def ready(self):
        from supervision.core import navigation

        from .navigation import menu

        navigation.register(menu)

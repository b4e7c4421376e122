from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ControlConfig(AppConfig):
    name = "supervision.control"
    label = "control"
    verbose_name = _("Administration dashboard")

    def ready(self):
        from supervision.core import navigation

        from .navigation import menu

        navigation.register(menu)

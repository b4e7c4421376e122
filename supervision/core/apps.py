from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "supervision.core"
    label = "core"
    default = True
    verbose_name = _("Reference data and people")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import pre_save

        from .accounts import remember_two_step_login
        from .privacy import mask_instance
        from .text import printable_instance

        # No control character in any text field (text.py): first, so that the masking sees
        # a number split by control characters as one.
        pre_save.connect(printable_instance, dispatch_uid="core.text.printable_instance")
        # No full subscriber number is stored in any free text, whoever saves it (privacy.py).
        pre_save.connect(mask_instance, dispatch_uid="core.privacy.mask_instance")
        # Whether the second step of the log-in is owed, noted once per session (accounts.py).
        user_logged_in.connect(remember_two_step_login, dispatch_uid="core.accounts.two_step")

        from .logs import connect_signals

        # A task queued by a request logs that request's id (logs.py).
        connect_signals()

        from . import instructions

        # Leadership's instructions: their audit entries read as their ACTIONS table says, and
        # they wait in the staff's work queue (and the leader's) until acknowledged.
        instructions.register_audit()
        instructions.register_queues()

        from . import tokens

        # API tokens: their creation and revocation read as their ACTIONS table says.
        tokens.register_audit()


class SupervisionAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on a site that also lets user administrators in (``core.admin``)."""

    default = False
    default_site = "supervision.core.adminsite.SupervisionAdminSite"

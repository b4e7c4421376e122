"""The operators' menu (registered with ``core.navigation`` by ``PortalConfig.ready``)."""

from django.utils.translation import gettext_lazy as _

from supervision.core.navigation import entry, group


def menu(user, here: str) -> list | None:
    """An operator's reporting staff and managers."""
    if not user.is_operator_user:
        return None
    return [
        entry(_("My company"), "portal:home", here),
        group(
            _("Reports"),
            [
                entry(_("Monthly reports"), "portal:submissions", here),
                entry(_("Major problems"), "portal:incidents", here),
                entry(_("Checks applied"), "portal:checks", here),
            ],
        ),
        group(
            _("Cases"),
            [
                entry(_("Official documents"), "portal:documents", here),
                entry(_("Findings"), "portal:findings", here),
                entry(_("Orders"), "portal:orders", here),
                entry(_("Interviews"), "portal:interviews", here),
                entry(_("Notices and penalties"), "portal:records", here),
            ],
        ),
        group(
            _("Meetings"),
            [
                entry(_("Meetings"), "portal:meetings", here),
                entry(_("Action items"), "portal:action_items", here),
            ],
        ),
        entry(_("Task force"), "portal:task_force", here),
    ]

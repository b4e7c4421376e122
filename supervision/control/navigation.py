"""The administration's menu (registered with ``core.navigation`` by ``ControlConfig.ready``)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from supervision.core.navigation import entry, group


def _admin_site() -> dict:
    return {"label": _("Administration"), "url": reverse("admin:index"), "active": False}


def menu(user, here: str) -> list | None:
    """The administration's staff and leadership; a user administrator who has neither role
    (a superuser made on the command line) gets the access log and the admin site."""
    if user.is_regulator:
        more = [
            entry(_("Mail"), "control:mail_log", here),
            entry(_("Task forces"), "control:task_forces", here),
        ]
        if user.is_user_administrator:
            more.append(entry(_("Personal data access log"), "control:access_log", here))
        items = [
            entry(_("Overview"), "control:home", here),
            group(
                _("Data"),
                [
                    entry(_("Reporting"), "control:reporting", here),
                    entry(_("Charts"), "control:charts", here),
                    entry(_("Cities"), "control:city_matrix", here),
                    entry(_("Spikes"), "control:anomalies", here),
                    entry(_("Complaint ledger"), "control:complaints", here),
                ],
            ),
            group(
                _("Casework"),
                [
                    entry(_("Findings"), "control:findings", here),
                    entry(_("Orders"), "control:orders", here),
                    entry(_("Major problems"), "control:incidents", here),
                    entry(_("Interviews"), "control:interviews", here),
                    entry(_("Notices and penalties"), "control:records", here),
                    entry(_("Audit trail"), "control:audit", here),
                ],
            ),
            entry(_("Meetings"), "control:meetings", here),
            entry(_("Briefings"), "control:briefings", here),
            group(_("More"), more),
        ]
        if user.is_staff or user.is_user_administrator:
            items.append(_admin_site())
        return items
    if user.is_user_administrator and not user.is_operator_user:
        return [entry(_("Personal data access log"), "control:access_log", here), _admin_site()]
    return None

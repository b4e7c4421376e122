from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _entry(label, url_name, current):
    url = reverse(url_name)
    # A face's home is active on itself only; other entries on their sub-pages too.
    active = current == url or (current.startswith(url) and url.count("/") > 2)
    return {"label": label, "url": url, "active": active}


def _group(label, entries):
    return {"label": label, "children": entries, "active": any(e["active"] for e in entries)}


def navigation(request):
    """The navigation for the user's role: each role sees only what it may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    here = request.path
    items = []
    if user.is_regulator:
        more = [
            _entry(_("Mail"), "control:mail_log", here),
            _entry(_("Task forces"), "control:task_forces", here),
        ]
        if user.is_user_administrator:
            more.append(_entry(_("Personal data access log"), "control:access_log", here))
        items = [
            _entry(_("Overview"), "control:home", here),
            _group(
                _("Data"),
                [
                    _entry(_("Reporting"), "control:reporting", here),
                    _entry(_("Charts"), "control:charts", here),
                    _entry(_("Cities"), "control:city_matrix", here),
                    _entry(_("Spikes"), "control:anomalies", here),
                    _entry(_("Complaint ledger"), "control:complaints", here),
                ],
            ),
            _group(
                _("Casework"),
                [
                    _entry(_("Findings"), "control:findings", here),
                    _entry(_("Orders"), "control:orders", here),
                    _entry(_("Interviews"), "control:interviews", here),
                    _entry(_("Notices and penalties"), "control:records", here),
                    _entry(_("Audit trail"), "control:audit", here),
                ],
            ),
            _entry(_("Meetings"), "control:meetings", here),
            _entry(_("Briefings"), "control:briefings", here),
            _group(_("More"), more),
        ]
        if user.is_staff or user.is_user_administrator:
            items.append({"label": _("Administration"), "url": reverse("admin:index"), "active": False})
    elif user.is_operator_user:
        items = [
            _entry(_("My company"), "portal:home", here),
            _group(
                _("Reports"),
                [
                    _entry(_("Monthly reports"), "portal:submissions", here),
                    _entry(_("Major problems"), "portal:incidents", here),
                    _entry(_("Checks applied"), "portal:checks", here),
                ],
            ),
            _group(
                _("Cases"),
                [
                    _entry(_("Findings"), "portal:findings", here),
                    _entry(_("Orders"), "portal:orders", here),
                    _entry(_("Interviews"), "portal:interviews", here),
                    _entry(_("Notices and penalties"), "portal:records", here),
                ],
            ),
            _group(
                _("Meetings"),
                [
                    _entry(_("Meetings"), "portal:meetings", here),
                    _entry(_("Action items"), "portal:action_items", here),
                ],
            ),
            _entry(_("Task force"), "portal:task_force", here),
        ]
    elif user.is_user_administrator:
        # A user administrator without a role (a superuser made on the command line).
        items = [
            _entry(_("Personal data access log"), "control:access_log", here),
            {"label": _("Administration"), "url": reverse("admin:index"), "active": False},
        ]
    return {"nav_items": items}

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request):
    """The navigation for the user's role: each role sees only what it may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    if user.is_regulator:
        items += [
            (_("Overview"), reverse("control:home")),
            (_("Reporting"), reverse("control:reporting")),
            (_("Charts"), reverse("control:charts")),
            (_("Cities"), reverse("control:city_matrix")),
            (_("Spikes"), reverse("control:anomalies")),
            (_("Complaint ledger"), reverse("control:complaints")),
            (_("Findings"), reverse("control:findings")),
            (_("Orders"), reverse("control:orders")),
            (_("Mail"), reverse("control:mail_log")),
            (_("Task forces"), reverse("control:task_forces")),
        ]
        if user.is_staff:
            items.append((_("Administration"), reverse("admin:index")))
    elif user.is_operator_user:
        items += [
            (_("My company"), reverse("portal:home")),
            (_("Monthly reports"), reverse("portal:submissions")),
            (_("Major problems"), reverse("portal:incidents")),
            (_("Checks applied"), reverse("portal:checks")),
            (_("Task force"), reverse("portal:task_force")),
        ]
    current = request.path
    return {
        "nav_items": [
            {"label": label, "url": url, "active": current.startswith(url) and url != "/"}
            for label, url in items
        ]
    }

"""The morning digest: the mail form of the control home page, registered from
``AnalyticsConfig.ready`` as the reminder rule ``digest`` (``supervision.reminders.rules``; the
code is kept for ever, stored occasions and timings refer to it).

Each weekday from 08:00 (Asia/Shanghai), to each case officer who wants it (``receives_digest``,
on the profile page): the orders overdue and due within a week, the late reports, the major
problems reported since yesterday and the reports submitted since yesterday.
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from supervision.casework.models import OPEN_ORDER_STATES, RectificationOrder
from supervision.core.dates import local_time
from supervision.core.models import User
from supervision.reminders import clock, rules
from supervision.reminders.rules import Due, Rule
from supervision.reporting.models import Incident, MonthlySubmission
from supervision.reporting.reminders import late_reports


class DigestRule(Rule):
    """Each weekday morning, to each case officer who wants it: what is due, overdue and new."""

    def due(self, today, offsets, repeat):
        local = local_time(clock.now())
        if today.weekday() >= 5 or local.hour < 8:
            return
        for user in User.objects.reachable_staff().filter(receives_digest=True):
            yield Due(f"digest:{user.pk}", user, today)

    def still_due(self, object_key, on_date) -> bool:
        return User.objects.filter(pk=object_key.split(":")[1], receives_digest=True, is_active=True).exists()

    def context(self, object_key):
        now = clock.now()
        yesterday = now - dt.timedelta(days=1)
        open_orders = RectificationOrder.objects.filter(state__in=OPEN_ORDER_STATES).select_related(
            "operator"
        )
        return {
            "overdue_orders": RectificationOrder.objects.overdue(now).select_related("operator"),
            "due_soon_orders": open_orders.filter(deadline__gte=now, deadline__lt=now + dt.timedelta(days=7)),
            "late_reports": late_reports(clock.today()),
            "new_incidents": Incident.objects.filter(reported_at__gte=yesterday).select_related("operator"),
            "open_incidents": Incident.objects.open().count(),
            "new_submissions": MonthlySubmission.objects.filter(submitted_at__gte=yesterday).select_related(
                "operator", "period"
            ),
        }


def register() -> None:
    rules.register(
        DigestRule(
            "digest", _("Morning digest"), statutory=False,
            description=_("Each weekday from 08:00, to each case officer who wants it: what is due, overdue and new."),
        ),
    )  # fmt: skip

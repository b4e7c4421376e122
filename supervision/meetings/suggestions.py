"""Agenda suggestions computed from the data: what is worth discussing at the next meeting.

For the operators invited to the meeting:

* rectification orders past their deadline (open state, deadline passed);
* major problems (incidents) still open;
* complaint spikes of the last complete month (``analytics.anomalies.complaint_spikes``), the most
  abnormal cell per operator and city;
* action items of earlier meetings of the series still open (they carry over), and any action
  item past its due date.

Each suggestion has a stable key ("order:12"); staff take one into the agenda with one click, and a
taken key is not suggested again for that meeting. A fixed number of queries whatever the data.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from supervision.analytics.anomalies import complaint_spikes
from supervision.casework.models import RectificationOrder
from supervision.core.dates import local_date, local_time
from supervision.core.models import Operator, Period
from supervision.reporting.models import Incident

from .models import ActionItem, ActionState, Meeting

MAX_PER_KIND = 8
MAX_SPIKES = 5


@dataclass(frozen=True)
class Suggestion:
    key: str
    kind: str
    title: str
    details: str
    operator: Operator | None
    link: str
    planned_minutes: int = 10


def _local(value: dt.datetime) -> str:
    return date_format(local_time(value), "Y-m-d H:i")


@dataclass(frozen=True)
class Scope:
    """What every source suggests for: the meeting, the operators invited to it, and when."""

    meeting: Meeting
    invited: frozenset[int]
    now: dt.datetime

    @property
    def today(self) -> dt.date:
        return local_date(self.now)


def overdue_orders(scope: Scope) -> list[Suggestion]:
    """Rectification orders past their deadline (the orders' own definition, casework.models)."""
    orders = (
        RectificationOrder.objects.overdue(scope.now)
        .filter(operator__in=scope.invited)
        .select_related("operator")
        .order_by("deadline")[:MAX_PER_KIND]
    )
    return [
        Suggestion(
            key=f"order:{order.pk}",
            kind="order",
            title=_("Overdue rectification order: %(operator)s — %(title)s")
            % {"operator": order.operator.short_name, "title": order.title},
            details=_("%(number)s, deadline %(deadline)s, %(state)s")
            % {
                "number": order.document_no or "—",
                "deadline": _local(order.deadline),
                "state": order.get_state_display(),
            },
            operator=order.operator,
            link=reverse("control:order", args=[order.pk]),
        )
        for order in orders
    ]


def open_incidents(scope: Scope) -> list[Suggestion]:
    """Major problems (incidents) still open."""
    incidents = (
        Incident.objects.open()
        .filter(operator__in=scope.invited)
        .select_related("operator", "city")
        .order_by("since")[:MAX_PER_KIND]
    )
    return [
        Suggestion(
            key=f"incident:{incident.pk}",
            kind="incident",
            title=_("Open major problem: %(operator)s — %(title)s")
            % {"operator": incident.operator.short_name, "title": incident.title},
            details=_("since %(since)s, %(n)s subscribers affected")
            % {"since": _local(incident.since), "n": incident.subscribers_affected},
            operator=incident.operator,
            link=reverse("control:home"),
        )
        for incident in incidents
    ]


def spikes(scope: Scope) -> list[Suggestion]:
    """Complaint spikes of the last complete month: the most abnormal cell per operator and city."""
    month = Period.last_complete(scope.now).month
    seen_cells = set()
    chosen = []
    for spike in complaint_spikes(month):
        cell = (spike.operator.pk, spike.city.pk)
        if spike.operator.pk not in scope.invited or cell in seen_cells:
            continue
        seen_cells.add(cell)
        chosen.append(spike)
        if len(chosen) == MAX_SPIKES:
            break
    found = []
    for spike in chosen:
        category = spike.category.code if spike.category else "*"
        what = f"{spike.category.code} " if spike.category else ""
        found.append(
            Suggestion(
                key=f"spike:{spike.operator.code}:{spike.city.code}:{category}:{month:%Y-%m}",
                kind="spike",
                title=_("Complaint spike: %(operator)s in %(city)s, %(what)s%(month)s")
                % {
                    "operator": spike.operator.short_name,
                    "city": spike.city.name,
                    "what": what,
                    "month": f"{month:%Y-%m}",
                },
                details=_("%(count)s complaints against a usual %(median)s")
                % {"count": spike.count, "median": f"{spike.median:g}"},
                operator=spike.operator,
                link=spike.url,
            )
        )
    return found


def carried_action_items(scope: Scope) -> list[Suggestion]:
    """Open action items of earlier meetings of this series (they carry over), and any past due."""
    meeting, today = scope.meeting, scope.today
    actions = (
        ActionItem.objects.filter(state=ActionState.OPEN)
        .filter(Q(operator__in=scope.invited) | Q(operator__isnull=True))
        .filter(
            Q(meeting__series=meeting.series_id, meeting__starts_at__lt=meeting.starts_at)
            | Q(due_on__lt=today)
        )
        .exclude(meeting=meeting)
        .select_related("operator", "meeting")
        .order_by("due_on", "pk")[:MAX_PER_KIND]
    )
    found = []
    for action in actions:
        owner = action.operator.short_name if action.operator else _("the administration")
        past_due = action.due_on < today
        found.append(
            Suggestion(
                key=f"action:{action.pk}",
                kind="action",
                title=_("Action item: %(title)s (%(owner)s)") % {"title": action.title, "owner": owner},
                details=(_("due %(date)s, past due") if past_due else _("due %(date)s"))
                % {"date": date_format(action.due_on, "Y-m-d")}
                + " · "
                + _("from the meeting of %(date)s")
                % {"date": date_format(local_date(action.meeting.starts_at), "Y-m-d")},
                operator=action.operator,
                link=reverse("control:meeting", args=[action.meeting_id]),
                planned_minutes=5,
            )
        )
    return found


# The sources, in the order the agenda lists their suggestions. A new kind of suggestion is one
# more function here: ``source(scope) -> [Suggestion]``, a fixed number of queries.
SOURCES = [overdue_orders, open_incidents, spikes, carried_action_items]


def suggest(
    meeting: Meeting, *, now: dt.datetime | None = None, taken: set[str] | None = None
) -> list[Suggestion]:
    """What the data suggest for this meeting's agenda, not yet taken, grouped by kind (``SOURCES``).

    ``taken``: the suggestion keys already on the agenda, when the caller has them (saves a query).
    """
    if taken is None:
        taken = set(meeting.agenda_items.exclude(suggestion_key="").values_list("suggestion_key", flat=True))
    scope = Scope(
        meeting, frozenset(inv.operator_id for inv in meeting.invitations.all()), now or timezone.now()
    )
    return [s for source in SOURCES for s in source(scope) if s.key not in taken]

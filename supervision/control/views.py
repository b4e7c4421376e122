"""The administration's face: views only; the rules live in the data apps' services."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from supervision.analytics import cards
from supervision.analytics.indicators import INDICATORS_BY_CODE, PER_CITY
from supervision.casework.models import OPEN_INTERVIEW_STATES, InterviewNotice, RectificationOrder
from supervision.core import params, queues
from supervision.core.exports import FORMATS, TableExporter
from supervision.core.models import Operator, Period, TaskForceMember
from supervision.core.permissions import regulator_required
from supervision.core.queries import count_per_row
from supervision.meetings.models import Meeting, MeetingState
from supervision.reporting.models import Incident


def month_from_request(request) -> Period:
    """The month a page shows: ``?month=YYYY-MM``, by default the last complete month; 400 for
    a value that is not a month; a month without data shows empty and is not created."""
    return params.period(request)


def month_choices(selected: Period, count: int = 36) -> list[Period]:
    """The months a picker offers: the last complete month and the ones before it (one query)."""
    last = Period.last_complete()
    return list(Period.objects.filter(month__lte=last.month).order_by("-month")[:count])


@regulator_required
def home(request):
    now = timezone.now()
    period = month_from_request(request)
    operators_in_order, card_rows = cards.indicator_cards(period.month)
    if request.GET.get("export") in FORMATS:
        # The figures of the cards as a file: the same values, rounded once (core.rounding).
        exporter = TableExporter(_("indicators-%(month)s") % {"month": period.label})
        return exporter.response(cards.export_rows(period.month, card_rows), request.GET["export"])
    # Open and overdue: the orders' own definitions (casework.models.OrderQuerySet), as of ``now``.
    operators = Operator.objects.annotate(
        open_orders=count_per_row(RectificationOrder.objects.open()),
        overdue_orders=count_per_row(RectificationOrder.objects.overdue(now)),
        open_incidents=count_per_row(Incident.objects.open()),
    ).order_by("sort_order")
    context = {
        # What waits for this user first (the domains' queues, core.queues), then the figures.
        "queues": queues.for_user(request.user, now),
        "queue_empty": _(
            "Nothing waits for your approval or instruction now. The month's figures are below; "
            "briefings to approve and escalated orders appear here as the staff send them."
        )
        if request.user.is_leader
        else _(
            "Nothing waits for you now. Reports to accept, answers, requests, major problems and "
            "leadership's instructions appear here as they come; meanwhile the month's figures are below."
        ),
        "period": period,
        "months": month_choices(period),
        "card_operators": operators_in_order,
        "card_rows": card_rows,
        "operators": operators,
        "incidents": Incident.objects.visible_to(request.user).open().select_related("operator", "city")[:10],
        "interviews": InterviewNotice.objects.visible_to(request.user)
        .filter(scheduled_at__gte=now)
        .filter(state__in=OPEN_INTERVIEW_STATES)
        .select_related("operator")
        .order_by("scheduled_at")[:5],  # the next ones, the soonest first
        "meetings": Meeting.objects.filter(starts_at__gte=now, state=MeetingState.SCHEDULED).select_related(
            "series"
        )[:3],
        "overdue_orders": RectificationOrder.objects.visible_to(request.user)
        .overdue(now)
        .select_related("operator")[:10],
    }
    return render(request, "control/home.html", context)


@regulator_required
def task_forces(request):
    members = TaskForceMember.objects.visible_to(request.user).select_related("operator")
    by_operator = {op: [] for op in Operator.objects.all()}
    for member in members:
        by_operator[member.operator].append(member)
    return render(request, "control/task_forces.html", {"rosters": by_operator.items()})


@regulator_required
def city_matrix(request):
    """One indicator for one month: the 16 cities × the operators, each cell linking further."""
    period = month_from_request(request)
    indicator = INDICATORS_BY_CODE.get(request.GET.get("indicator") or "port_out_success")
    if indicator is None or not indicator.per_city:
        raise Http404
    rows = cards.city_matrix(indicator, period)
    return render(
        request,
        "control/city_matrix.html",
        {
            "period": period,
            "months": month_choices(period),
            "indicator": indicator,
            "indicators": PER_CITY,
            **rows,
        },
    )

"""The administration's face: views only; the rules live in the data apps' services."""

from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone

from supervision.casework.models import OPEN_ORDER_STATES, InterviewNotice, InterviewState, RectificationOrder
from supervision.core.models import Operator, Period, TaskForceMember
from supervision.core.permissions import regulator_required
from supervision.meetings.models import Meeting, MeetingState
from supervision.reporting.models import Incident, IncidentStatus


@regulator_required
def home(request):
    now = timezone.now()
    period = Period.last_complete()
    operators = Operator.objects.annotate(
        open_orders=Count("orders", filter=Q(orders__state__in=OPEN_ORDER_STATES), distinct=True),
        overdue_orders=Count(
            "orders", filter=Q(orders__state__in=OPEN_ORDER_STATES, orders__deadline__lt=now), distinct=True
        ),
        open_incidents=Count("incidents", filter=Q(incidents__status=IncidentStatus.OPEN), distinct=True),
    ).order_by("sort_order")  # a grouped query drops the model's default ordering
    context = {
        "period": period,
        "operators": operators,
        "incidents": Incident.objects.visible_to(request.user)
        .filter(status=IncidentStatus.OPEN)
        .select_related("operator", "city")[:10],
        "interviews": InterviewNotice.objects.visible_to(request.user)
        .filter(scheduled_at__gte=now)
        .exclude(state__in=[InterviewState.DRAFT, InterviewState.HELD])
        .select_related("operator")[:5],
        "meetings": Meeting.objects.filter(starts_at__gte=now, state=MeetingState.SCHEDULED).select_related(
            "series"
        )[:3],
        "overdue_orders": RectificationOrder.objects.visible_to(request.user)
        .filter(state__in=OPEN_ORDER_STATES, deadline__lt=now)
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

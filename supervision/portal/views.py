"""The operators' face: every query starts from the user's own operator."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from supervision.casework.models import InterviewNotice, InterviewState, RectificationOrder
from supervision.core import dates, distribution, queues
from supervision.core.models import Period, TaskForceMember
from supervision.core.permissions import operator_required
from supervision.meetings.models import Meeting, MeetingState
from supervision.reporting.models import Incident, MonthlySubmission

from .forms.task_force import TaskForceMemberForm


@operator_required
def home(request):
    user = request.user
    now = timezone.now()
    orders = RectificationOrder.objects.visible_to(user)
    # Today's meeting and the next ones the operator is invited to (the day in Asia/Shanghai).
    meetings = list(
        Meeting.objects.visible_to(user)
        .filter(state=MeetingState.SCHEDULED, ends_at__gte=now)
        .select_related("series")
        .order_by("starts_at")[:3]
    )
    for meeting in meetings:
        meeting.is_today = dates.local_date(meeting.starts_at) == dates.local_date(now)
    context = {
        # What waits for this user first (the domains' queues, core.queues), then the company's cases.
        "queues": queues.for_user(user, now),
        "queue_empty": _(
            "Nothing waits for you now: no report to certify and no interview to confirm. "
            "Your company's reports and cases are below."
        )
        if user.is_operator_manager
        else _(
            "Nothing waits for you now: no report to file or correct, and no order, commitment, "
            "action item or meeting to answer. Your company's reports and cases are below."
        ),
        "operator": request.operator,
        "period": Period.last_complete(),
        "submissions": MonthlySubmission.objects.visible_to(user).select_related("period")[:6],
        # Open and overdue: the orders' own definitions (casework.models.OrderQuerySet), as of ``now``.
        "orders": orders.open().with_overdue(now),
        "overdue_count": orders.overdue(now).count(),
        "interviews": InterviewNotice.objects.visible_to(user)
        .filter(scheduled_at__gte=now)
        .exclude(state=InterviewState.DRAFT)
        .order_by("scheduled_at"),
        "incidents": Incident.objects.visible_to(user).open(),
        "meetings": meetings,
        "now": now,
    }
    return render(request, "portal/home.html", context)


@operator_required
def task_force(request):
    members = TaskForceMember.objects.visible_to(request.user).select_related("account")
    # Who receives the administration's official documents here now, and why.
    (distribution_list,) = distribution.lists([request.operator])
    return render(
        request,
        "portal/task_force.html",
        {"members": members, "operator": request.operator, "distribution": distribution_list},
    )


@operator_required
def task_force_member_edit(request, pk=None):
    member = (
        get_object_or_404(TaskForceMember.objects.visible_to(request.user), pk=pk)
        if pk
        else TaskForceMember(operator=request.operator)
    )
    form = TaskForceMemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The task-force roster was saved."))
        return redirect("portal:task_force")
    return render(request, "portal/task_force_form.html", {"form": form, "member": member})


@operator_required
@require_POST
def task_force_member_delete(request, pk):
    member = get_object_or_404(TaskForceMember.objects.visible_to(request.user), pk=pk)
    member.delete()
    messages.success(request, _("%(name)s was removed from the task force.") % {"name": member.name})
    return redirect("portal:task_force")

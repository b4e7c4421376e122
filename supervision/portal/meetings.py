"""The operators' side of consultation meetings: upcoming meetings, attendance, proposals, the
minutes and the company's own action items, and the user's calendar address.

Every query starts from the user's operator: a meeting it is not invited to, another operator's
proposal or action item is a 404.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from supervision.core import actions, dates
from supervision.core.permissions import operator_required
from supervision.meetings import presentation, services
from supervision.meetings import reminders as meeting_reminders
from supervision.meetings.models import (
    ActionItem,
    ActionState,
    AgendaItem,
    AgendaSource,
    Attendee,
    Invitation,
    Meeting,
)

from .forms.meetings import AttendanceForm, DoneForm, ProposalForm


def _own_invitation(request, meeting: Meeting) -> Invitation:
    queryset = Invitation.objects.visible_to(request.user).prefetch_related(
        Prefetch("attendees", queryset=Attendee.objects.select_related("user"))
    )
    return get_object_or_404(queryset, meeting=meeting)


@operator_required
def meeting_list(request):
    now = timezone.now()
    meetings = Meeting.objects.visible_to(request.user).select_related("series")
    invitations = {
        inv.meeting_id: inv
        for inv in Invitation.objects.visible_to(request.user).filter(meeting__ends_at__gte=now)
    }
    upcoming = list(meetings.filter(ends_at__gte=now)[:12])
    for meeting in upcoming:
        meeting.own_invitation = invitations.get(meeting.pk)
    return render(
        request,
        "portal/meetings/list.html",
        {
            "upcoming": upcoming,
            "past": meetings.filter(ends_at__lt=now).order_by("-starts_at")[:12],
            "open_actions": ActionItem.objects.visible_to(request.user)
            .filter(state=ActionState.OPEN)
            .select_related("meeting__series"),
            "today": dates.local_date(now),
        },
    )


@operator_required
def meeting_detail(request, pk):
    meeting = presentation.visible_meeting(request, pk)
    invitation = _own_invitation(request, meeting)
    # Another operator's case is not this operator's business (AgendaItemQuerySet.shown_to).
    agenda = meeting.agenda_items.accepted().shown_to(request.user).select_related("operator")
    proposals = AgendaItem.objects.visible_to(request.user).filter(
        meeting=meeting, source=AgendaSource.PROPOSAL
    )
    action_items = list(
        ActionItem.objects.visible_to(request.user).filter(meeting=meeting).select_related("done_by")
    )
    presentation.attach_reminders(request, action_items)
    return render(
        request,
        "portal/meetings/meeting.html",
        {
            "meeting": meeting,
            "reminders": meeting_reminders.for_meeting(meeting, user=request.user),
            # What the operator may do at this meeting now (``services.ACTIONS``): the buttons.
            "allowed": actions.allowed(
                services.ACTIONS, meeting, request.user, operator_id=request.user.operator_id
            ),
            "invitation": invitation,
            "agenda": list(agenda) if meeting.agenda_published_at else [],
            "proposals": proposals,
            "action_items": action_items,
            "today": dates.today(),
        },
    )


@operator_required
def meeting_attendance(request, pk):
    meeting = presentation.visible_meeting(request, pk)
    invitation = _own_invitation(request, meeting)
    attendees = list(invitation.attendees.all())
    initial = {
        "attendees": [a.user_id for a in attendees if a.user_id],
        "others": "\n".join(
            f"{a.name}, {a.position}" if a.position else a.name for a in attendees if not a.user_id
        ),
        "declined": invitation.declined,
        "note": invitation.note,
    }
    return presentation.form_page(
        request,
        meeting,
        AttendanceForm(request.POST or None, initial=initial, operator_id=request.operator.pk),
        services.answer_attendance,
        success=_("Your answer is sent to the administration."),
        redirect_to=reverse("portal:meeting", args=[pk]),
        template="portal/meetings/attendance_form.html",
        context={"meeting": meeting, "invitation": invitation},
    )


@operator_required
def meeting_propose(request, pk):
    meeting = presentation.visible_meeting(request, pk)
    return presentation.form_page(
        request,
        meeting,
        ProposalForm(request.POST or None),
        services.propose_item,
        success=_("Your proposal is sent; the administration decides whether it goes on the agenda."),
        redirect_to=reverse("portal:meeting", args=[pk]) + "#proposals",
        template="portal/meetings/proposal_form.html",
        context={"meeting": meeting},
    )


@operator_required
@require_POST
def proposal_withdraw(request, pk):
    item = get_object_or_404(
        AgendaItem.objects.visible_to(request.user)
        .filter(source=AgendaSource.PROPOSAL)
        .select_related("meeting"),
        pk=pk,
    )
    back = reverse("portal:meeting", args=[item.meeting_id]) + "#proposals"
    success = _("Your proposal is withdrawn.")
    return presentation.post_action(request, item, services.withdraw_proposal, success, back)


@operator_required
def meeting_ics(request, pk):
    return presentation.meeting_ics(request, pk, namespace="portal")


@operator_required
def action_item_list(request):
    items = ActionItem.objects.visible_to(request.user).select_related("meeting__series", "done_by")
    open_items = [i for i in items if i.state == ActionState.OPEN]
    presentation.attach_reminders(request, open_items)
    return render(
        request,
        "portal/meetings/action_items.html",
        {
            "open_items": open_items,
            "done_items": [i for i in items if i.state == ActionState.DONE],
            "today": dates.today(),
        },
    )


@operator_required
def action_item_detail(request, pk):
    item = get_object_or_404(
        ActionItem.objects.visible_to(request.user).select_related("meeting__series", "done_by"), pk=pk
    )
    return presentation.form_page(
        request,
        item,
        DoneForm(request.POST or None),
        services.complete_action_item,
        success=_("The action item is marked done; the administration sees it."),
        redirect_to=reverse("portal:action_item", args=[pk]),
        template="portal/meetings/action_item.html",
        context={
            "item": item,
            "allowed": actions.allowed(services.ACTION_ITEM_ACTIONS, item, request.user),
            "reminders": meeting_reminders.for_action_item(item, user=request.user),
            "today": dates.today(),
        },
    )


@operator_required
def calendar(request):
    return presentation.calendar_address(request, namespace="portal")


@operator_required
@require_POST
def calendar_reset(request):
    return presentation.reset_calendar(request, namespace="portal")


@operator_required
@require_POST
def calendar_revoke(request):
    return presentation.revoke_calendar(request, namespace="portal")

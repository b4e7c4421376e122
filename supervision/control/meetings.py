"""The administration's side of consultation meetings: series, occurrences, agenda, attendance,
minutes and action items, and the user's calendar address. Views only (the forms are in
``control.forms.meetings``): every change goes through ``supervision.meetings.services``, and what
both faces do alike (a button that calls a service, a page with a form, the calendar address) is
written once in ``supervision.meetings.presentation``.
"""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from supervision.core import actions, dates
from supervision.core.permissions import regulator_required, regulator_staff_required
from supervision.meetings import clashes, presentation, services
from supervision.meetings import reminders as meeting_reminders
from supervision.meetings.models import (
    ActionItem,
    ActionState,
    AgendaItem,
    AgendaState,
    Attendee,
    Invitation,
    Meeting,
    MeetingSeries,
)
from supervision.meetings.suggestions import suggest

from .forms.meetings import (
    ActionItemForm,
    AgendaItemForm,
    CancelForm,
    DeclineForm,
    MinutesForm,
    OccurrenceForm,
    OneOffForm,
    SeriesForm,
)

# --- Helpers -------------------------------------------------------------------------------------


def _meeting_url(pk, anchor: str = "") -> str:
    return reverse("control:meeting", args=[pk]) + anchor


def _minutes_url(pk, anchor: str = "") -> str:
    return reverse("control:meeting_minutes", args=[pk]) + anchor


def _change_meeting(request, pk, service, success, back: str, **kwargs):
    """A button on the meeting itself; then back to ``back``."""
    meeting = presentation.visible_meeting(request, pk)
    return presentation.post_action(request, meeting, service, success, back, **kwargs)


def _detail_meeting(request, pk) -> Meeting:
    """The meeting with everything its pages show, in a fixed number of queries."""
    queryset = (
        Meeting.objects.visible_to(request.user)
        .select_related("series", "closed_by")
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=Invitation.objects.select_related("operator", "answered_by").prefetch_related(
                    Prefetch("attendees", queryset=Attendee.objects.select_related("user"))
                ),
            ),
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.select_related("operator", "proposed_by", "decided_by"),
            ),
            Prefetch("action_items", queryset=ActionItem.objects.select_related("operator", "done_by")),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def _agenda_parts(meeting: Meeting) -> dict:
    items = list(meeting.agenda_items.all())
    agenda = [i for i in items if i.state == AgendaState.ACCEPTED]
    planned = services.agenda_minutes(agenda)
    return {
        "agenda": agenda,
        "proposals": [i for i in items if i.state == AgendaState.PROPOSED],
        "decided_proposals": [i for i in items if i.state == AgendaState.DECLINED],
        "planned_minutes": planned,
        "over_time": services.over_time(meeting, agenda),
        "taken": {i.suggestion_key for i in items if i.suggestion_key},
    }


def _go_ahead(request, found) -> bool:
    """Whether a form that passed may be saved: nothing clashes, or the user has seen the clashes
    (listed on the page, ``includes/clashes.html``) and ticked "save anyway"."""
    return not found or request.POST.get(clashes.SAVE_ANYWAY) == "1"


def _invited_ids(meeting: Meeting) -> list[int]:
    return list(meeting.invitations.values_list("operator_id", flat=True))


def _allowed(request, meeting: Meeting) -> set[str]:
    """What the user may do to the meeting now (``services.ACTIONS``): the page's buttons."""
    return actions.allowed(services.ACTIONS, meeting, request.user)


def _detail(request, meeting: Meeting, *, item_form=None, status=200):
    parts = _agenda_parts(meeting)
    invitations = list(meeting.invitations.all())
    allowed = _allowed(request, meeting)
    action_items = list(meeting.action_items.all())
    presentation.attach_reminders(request, action_items)
    context = {
        "meeting": meeting,
        "reminders": meeting_reminders.for_meeting(meeting, user=request.user),
        "allowed": allowed,
        "invitations": invitations,
        "not_answered": [inv for inv in invitations if not inv.is_answered],
        "action_items": action_items,
        "suggestions": suggest(meeting, taken=parts["taken"]) if meeting.is_open else [],
        "item_form": item_form or (AgendaItemForm(meeting=meeting) if "add_item" in allowed else None),
        "decline_form": DeclineForm(),
        "cancel_form": CancelForm(),
        **parts,
    }
    return render(request, "control/meetings/meeting.html", context, status=status)


# --- Lists, series and occurrences ---------------------------------------------------------------


@regulator_required
def meeting_list(request):
    now = timezone.now()
    meetings = Meeting.objects.visible_to(request.user).select_related("series")
    context = {
        "upcoming": meetings.filter(ends_at__gte=now)[:12],
        "past": meetings.filter(ends_at__lt=now).order_by("-starts_at")[:12],
        # A one-off meeting's series (no rule) is not a series to the user.
        "series_list": MeetingSeries.objects.exclude(rrule=""),
        "series_allowed": actions.allowed(services.SERIES_ACTIONS, None, request.user),
        "open_actions": ActionItem.objects.visible_to(request.user)
        .filter(state=ActionState.OPEN)
        .select_related("operator", "meeting__series")[:50],
        "today": dates.local_date(now),
    }
    return render(request, "control/meetings/list.html", context)


def _series_clashes(form) -> list:
    """What the series' meetings up to the horizon would clash with (its own meetings aside)."""
    now = timezone.now()
    return clashes.for_series(
        form.instance,
        operator_ids=[op.pk for op in form.cleaned_data["invited_operators"]],
        now=now,
        until=services.horizon_end(now),
    )


@regulator_staff_required
def series_new(request):
    form = SeriesForm(request.POST or None)
    found = []
    if request.method == "POST" and form.is_valid():
        found = _series_clashes(form)
        if _go_ahead(request, found):
            series = services.create_series(
                form.save(commit=False),
                invited_operators=form.cleaned_data["invited_operators"],
                user=request.user,
            )
            messages.success(
                request,
                _("The series is created with %(n)s meetings ahead.") % {"n": series.meetings.count()},
            )
            return redirect("control:meeting_series", pk=series.pk)
    return render(request, "control/meetings/series_form.html", {"form": form, "clashes": found})


@regulator_staff_required
def meeting_new(request):
    """A one-off meeting, outside any series."""
    form = OneOffForm(request.POST or None)
    found = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = clashes.for_meeting(
            data["starts_at"],
            data["duration_minutes"],
            place=data["place"],
            operator_ids=[op.pk for op in data["invited_operators"]],
        )
        if _go_ahead(request, found):
            try:
                meeting = services.create_one_off(user=request.user, **data)
            except services.MeetingRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("The meeting is created; prepare its agenda, then publish it."))
                return redirect("control:meeting", pk=meeting.pk)
    return render(request, "control/meetings/one_off_form.html", {"form": form, "clashes": found})


def _one_off_redirect(series):
    """A one-off meeting's series is no series to show or change: its meeting's page instead."""
    if not services.is_one_off(series):
        return None
    meeting = series.meetings.first()
    return redirect("control:meeting", pk=meeting.pk) if meeting else redirect("control:meetings")


@regulator_required
def series_detail(request, pk):
    series = get_object_or_404(MeetingSeries.objects.prefetch_related("invited_operators"), pk=pk)
    if one_off := _one_off_redirect(series):
        return one_off
    meetings = series.meetings.order_by("starts_at")
    return render(
        request,
        "control/meetings/series.html",
        {
            "series": series,
            "meetings": meetings,
            "now": timezone.now(),
            "allowed": actions.allowed(services.SERIES_ACTIONS, series, request.user),
        },
    )


@regulator_staff_required
def series_edit(request, pk):
    series = get_object_or_404(MeetingSeries, pk=pk)
    if one_off := _one_off_redirect(series):
        return one_off
    form = SeriesForm(request.POST or None, instance=series)
    found = []
    if request.method == "POST" and form.is_valid():
        found = _series_clashes(form)
        if _go_ahead(request, found):
            counts = services.update_series(
                form.save(commit=False),
                invited_operators=form.cleaned_data["invited_operators"],
                user=request.user,
            )
            messages.success(
                request,
                _(
                    "The series is saved. Future meetings without a record of their own follow it: "
                    "%(updated)s kept, %(removed)s removed, %(created)s added. Past meetings are unchanged."
                )
                % counts,
            )
            return redirect("control:meeting_series", pk=series.pk)
    return render(
        request, "control/meetings/series_form.html", {"form": form, "series": series, "clashes": found}
    )


@regulator_staff_required
def meeting_add(request, pk):
    series = get_object_or_404(MeetingSeries, pk=pk)
    if one_off := _one_off_redirect(series):
        return one_off
    form = OccurrenceForm(
        request.POST or None, initial={"duration_minutes": series.duration_minutes, "place": series.place}
    )
    found = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = clashes.for_meeting(
            data["starts_at"],
            data["duration_minutes"],
            place=data["place"],
            operator_ids=series.invited_operators.values_list("pk", flat=True),
        )
        if _go_ahead(request, found):
            try:
                meeting = services.add_occurrence(series, user=request.user, **data)
            except services.MeetingRefused as refused:
                form.add_error("starts_at", str(refused))
            else:
                messages.success(request, _("The extra meeting is added to the series."))
                return redirect("control:meeting", pk=meeting.pk)
    return render(
        request,
        "control/meetings/occurrence_form.html",
        {"form": form, "series": series, "clashes": found},
    )


@regulator_required
def meeting_detail(request, pk):
    return _detail(request, _detail_meeting(request, pk))


@regulator_staff_required
def meeting_move(request, pk):
    meeting = presentation.visible_meeting(request, pk)
    form = OccurrenceForm(
        request.POST or None,
        initial={
            "starts_at": dates.local_time(meeting.starts_at),
            "duration_minutes": meeting.duration_minutes,
            "place": meeting.place,
            "video_link": meeting.video_link,
        },
    )
    context = {"series": meeting.series, "meeting": meeting}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = clashes.for_meeting(
            data["starts_at"],
            data["duration_minutes"],
            place=data["place"],
            operator_ids=_invited_ids(meeting),
            exclude_meeting=meeting.pk,
        )
        if not _go_ahead(request, found):
            context.update(form=form, clashes=found)
            return render(request, "control/meetings/occurrence_form.html", context)
    return presentation.form_page(
        request,
        meeting,
        form,
        services.move,
        success=_("The meeting is moved; invitees who had the invitation receive an update."),
        redirect_to=_meeting_url(pk),
        template="control/meetings/occurrence_form.html",
        context=context,
    )


@regulator_staff_required
@require_POST
def meeting_cancel(request, pk):
    success = _("The meeting is cancelled; the rest of the series is unchanged.")
    form = CancelForm(request.POST)
    return _change_meeting(request, pk, services.cancel, success, _meeting_url(pk), form=form)


@regulator_required
def meeting_ics(request, pk):
    return presentation.meeting_ics(request, pk, namespace="control")


# --- Agenda --------------------------------------------------------------------------------------


@regulator_staff_required
@require_POST
def agenda_add(request, pk):
    meeting = _detail_meeting(request, pk)
    form = AgendaItemForm(request.POST, meeting=meeting)
    if not form.is_valid():
        return _detail(request, meeting, item_form=form, status=400)
    return presentation.post_action(
        request,
        meeting,
        services.add_item,
        _("The item is on the agenda."),
        _meeting_url(pk, "#agenda"),
        form=form,
    )


def _item(request, pk) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.visible_to(request.user).select_related("meeting__series"), pk=pk
    )


def _change_agenda_item(request, pk, service, success, **kwargs):
    """A button on an agenda item or proposal; back to the meeting's agenda."""
    item = _item(request, pk)
    back = _meeting_url(item.meeting_id, "#agenda")
    return presentation.post_action(request, item, service, success, back, **kwargs)


@regulator_staff_required
def agenda_item_edit(request, pk):
    item = _item(request, pk)
    return presentation.form_page(
        request,
        item,
        AgendaItemForm(request.POST or None, instance=item, meeting=item.meeting),
        services.update_item,
        success=_("The agenda item is saved."),
        redirect_to=_meeting_url(item.meeting_id, "#agenda"),
        template="control/meetings/agenda_item_form.html",
        context={"item": item},
    )


@regulator_staff_required
@require_POST
def agenda_item_delete(request, pk):
    return _change_agenda_item(request, pk, services.delete_item, _("The item is removed from the agenda."))


@regulator_staff_required
@require_POST
def agenda_item_move(request, pk):
    up = request.POST.get("direction") == "up"
    return _change_agenda_item(request, pk, services.move_item, None, up=up)  # the new order says it


@regulator_staff_required
@require_POST
def agenda_take(request, pk):
    key = request.POST.get("key", "")
    success = _("The suggestion is on the agenda.")
    return _change_meeting(
        request, pk, services.take_suggestion, success, _meeting_url(pk, "#agenda"), key=key
    )


@regulator_staff_required
@require_POST
def proposal_accept(request, pk):
    return _change_agenda_item(request, pk, services.accept_proposal, _("The proposal is on the agenda."))


@regulator_staff_required
@require_POST
def proposal_decline(request, pk):
    success = _("The proposal is declined; the operator sees your reason.")
    return _change_agenda_item(
        request, pk, services.decline_proposal, success, form=DeclineForm(request.POST)
    )


@regulator_staff_required
@require_POST
def agenda_publish(request, pk):
    success = _("The agenda is published: the invitees receive it with the calendar invitation.")
    return _change_meeting(request, pk, services.publish_agenda, success, _meeting_url(pk))


# --- Attendance, minutes, action items, closing --------------------------------------------------


@regulator_staff_required
def meeting_attendance(request, pk):
    meeting = _detail_meeting(request, pk)
    if request.method == "POST":
        try:
            attended = {int(value) for value in request.POST.getlist("attended")}
        except ValueError:
            attended = set()
        if presentation.attempt(
            request,
            lambda: services.record_attendance(
                meeting,
                attended_ids=attended,
                administration_attendees=request.POST.get("administration_attendees", ""),
                user=request.user,
            ),
            _("Attendance is recorded."),
        ):
            return redirect("control:meeting", pk=pk)
    return render(
        request,
        "control/meetings/attendance.html",
        {
            "meeting": meeting,
            "invitations": list(meeting.invitations.all()),
            "allowed": _allowed(request, meeting),
            "started": services.has_started(meeting),
        },
    )


@regulator_required  # leadership reads the minutes page; its POST is refused by the decorator
def meeting_minutes(request, pk):
    meeting = _detail_meeting(request, pk)
    if request.method == "POST":
        form = MinutesForm(request.POST)
        if form.is_valid():
            presentation.attempt(
                request,
                lambda: services.save_minutes(meeting, text=form.cleaned_data["minutes"], user=request.user),
                _("The minutes are saved."),
            )
        return redirect("control:meeting_minutes", pk=pk)
    return _minutes_page(request, meeting)


def _minutes_page(request, meeting, *, action_form=None, status=200):
    allowed = _allowed(request, meeting)
    action_items = list(meeting.action_items.all())
    for item in action_items:
        item.allowed = actions.allowed(services.ACTION_ITEM_ACTIONS, item, request.user)
    return render(
        request,
        "control/meetings/minutes.html",
        {
            "meeting": meeting,
            "allowed": allowed,
            "form": MinutesForm(initial={"minutes": meeting.minutes}) if "save_minutes" in allowed else None,
            "action_form": action_form
            or (ActionItemForm(meeting=meeting) if "add_action_item" in allowed else None),
            "action_items": action_items,
            "today": dates.today(),
            "started": services.has_started(meeting),
        },
        status=status,
    )


@regulator_staff_required
@require_POST
def minutes_publish(request, pk):
    success = _("The minutes are published and sent to the attendees.")
    return _change_meeting(request, pk, services.publish_minutes, success, _minutes_url(pk))


@regulator_staff_required
@require_POST
def meeting_close(request, pk):
    success = _(
        "The meeting is closed: its record is now read-only. Action items are followed up until done."
    )
    return _change_meeting(request, pk, services.close, success, _meeting_url(pk))


@regulator_staff_required
@require_POST
def action_item_add(request, pk):
    meeting = _detail_meeting(request, pk)
    form = ActionItemForm(request.POST, meeting=meeting)
    if not form.is_valid():
        return _minutes_page(request, meeting, action_form=form, status=400)
    return presentation.post_action(
        request,
        meeting,
        services.add_action_item,
        _("The action item is recorded."),
        _minutes_url(pk, "#action-items"),
        form=form,
    )


def _action_item(request, pk) -> ActionItem:
    return get_object_or_404(ActionItem.objects.visible_to(request.user).select_related("meeting"), pk=pk)


def _change_action_item(request, pk, service, success, **kwargs):
    """A button on an action item; back to the meeting's action items."""
    item = _action_item(request, pk)
    back = _minutes_url(item.meeting_id, "#action-items")
    return presentation.post_action(request, item, service, success, back, **kwargs)


@regulator_staff_required
@require_POST
def action_item_delete(request, pk):
    return _change_action_item(request, pk, services.delete_action_item, _("The action item is removed."))


@regulator_staff_required
@require_POST
def action_item_done(request, pk):
    note = request.POST.get("note", "")
    return _change_action_item(
        request, pk, services.complete_action_item, _("The action item is marked done."), note=note
    )


@regulator_staff_required
@require_POST
def action_item_reopen(request, pk):
    return _change_action_item(request, pk, services.reopen_action_item, _("The action item is open again."))


# --- The user's calendar address -----------------------------------------------------------------


@regulator_required
def calendar(request):
    return presentation.calendar_address(request, namespace="control")


@regulator_required(leader_may_write=True)  # one's own calendar address, not the record
@require_POST
def calendar_reset(request):
    return presentation.reset_calendar(request, namespace="control")


@regulator_required(leader_may_write=True)
@require_POST
def calendar_revoke(request):
    return presentation.revoke_calendar(request, namespace="control")

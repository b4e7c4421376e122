"""The administration's side of consultation meetings: series, occurrences, agenda, attendance,
minutes and action items, and the user's calendar address. Views and forms only: every change
goes through ``supervision.meetings.services``.
"""

import datetime as dt

from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from supervision.core.models import SHANGHAI, Operator
from supervision.core.permissions import regulator_required, regulator_staff_required
from supervision.meetings import calendars, recurrence, services
from supervision.meetings.models import (
    ActionItem,
    ActionState,
    AgendaItem,
    AgendaState,
    Attendee,
    CalendarFeed,
    Invitation,
    Meeting,
    MeetingSeries,
)
from supervision.meetings.suggestions import suggest
from supervision.reminders import visibility as reminder_visibility

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


# --- Forms ---------------------------------------------------------------------------------------


class SeriesForm(forms.ModelForm):
    first_date = forms.DateField(
        label=gettext_lazy("First meeting on"),
        widget=DATE_INPUT,
        help_text=gettext_lazy(
            "The weekday and day of the month repeat from this date. When you change the rule, give "
            "the date from which the new rule applies: earlier meetings stay as they were."
        ),
    )
    start_time = forms.TimeField(
        label=gettext_lazy("Starts at"), widget=TIME_INPUT, help_text=gettext_lazy("Beijing time.")
    )
    pattern = forms.ChoiceField(label=gettext_lazy("Repeats"), choices=recurrence.Pattern.CHOICES)
    interval = forms.IntegerField(
        label=gettext_lazy("Every"),
        min_value=1,
        max_value=12,
        initial=1,
        help_text=gettext_lazy(
            "1: every month (or week); 2: every other one; 3: quarterly for a monthly rule."
        ),
    )
    until = forms.DateField(
        label=gettext_lazy("Last meeting on or before"),
        required=False,
        widget=DATE_INPUT,
        help_text=gettext_lazy("Leave empty for a series without an end."),
    )
    video_link = forms.URLField(label=gettext_lazy("Video link"), required=False, assume_scheme="https")
    custom_rule = forms.CharField(
        label=gettext_lazy("Recurrence rule (advanced)"),
        required=False,
        max_length=200,
        help_text=gettext_lazy(
            "An iCalendar RRULE such as FREQ=MONTHLY;BYDAY=1TH; when given it replaces the choices above."
        ),
    )

    class Meta:
        model = MeetingSeries
        fields = ["title", "duration_minutes", "place", "video_link", "invited_operators"]
        widgets = {"invited_operators": forms.CheckboxSelectMultiple}

    field_order = [
        "title",
        "first_date",
        "start_time",
        "pattern",
        "interval",
        "until",
        "custom_rule",
        "duration_minutes",
        "place",
        "video_link",
        "invited_operators",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invited_operators"].queryset = Operator.objects.all()
        series = self.instance
        if series.pk:
            local = timezone.localtime(series.first_start, SHANGHAI)
            parts = recurrence.describe_parts(series.rrule, series.first_start)
            self.initial.update(first_date=local.date(), start_time=local.time(), interval=parts.interval)
            self.initial["until"] = parts.until
            if parts.pattern:
                self.initial["pattern"] = parts.pattern
            else:
                self.initial["custom_rule"] = series.rrule
        else:
            self.initial.setdefault("start_time", dt.time(14, 30))
            self.initial.setdefault("duration_minutes", 120)
            self.initial.setdefault("invited_operators", list(Operator.objects.values_list("pk", flat=True)))

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        first_start = dt.datetime.combine(data["first_date"], data["start_time"], tzinfo=SHANGHAI)
        try:
            rule = data.get("custom_rule") or recurrence.build_rule(
                data["pattern"], data["first_date"], interval=data["interval"], until=data.get("until")
            )
            self.instance.rrule = recurrence.validate(rule, first_start)
        except recurrence.RuleError as error:
            raise forms.ValidationError(str(error)) from None
        self.instance.first_start = first_start
        return data


class OccurrenceForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=gettext_lazy("Starts at"), widget=DATETIME_INPUT, help_text=gettext_lazy("Beijing time.")
    )
    duration_minutes = forms.IntegerField(
        label=gettext_lazy("Duration (minutes)"), min_value=15, max_value=600
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200, required=False)
    video_link = forms.URLField(label=gettext_lazy("Video link"), required=False, assume_scheme="https")


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the meeting cancelled?"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("The invitees read this in the cancellation."),
    )


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "presenter", "operator", "planned_minutes", "details"]
        widgets = {"details": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        invited = [inv.operator for inv in meeting.invitations.all()]
        self.fields["operator"].queryset = Operator.objects.filter(pk__in=[op.pk for op in invited])
        self.fields["operator"].empty_label = _("The administration")
        self.fields["planned_minutes"].min_value = 1


class DeclineForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300, required=False)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=capfirst(gettext_lazy("minutes")),  # the meeting's record (纪要), not a duration
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=gettext_lazy(
            "Plain text: a blank line starts a new paragraph; lines starting with “- ” are bullets, "
            "lines starting with “1. ” are numbered."
        ),
    )


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["title", "operator", "due_on", "details"]
        widgets = {"due_on": DATE_INPUT, "details": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        invited = [inv.operator.pk for inv in meeting.invitations.all()]
        self.fields["operator"].queryset = Operator.objects.filter(pk__in=invited)
        self.fields["operator"].empty_label = _("The administration")


# --- Helpers -------------------------------------------------------------------------------------


def _attempt(request, action, success: str | None = None) -> bool:
    """Run a service call; a refusal becomes an error message for the user."""
    try:
        action()
    except services.MeetingRefused as refused:
        messages.error(request, str(refused))
        return False
    if success:
        messages.success(request, success)
    return True


def _meeting(request, pk) -> Meeting:
    return get_object_or_404(Meeting.objects.visible_to(request.user).select_related("series"), pk=pk)


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


def _can_edit(request, meeting: Meeting) -> bool:
    return request.user.is_regulator_staff and meeting.is_open


def _detail(request, meeting: Meeting, *, item_form=None, status=200):
    parts = _agenda_parts(meeting)
    invitations = list(meeting.invitations.all())
    can_edit = _can_edit(request, meeting)
    action_items = list(meeting.action_items.all())
    # Each action item's reminders, fetched for all of them at once.
    action_reminders = reminder_visibility.for_action_items(action_items, user=request.user)
    for item in action_items:
        item.reminders = action_reminders[item.pk]
    context = {
        "meeting": meeting,
        "reminders": reminder_visibility.for_meeting(meeting, user=request.user),
        "can_edit": can_edit,
        "invitations": invitations,
        "not_answered": [inv for inv in invitations if not inv.is_answered],
        "action_items": action_items,
        "suggestions": suggest(meeting, taken=parts["taken"]) if meeting.is_open else [],
        "item_form": item_form or (AgendaItemForm(meeting=meeting) if can_edit else None),
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
        "series_list": MeetingSeries.objects.all(),
        "open_actions": ActionItem.objects.visible_to(request.user)
        .filter(state=ActionState.OPEN)
        .select_related("operator", "meeting__series")[:50],
        "today": timezone.localdate(now, SHANGHAI),
    }
    return render(request, "control/meetings/list.html", context)


@regulator_staff_required
def series_new(request):
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
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
    return render(request, "control/meetings/series_form.html", {"form": form})


@regulator_required
def series_detail(request, pk):
    series = get_object_or_404(MeetingSeries.objects.prefetch_related("invited_operators"), pk=pk)
    meetings = series.meetings.order_by("starts_at")
    return render(
        request,
        "control/meetings/series.html",
        {
            "series": series,
            "meetings": meetings,
            "now": timezone.now(),
        },
    )


@regulator_staff_required
def series_edit(request, pk):
    series = get_object_or_404(MeetingSeries, pk=pk)
    form = SeriesForm(request.POST or None, instance=series)
    if request.method == "POST" and form.is_valid():
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
    return render(request, "control/meetings/series_form.html", {"form": form, "series": series})


@regulator_staff_required
def meeting_add(request, pk):
    series = get_object_or_404(MeetingSeries, pk=pk)
    form = OccurrenceForm(
        request.POST or None, initial={"duration_minutes": series.duration_minutes, "place": series.place}
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.add_occurrence(series, user=request.user, **form.cleaned_data)
        except services.MeetingRefused as refused:
            form.add_error("starts_at", str(refused))
        else:
            messages.success(request, _("The extra meeting is added to the series."))
            return redirect("control:meeting", pk=meeting.pk)
    return render(request, "control/meetings/occurrence_form.html", {"form": form, "series": series})


@regulator_required
def meeting_detail(request, pk):
    return _detail(request, _detail_meeting(request, pk))


@regulator_staff_required
def meeting_move(request, pk):
    meeting = _meeting(request, pk)
    form = OccurrenceForm(
        request.POST or None,
        initial={
            "starts_at": timezone.localtime(meeting.starts_at, SHANGHAI),
            "duration_minutes": meeting.duration_minutes,
            "place": meeting.place,
            "video_link": meeting.video_link,
        },
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            request,
            lambda: services.move(meeting, user=request.user, **form.cleaned_data),
            _("The meeting is moved; invitees who had the invitation receive an update."),
        )
    ):
        return redirect("control:meeting", pk=pk)
    return render(
        request,
        "control/meetings/occurrence_form.html",
        {"form": form, "series": meeting.series, "meeting": meeting},
    )


@regulator_staff_required
@require_POST
def meeting_cancel(request, pk):
    meeting = _meeting(request, pk)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    _attempt(
        request,
        lambda: services.cancel(meeting, reason=reason, user=request.user),
        _("The meeting is cancelled; the rest of the series is unchanged."),
    )
    return redirect("control:meeting", pk=pk)


@regulator_required
def meeting_ics(request, pk):
    meeting = _meeting(request, pk)
    body = calendars.download_ics(
        meeting, url=request.build_absolute_uri(reverse("control:meeting", args=[pk]))
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"meeting-{timezone.localtime(meeting.starts_at, SHANGHAI):%Y%m%d}.ics"
    )
    return response


# --- Agenda --------------------------------------------------------------------------------------


@regulator_staff_required
@require_POST
def agenda_add(request, pk):
    meeting = _detail_meeting(request, pk)
    form = AgendaItemForm(request.POST, meeting=meeting)
    if form.is_valid():
        data = form.cleaned_data
        if _attempt(
            request,
            lambda: services.add_item(meeting, user=request.user, **data),
            _("The item is on the agenda."),
        ):
            return redirect(reverse("control:meeting", args=[pk]) + "#agenda")
        return redirect("control:meeting", pk=pk)
    return _detail(request, meeting, item_form=form, status=400)


def _item(request, pk) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.visible_to(request.user).select_related("meeting__series"), pk=pk
    )


def _back_to_agenda(item: AgendaItem):
    return redirect(reverse("control:meeting", args=[item.meeting_id]) + "#agenda")


@regulator_staff_required
def agenda_item_edit(request, pk):
    item = _item(request, pk)
    form = AgendaItemForm(request.POST or None, instance=item, meeting=item.meeting)
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            request,
            lambda: services.update_item(item, user=request.user, **form.cleaned_data),
            _("The agenda item is saved."),
        )
    ):
        return _back_to_agenda(item)
    return render(request, "control/meetings/agenda_item_form.html", {"form": form, "item": item})


@regulator_staff_required
@require_POST
def agenda_item_delete(request, pk):
    item = _item(request, pk)
    _attempt(
        request,
        lambda: services.delete_item(item, user=request.user),
        _("The item is removed from the agenda."),
    )
    return _back_to_agenda(item)


@regulator_staff_required
@require_POST
def agenda_item_move(request, pk):
    item = _item(request, pk)
    _attempt(
        request, lambda: services.move_item(item, up=request.POST.get("direction") == "up", user=request.user)
    )
    return _back_to_agenda(item)


@regulator_staff_required
@require_POST
def agenda_take(request, pk):
    meeting = _meeting(request, pk)
    key = request.POST.get("key", "")
    _attempt(
        request,
        lambda: services.take_suggestion(meeting, key, user=request.user),
        _("The suggestion is on the agenda."),
    )
    return redirect(reverse("control:meeting", args=[pk]) + "#agenda")


@regulator_staff_required
@require_POST
def proposal_accept(request, pk):
    item = _item(request, pk)
    _attempt(
        request,
        lambda: services.accept_proposal(item, user=request.user),
        _("The proposal is on the agenda."),
    )
    return _back_to_agenda(item)


@regulator_staff_required
@require_POST
def proposal_decline(request, pk):
    item = _item(request, pk)
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    _attempt(
        request,
        lambda: services.decline_proposal(item, user=request.user, reason=reason),
        _("The proposal is declined; the operator sees your reason."),
    )
    return _back_to_agenda(item)


@regulator_staff_required
@require_POST
def agenda_publish(request, pk):
    meeting = _meeting(request, pk)
    _attempt(
        request,
        lambda: services.publish_agenda(meeting, user=request.user),
        _("The agenda is published: the invitees receive it with the calendar invitation."),
    )
    return redirect("control:meeting", pk=pk)


# --- Attendance, minutes, action items, closing --------------------------------------------------


@regulator_staff_required
def meeting_attendance(request, pk):
    meeting = _detail_meeting(request, pk)
    if request.method == "POST":
        try:
            attended = {int(value) for value in request.POST.getlist("attended")}
        except ValueError:
            attended = set()
        if _attempt(
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
        {"meeting": meeting, "invitations": list(meeting.invitations.all()), "can_edit": meeting.is_open},
    )


@regulator_required  # leadership reads the minutes page; its POST is refused by the decorator
def meeting_minutes(request, pk):
    meeting = _detail_meeting(request, pk)
    can_edit = _can_edit(request, meeting)
    if request.method == "POST":
        form = MinutesForm(request.POST)
        if form.is_valid():
            _attempt(
                request,
                lambda: services.save_minutes(meeting, text=form.cleaned_data["minutes"], user=request.user),
                _("The minutes are saved."),
            )
        return redirect("control:meeting_minutes", pk=pk)
    return _minutes_page(request, meeting, can_edit=can_edit)


def _minutes_page(request, meeting, *, can_edit, action_form=None, status=200):
    return render(
        request,
        "control/meetings/minutes.html",
        {
            "meeting": meeting,
            "can_edit": can_edit,
            "form": MinutesForm(initial={"minutes": meeting.minutes}) if can_edit else None,
            "action_form": action_form or (ActionItemForm(meeting=meeting) if can_edit else None),
            "action_items": list(meeting.action_items.all()),
            "today": timezone.localdate(),
        },
        status=status,
    )


@regulator_staff_required
@require_POST
def minutes_publish(request, pk):
    meeting = _meeting(request, pk)
    _attempt(
        request,
        lambda: services.publish_minutes(meeting, user=request.user),
        _("The minutes are published and sent to the attendees."),
    )
    return redirect("control:meeting_minutes", pk=pk)


@regulator_staff_required
@require_POST
def meeting_close(request, pk):
    meeting = _meeting(request, pk)
    _attempt(
        request,
        lambda: services.close(meeting, user=request.user),
        _("The meeting is closed: its record is now read-only. Action items are followed up until done."),
    )
    return redirect("control:meeting", pk=pk)


@regulator_staff_required
@require_POST
def action_item_add(request, pk):
    meeting = _detail_meeting(request, pk)
    form = ActionItemForm(request.POST, meeting=meeting)
    if form.is_valid():
        _attempt(
            request,
            lambda: services.add_action_item(meeting, user=request.user, **form.cleaned_data),
            _("The action item is recorded."),
        )
        return redirect(reverse("control:meeting_minutes", args=[pk]) + "#action-items")
    return _minutes_page(request, meeting, can_edit=_can_edit(request, meeting), action_form=form, status=400)


def _action_item(request, pk) -> ActionItem:
    return get_object_or_404(ActionItem.objects.visible_to(request.user).select_related("meeting"), pk=pk)


@regulator_staff_required
@require_POST
def action_item_delete(request, pk):
    item = _action_item(request, pk)
    _attempt(
        request,
        lambda: services.delete_action_item(item, user=request.user),
        _("The action item is removed."),
    )
    return redirect(reverse("control:meeting_minutes", args=[item.meeting_id]) + "#action-items")


@regulator_staff_required
@require_POST
def action_item_done(request, pk):
    item = _action_item(request, pk)
    _attempt(
        request,
        lambda: services.complete_action_item(item, user=request.user, note=request.POST.get("note", "")),
        _("The action item is marked done."),
    )
    return redirect(reverse("control:meeting_minutes", args=[item.meeting_id]) + "#action-items")


@regulator_staff_required
@require_POST
def action_item_reopen(request, pk):
    item = _action_item(request, pk)
    _attempt(
        request,
        lambda: services.reopen_action_item(item, user=request.user),
        _("The action item is open again."),
    )
    return redirect(reverse("control:meeting_minutes", args=[item.meeting_id]) + "#action-items")


# --- The user's calendar address -----------------------------------------------------------------


@regulator_required
def calendar(request):
    feed = CalendarFeed.objects.filter(user=request.user).first()
    feed_url = request.build_absolute_uri(calendars.feed_path(feed.token)) if feed else None
    return render(request, "control/meetings/calendar.html", {"feed_url": feed_url, "feed": feed})


@regulator_required(leader_may_write=True)  # one's own calendar address, not the record
@require_POST
def calendar_reset(request):
    services.reset_feed(request.user)
    messages.success(request, _("Your calendar has a new address; any earlier one no longer works."))
    return redirect("control:calendar_address")


@regulator_required(leader_may_write=True)
@require_POST
def calendar_revoke(request):
    services.revoke_feed(request.user)
    messages.success(request, _("Your calendar address is turned off."))
    return redirect("control:calendar_address")

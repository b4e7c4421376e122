"""The administration's meeting forms: series, occurrence, cancellation, agenda, minutes, action items."""

import datetime as dt

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from supervision.core import dates
from supervision.core.models import Operator
from supervision.meetings import recurrence
from supervision.meetings.models import ActionItem, AgendaItem, Meeting, MeetingSeries

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
            local = dates.local_time(series.first_start)
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
        start = data["start_time"]
        first_start = dates.local_moment(data["first_date"], start.hour, start.minute, start.second)
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


class OneOffForm(forms.Form):
    """A meeting held once, outside any series (``services.create_one_off``)."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    starts_at = forms.DateTimeField(
        label=gettext_lazy("Starts at"), widget=DATETIME_INPUT, help_text=gettext_lazy("Beijing time.")
    )
    duration_minutes = forms.IntegerField(
        label=gettext_lazy("Duration (minutes)"), min_value=15, max_value=600, initial=120
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200, required=False)
    video_link = forms.URLField(label=gettext_lazy("Video link"), required=False, assume_scheme="https")
    invited_operators = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Invited operators"),
        queryset=Operator.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invited_operators"].queryset = Operator.objects.all()
        self.initial.setdefault("invited_operators", list(Operator.objects.values_list("pk", flat=True)))


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
        fields = ["title", "presenter", "operator", "shared", "planned_minutes", "details"]
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

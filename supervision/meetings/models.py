"""Consultation meetings (会商会): a recurring series and its occurrences."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supervision.core.models import Operator


class MeetingSeries(models.Model):
    """A recurring meeting, e.g. monthly on the first Thursday at 14:30 Asia/Shanghai."""

    title = models.CharField(_("title"), max_length=200)
    # An iCalendar RRULE, e.g. "FREQ=MONTHLY;BYDAY=1TH".
    rrule = models.CharField(_("recurrence rule"), max_length=200)
    first_start = models.DateTimeField(_("first meeting starts"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=120)
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    invited_operators = models.ManyToManyField(
        Operator, blank=True, related_name="+", verbose_name=_("invited operators")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")

    def __str__(self) -> str:
        return self.title


class MeetingState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")
    CLOSED = "closed", _("Closed")


class Meeting(models.Model):
    """One occurrence of a series; moved or cancelled on its own without touching the series."""

    series = models.ForeignKey(
        MeetingSeries, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("series")
    )
    # The start the rule gave it; stays fixed when the occurrence is moved.
    recurrence_start = models.DateTimeField(_("planned start"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=MeetingState.choices, default=MeetingState.SCHEDULED
    )
    minutes = models.TextField(_("minutes"), blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(fields=["series", "recurrence_start"], name="one_meeting_per_recurrence")
        ]

    def __str__(self) -> str:
        return f"{self.series.title} {self.starts_at:%Y-%m-%d}"

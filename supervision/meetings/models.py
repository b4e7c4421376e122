"""Consultation meetings (会商会): a recurring series, its occurrences and what each one holds.

A series carries a recurrence rule; its occurrences are materialised as rows for a horizon ahead
(``services.materialise``), so each one can be moved, cancelled, prepared and recorded on its own.
Each occurrence has its invited operators (``Invitation``, who answers with the people who will
attend), an agenda (``AgendaItem``), minutes and action items (``ActionItem``). A closed meeting's
record is read-only; its action items are followed up until done.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from supervision.core import dates
from supervision.core.models import Operator, OperatorScopedQuerySet


class MeetingSeries(models.Model):
    """A recurring meeting, e.g. monthly on the first Thursday at 14:30 Asia/Shanghai."""

    title = models.CharField(_("title"), max_length=200)
    # An iCalendar RRULE, e.g. "FREQ=MONTHLY;BYDAY=1TH", expanded in Asia/Shanghai local time
    # from the local time of ``first_start``.
    rrule = models.CharField(_("recurrence rule"), max_length=200)
    first_start = models.DateTimeField(_("first meeting starts"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=120)
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    invited_operators = models.ManyToManyField(
        Operator, blank=True, related_name="+", verbose_name=_("invited operators")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["title"]
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")

    def __str__(self) -> str:
        return self.title


class MeetingState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")
    CLOSED = "closed", _("Closed")


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The administration sees every meeting; an operator user those its operator is invited to."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_regulator:
            return self
        if user.is_operator_user:
            return self.filter(invitations__operator=user.operator_id)
        return self.none()


class Meeting(models.Model):
    """One occurrence of a series; moved, cancelled or added on its own without touching the series."""

    series = models.ForeignKey(
        MeetingSeries, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("series")
    )
    # The start the rule gave it; stays fixed when the occurrence is moved. For an occurrence
    # added outside the rule, its own first start.
    recurrence_start = models.DateTimeField(_("planned start"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=MeetingState.choices, default=MeetingState.SCHEDULED
    )
    # The calendar identity of the occurrence: one UID for its whole life, and a SEQUENCE that
    # grows with each change sent, so that calendar programs replace rather than duplicate it.
    uid = models.UUIDField(_("calendar identifier"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0)
    is_extra = models.BooleanField(_("added outside the rule"), default=False)
    # Changed on its own (moved, cancelled, added): a change of the series' rule leaves it alone.
    detached = models.BooleanField(_("changed on its own"), default=False)
    invited_operators = models.ManyToManyField(
        Operator, through="Invitation", related_name="+", verbose_name=_("invited operators")
    )
    invitation_sent_at = models.DateTimeField(_("invitation sent at"), null=True, blank=True)
    agenda_published_at = models.DateTimeField(_("agenda published at"), null=True, blank=True)
    administration_attendees = models.TextField(_("attending for the administration"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_published_at = models.DateTimeField(_("minutes published at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("meeting", "closed by"),
    )
    history = HistoricalRecords(excluded_fields=["uid"])

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(fields=["series", "recurrence_start"], name="one_meeting_per_recurrence")
        ]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return f"{self.series.title} {dates.local_date(self.starts_at):%Y-%m-%d}"

    @property
    def title(self) -> str:
        return self.series.title

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def is_closed(self) -> bool:
        return self.state == MeetingState.CLOSED

    @property
    def is_cancelled(self) -> bool:
        return self.state == MeetingState.CANCELLED

    @property
    def is_open(self) -> bool:
        """Its record may still change: neither closed nor cancelled."""
        return self.state == MeetingState.SCHEDULED

    @property
    def is_moved(self) -> bool:
        return not self.is_extra and self.starts_at != self.recurrence_start


class Invitation(models.Model):
    """An operator invited to a meeting, and its answer: who will attend, or that nobody can."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("meeting")
    )
    operator = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="meeting_invitations", verbose_name=_("operator")
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    declined = models.BooleanField(_("nobody can attend"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = OperatorScopedQuerySet.as_manager()

    class Meta:
        ordering = ["operator__sort_order"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "operator"], name="one_invitation_per_operator")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.operator.code}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class AttendeeQuerySet(OperatorScopedQuerySet):
    operator_field = "invitation__operator"


class Attendee(models.Model):
    """A person an operator named for a meeting; staff record whether they attended."""

    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="attendees", verbose_name=_("invitation")
    )
    # A user of the operator (then minutes and calendar reach them), or just a name.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user account"),
    )
    name = models.CharField(_("name"), max_length=100)
    position = models.CharField(_("position"), max_length=100, blank=True)
    attended = models.BooleanField(_("attended"), default=False)

    objects = AttendeeQuerySet.as_manager()

    class Meta:
        ordering = ["invitation__operator__sort_order", "pk"]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "user"],
                condition=models.Q(user__isnull=False),
                name="one_attendee_per_user",
            )
        ]

    def __str__(self) -> str:
        # A user's role is shown in the reader's language; others carry the position they were named with.
        position = self.position or (self.user.get_role_display() if self.user_id else "")
        return f"{self.name} ({position})" if position else self.name


class AgendaSource(models.TextChoices):
    STAFF = "staff", _("Administration staff")
    PROPOSAL = "proposal", _("Operator's proposal")
    SUGGESTION = "suggestion", _("Suggested from the data")


class AgendaState(models.TextChoices):
    ACCEPTED = "accepted", _("On the agenda")
    PROPOSED = "proposed", _("Proposed, awaiting a decision")
    DECLINED = "declined", _("Declined")


class AgendaItemQuerySet(OperatorScopedQuerySet):
    """Agenda items, with the one rule of who reads which item.

    ``visible_to`` (the operator's own rows) is what an operator may act on: its proposals. What
    a person reads on an agenda is ``shown_to``: an item about one operator (its overdue order,
    its major problem, its complaint spike, its action item, its proposal) is that operator's
    business, shown to it and to the administration only, unless staff mark it ``shared``; an
    item of the administration's own (no operator) is shown to everyone invited. The portal's
    meeting page, the invitations and their calendar files, and the calendar feeds all ask it.
    """

    def accepted(self):
        return self.filter(state=AgendaState.ACCEPTED)

    @staticmethod
    def shown_to_q(user) -> models.Q:
        """The items ``user`` reads; ``None`` (a calendar file for anyone invited): the items shared
        with every operator."""
        if getattr(user, "is_regulator", False):
            return models.Q()
        shared = models.Q(operator__isnull=True) | models.Q(shared=True)
        if getattr(user, "is_operator_user", False):
            return shared | models.Q(operator=user.operator_id)
        return shared

    def shown_to(self, user):
        return self.filter(self.shown_to_q(user))


class AgendaItem(models.Model):
    """One item of a meeting's agenda, or an operator's proposal for one."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    details = models.TextField(_("details"), blank=True)
    presenter = models.CharField(_("presenter"), max_length=100, blank=True)
    # The operator the item concerns or that proposed it; empty for the administration's own.
    operator = models.ForeignKey(
        Operator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("operator"),
    )
    # An item about one operator is shown to that operator only (and the administration), unless
    # staff share it with every invited operator (``AgendaItemQuerySet.shown_to``).
    shared = models.BooleanField(
        _("shown to every invited operator"),
        default=False,
        help_text=_(
            "An item about one operator's case is shown to that operator and the administration "
            "only; tick to show it to every invited operator."
        ),
    )
    planned_minutes = models.PositiveSmallIntegerField(_("planned minutes"), default=10)
    source = models.CharField(
        _("source"), max_length=10, choices=AgendaSource.choices, default=AgendaSource.STAFF
    )
    state = models.CharField(
        _("state"), max_length=10, choices=AgendaState.choices, default=AgendaState.ACCEPTED
    )
    # Which suggestion the item was taken from ("order:12", "incident:3", …): taken once only.
    suggestion_key = models.CharField(_("suggestion"), max_length=100, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "suggestion_key"],
                condition=~models.Q(suggestion_key=""),
                name="suggestion_taken_once",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ActionState(models.TextChoices):
    OPEN = "open", pgettext_lazy("action item", "Open")
    DONE = "done", _("Done")


class ActionItem(models.Model):
    """A decision of a meeting someone must carry out by a date: an operator or the administration."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("meeting")
    )
    title = models.CharField(_("action"), max_length=300)
    details = models.TextField(_("details"), blank=True)
    # The owner: an operator, or nobody here meaning the administration itself.
    operator = models.ForeignKey(
        Operator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due on"))
    state = models.CharField(
        _("status"), max_length=10, choices=ActionState.choices, default=ActionState.OPEN
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    done_note = models.TextField(_("what was done"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = OperatorScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [models.Index(fields=["state", "due_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == ActionState.OPEN

    def is_past_due(self, today=None) -> bool:
        today = today or dates.today()
        return self.is_open and self.due_on < today


class CalendarFeed(models.Model):
    """A user's private calendar address: whoever has the token reads that user's calendar.

    Resetting it gives a new token, and the old address stops working at once (404).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)

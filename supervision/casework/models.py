"""The enforcement ladder: inspection findings, rectification orders, interviews, notices.

Rows change only through the service functions (``findings``, ``orders``, ``interviews``,
``records``), each of which writes a ``CaseEvent`` for the case's timeline; django-simple-history
keeps every field-level change besides, for the audit trail.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from supervision.core import dates
from supervision.core.dates import SHANGHAI, end_of_day, local_date
from supervision.core.files import stored_name
from supervision.core.models import City, Operator, OperatorScopedQuerySet, ViolationCategory


class InspectionChannel(models.TextChoices):
    STORE = "STORE", _("Store")
    HOTLINE = "HOTLINE", _("Customer hotline")
    ONLINE = "ONLINE", _("Online store")
    APP = "APP", _("App")
    SMS = "SMS", _("SMS")


class InspectionMethod(models.TextChoices):
    OPEN = "OPEN", _("Open inspection")
    COVERT = "COVERT", _("Secret inspection")
    MYSTERY_SHOPPER = "MYSTERY_SHOPPER", _("Third-party experience test")


class Severity(models.TextChoices):
    MINOR = "MINOR", _("Minor")
    MAJOR = "MAJOR", _("Major")
    SEVERE = "SEVERE", _("Severe")


# The official words for each choice, Chinese whatever the reader's language: what the documents
# the administration signs say (the order and the notice, ``documents``; the monthly briefing)
# and what the inspection template accepts (``ingest``). Some differ from the pages' words.
METHOD_WORDS = {
    InspectionMethod.OPEN: "明察",
    InspectionMethod.COVERT: "暗访",
    InspectionMethod.MYSTERY_SHOPPER: "第三方体验",
}
SEVERITY_WORDS = {Severity.MINOR: "一般", Severity.MAJOR: "较重", Severity.SEVERE: "严重"}

# Most severe first: an order takes the severity of its most severe ground.
SEVERITY_RANK = {Severity.SEVERE: 3, Severity.MAJOR: 2, Severity.MINOR: 1}


def most_severe(severities) -> str | None:
    ranked = [s for s in severities if s in SEVERITY_RANK]
    return max(ranked, key=SEVERITY_RANK.__getitem__) if ranked else None


def proposed_deadline(severity: str, today: dt.date | None = None) -> dt.datetime:
    """The deadline the rules propose for an order of ``severity`` (settings.RECTIFICATION_DAYS)."""
    today = today or dates.today()
    return end_of_day(today + dt.timedelta(days=settings.RECTIFICATION_DAYS[severity]))


# --- Inspection batches ---------------------------------------------------------------------


def _case_file_path(instance, filename):
    # Under MEDIA_ROOT, outside the static area, under a name nobody can guess; the stored name
    # keeps only the checked extension (the user's file name is kept in the row).
    return stored_name("casework", filename)


def _batch_path(instance, filename):
    return stored_name("casework/batches", filename)


class BatchState(models.TextChoices):
    CHECKED = "checked", _("Checked")
    CONFIRMED = "confirmed", _("Confirmed and stored")
    DISCARDED = "discarded", _("Discarded")


class InspectionBatch(models.Model):
    """An inspection workbook staff uploaded: kept aside, checked and previewed, then confirmed.

    Nothing of it becomes a finding until a preview without errors is confirmed; the findings
    it stored point back to it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = models.FileField(_("file"), upload_to=_batch_path, max_length=300)
    name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # Empty for a batch imported with ``manage.py import_inspections`` without ``--user``.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    state = models.CharField(
        _("state"), max_length=10, choices=BatchState.choices, default=BatchState.CHECKED
    )
    problems = models.JSONField(default=list, blank=True, verbose_name=_("problems found"))
    # What would be stored: counts per operator, with and without a problem found.
    preview = models.JSONField(default=dict, blank=True, verbose_name=_("preview"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("inspection batch")
        verbose_name_plural = _("inspection batches")

    def __str__(self) -> str:
        return self.name


# --- Findings -------------------------------------------------------------------------------


class FindingState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published to the operator")
    RESPONDED = "responded", _("Operator responded")
    CONTESTED = "contested", _("Contested by the operator")
    UPHELD = "upheld", _("Upheld")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A finding in one of these states may ground a rectification order or an interview.
GROUNDING_FINDING_STATES = [
    FindingState.PUBLISHED,
    FindingState.RESPONDED,
    FindingState.CONTESTED,
    FindingState.UPHELD,
]
# A finding in one of these states may be circulated (the monthly briefing lists it): published to
# the operator and not withdrawn. A draft the operator has not seen never leaves the administration.
CIRCULATED_FINDING_STATES = [
    FindingState.PUBLISHED,
    FindingState.RESPONDED,
    FindingState.CONTESTED,
    FindingState.UPHELD,
]


class FindingQuerySet(OperatorScopedQuerySet):
    def visible_to(self, user):
        """An operator sees its own findings once published, never the drafts."""
        rows = super().visible_to(user)
        if getattr(user, "is_operator_user", False):
            rows = rows.exclude(state=FindingState.DRAFT)
        return rows


class InspectionFinding(models.Model):
    """One inspection or mystery-shopper visit (FORMATS.md §3); a finding when ``violation``."""

    operator = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="findings", verbose_name=_("operator")
    )
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+", verbose_name=_("city"))
    visit_date = models.DateField(_("visit date"))
    channel = models.CharField(_("channel"), max_length=10, choices=InspectionChannel.choices)
    site = models.CharField(_("site"), max_length=200, blank=True)
    method = models.CharField(_("method"), max_length=20, choices=InspectionMethod.choices)
    scenario = models.CharField(_("scenario"), max_length=500)
    violation = models.BooleanField(_("problem found"))
    description = models.TextField(_("what was found"), blank=True)
    clause = models.ForeignKey(
        ViolationCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("clause"),
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, blank=True)
    agency = models.CharField(_("inspecting body"), max_length=200)
    state = models.CharField(
        _("state"), max_length=10, choices=FindingState.choices, default=FindingState.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    batch = models.ForeignKey(
        InspectionBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("imported from"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.TextField(_("reasons for the decision"), blank=True)
    history = HistoricalRecords()

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["-visit_date", "pk"]
        verbose_name = _("inspection finding")
        verbose_name_plural = _("inspection findings")
        indexes = [models.Index(fields=["operator", "visit_date"])]

    def __str__(self) -> str:
        return f"{self.operator.code} {self.visit_date} {self.scenario[:30]}"

    @property
    def reference(self) -> str:
        """How people cite a finding: its number."""
        return _("Finding %(pk)s") % {"pk": self.pk}


class ResponseKind(models.TextChoices):
    RESPONSE = "response", _("Response")
    CONTEST = "contest", _("Contest")


class FindingResponse(models.Model):
    """The operator's answer to a published finding: an explanation, or a contest of the facts."""

    finding = models.ForeignKey(
        InspectionFinding, on_delete=models.CASCADE, related_name="responses", verbose_name=_("finding")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ResponseKind.choices)
    text = models.TextField(_("text"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("response to a finding")
        verbose_name_plural = _("responses to findings")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.finding_id}"


# --- Rectification orders -------------------------------------------------------------------


class OrderState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    REPORT_SUBMITTED = "report_submitted", _("Rectification report submitted")
    RETURNED = "returned", _("Returned: report again")
    VERIFIED = "verified", _("Verified (closed)")
    ESCALATED = "escalated", _("Escalated")
    # A draft made by mistake, withdrawn before it was issued: kept, never open, never shown to
    # the operator (which never saw the draft), left out of the lists unless asked for.
    WITHDRAWN = "withdrawn", _("Withdrawn (draft)")


# Never seen by the operator: a draft, or a draft withdrawn.
UNSEEN_ORDER_STATES = [OrderState.DRAFT, OrderState.WITHDRAWN]

OPEN_ORDER_STATES = [
    OrderState.ISSUED,
    OrderState.ACKNOWLEDGED,
    OrderState.REPORT_SUBMITTED,
    OrderState.RETURNED,
]


class DeadlineOutcome(models.TextChoices):
    """How an order stands against its final deadline (``OrderQuerySet.with_deadline_outcome``)."""

    ON_TIME = "on_time", pgettext_lazy("order deadline outcome", "Rectified on time")
    LATE = "late", pgettext_lazy("order deadline outcome", "Not rectified on time")
    PENDING = "pending", _("Awaiting verification")
    NOT_DUE = "not_due", _("Not yet due")


def _deadline_day():
    """The deadline's day in Asia/Shanghai, computed by the database."""
    return TruncDate("deadline", tzinfo=SHANGHAI)


def _days_from(today: dt.date, moment) -> ExpressionWrapper:
    """Whole days from ``today`` to the day of ``moment`` (an expression) in Asia/Shanghai."""
    return ExpressionWrapper(
        TruncDate(moment, tzinfo=SHANGHAI) - Value(today, output_field=DateField()),
        output_field=DurationField(),
    )


class OrderQuerySet(OperatorScopedQuerySet):
    """Orders, with the one definition of "overdue" and "days left" that every page uses.

    Overdue is derived, never stored (DOMAIN.md, "Overdue"): an open order (issued, acknowledged,
    report submitted, returned) whose deadline (the final one, after granted extensions) has
    passed and that has no rectification report submitted by that deadline still standing. An
    order whose report came in on time is awaiting verification, not overdue; if the
    administration returns that report after the deadline, the order is overdue from the return.
    Pages, lists, profiles, the briefing, the agenda suggestions and the reminders all ask these
    methods, with the ``now`` of their request, so they count the same orders;
    ``RectificationOrder.is_overdue`` asks the same of the database for one order in hand.
    """

    def visible_to(self, user):
        """An operator sees its own orders once issued, never the drafts (nor drafts withdrawn)."""
        rows = super().visible_to(user)
        if getattr(user, "is_operator_user", False):
            rows = rows.exclude(state__in=UNSEEN_ORDER_STATES)
        return rows

    def live(self):
        """Every order but the withdrawn drafts: what the lists show unless asked otherwise."""
        return self.exclude(state=OrderState.WITHDRAWN)

    @staticmethod
    def open_q() -> Q:
        """Open orders: issued and not yet verified."""
        return Q(state__in=OPEN_ORDER_STATES)

    @staticmethod
    def on_time_report(now=None) -> Exists:
        """Whether the order has a report submitted by its deadline that still stands at ``now``.

        Standing: submitted by ``now`` and not returned by ``now`` (pending or verified). A report
        returned before ``now`` no longer stands, so the order is overdue from its return once the
        deadline has passed; asked at an earlier ``now``, the same report still stood.
        """
        now = now or timezone.now()
        return Exists(
            RectificationReport.objects.filter(
                Q(order=OuterRef("pk"), submitted_at__lte=OuterRef("deadline")),
                Q(submitted_at__lte=now),
                ~Q(decision=ReportDecision.RETURNED, decided_at__lte=now),
            )
        )

    @staticmethod
    def overdue_q(now=None) -> Q:
        """Open orders whose deadline is before ``now`` without a report in time still standing."""
        now = now or timezone.now()
        return OrderQuerySet.open_q() & Q(deadline__lt=now) & ~OrderQuerySet.on_time_report(now)

    @staticmethod
    def overdue_since(now=None):
        """When an overdue order became overdue (an expression): the return of the report that
        came in by the deadline, when the administration returned it after the deadline
        ("overdue from the return"); otherwise the deadline. Meaningful for the orders
        ``overdue_q`` selects; days overdue count from it."""
        now = now or timezone.now()
        returned_late = (
            RectificationReport.objects.filter(
                order=OuterRef("pk"),
                submitted_at__lte=OuterRef("deadline"),
                decision=ReportDecision.RETURNED,
                decided_at__gt=OuterRef("deadline"),
                decided_at__lte=now,
            )
            .order_by("-decided_at")
            .values("decided_at")[:1]
        )
        return Coalesce(Subquery(returned_late), F("deadline"), output_field=models.DateTimeField())

    @staticmethod
    def awaiting_verification_q(now=None) -> Q:
        """Open orders whose report came in by the deadline and still stands at ``now``: the
        operator has done its part and waits for the administration's verification. Never
        overdue, and no deadline reminder is due for them (before the deadline or after)."""
        return OrderQuerySet.open_q() & Q(OrderQuerySet.on_time_report(now))

    def open(self):
        return self.filter(self.open_q())

    def overdue(self, now=None):
        return self.filter(self.overdue_q(now))

    def not_overdue(self, now=None):
        return self.exclude(self.overdue_q(now))

    def with_overdue(self, now=None):
        """Annotate ``overdue``: whether the order is overdue at ``now`` (``overdue_q``)."""
        return self.annotate(
            overdue=Case(
                When(self.overdue_q(now), then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )

    def with_deadline_outcome(self, now=None):
        """Annotate ``outcome``: how the order stands against its final deadline at ``now``.

        The 整改按期完成率 (DOMAIN.md, "Indicators") counts by it; drafts and withdrawn drafts are
        the caller's to leave out. ``on_time``: a report submitted by the deadline was verified;
        ``not_due``: otherwise, while the deadline has not passed; ``pending``: a report
        submitted by the deadline awaits verification; ``late``: no report by the deadline (late
        as soon as the deadline passes), or the one in time was returned after it.
        """
        now = now or timezone.now()
        verified_in_time = Exists(
            RectificationReport.objects.filter(
                order=OuterRef("pk"),
                submitted_at__lte=OuterRef("deadline"),
                decision=ReportDecision.VERIFIED,
                decided_at__lte=now,
            )
        )
        return self.annotate(
            outcome=Case(
                When(verified_in_time, then=Value(DeadlineOutcome.ON_TIME)),
                When(deadline__gte=now, then=Value(DeadlineOutcome.NOT_DUE)),
                When(self.on_time_report(now), then=Value(DeadlineOutcome.PENDING)),
                default=Value(DeadlineOutcome.LATE),
                output_field=CharField(),
            )
        )

    def with_deadline_day(self):
        """Annotate ``deadline_day``: the deadline's day in Asia/Shanghai."""
        return self.annotate(deadline_day=_deadline_day())

    def with_awaiting_verification(self, now=None):
        """Annotate ``awaiting_verification`` (``awaiting_verification_q``) at ``now``."""
        return self.annotate(
            awaiting_verification=Case(
                When(self.awaiting_verification_q(now), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )

    def with_days_left(self, now=None):
        """Annotate ``days_left``: whole days from today to the deadline's day, Asia/Shanghai.

        The one count of days left and days overdue. Negative when the order is overdue: minus
        the days since it became overdue (``overdue_since``: the deadline's day, or the day its
        report in time was returned after the deadline). An order awaiting verification past
        its deadline has a negative count too, but is not overdue: the pages show its state.
        ``None`` for orders that are not open (drafts, withdrawn drafts, verified, escalated),
        for which a count of days means nothing. Computed by the database so that a list can
        be sorted by it.
        """
        now = now or timezone.now()
        today = local_date(now)
        return self.annotate(
            days_left=Case(
                When(self.overdue_q(now), then=_days_from(today, self.overdue_since(now))),
                When(self.open_q(), then=_days_from(today, F("deadline"))),
                default=None,
                output_field=DurationField(),
            )
        )


class WithdrawableDraft(models.Model):
    """A document drafted by the administration that staff may withdraw while it is a draft."""

    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)

    class Meta:
        abstract = True

    def mark_withdrawn(self, state, user, reason: str) -> None:
        """Record who withdrew the draft, when and why; the caller has checked it may."""
        self.state = state
        self.withdrawn_at = timezone.now()
        self.withdrawn_by = user
        self.withdrawal_reason = reason


class RectificationOrder(WithdrawableDraft):
    """An order to rectify within a deadline (责令限期整改), grounded on findings or complaints."""

    operator = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="orders", verbose_name=_("operator")
    )
    document_no = models.CharField(_("document number"), max_length=40, unique=True, null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    requirements = models.TextField(_("requirements"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    deadline = models.DateTimeField(_("deadline"))
    state = models.CharField(_("state"), max_length=20, choices=OrderState.choices, default=OrderState.DRAFT)
    findings = models.ManyToManyField(
        InspectionFinding, blank=True, related_name="orders", verbose_name=_("findings")
    )
    complaints = models.ManyToManyField(
        "reporting.ComplaintRecord", blank=True, related_name="orders", verbose_name=_("complaints")
    )
    case_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("case officer"),
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["deadline"]
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")

    def __str__(self) -> str:
        return self.document_no or self.title

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_ORDER_STATES

    @property
    def is_overdue(self) -> bool:
        """Overdue now: ``OrderQuerySet.overdue_q``, read from the row's ``overdue`` annotation
        (``with_overdue``) when it has one, else asked of the database."""
        if "overdue" in self.__dict__:
            return self.__dict__["overdue"]
        if self.pk is None or not self.is_open:
            return False
        return type(self).objects.overdue().filter(pk=self.pk).exists()

    @property
    def is_awaiting_verification(self) -> bool:
        """Its report in time awaits verification (``OrderQuerySet.awaiting_verification_q``),
        from the row's annotation when it has one, else asked of the database."""
        if "awaiting_verification" in self.__dict__:
            return self.__dict__["awaiting_verification"]
        if self.pk is None or not self.is_open:
            return False
        return type(self).objects.filter(OrderQuerySet.awaiting_verification_q(), pk=self.pk).exists()

    def days_left_now(self, now=None) -> int | None:
        """``OrderQuerySet.with_days_left`` for this order: the row's ``days_left`` annotation
        when it has one (and no other ``now`` is asked), else asked of the database; None when
        not open."""
        if now is None and "days_left" in self.__dict__:
            value = self.__dict__["days_left"]
            return value.days if value is not None else None
        if self.pk is None or not self.is_open:
            return None
        value = (
            type(self)
            .objects.filter(pk=self.pk)
            .with_days_left(now)
            .values_list("days_left", flat=True)
            .first()
        )
        return value.days if value is not None else None


class DeadlineKind(models.TextChoices):
    INITIAL = "initial", _("Set when issued")
    EXTENSION = "extension", _("Extension granted")


class OrderDeadline(models.Model):
    """Every deadline an order has had, oldest first: the one set at issue, then each extension."""

    order = models.ForeignKey(
        RectificationOrder,
        on_delete=models.CASCADE,
        related_name="deadlines",
        verbose_name=_("rectification order"),
    )
    deadline = models.DateTimeField(_("deadline"))
    kind = models.CharField(_("kind"), max_length=10, choices=DeadlineKind.choices)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    set_at = models.DateTimeField(_("set at"), default=timezone.now)
    extension = models.OneToOneField(
        "ExtensionRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="granted",
        verbose_name=_("extension request"),
    )

    class Meta:
        ordering = ["set_at", "pk"]
        verbose_name = _("order deadline")
        verbose_name_plural = _("order deadlines")

    def __str__(self) -> str:
        return f"{self.order_id} {self.deadline:%Y-%m-%d}"


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("Awaiting a decision")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class ExtensionRequest(models.Model):
    """The operator asks for more time, with a reason and a proposed date; staff decide."""

    order = models.ForeignKey(
        RectificationOrder,
        on_delete=models.CASCADE,
        related_name="extensions",
        verbose_name=_("rectification order"),
    )
    reason = models.TextField(_("reason"))
    proposed_date = models.DateField(_("proposed new deadline"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now)
    state = models.CharField(
        _("state"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING
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
    decision_note = models.TextField(_("reasons for the decision"), blank=True)
    previous_deadline = models.DateTimeField(_("deadline when asked"))
    granted_deadline = models.DateTimeField(_("new deadline"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["order"], condition=Q(state="pending"), name="one_pending_extension_per_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order} → {self.proposed_date}"


class ReportDecision(models.TextChoices):
    PENDING = "pending", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned")


class RectificationReport(models.Model):
    """A rectification report the operator submitted for an order; a returned one is kept."""

    order = models.ForeignKey(
        RectificationOrder,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("rectification order"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("what was rectified"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    decision = models.CharField(
        _("decision"), max_length=10, choices=ReportDecision.choices, default=ReportDecision.PENDING
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
    comment = models.TextField(_("administration's comment"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = _("rectification report")
        verbose_name_plural = _("rectification reports")
        constraints = [models.UniqueConstraint(fields=["order", "number"], name="one_number_per_report")]

    def __str__(self) -> str:
        return f"{self.order} #{self.number}"


# --- Interviews -----------------------------------------------------------------------------


class InterviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Notice issued")
    CONFIRMED = "confirmed", _("Attendance confirmed")
    HELD = "held", _("Held")
    # A draft made by mistake, withdrawn before it was issued (as for orders).
    WITHDRAWN = "withdrawn", _("Withdrawn (draft)")


# Never seen by the operator: a draft, or a draft withdrawn.
UNSEEN_INTERVIEW_STATES = [InterviewState.DRAFT, InterviewState.WITHDRAWN]
# Notified and not yet held: the interview is still ahead (reminders, calendars).
OPEN_INTERVIEW_STATES = [InterviewState.ISSUED, InterviewState.CONFIRMED]


class InterviewQuerySet(OperatorScopedQuerySet):
    def visible_to(self, user):
        """An operator sees its own notices once issued, never the drafts (nor drafts withdrawn)."""
        rows = super().visible_to(user)
        if getattr(user, "is_operator_user", False):
            rows = rows.exclude(state__in=UNSEEN_INTERVIEW_STATES)
        return rows

    def live(self):
        """Every notice but the withdrawn drafts: what the lists show unless asked otherwise."""
        return self.exclude(state=InterviewState.WITHDRAWN)


class InterviewNotice(WithdrawableDraft):
    """An interview (约谈) of an operator's responsible persons."""

    operator = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="interviews", verbose_name=_("operator")
    )
    document_no = models.CharField(_("document number"), max_length=40, unique=True, null=True, blank=True)
    reason = models.TextField(pgettext_lazy("interview", "reason"))
    scheduled_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    persons_required = models.TextField(_("company persons required"))
    administration_attendees = models.TextField(_("administration attendees"), blank=True)
    confirmed_attendees = models.TextField(_("confirmed attendees"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=InterviewState.choices, default=InterviewState.DRAFT
    )
    orders = models.ManyToManyField(
        RectificationOrder, blank=True, related_name="interviews", verbose_name=_("linked orders")
    )
    findings = models.ManyToManyField(
        InspectionFinding, blank=True, related_name="interviews", verbose_name=_("linked findings")
    )
    case_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case officer"),
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    held_at = models.DateTimeField(_("minutes recorded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = InterviewQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_at"]
        verbose_name = _("interview notice")
        verbose_name_plural = _("interview notices")

    def __str__(self) -> str:
        return self.document_no or f"{self.operator.code} {self.scheduled_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_INTERVIEW_STATES


class CommitmentState(models.TextChoices):
    OPEN = "open", pgettext_lazy("action item", "Open")
    DONE = "done", _("Reported done")
    VERIFIED = "verified", _("Verified")


class CommitmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(interview__in=InterviewNotice.objects.visible_to(user))

    @staticmethod
    def overdue_q(now=None) -> Q:
        return Q(state=CommitmentState.OPEN, due_at__lt=now or timezone.now())

    def overdue(self, now=None):
        return self.filter(self.overdue_q(now))


class Commitment(models.Model):
    """A commitment the operator made at an interview, followed up like an order."""

    interview = models.ForeignKey(
        InterviewNotice,
        on_delete=models.CASCADE,
        related_name="commitments",
        verbose_name=_("interview notice"),
    )
    text = models.TextField(_("commitment"))
    due_at = models.DateTimeField(_("due"))
    state = models.CharField(
        _("state"), max_length=10, choices=CommitmentState.choices, default=CommitmentState.OPEN
    )
    done_note = models.TextField(_("what was done"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    done_at = models.DateTimeField(_("reported done at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    return_comment = models.TextField(_("administration's comment"), blank=True)
    history = HistoricalRecords()

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return self.text[:50]

    @property
    def is_open(self) -> bool:
        return self.state == CommitmentState.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < timezone.now()


# --- Notices, disclosures, penalties, assessment opinions -----------------------------------


class RecordKind(models.TextChoices):
    CIRCULATED_NOTICE = "notice", _("Circulated notice (通报)")
    PUBLIC_DISCLOSURE = "disclosure", _("Public disclosure (公示)")
    PENALTY = "penalty", _("Administrative penalty (行政处罚)")
    ASSESSMENT = "assessment", _("Assessment opinion (考评意见)")


class NoticeRecord(models.Model):
    """A circulated notice, public disclosure, penalty decision or assessment opinion, as issued."""

    kind = models.CharField(_("kind"), max_length=12, choices=RecordKind.choices)
    document_no = models.CharField(_("document number"), max_length=60, blank=True)
    date = models.DateField(_("date"))
    operator = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="notice_records", verbose_name=_("operator")
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    orders = models.ManyToManyField(
        RectificationOrder, blank=True, related_name="records", verbose_name=_("linked orders")
    )
    findings = models.ManyToManyField(
        InspectionFinding, blank=True, related_name="records", verbose_name=_("linked findings")
    )
    interviews = models.ManyToManyField(
        InterviewNotice, blank=True, related_name="records", verbose_name=_("linked interviews")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    objects = OperatorScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("notice or decision")
        verbose_name_plural = _("notices and decisions")

    def __str__(self) -> str:
        return self.document_no or self.title


# --- Files and the timeline -----------------------------------------------------------------


class CaseFileQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A file is visible to whoever may see the case it belongs to (and nobody else)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_regulator:
            return self
        if not user.is_operator_user:
            return self.none()
        return self.filter(
            Q(finding__in=InspectionFinding.objects.visible_to(user))
            | Q(order__in=RectificationOrder.objects.visible_to(user))
            | Q(interview__in=InterviewNotice.objects.visible_to(user))
            | Q(record__in=NoticeRecord.objects.visible_to(user))
        )


class CaseFile(models.Model):
    """A file attached to a case: evidence, a response's file, a report's attachment, a record.

    Exactly one of ``finding``, ``order``, ``interview``, ``record`` is set (a response's file
    also names its finding, a report's file its order), and access follows that case.
    """

    finding = models.ForeignKey(
        InspectionFinding,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
        verbose_name=_("inspection finding"),
    )
    response = models.ForeignKey(
        FindingResponse,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
        verbose_name=_("response to a finding"),
    )
    order = models.ForeignKey(
        RectificationOrder,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
        verbose_name=_("rectification order"),
    )
    report = models.ForeignKey(
        RectificationReport,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
        verbose_name=_("rectification report"),
    )
    interview = models.ForeignKey(
        InterviewNotice,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
        verbose_name=_("interview notice"),
    )
    record = models.ForeignKey(
        NoticeRecord,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
        verbose_name=_("notice or decision"),
    )
    file = models.FileField(upload_to=_case_file_path, max_length=300, verbose_name=_("file"))
    name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    history = HistoricalRecords()

    objects = CaseFileQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("case file")
        verbose_name_plural = _("case files")
        constraints = [
            models.CheckConstraint(
                name="case_file_belongs_to_one_case",
                condition=(
                    Q(finding__isnull=False, order__isnull=True, interview__isnull=True, record__isnull=True)
                    | Q(
                        finding__isnull=True, order__isnull=False, interview__isnull=True, record__isnull=True
                    )
                    | Q(
                        finding__isnull=True, order__isnull=True, interview__isnull=False, record__isnull=True
                    )
                    | Q(
                        finding__isnull=True, order__isnull=True, interview__isnull=True, record__isnull=False
                    )
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name


class EventKind(models.TextChoices):
    CREATED = "created", _("Recorded")
    IMPORTED = "imported", _("Imported from a batch")
    EDITED = "edited", _("Edited")
    PUBLISHED = "published", _("Published to the operator")
    RESPONDED = "responded", _("Operator responded")
    CONTESTED = "contested", _("Operator contested")
    UPHELD = "upheld", _("Finding upheld")
    WITHDRAWN = "withdrawn", _("Finding withdrawn")
    DRAFT_WITHDRAWN = "draft_withdrawn", _("Draft withdrawn")
    ISSUED = "issued", _("Issued")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged by the operator")
    EXTENSION_ASKED = "extension_asked", _("Extension asked")
    EXTENSION_GRANTED = "extension_granted", _("Extension granted")
    EXTENSION_REFUSED = "extension_refused", _("Extension refused")
    REPORT_SUBMITTED = "report_submitted", _("Rectification report submitted")
    REPORT_RETURNED = "report_returned", _("Report returned")
    VERIFIED = "verified", _("Verified and closed")
    ESCALATED = "escalated", _("Escalated")
    CONFIRMED = "confirmed", _("Attendance confirmed")
    MINUTES = "minutes", _("Minutes recorded")
    COMMITMENT_ADDED = "commitment_added", _("Commitment recorded")
    COMMITMENT_DONE = "commitment_done", _("Commitment reported done")
    COMMITMENT_VERIFIED = "commitment_verified", _("Commitment verified")
    COMMITMENT_RETURNED = "commitment_returned", _("Commitment returned")
    FILE_ADDED = "file_added", _("File attached")
    COMMENT = "comment", _("Comment")
    EMAIL = "email", _("E-mail sent")


class CaseEvent(models.Model):
    """One line of a case's timeline: who did what, when. Written by the services, never edited.

    ``internal`` events (those of a draft, before the operator could see the case) are shown
    to the administration only.
    """

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    kind = models.CharField(_("what"), max_length=24, choices=EventKind.choices)
    finding = models.ForeignKey(
        InspectionFinding,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("inspection finding"),
    )
    order = models.ForeignKey(
        RectificationOrder,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("rectification order"),
    )
    interview = models.ForeignKey(
        InterviewNotice,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("interview notice"),
    )
    record = models.ForeignKey(
        NoticeRecord,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("notice or decision"),
    )
    case_file = models.ForeignKey(
        CaseFile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case file"),
    )
    # What the person wrote (a comment, a reason); shown as written.
    text = models.TextField(_("text"), blank=True)
    # Facts for the line, rendered in the reader's language: a deadline, changed fields, mail.
    data = models.JSONField(default=dict, blank=True, verbose_name=_("details"))
    internal = models.BooleanField(_("administration only"), default=False)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"

"""The enforcement ladder: inspection findings, rectification orders, interviews."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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


class FindingState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published to the operator")


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
    history = HistoricalRecords()

    objects = OperatorScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-visit_date", "pk"]
        verbose_name = _("inspection finding")
        verbose_name_plural = _("inspection findings")
        indexes = [models.Index(fields=["operator", "visit_date"])]

    def __str__(self) -> str:
        return f"{self.operator.code} {self.visit_date} {self.scenario[:30]}"


class OrderState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    REPORT_SUBMITTED = "report_submitted", _("Rectification report submitted")
    RETURNED = "returned", _("Returned: report again")
    VERIFIED = "verified", _("Verified (closed)")
    ESCALATED = "escalated", _("Escalated")


OPEN_ORDER_STATES = [
    OrderState.ISSUED,
    OrderState.ACKNOWLEDGED,
    OrderState.REPORT_SUBMITTED,
    OrderState.RETURNED,
]


class RectificationOrder(models.Model):
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

    objects = OperatorScopedQuerySet.as_manager()

    class Meta:
        ordering = ["deadline"]
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")

    def __str__(self) -> str:
        return self.document_no or self.title

    @property
    def is_overdue(self) -> bool:
        return self.state in OPEN_ORDER_STATES and self.deadline < timezone.now()


class InterviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Notice issued")
    CONFIRMED = "confirmed", _("Attendance confirmed")
    HELD = "held", _("Held")


class InterviewNotice(models.Model):
    """An interview (约谈) of an operator's responsible persons."""

    operator = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="interviews", verbose_name=_("operator")
    )
    document_no = models.CharField(_("document number"), max_length=40, unique=True, null=True, blank=True)
    reason = models.TextField(_("reason"))
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
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    history = HistoricalRecords(excluded_fields=["created_at"])

    objects = OperatorScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_at"]
        verbose_name = _("interview notice")
        verbose_name_plural = _("interview notices")

    def __str__(self) -> str:
        return self.document_no or f"{self.operator.code} {self.scheduled_at:%Y-%m-%d}"

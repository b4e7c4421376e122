"""Monthly reports, the complaint ledger and major-problem incidents, as operators file them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from supervision.core.files import stored_name
from supervision.core.models import City, Operator, OperatorScopedQuerySet, Period, ViolationCategory


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_CERTIFICATION = "awaiting_certification", _("Awaiting certification")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")
    SUPERSEDED = "superseded", _("Replaced by a later version")


# The states a latest certified version counts in (``SubmissionQuerySet.counted``).
COUNTED_STATES = [SubmissionState.SUBMITTED, SubmissionState.ACCEPTED]


class SubmissionQuerySet(OperatorScopedQuerySet):
    """Versions of monthly reports, with the one definition of the report that counts."""

    def latest_certified(self):
        """For each operator and period, its latest version the manager certified."""
        later = MonthlySubmission.objects.filter(
            operator=models.OuterRef("operator"),
            period=models.OuterRef("period"),
            version__gt=models.OuterRef("version"),
            submitted_at__isnull=False,
        )
        return self.filter(submitted_at__isnull=False).exclude(models.Exists(later))

    def counted(self):
        """The counted report (DOMAIN.md, "Which report counts"): for each operator and period,
        its latest certified version, unless the administration returned it. Superseded versions
        never count; a returned one counts nowhere (no figures, not "received") until a corrected
        version is certified. Every figure, total and "received" reads this."""
        return self.latest_certified().filter(state__in=COUNTED_STATES)

    def returned(self):
        """Latest certified versions the administration returned: named where a figure is missing."""
        return self.latest_certified().filter(state=SubmissionState.RETURNED)


class CityFiguresQuerySet(models.QuerySet):
    def counted(self):
        """The city rows of the counted reports (``SubmissionQuerySet.counted``)."""
        return self.filter(submission__in=MonthlySubmission.objects.counted())


class MonthlySubmission(models.Model):
    """One version of an operator's monthly report for one period.

    Every version is kept. The administration sees a version once the operator's manager has
    certified it (``submitted_at``); a later version supersedes it until one is accepted.
    """

    operator = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("operator")
    )
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("period")
    )
    version = models.PositiveSmallIntegerField(_("version"))
    state = models.CharField(
        _("state"), max_length=30, choices=SubmissionState.choices, default=SubmissionState.DRAFT
    )
    narrative = models.TextField(_("work status"), blank=True)
    major_problem = models.BooleanField(_("a major problem occurred"), default=False)
    # The warnings the checks raised, each with the submitter's explanation.
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    receipt_no = models.CharField(_("confirmation number"), max_length=40, unique=True, null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    return_comment = models.TextField(_("reason for return"), blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-period__month", "operator__sort_order", "-version"]
        verbose_name = _("monthly submission")
        verbose_name_plural = _("monthly submissions")
        constraints = [
            models.UniqueConstraint(fields=["operator", "period", "version"], name="one_number_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.operator.code} {self.period.label} v{self.version}"

    @property
    def is_on_time(self) -> bool | None:
        if self.submitted_at is None:
            return None
        return self.submitted_at <= self.period.late_after


class PeriodReopening(models.Model):
    """A lock exception: one operator's month reopened for correction while the period stays
    locked for the others. Open until the administration closes it again (``closed_at``)."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+", verbose_name=_("period"))
    operator = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="+", verbose_name=_("operator")
    )
    reason = models.TextField(_("reason for reopening"))
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    reopened_at = models.DateTimeField(_("reopened at"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    closed_at = models.DateTimeField(_("locked again at"), null=True, blank=True)

    class Meta:
        ordering = ["-reopened_at"]
        verbose_name = _("reopened month")
        verbose_name_plural = _("reopened months")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "operator"],
                condition=models.Q(closed_at=None),
                name="one_open_reopening_per_operator_month",
            )
        ]

    def __str__(self) -> str:
        return f"{self.operator.code} {self.period.label}"


class ReportingAction(models.TextChoices):
    LOCK = "lock", _("Period locked")
    UNLOCK = "unlock", _("Period unlocked")
    ACCEPT = "accept", _("Report accepted")
    RETURN = "return", _("Report returned")
    REOPEN = "reopen", _("Month reopened for one operator")
    CLOSE = "close", _("Reopened month closed again")


class ReportingDecision(models.Model):
    """One decision of the administration on monthly reporting, for the audit trail.

    Written by the services in ``submissions`` only; its history row (django-simple-history)
    is what the audit page lists, with who and when.
    """

    action = models.CharField(_("decision"), max_length=10, choices=ReportingAction.choices)
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+", verbose_name=_("period"))
    operator = models.ForeignKey(
        Operator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("operator"),
    )
    submission = models.ForeignKey(
        "MonthlySubmission",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("monthly submission"),
    )
    comment = models.TextField(_("comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, verbose_name=_("by")
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("reporting decision")
        verbose_name_plural = _("reporting decisions")

    def __str__(self) -> str:
        who = self.operator.code if self.operator_id else ""
        return " ".join(part for part in (self.get_action_display(), self.period.label, who) if part)


class CityFigures(models.Model):
    """One city's row of a monthly report (FORMATS.md §1)."""

    submission = models.ForeignKey(MonthlySubmission, on_delete=models.CASCADE, related_name="figures")
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+", verbose_name=_("city"))
    auth_code_requests = models.PositiveIntegerField(_("authorisation codes issued"))
    port_out_applications = models.PositiveIntegerField(_("port-out applications"))
    port_out_completed = models.PositiveIntegerField(_("port-outs completed"))
    port_out_failed = models.PositiveIntegerField(_("port-outs failed"))
    port_in_applications = models.PositiveIntegerField(_("port-in applications"))
    port_in_completed = models.PositiveIntegerField(_("port-ins completed"))
    complaints_received = models.PositiveIntegerField(_("complaints received"))
    complaints_resolved = models.PositiveIntegerField(_("complaints resolved"))
    avg_resolution_hours = models.DecimalField(
        _("average resolution time (hours)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    subscribers_10k = models.DecimalField(
        _("subscribers (10,000)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    eligibility_queries = models.PositiveIntegerField(_("eligibility queries"), null=True, blank=True)
    failed_not_real_name = models.PositiveIntegerField(
        _("failed: not real-name registered"), null=True, blank=True
    )
    failed_arrears = models.PositiveIntegerField(_("failed: arrears"), null=True, blank=True)
    failed_contract = models.PositiveIntegerField(_("failed: contract period"), null=True, blank=True)
    failed_120_days = models.PositiveIntegerField(_("failed: within 120 days"), null=True, blank=True)
    failed_other = models.PositiveIntegerField(_("failed: other"), null=True, blank=True)

    # The figures every table of a report shows, in the order of the template (FORMATS.md §1);
    # the optional eligibility queries and failure reasons are the uploaded report's own.
    FIGURES = (
        "auth_code_requests",
        "port_out_applications",
        "port_out_completed",
        "port_out_failed",
        "port_in_applications",
        "port_in_completed",
        "complaints_received",
        "complaints_resolved",
        "avg_resolution_hours",
        "subscribers_10k",
    )
    # Those that add up over cities and operators (the indicators' sums): an average does not.
    SUMMED = tuple(f for f in FIGURES if f != "avg_resolution_hours")

    objects = CityFiguresQuerySet.as_manager()

    class Meta:
        ordering = ["city__sort_order"]
        verbose_name = _("city figures")
        verbose_name_plural = _("city figures")
        constraints = [models.UniqueConstraint(fields=["submission", "city"], name="one_row_per_city")]

    def __str__(self) -> str:
        return f"{self.submission} {self.city.code}"


class TypicalCase(models.Model):
    """A typical case (典型案例) an operator reports with its monthly submission."""

    submission = models.ForeignKey(MonthlySubmission, on_delete=models.CASCADE, related_name="typical_cases")
    title = models.CharField(_("title"), max_length=200)
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+", verbose_name=_("city"))
    what_happened = models.TextField(_("what happened"))
    handling = models.TextField(_("how it was handled"))

    class Meta:
        verbose_name = _("typical case")
        verbose_name_plural = _("typical cases")

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    MIIT = "MIIT", _("MIIT appeal (12300)")
    CA = "CA", _("Referred by the administration")
    HOTLINE = "HOTLINE", _("Customer hotline")
    STORE = "STORE", _("Store")
    ONLINE = "ONLINE", _("Online / app")
    MEDIA = "MEDIA", _("Media and public opinion")
    OTHER = "OTHER", _("Other")


class ComplaintStatus(models.TextChoices):
    OPEN = "OPEN", _("Being handled")
    RESOLVED = "RESOLVED", _("Resolved")


class Satisfaction(models.TextChoices):
    SATISFIED = "SATISFIED", _("Satisfied")
    PARTLY = "PARTLY", _("Partly satisfied")
    UNSATISFIED = "UNSATISFIED", _("Unsatisfied")
    UNKNOWN = "UNKNOWN", _("Not called back")


class LedgerUpload(models.Model):
    """One complaint-ledger file that was stored: what it added and changed."""

    operator = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="ledger_uploads", verbose_name=_("operator")
    )
    submission = models.ForeignKey(
        MonthlySubmission, on_delete=models.SET_NULL, null=True, blank=True, related_name="ledger_uploads"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows_added = models.PositiveIntegerField(_("complaints added"), default=0)
    rows_updated = models.PositiveIntegerField(_("complaints updated"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("complaints unchanged"), default=0)
    # The warnings the checks raised, each with the submitter's explanation.
    warnings = models.JSONField(_("warnings"), default=list, blank=True)

    objects = OperatorScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("ledger upload")
        verbose_name_plural = _("ledger uploads")

    def __str__(self) -> str:
        return f"{self.operator.code} {self.file_name}"


class ComplaintRecord(models.Model):
    """One porting complaint in an operator's ledger (FORMATS.md §2).

    Identified by (operator, complaint number); later uploads update it, and each change is
    kept as a ``ComplaintRevision``. Never holds a full subscriber number.
    """

    operator = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("operator")
    )
    complaint_no = models.CharField(_("complaint number"), max_length=64)
    received_on = models.DateField(_("received on"))
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+", verbose_name=_("city"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    category = models.ForeignKey(
        ViolationCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    msisdn_masked = models.CharField(_("subscriber number (masked)"), max_length=20, blank=True)
    summary = models.TextField(_("complaint"))
    status = models.CharField(_("status"), max_length=10, choices=ComplaintStatus.choices)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    first_upload = models.ForeignKey(
        LedgerUpload, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_upload = models.ForeignKey(
        LedgerUpload, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = OperatorScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "complaint_no"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "complaint_no"], name="complaint_no_unique_per_operator"
            )
        ]
        indexes = [
            models.Index(fields=["operator", "received_on"]),
            models.Index(fields=["received_on", "city"]),
            models.Index(fields=["category", "received_on"]),
            # The dashboard's ledger filtered by operator, then city, then category (the drill-down
            # from a city's or a category's figure), in the list's order: its count reads the
            # matching index entries alone and its page the first 50, with nothing to sort.
            models.Index(
                fields=["operator", "city", "category", "-received_on", "complaint_no", "id"],
                name="complaint_ledger_filter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operator.code} {self.complaint_no}"


class ComplaintRevision(models.Model):
    """What one ledger upload changed in one complaint: ``{field: [old, new]}``."""

    complaint = models.ForeignKey(ComplaintRecord, on_delete=models.CASCADE, related_name="revisions")
    upload = models.ForeignKey(LedgerUpload, on_delete=models.CASCADE, related_name="revisions")
    changes = models.JSONField(_("changes"))

    class Meta:
        ordering = ["upload__uploaded_at"]
        verbose_name = _("complaint change")
        verbose_name_plural = _("complaint changes")

    def __str__(self) -> str:
        return f"{self.complaint_id}: {', '.join(self.changes)}"


class LedgerCorrection(models.Model):
    """What one ledger upload changed in a month whose report was already accepted.

    The administration sees it on that report's page, with the submitter's explanation:
    ``complaints`` is ``[{"complaint_no", "row", "change": "added"|"edited", "fields": [...]}]``.
    """

    upload = models.ForeignKey(LedgerUpload, on_delete=models.CASCADE, related_name="corrections")
    submission = models.ForeignKey(
        MonthlySubmission, on_delete=models.PROTECT, related_name="ledger_corrections"
    )
    explanation = models.TextField(_("explanation"), blank=True)
    complaints = models.JSONField(_("complaints changed"), default=list)

    class Meta:
        ordering = ["-upload__uploaded_at"]
        verbose_name = _("ledger change after acceptance")
        verbose_name_plural = _("ledger changes after acceptance")

    def __str__(self) -> str:
        return f"{self.submission} ← {self.upload}"

    @property
    def added(self) -> int:
        return sum(1 for c in self.complaints if c.get("change") == "added")

    @property
    def edited(self) -> int:
        return sum(1 for c in self.complaints if c.get("change") == "edited")


class IncidentState(models.TextChoices):
    """Where a major problem is in its life (``reporting.incidents.ACTIONS``): reported, followed
    up (续报) any number of times, recovered as the operator states, closed by the administration
    after review; the administration may ask for more information (需补充) before closing."""

    REPORTED = "reported", _("Reported")
    MORE_INFO = "more_info", _("More information asked")
    RECOVERED = "recovered", _("Recovered")
    CLOSED = "closed", pgettext_lazy("incident state", "Closed")


# Not closed yet: what the home pages, profiles, digests and meeting suggestions count as open.
OPEN_INCIDENT_STATES = [IncidentState.REPORTED, IncidentState.MORE_INFO, IncidentState.RECOVERED]


class IncidentQuerySet(OperatorScopedQuerySet):
    def open(self):
        """Major problems not closed yet (reported, asked for more, or recovered awaiting review)."""
        return self.filter(state__in=OPEN_INCIDENT_STATES)


class Incident(models.Model):
    """A major problem (重大问题) an operator reports at any time, outside the monthly cycle."""

    operator = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("operator")
    )
    title = models.CharField(_("what happened"), max_length=200)
    description = models.TextField(_("details"))
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("city")
    )
    location = models.CharField(_("where"), max_length=200, blank=True)
    since = models.DateTimeField(_("since"))
    subscribers_affected = models.PositiveIntegerField(_("subscribers affected"), default=0)
    measures = models.TextField(_("measures taken"))
    state = models.CharField(
        _("state"), max_length=10, choices=IncidentState.choices, default=IncidentState.REPORTED
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now, editable=False)
    # The last step of its life (the report, a follow-up, a request for more, the recovery): the
    # reminders count from it.
    updated_at = models.DateTimeField(_("last update"), default=timezone.now)
    # As the operator stated it when reporting the recovery (the latest statement).
    recovered_at = models.DateTimeField(_("recovered at"), null=True, blank=True)
    cause = models.TextField(_("cause"), blank=True)
    recovery_measures = models.TextField(_("measures against recurrence"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("closed by"),
    )

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at"]
        verbose_name = _("major problem")
        verbose_name_plural = _("major problems")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state != IncidentState.CLOSED


class IncidentUpdateKind(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Follow-up report")
    RECOVERY = "recovery", _("Recovery")
    MORE_INFO = "more_info", _("More information asked")
    CLOSE = "close", _("Closed after review")


class IncidentUpdate(models.Model):
    """One step of a major problem's timeline after its report: a follow-up (续报) or the recovery
    by the operator, a request for more information or the closing by the administration."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="updates", verbose_name=_("major problem")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=IncidentUpdateKind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    text = models.TextField(_("text"), blank=True)
    # A recovery's statement: when service was restored, and why it failed.
    recovered_at = models.DateTimeField(_("recovered at"), null=True, blank=True)
    cause = models.TextField(_("cause"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("major problem update")
        verbose_name_plural = _("major problem updates")

    def __str__(self) -> str:
        return f"{self.incident} · {self.get_kind_display()}"


def _upload_path(instance, filename):
    # Uploaded files live under MEDIA_ROOT, outside the static area, under a random name (never
    # the user's: see core.files.stored_name); views serve them only to users who may see them.
    return stored_name("uploads", filename)


class UploadKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly report")
    LEDGER = "ledger", _("Complaint ledger")


class UploadState(models.TextChoices):
    CHECKING = "checking", _("Being checked")
    CHECKED = "checked", _("Checked")
    CONFIRMED = "confirmed", _("Confirmed and stored")
    # Files kept while the upload form is corrected (the form was refused for another reason).
    HELD = "held", _("Kept for the form")
    DISCARDED = "discarded", _("Discarded")


class PendingUpload(models.Model):
    """Files an operator uploaded, checked and previewed, not yet confirmed.

    Nothing of it reaches the reported figures or the ledger until the submitter confirms a
    preview without errors; a refused or abandoned upload leaves what was stored untouched.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=UploadKind.choices)
    operator = models.ForeignKey(
        Operator, on_delete=models.CASCADE, related_name="+", verbose_name=_("operator")
    )
    period = models.ForeignKey(Period, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    state = models.CharField(
        _("state"), max_length=10, choices=UploadState.choices, default=UploadState.CHECKING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    figures_file = models.FileField(_("figures file"), upload_to=_upload_path, max_length=300, blank=True)
    figures_name = models.CharField(max_length=255, blank=True)
    figures_sha256 = models.CharField(max_length=64, blank=True)
    ledger_file = models.FileField(
        _("complaint ledger file"), upload_to=_upload_path, max_length=300, blank=True
    )
    ledger_name = models.CharField(max_length=255, blank=True)
    ledger_sha256 = models.CharField(max_length=64, blank=True)
    # What the submitter typed on the form: narrative, major-problem flag, typical cases.
    form_data = models.JSONField(default=dict, blank=True)
    # The outcome of the checks: problems per file, and a preview of what would be stored.
    problems = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=dict, blank=True)
    submission = models.ForeignKey(
        MonthlySubmission, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = OperatorScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pending upload")
        verbose_name_plural = _("pending uploads")

    def __str__(self) -> str:
        return f"{self.operator.code} {self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


class SubmissionFile(models.Model):
    """A file a submission was made from, kept with its checksum for the receipt."""

    submission = models.ForeignKey(MonthlySubmission, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("kind"), max_length=10, choices=UploadKind.choices)
    file = models.FileField(upload_to=_upload_path, max_length=300)
    name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))

    class Meta:
        ordering = ["kind"]
        verbose_name = _("submitted file")
        verbose_name_plural = _("submitted files")

    def __str__(self) -> str:
        return self.name


class ComplaintMonthly(models.Model):
    """The complaint ledger counted per operator, city, category, channel and month of receipt.

    Kept up to date whenever ledger rows arrive (``summaries.refresh_complaint_counts``), so the
    dashboard reads a few thousand counts instead of scanning millions of complaints.
    """

    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="+")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(ViolationCategory, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    month = models.DateField(help_text=_("The first day of the month the complaints were received in."))
    received = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    # Resolved within 15 days of receipt: the operators' statutory answer time.
    resolved_timely = models.PositiveIntegerField(default=0)

    objects = OperatorScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly complaint count")
        verbose_name_plural = _("monthly complaint counts")
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "city", "category", "channel", "month"], name="one_count_per_cell"
            )
        ]
        # Covering: the dashboard's sums per month and operator read the index alone.
        indexes = [
            models.Index(
                fields=["month", "operator", "received", "resolved", "resolved_timely"],
                name="complaint_counts_cover",
            )
        ]

    def __str__(self) -> str:
        return f"{self.operator_id} {self.city_id} {self.category_id} {self.channel} {self.month:%Y-%m}: {self.received}"


class ComplaintMonthlyTotal(models.Model):
    """The monthly counts (``ComplaintMonthly``) summed over cities and channels: one row per
    operator, category and month, at most 32 a month whatever the ledger's size.

    What the figures per operator or category over many months read (the charts' 36-month
    trends, the cards' complaint rate and settled 15日办结率): ``ComplaintMonthly`` holds up to
    3,584 cells a month, and its rows grow with the ledger until every cell is filled.

    Kept by the database itself: triggers on ``ComplaintMonthly`` (migration 0009) add each
    inserted cell's counts to its total, take a deleted cell's away and move a changed one, in
    the same transaction, whoever writes the counts; ``cells`` counts the monthly cells summed,
    and a total whose last cell goes is deleted, so a total exists exactly where monthly counts
    do. Never written by the application.
    """

    month = models.DateField()
    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="+", db_index=False)
    category = models.ForeignKey(
        ViolationCategory, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    cells = models.PositiveIntegerField(default=0)
    received = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    resolved_timely = models.PositiveIntegerField(default=0)

    objects = OperatorScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly complaint total")
        verbose_name_plural = _("monthly complaint totals")
        constraints = [
            models.UniqueConstraint(fields=["month", "operator", "category"], name="one_total_per_cell")
        ]

    def __str__(self) -> str:
        return f"{self.operator_id} {self.category_id} {self.month:%Y-%m}: {self.received}"


class ComplaintDaily(models.Model):
    """The complaint ledger counted per operator, city, category and day of receipt.

    What the 15日办结率 of a month whose 15-day windows are still closing needs: only the
    complaints received more than 15 days before the day the figure is computed are due (an open
    one among them is late), so the figure sums the rows of the days before that, at most a
    month's, whatever the ledger's size. Kept up to date with ``ComplaintMonthly``
    (``summaries.refresh_complaint_counts``).
    """

    # Indexed by the two indexes below, which begin with it.
    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="+", db_index=False)
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(ViolationCategory, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()  # received on
    received = models.PositiveIntegerField(default=0)
    # Resolved within 15 days of receipt (as ``ComplaintMonthly.resolved_timely``).
    resolved_timely = models.PositiveIntegerField(default=0)

    objects = OperatorScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("daily complaint count")
        verbose_name_plural = _("daily complaint counts")
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "day", "city", "category"], name="one_daily_count_per_cell"
            )
        ]
        # Covering: the sums of the counted operators' days (one range of days per operator, like
        # for like) read the index alone.
        indexes = [
            models.Index(
                fields=["operator", "day", "received", "resolved_timely"], name="complaint_daily_cover"
            )
        ]

    def __str__(self) -> str:
        return f"{self.operator_id} {self.city_id} {self.category_id} {self.day}: {self.received}"

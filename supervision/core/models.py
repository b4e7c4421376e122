"""Reference data (operators, cities, violation categories, reporting periods) and people.

Reference rows are created by a data migration, so an empty database is usable at once.
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin
from simple_history.models import HistoricalRecords

from supervision.core import dates
from supervision.core.dates import SHANGHAI  # noqa: F401  (importable from here, as ever)


class BilingualName(models.Model):
    """A reference row named in Chinese and English; ``name`` follows the active language."""

    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


class Operator(BilingualName):
    code = models.CharField(_("code"), max_length=8, unique=True)
    short_zh = models.CharField(_("Chinese short name"), max_length=20)
    short_en = models.CharField(_("English short name"), max_length=30)
    # One colour per operator, used by every chart so that a reader never has to re-learn it.
    color = models.CharField(_("chart colour"), max_length=7)

    class Meta(BilingualName.Meta):
        verbose_name = _("operator")
        verbose_name_plural = _("operators")

    @property
    def short_name(self) -> str:
        return self.short_en if (get_language() or "").startswith("en") else self.short_zh


class City(BilingualName):
    """A prefecture-level city of Shandong; ``code`` is its GB/T 2260 division code."""

    code = models.CharField(_("division code"), max_length=6, unique=True)

    class Meta(BilingualName.Meta):
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    @property
    def short_zh(self) -> str:
        return self.name_zh.removesuffix("市")


class ViolationCategory(BilingualName):
    """The six bottom lines (BL1–BL6), plus SVC and OTHER for complaints about service."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    is_bottom_line = models.BooleanField(_("bottom line"), default=True)
    description_zh = models.TextField(_("Chinese description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)

    class Meta(BilingualName.Meta):
        verbose_name = _("violation category")
        verbose_name_plural = _("violation categories")

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


class PeriodQuerySet(models.QuerySet):
    def for_month(self, year: int, month: int) -> "Period":
        period, _created = self.get_or_create(month=dt.date(year, month, 1))
        return period

    def lookup(self, year: int, month: int) -> "Period":
        """The period if it exists, else an unsaved one: reading a month never creates it."""
        first = dt.date(year, month, 1)
        return self.filter(month=first).first() or Period(month=first)

    def from_label(self, label: str) -> "Period":
        """``"2026-10"`` → the period; raises ValueError on anything else."""
        year, month = Period.parse_label(label)
        return self.for_month(year, month)


class PeriodState(models.TextChoices):
    OPEN = "open", _("Open for reports")
    LOCKED = "locked", _("Locked")


class Period(models.Model):
    """A reporting month, written ``YYYY-MM``; it can be locked against further submissions."""

    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month."))
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("locked by"),
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-month"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.CheckConstraint(condition=models.Q(month__day=1), name="period_is_first_of_month")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.month.year:04d}-{self.month.month:02d}"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    # A period's state, as the reporting ACTIONS table checks it (lock, unlock, reopen).
    @property
    def state(self) -> str:
        return PeriodState.LOCKED if self.is_locked else PeriodState.OPEN

    def get_state_display(self) -> str:
        return PeriodState(self.state).label

    # The months the desk can speak of: number portability began in 2019; a year outside these
    # is a typing error (and 0001 or 9999 would break the month arithmetic).
    FIRST_YEAR = 2000
    LAST_YEAR = 2099

    @staticmethod
    def parse_label(label: str) -> tuple[int, int]:
        try:
            year_s, month_s = label.strip().split("-")
            year, month = int(year_s), int(month_s)
            dt.date(year, month, 1)
            if not Period.FIRST_YEAR <= year <= Period.LAST_YEAR:
                raise ValueError
        except (ValueError, AttributeError):
            raise ValueError(
                _("“%(label)s” is not a period; write it as YYYY-MM, e.g. 2026-10.") % {"label": label}
            ) from None
        return year, month

    @property
    def last_day(self) -> dt.date:
        return dates.month_end(self.month)

    @property
    def due_at(self) -> dt.datetime:
        """When the monthly report is due: end of the due day, Asia/Shanghai."""
        return dates.end_of_day(self.last_day + dt.timedelta(days=settings.REPORT_DUE_DAYS_AFTER_MONTH_END))

    @property
    def late_after(self) -> dt.datetime:
        return self.due_at + dt.timedelta(days=settings.REPORT_GRACE_DAYS)

    def previous(self, months: int = 1) -> "Period":
        month = dates.add_months(self.month, -months)
        return Period.objects.for_month(month.year, month.month)

    @classmethod
    def last_complete(cls, now: dt.datetime | None = None) -> "Period":
        """The most recent month that has ended, in Asia/Shanghai time."""
        month = dates.add_months(dates.local_date(now or timezone.now()), -1)
        return cls.objects.for_month(month.year, month.month)


class Role(models.TextChoices):
    REGULATOR_STAFF = "regulator_staff", _("Administration staff")
    REGULATOR_LEADER = "regulator_leader", _("Administration leadership")
    OPERATOR_STAFF = "operator_staff", _("Operator reporting staff")
    OPERATOR_MANAGER = "operator_manager", _("Operator manager")


REGULATOR_ROLES = {Role.REGULATOR_STAFF, Role.REGULATOR_LEADER}
OPERATOR_ROLES = {Role.OPERATOR_STAFF, Role.OPERATOR_MANAGER}


class UserQuerySet(models.QuerySet):
    """Who a mail can reach, by the one rule every mail and reminder follows: an active account
    with an e-mail address; the administration's *staff* (not its leadership, who read the
    dashboard and the briefing) or an operator's reporting staff and managers."""

    def reachable(self):
        """Active users with an e-mail address: the only ones a mail can reach."""
        return self.filter(is_active=True).exclude(email="")

    def reachable_staff(self):
        """The administration's staff a mail can reach."""
        return self.reachable().filter(role=Role.REGULATOR_STAFF)

    def reachable_at(self, operator_ids):
        """The users of the operators ``operator_ids`` (reporting staff and managers) a mail can reach."""
        return self.reachable().filter(operator_id__in=operator_ids, role__in=OPERATOR_ROLES)

    def document_recipients(self, operator_ids):
        """Who receives the administration's official documents (briefings, rectification orders,
        interview notices) at the operators ``operator_ids``: the one rule every circulation follows.

        An operator's managers a mail can reach; at an operator without one, the members of its
        task force it designated to receive documents (``TaskForceMember.receives_documents``),
        through their portal account, if a mail can reach it. A manager is a recipient because of
        the role (``role``); anybody else because the task force designated them.
        """
        reachable = self.reachable().filter(operator_id__in=operator_ids, role__in=OPERATOR_ROLES)
        managers = User.objects.reachable().filter(role=Role.OPERATOR_MANAGER)
        designated = TaskForceMember.objects.filter(
            account=models.OuterRef("pk"), operator=models.OuterRef("operator"), receives_documents=True
        )
        return reachable.filter(
            models.Q(role=Role.OPERATOR_MANAGER)
            | (
                models.Exists(designated)
                & ~models.Exists(managers.filter(operator=models.OuterRef("operator")))
            )
        )


class PeopleManager(UserManager.from_queryset(UserQuerySet)):
    """Django's user manager (``create_user``…) with ``UserQuerySet``'s questions."""


class User(AbstractUser):
    """A person who logs in. Operator roles are bound to exactly one operator."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OPERATOR_STAFF)
    operator = models.ForeignKey(
        Operator,
        verbose_name=_("operator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Required for operator roles; empty for the administration."),
    )
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # Statutory notices cannot be turned off; the morning digest can.
    receives_digest = models.BooleanField(_("receive the morning digest"), default=True)
    # A right of its own, not part of any role: the staff role alone does not make a user administrator.
    can_administer_users = models.BooleanField(
        _("user administrator"),
        default=False,
        help_text=_("May create and change users and reset their two-step log-in. Not given by any role."),
    )

    objects = PeopleManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="operator_roles_have_an_operator",
                condition=(
                    models.Q(role__in=["operator_staff", "operator_manager"], operator__isnull=False)
                    | models.Q(role__in=["regulator_staff", "regulator_leader"], operator__isnull=True)
                ),
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self):
        super().clean()
        if self.role in OPERATOR_ROLES and self.operator_id is None:
            raise ValidationError({"operator": _("An operator user must belong to an operator.")})
        if self.role in REGULATOR_ROLES and self.operator_id is not None:
            raise ValidationError({"operator": _("Administration users do not belong to an operator.")})

    @property
    def is_regulator(self) -> bool:
        return self.role in REGULATOR_ROLES

    @property
    def is_regulator_staff(self) -> bool:
        return self.role == Role.REGULATOR_STAFF

    @property
    def is_leader(self) -> bool:
        return self.role == Role.REGULATOR_LEADER

    @property
    def is_operator_user(self) -> bool:
        return self.role in OPERATOR_ROLES and self.operator_id is not None

    @property
    def is_operator_manager(self) -> bool:
        return self.role == Role.OPERATOR_MANAGER and self.operator_id is not None

    @property
    def is_user_administrator(self) -> bool:
        """Who may administer users: the flag, or a superuser made on the command line."""
        return self.is_active and (self.can_administer_users or self.is_superuser)

    @property
    def must_use_two_step_login(self) -> bool:
        """Administration staff and leadership, where the setting asks for it (off in the demo)."""
        return settings.REQUIRE_2FA_FOR_ADMINISTRATION and (self.is_regulator or self.is_user_administrator)


class OperatorScopedQuerySet(models.QuerySet):
    """The one place where tenancy is enforced for rows that belong to an operator.

    Administration users see every operator's rows; an operator user sees only its own;
    anybody else sees nothing. Views reach operator-owned rows only through ``visible_to``.
    """

    operator_field = "operator"

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_regulator:
            return self
        if user.is_operator_user:
            return self.filter(**{self.operator_field: user.operator_id})
        return self.none()


class TaskForceMember(models.Model):
    """A member of an operator's porting task force (携号转网工作专班)."""

    operator = models.ForeignKey(
        Operator, on_delete=models.CASCADE, related_name="task_force", verbose_name=_("operator")
    )
    name = models.CharField(_("name"), max_length=50)
    duty = models.CharField(_("duty"), max_length=200)
    phone = models.CharField(_("phone"), max_length=30)
    email = models.EmailField(_("e-mail"))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    # The member's log-in, if they have one: official documents reach a designated contact
    # through it (by e-mail and in the portal), never through the roster's address alone.
    account = models.ForeignKey(
        "User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="task_force_entries",
        verbose_name=_("portal account"),
        help_text=_("The member's own log-in to the portal, if they have one."),
    )
    receives_documents = models.BooleanField(
        _("receives official documents"),
        default=False,
        help_text=_(
            "Designated contact: receives the administration's briefings, orders and interview notices "
            "while the operator has no manager who can receive them. Needs a portal account with an "
            "e-mail address."
        ),
    )
    history = HistoricalRecords()

    objects = OperatorScopedQuerySet.as_manager()

    class Meta:
        ordering = ["operator__sort_order", "sort_order", "name"]
        verbose_name = _("task-force member")
        verbose_name_plural = _("task-force members")

    def __str__(self) -> str:
        return f"{self.name} ({self.duty})"

    def clean(self):
        super().clean()
        if self.account_id is not None and self.account.operator_id != self.operator_id:
            raise ValidationError({"account": _("Choose a log-in of the member's own operator.")})
        if self.receives_documents and self.account_id is None:
            raise ValidationError(
                {
                    "account": _(
                        "A designated contact receives documents through a portal account: choose one."
                    )
                }
            )


class DocumentSeries(models.TextChoices):
    """A series of official document numbers, each counted from 1 again every year."""

    CASEWORK = "casework", _("rectification orders and interview notices")
    BRIEFING = "briefing", _("monthly briefings")


class DocumentSequence(models.Model):
    """The last sequence number given in a year to a series of documents (``core.numbering``)."""

    series = models.CharField(_("numbering series"), max_length=20, choices=DocumentSeries.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        ordering = ["series", "year"]
        verbose_name = _("document number sequence")
        verbose_name_plural = _("document number sequences")
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="one_sequence_per_series_year")
        ]

    def __str__(self) -> str:
        return f"{self.get_series_display()} {self.year}: {self.last}"


class RecoveryCodes(ThrottlingMixin, Device):
    """A user's single-use recovery codes, as a django-otp device: they stand in for a lost phone.

    Only a digest of each code is kept; the codes are shown once, when they are made.
    """

    class Meta(Device.Meta):
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    @staticmethod
    def digest(code: str) -> str:
        normalised = "".join(code.split()).replace("-", "").upper()
        return hashlib.sha256(normalised.encode()).hexdigest()

    def verify_token(self, token) -> bool:
        allowed, _details = self.verify_is_allowed()
        if not allowed:
            return False
        used = self.codes.filter(digest=self.digest(str(token)), used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if used:
            self.throttle_reset()
        else:
            self.throttle_increment()
        return bool(used)

    def get_throttle_factor(self) -> int:
        return 1


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"{self.device.user} #{self.pk}"


class PersonalDataUse(models.TextChoices):
    """What a user did that showed subscribers' personal data (``core.access``)."""

    COMPLAINT_DETAIL = "complaint_detail", _("Opened a complaint")
    COMPLAINT_EXPORT = "complaint_export", _("Downloaded the complaint ledger")
    LEDGER_FILE = "ledger_file", _("Downloaded a report's ledger file")
    ORDER_DOCUMENT = "order_document", _("Downloaded a rectification order citing complaints")


class PersonalDataAccess(models.Model):
    """One look at complaints' personal data (masked numbers, complaint and resolution texts):
    who, when, what, with which filters and how many complaints. Written by ``core.access.record``
    only, never changed; the personal data itself is never copied here."""

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="personal_data_accesses", verbose_name=_("user")
    )
    at = models.DateTimeField(_("when"), default=timezone.now, editable=False)
    what = models.CharField(_("what"), max_length=30, choices=PersonalDataUse.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("complaints"))
    object_id = models.PositiveBigIntegerField(_("object"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        indexes = [
            models.Index(fields=["at"], name="personal_data_access_at"),
            models.Index(fields=["user", "at"], name="personal_data_access_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_what_display()} {self.at:%Y-%m-%d %H:%M}"


class AuditEntry(models.Model):
    """One state change of a meeting, a briefing or another object without a casework timeline:
    who took which action on what, when, with the details that say how. Written by
    ``core.audit.log`` only, inside the service's transaction, never changed; the audit trail
    page lists it beside the recorded changes of the casework."""

    at = models.DateTimeField(_("when"), default=timezone.now, editable=False)
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField(_("object"))
    # What the object was called then: it may change, or be gone, later.
    object_repr = models.CharField(_("object"), max_length=200)
    action = models.CharField(_("action"), max_length=40)  # a name of the app's ACTIONS table
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["at"], name="audit_entry_at"),
            models.Index(fields=["content_type", "object_id"], name="audit_entry_object"),
        ]

    def __str__(self) -> str:
        return f"{self.object_repr} {self.action} {self.at:%Y-%m-%d %H:%M}"


class InstructionQuerySet(models.QuerySet):
    def pending(self):
        """Not yet acknowledged by the administration's staff."""
        return self.filter(acknowledged_at__isnull=True)

    def on(self, obj: models.Model):
        """The instructions given on ``obj``, oldest first."""
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class Instruction(models.Model):
    """A leader's instruction (批示) on a case, a monthly report or a briefing: written by the
    administration's leadership, read and acknowledged by its staff (the case officer). Given
    and acknowledged through ``core.instructions`` only; the operators never see it."""

    PENDING = "pending"
    ACKNOWLEDGED = "acknowledged"

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField(_("object"))
    # Which kind of object it is on (``instructions.register``): its page's address without a query.
    kind = models.CharField(_("kind"), max_length=30)
    # What the object was called when the instruction was given: listed without reading it.
    object_repr = models.CharField(_("object"), max_length=200)
    text = models.TextField(_("instruction"))
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("given by"))
    created_at = models.DateTimeField(_("given at"), default=timezone.now, editable=False)
    acknowledged_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    objects = InstructionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("leadership instruction")
        verbose_name_plural = _("leadership instructions")
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="instruction_object"),
            models.Index(fields=["acknowledged_at"], name="instruction_acknowledged"),
        ]

    def __str__(self) -> str:
        return f"{self.object_repr} · {dates.moment_label(self.created_at)}"

    # Its state, as the ``ACTIONS`` table of ``core.instructions`` checks it.
    @property
    def state(self) -> str:
        return self.ACKNOWLEDGED if self.acknowledged_at else self.PENDING

    def get_state_display(self) -> str:
        return str(_("Acknowledged") if self.acknowledged_at else _("Awaiting acknowledgement"))


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Tokens that still authenticate: not revoked, not expired."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A token a program uses to act as its user on the machine API (``/api/v1/``).

    Only the SHA-256 of the secret is kept: the secret is shown once, when the token is made
    (``core.tokens.create``). ``prefix`` (the secret's first characters) lets its owner tell
    tokens apart. A read-only token may only read; every token has its user's role and operator.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=16)
    secret_hash = models.CharField(_("SHA-256 of the secret"), max_length=64, unique=True)
    read_only = models.BooleanField(_("read only"), default=False)
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    last_used_from = models.CharField(_("last used from"), max_length=45, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class Heartbeat(models.Model):
    """The last sign of life of a background process: the scheduler's tick, a worker's beat.

    One row per kind (``scheduler``, ``worker``), written every half minute by the process itself
    (``core.health``); ``/healthz`` reports the kind unhealthy when its row grows too old.
    """

    name = models.CharField(_("process"), max_length=40, primary_key=True)
    at = models.DateTimeField(_("last seen"))
    host = models.CharField(_("host"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"

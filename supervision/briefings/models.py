"""The monthly supervision briefing (月度通报): drafted from the dashboard's figures, approved, circulated.

A briefing is one version for one month. While it is a draft its figures are computed afresh
from the indicator functions each time it is shown, and staff edit its text sections; leadership
approves it, which stores the figures as a JSON snapshot, gives it a document number and stores
the .docx and PDF made from them: from then on nothing in it changes. A correction is a new
version of the same month (``corrects`` points to the version it replaces), never an edit.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from supervision.core.models import Operator, Period


class BriefingState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    CIRCULATED = "circulated", _("Circulated")


def _document_path(instance, filename):
    # Under MEDIA_ROOT, outside the static area, in a folder nobody can guess; served only
    # through a view that checks who asks.
    return f"briefings/{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{filename}"


class Briefing(models.Model):
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="briefings", verbose_name=_("month")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    state = models.CharField(
        _("state"), max_length=12, choices=BriefingState.choices, default=BriefingState.DRAFT
    )
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects version"),
    )
    document_no = models.CharField(_("document number"), max_length=60, unique=True, null=True, blank=True)

    # The text sections staff write; every figure around them is generated.
    opening = models.TextField(_("opening paragraph"), blank=True)
    commentary = models.TextField(_("assessment"), blank=True)
    requirements = models.TextField(_("requirements for the operators"), blank=True)

    # The generated figures, frozen when the briefing is approved (empty while it is a draft).
    figures = models.JSONField(_("figures"), null=True, blank=True, editable=False)
    docx_file = models.FileField(
        upload_to=_document_path,
        max_length=300,
        blank=True,
        editable=False,
        verbose_name=_("Word file (.docx)"),
    )
    pdf_file = models.FileField(
        upload_to=_document_path, max_length=300, blank=True, editable=False, verbose_name=_("PDF file")
    )
    docx_sha256 = models.CharField(
        max_length=64, blank=True, editable=False, verbose_name=_("SHA-256 of the Word file")
    )
    pdf_sha256 = models.CharField(
        max_length=64, blank=True, editable=False, verbose_name=_("SHA-256 of the PDF file")
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    created_at = models.DateTimeField(_("drafted at"), default=timezone.now, editable=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last edited by"),
    )
    edited_at = models.DateTimeField(_("last edited at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    circulated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("circulated by"),
    )
    circulated_at = models.DateTimeField(_("circulated at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["figures"])

    class Meta:
        ordering = ["-period__month", "-version"]
        verbose_name = _("monthly briefing")
        verbose_name_plural = _("monthly briefings")
        constraints = [
            models.UniqueConstraint(fields=["period", "version"], name="one_briefing_per_version"),
            # One draft per month at a time: a second one would be a second truth.
            models.UniqueConstraint(
                fields=["period"], condition=Q(state="draft"), name="one_draft_briefing_per_month"
            ),
        ]

    def __str__(self) -> str:
        return self.document_no or f"{self.period.label} v{self.version}"

    @property
    def is_draft(self) -> bool:
        return self.state == BriefingState.DRAFT


class BriefingDelivery(models.Model):
    """One operator manager to whom a circulated briefing was e-mailed: recorded once, sent once."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    operator = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="+", verbose_name=_("operator")
    )
    email = models.EmailField(_("e-mail"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["operator__sort_order", "pk"]
        verbose_name = _("briefing delivery")
        verbose_name_plural = _("briefing deliveries")
        constraints = [
            models.UniqueConstraint(fields=["briefing", "recipient"], name="one_delivery_per_recipient")
        ]

    def __str__(self) -> str:
        return f"{self.briefing} → {self.email}"


class BriefingDownload(models.Model):
    """The first time a user of an operator downloaded a circulated briefing in the portal: the
    briefing page shows, per operator, whether and when it was fetched."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="downloads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    operator = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="+", verbose_name=_("operator")
    )
    kind = models.CharField(_("file"), max_length=4)
    at = models.DateTimeField(_("downloaded at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("briefing download")
        verbose_name_plural = _("briefing downloads")
        constraints = [models.UniqueConstraint(fields=["briefing", "user"], name="first_download_per_user")]

    def __str__(self) -> str:
        return f"{self.briefing} ↓ {self.user}"

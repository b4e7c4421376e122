"""Reminder and event e-mails: each occasion is a row claimed before its mail goes out.

An occasion is (rule, object, recipient, date). Scans derive the reminders that are due from
the data's current state and record them; the services that make a change record its event
mails in the same transaction (``outbox.record``; ``rule`` is then the event mail's code, such as
``casework.order_issued``). The unique key makes a second scan, or a second scheduler, record
nothing new. A worker claims an occasion with a conditional update before sending, so no two
workers send the same one; a claim that was never finished is released by the next scan, so no
occasion is lost.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OccasionState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    DROPPED = "dropped", _("Dropped: no longer needed")
    # After downtime, a later reminder of the same series (rule, object, recipient) went instead.
    SUPERSEDED = "superseded", _("Superseded: a later reminder of the same series went instead")


class ReminderSetting(models.Model):
    """The timing of one rule, editable by staff (defaults in ``reminders.rules``)."""

    rule = models.CharField(_("rule"), max_length=40, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    # Days relative to the due date: negative before it, 0 on the day, positive after it.
    offsets = models.JSONField(_("days relative to the due date"), default=list, blank=True)
    repeat_every_days = models.PositiveSmallIntegerField(
        _("then repeat every … days while overdue"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("reminder timing")
        verbose_name_plural = _("reminder timings")

    def __str__(self) -> str:
        return self.rule


class Occasion(models.Model):
    rule = models.CharField(_("rule"), max_length=40)
    # "report:CMCC:2026-10", "order:12:2026-12-10", "order:12:issued": what the mail is about.
    object_key = models.CharField(_("object"), max_length=80)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    on_date = models.DateField(_("for the day"))
    state = models.CharField(
        _("state"), max_length=10, choices=OccasionState.choices, default=OccasionState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)

    class Meta:
        ordering = ["-on_date", "-created_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "object_key", "recipient", "on_date"], name="one_occasion"
            )
        ]
        indexes = [models.Index(fields=["state", "claimed_at"]), models.Index(fields=["object_key"])]

    def __str__(self) -> str:
        return f"{self.rule} {self.object_key} → {self.recipient_id} {self.on_date}"

"""What the API keeps of its own: the responses to POSTs sent with an ``Idempotency-Key``."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotentRequest(models.Model):
    """One POST sent with an ``Idempotency-Key``: a retry with the same key gets this response
    again instead of doing the work twice (docs/api.md, "Idempotency").

    ``scope`` is the SHA-256 of the token that sent it, so that two clients' keys never meet;
    ``status`` is empty while the first request is still being answered.
    """

    scope = models.CharField(_("token (SHA-256)"), max_length=64)
    key = models.CharField(_("idempotency key"), max_length=200)
    request_hash = models.CharField(_("request (SHA-256)"), max_length=64)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=500)
    status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    content_type = models.CharField(_("response type"), max_length=100, blank=True)
    body = models.BinaryField(_("response body"), blank=True, default=b"")
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="one_response_per_key")]
        indexes = [models.Index(fields=["created"], name="idempotent_request_created")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.key}"

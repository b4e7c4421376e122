from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "supervision.casework"
    label = "casework"
    verbose_name = _("Casework")

    def ready(self):
        from supervision.reporting import kept

        # ``ingest`` declares the inspection batch's checks in the one catalogue of checks
        # (supervision.ingest.checks) that the portal publishes, after reporting's templates.
        from . import batches, ingest, mail, reminders  # noqa: F401

        mail.register()  # the casework e-mails go through the reminders' outbox
        reminders.register()  # an order's deadline, an interview, a commitment
        # The inspection batches' files: masked by ``manage.py mask_kept_uploads``, deleted when
        # nobody confirmed them in time, as the operators' uploads.
        kept.old_files_found.connect(batches.mask_old_files, dispatch_uid="casework.batches")
        kept.stale_files_due.connect(batches.discard_stale, dispatch_uid="casework.batches")

        from supervision.core import instructions

        from . import queues
        from .models import InspectionFinding, InterviewNotice, RectificationOrder

        queues.register()  # what waits for whom on the home pages
        # Leadership may write an instruction (批示) on a finding, an order or an interview.
        instructions.register("finding", InspectionFinding, "control:finding")
        instructions.register("order", RectificationOrder, "control:order")
        instructions.register("interview", InterviewNotice, "control:interview")

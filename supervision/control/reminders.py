"""The administration's view of the e-mails: every mail (reminders and event mails), failures
first; the reminder rules."""

from django.core.paginator import Paginator
from django.shortcuts import render

from supervision.core.permissions import regulator_required
from supervision.reminders.rules import RULES, timing
from supervision.reminders.visibility import labels, mail_log


@regulator_required
def mail_log_view(request):
    page = Paginator(mail_log(), 50).get_page(request.GET.get("page"))
    rules = [(rule, *timing(rule)) for rule in RULES.values()]
    return render(
        request,
        "control/mail_log.html",
        {"page": page, "rules": rules, "labels": labels()},
    )

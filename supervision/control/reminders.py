"""The administration's view of reminder e-mails: every mail, failures first; the rules."""

from django.core.paginator import Paginator
from django.shortcuts import render

from supervision.core.permissions import regulator_required
from supervision.reminders.rules import RULES, timing
from supervision.reminders.visibility import mail_log


@regulator_required
def mail_log_view(request):
    page = Paginator(mail_log(), 50).get_page(request.GET.get("page"))
    rules = [(rule, *timing(rule)) for rule in RULES.values()]
    return render(
        request,
        "control/mail_log.html",
        {"page": page, "rules": rules, "labels": {r.code: r.label for r in RULES.values()}},
    )

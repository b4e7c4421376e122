"""The administration's view of the e-mails: every mail (reminders and event mails), failures
first; the reminder rules."""

from django.core.paginator import Paginator
from django.shortcuts import render

from supervision.core.permissions import regulator_required
from supervision.reminders.rules import RULES, timing
from supervision.reminders.visibility import labels, mail_log

from . import mail_about


@regulator_required
def mail_log_view(request):
    page = Paginator(mail_log(), 50).get_page(request.GET.get("page"))
    # Each mail names what it is about, linked to its page: one query per kind of object.
    page.object_list = list(page.object_list)
    mail_about.describe(page.object_list)
    rules = [(rule, *timing(rule)) for rule in RULES.values()]
    return render(
        request,
        "control/mail_log.html",
        {"page": page, "rules": rules, "labels": labels()},
    )

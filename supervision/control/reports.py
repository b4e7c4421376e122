"""The administration's view of monthly reporting: who reported, accept or return, lock periods."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from supervision.core import actions, dates
from supervision.core.models import Operator, Period
from supervision.core.permissions import regulator_required, regulator_staff_required
from supervision.reporting import completeness, submissions
from supervision.reporting.models import MonthlySubmission, PeriodReopening
from supervision.reporting.presentation import compare_context, file_response, submission_context

from .forms.reporting import ReopenForm, ReturnForm


def _months_back(newest, count: int) -> list[Period]:
    """The periods of ``count`` months from the month ``newest`` (its first day) back, newest
    first; those nobody has spoken of yet are created. Two queries, three the first time."""
    months = [dates.add_months(newest, -n) for n in range(count)]
    found = {period.month: period for period in Period.objects.filter(month__in=months)}
    if len(found) < count:
        Period.objects.bulk_create([Period(month=m) for m in months if m not in found], ignore_conflicts=True)
        found = {period.month: period for period in Period.objects.filter(month__in=months)}
    return [found[month] for month in months]


@regulator_required
def matrix(request):
    try:
        months = min(max(int(request.GET.get("months", 12)), 1), 36)
    except ValueError:
        months = 12
    # The month being filed comes first (not yet due: its report is sent from its window's
    # opening to its end), then the months that have ended.
    periods = _months_back(dates.month_of(dates.today()), months + 1)
    filing = periods[0]
    operators = list(Operator.objects.all())
    cells = completeness.matrix(periods, operators)
    reopened: dict[int, list] = {}
    for reopening in PeriodReopening.objects.filter(period__in=periods, closed_at=None).select_related(
        "operator", "reopened_by"
    ):
        reopened.setdefault(reopening.period_id, []).append(reopening)
    # Each month with what the user may decide on it (``submissions.PERIOD_ACTIONS``): its buttons.
    rows = [
        (
            period,
            [cells[(op.pk, period.pk)] for op in operators],
            reopened.get(period.pk, []),
            actions.allowed(submissions.PERIOD_ACTIONS, period, request.user),
        )
        for period in periods
    ]
    return render(
        request,
        "control/matrix.html",
        {
            "operators": operators,
            "rows": rows,
            "months": months,
            "legend": completeness.Status.LABELS.items(),
            "filing": filing,
            "filing_opens": submissions.window_opens_at(filing),
            "reopen_form": ReopenForm(),
        },
    )


def _get_submission(request, pk):
    # The administration sees versions once they are certified; drafts stay the operator's.
    visible = MonthlySubmission.objects.visible_to(request.user).exclude(submitted_at=None)
    return get_object_or_404(visible.select_related("operator", "period"), pk=pk)


def _detail_context(request, submission, return_form) -> dict:
    context = submission_context(submission, request.user)
    context["return_form"] = return_form
    context["corrections"] = submission.ledger_corrections.select_related("upload__uploaded_by")
    # What the user may decide on this version now (``submissions.ACTIONS``): the page's buttons.
    context["allowed"] = actions.allowed(submissions.ACTIONS, submission, request.user)
    return context


@regulator_required
def submission_detail(request, pk):
    submission = _get_submission(request, pk)
    return render(
        request, "control/submission_detail.html", _detail_context(request, submission, ReturnForm())
    )


@regulator_staff_required
@require_POST
def submission_accept(request, pk):
    submission = _get_submission(request, pk)
    try:
        submissions.accept(submission, user=request.user)
    except submissions.SubmissionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The report is accepted; the operator can no longer replace it."))
    return redirect("control:submission", pk=pk)


@regulator_staff_required
@require_POST
def submission_return(request, pk):
    submission = _get_submission(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            submissions.return_to_operator(
                submission, user=request.user, comment=form.cleaned_data["comment"]
            )
        except submissions.SubmissionRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("The report is returned to the operator with your comment."))
            return redirect("control:submission", pk=pk)
    context = _detail_context(request, submission, form)
    return render(request, "control/submission_detail.html", context, status=400 if form.errors else 200)


@regulator_required
def submission_file(request, pk, file_pk):
    submission = _get_submission(request, pk)
    return file_response(get_object_or_404(submission.files, pk=file_pk), user=request.user)


@regulator_required
def submission_compare(request, pk, other_pk):
    visible = MonthlySubmission.objects.visible_to(request.user).exclude(submitted_at=None)
    return render(request, "control/submission_compare.html", compare_context(visible, pk, other_pk))


def _period(label):
    try:
        year, month = Period.parse_label(label)
    except ValueError:
        raise Http404 from None
    return get_object_or_404(Period, month__year=year, month__month=month)


def _period_decision(request, decide, success):
    """Run a period decision of ``submissions`` and say what happened; a refusal (e.g. the
    period is locked already) is shown, not raised. ``success(period)`` is the message."""
    try:
        period = decide()
    except submissions.SubmissionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, success(period))
    return redirect("control:reporting")


@regulator_staff_required
@require_POST
def period_lock(request, label):
    return _period_decision(
        request,
        lambda: submissions.lock_period(_period(label), user=request.user),
        lambda period: (
            _("%(period)s is locked: no operator can submit or replace a report for it.")
            % {"period": period.label}
        ),
    )


@regulator_staff_required
@require_POST
def period_unlock(request, label):
    return _period_decision(
        request,
        lambda: submissions.unlock_period(_period(label), user=request.user),
        lambda period: (
            _("%(period)s is unlocked: operators can submit reports for it again.") % {"period": period.label}
        ),
    )


@regulator_staff_required
@require_POST
def period_reopen(request, label):
    period = _period(label)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the operator and say why the month is reopened."))
        return redirect("control:reporting")
    operator = form.cleaned_data["operator"]
    return _period_decision(
        request,
        lambda: (
            submissions.reopen_for_operator(
                period, operator, user=request.user, reason=form.cleaned_data["reason"]
            ).period
        ),
        lambda period: (
            _("%(period)s is reopened for %(operator)s only; it stays locked for the others.")
            % {"period": period.label, "operator": operator}
        ),
    )


@regulator_staff_required
@require_POST
def period_close(request, label, operator):
    period = _period(label)
    operator = get_object_or_404(Operator, code=operator)
    return _period_decision(
        request,
        lambda: submissions.close_reopening(period, operator, user=request.user).period,
        lambda period: (
            _("%(period)s is locked again for %(operator)s.") % {"period": period.label, "operator": operator}
        ),
    )

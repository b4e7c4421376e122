"""The administration's view of monthly reporting: who reported, accept or return, lock periods."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from supervision.core.models import Operator, Period
from supervision.core.permissions import regulator_required, regulator_staff_required
from supervision.reporting import completeness, submissions
from supervision.reporting.models import MonthlySubmission
from supervision.reporting.presentation import compare_context, file_response, submission_context


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Why is the report returned?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The operator reads this; say what to correct."),
    )


@regulator_required
def matrix(request):
    try:
        months = min(max(int(request.GET.get("months", 12)), 1), 36)
    except ValueError:
        months = 12
    last = Period.last_complete()
    periods = [last.previous(n) for n in range(months)]
    operators = list(Operator.objects.all())
    cells = completeness.matrix(periods, operators)
    rows = [(period, [cells[(op.pk, period.pk)] for op in operators]) for period in periods]
    return render(
        request,
        "control/matrix.html",
        {
            "operators": operators,
            "rows": rows,
            "months": months,
            "legend": completeness.Status.LABELS.items(),
        },
    )


def _get_submission(request, pk):
    # The administration sees versions once they are certified; drafts stay the operator's.
    visible = MonthlySubmission.objects.visible_to(request.user).exclude(submitted_at=None)
    return get_object_or_404(visible.select_related("operator", "period"), pk=pk)


@regulator_required
def submission_detail(request, pk):
    submission = _get_submission(request, pk)
    context = submission_context(submission, request.user)
    context["return_form"] = ReturnForm()
    return render(request, "control/submission_detail.html", context)


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
    context = submission_context(submission, request.user)
    context["return_form"] = form
    return render(request, "control/submission_detail.html", context, status=400 if form.errors else 200)


@regulator_required
def submission_file(request, pk, file_pk):
    submission = _get_submission(request, pk)
    return file_response(get_object_or_404(submission.files, pk=file_pk))


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


@regulator_staff_required
@require_POST
def period_lock(request, label):
    period = submissions.lock_period(_period(label), user=request.user)
    messages.success(
        request,
        _("%(period)s is locked: no operator can submit or replace a report for it.")
        % {"period": period.label},
    )
    return redirect("control:reporting")


@regulator_staff_required
@require_POST
def period_unlock(request, label):
    period = submissions.unlock_period(_period(label), user=request.user)
    messages.success(
        request,
        _("%(period)s is unlocked: operators can submit reports for it again.") % {"period": period.label},
    )
    return redirect("control:reporting")

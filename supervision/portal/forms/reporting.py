"""The operators' monthly reporting forms: the monthly report, the ledger, incidents."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from supervision.core.models import City, Period
from supervision.core.text import PrintableForm
from supervision.ingest.forms import SheetFileField
from supervision.reporting import submissions
from supervision.reporting.models import Incident


def period_choices(operator):
    """Only the periods that can take a report now (filing window open, not locked for this
    operator, not accepted): the rule is ``submissions.periods_taking_reports``."""
    return [(p.label, p.label) for p in submissions.periods_taking_reports(operator)]


class MonthlyUploadForm(PrintableForm, forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Period"))
    figures = SheetFileField(
        label=gettext_lazy("Monthly figures (.xlsx or .csv)"),
        help_text=gettext_lazy("One row per city, all 16 cities; use the template."),
    )
    ledger = SheetFileField(
        label=gettext_lazy("Complaint ledger (.xlsx or .csv)"),
        required=False,
        help_text=gettext_lazy(
            "The month's complaints; rows already sent are updated by their complaint number."
        ),
    )
    narrative = forms.CharField(
        label=gettext_lazy("Work status (工作开展情况)"), widget=forms.Textarea(attrs={"rows": 5})
    )
    major_problem = forms.BooleanField(
        label=gettext_lazy("A major problem occurred this month"), required=False
    )

    def __init__(self, *args, operator, held=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = period_choices(operator)
        self.fields["period"].choices = choices
        last = Period.last_complete().label
        self.fields["period"].initial = (
            last if (last, last) in choices else (choices[0][0] if choices else None)
        )
        if not choices:
            self.fields["period"].help_text = _(
                "No period can take a report now: the filing window of the current month has not opened, "
                "and the earlier months are accepted or locked."
            )
        # Files kept from an earlier attempt need not be chosen again (a new one replaces them).
        self.held = held
        if held is not None and held.figures_file:
            self.fields["figures"].required = False


class TypicalCaseForm(PrintableForm, forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    city = forms.ModelChoiceField(label=gettext_lazy("City"), queryset=City.objects.all())
    what_happened = forms.CharField(
        label=gettext_lazy("What happened"), widget=forms.Textarea(attrs={"rows": 3})
    )
    handling = forms.CharField(
        label=gettext_lazy("How it was handled"), widget=forms.Textarea(attrs={"rows": 3})
    )


TypicalCaseFormSet = forms.formset_factory(TypicalCaseForm, extra=2, max_num=10)


class LedgerUploadForm(forms.Form):
    ledger = SheetFileField(label=gettext_lazy("Complaint ledger (.xlsx or .csv)"))


class IncidentForm(forms.ModelForm):
    since = forms.DateTimeField(
        label=gettext_lazy("Since"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=gettext_lazy("Date and time, Beijing time."),
    )

    class Meta:
        model = Incident
        fields = ["title", "description", "city", "location", "since", "subscribers_affected", "measures"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "measures": forms.Textarea(attrs={"rows": 3}),
        }


class IncidentFollowUpForm(PrintableForm, forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Follow-up report (续报)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "What has happened since the last report, what is being done, how many subscribers are affected now."
        ),
    )


class IncidentRecoveryForm(PrintableForm, forms.Form):
    recovered_at = forms.DateTimeField(
        label=gettext_lazy("Recovered at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=gettext_lazy("When service was fully restored: date and time, Beijing time."),
    )
    cause = forms.CharField(label=gettext_lazy("Cause"), widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(
        label=gettext_lazy("Measures against recurrence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What your company has done so that it does not happen again."),
    )

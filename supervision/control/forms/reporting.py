"""The administration's monthly reporting forms: reopen a month, return a report, review a major problem."""

from django import forms
from django.utils.translation import gettext_lazy

from supervision.core.models import Operator


class ReopenForm(forms.Form):
    operator = forms.ModelChoiceField(label=gettext_lazy("Operator"), queryset=Operator.objects.all())
    reason = forms.CharField(
        label=gettext_lazy("Why is the month reopened?"),
        max_length=500,
        help_text=gettext_lazy(
            "The operator may send its report and correct its ledger for this month until you close it again."
        ),
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Why is the report returned?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The operator reads this; say what to correct."),
    )


class IncidentAskMoreForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("What information is missing?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The operator reads this and answers with a follow-up report."),
    )


class IncidentCloseForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Review (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Your conclusion, kept on the timeline; the operator reads it."),
    )

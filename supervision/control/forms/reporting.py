"""The administration's monthly reporting forms: reopen a month, return a report."""

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

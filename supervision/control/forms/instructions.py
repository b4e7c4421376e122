"""Leadership's instruction (批示) on a case, a report or a briefing."""

from django import forms
from django.utils.translation import gettext_lazy

from supervision.core.text import PrintableForm


class InstructionForm(PrintableForm, forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your instruction (批示)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=gettext_lazy(
            "The administration's staff read it here and in their work queue, and acknowledge it."
        ),
    )

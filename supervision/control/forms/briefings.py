"""The administration's briefing form: the texts of a monthly briefing."""

from django import forms
from django.utils.translation import gettext_lazy

from supervision.briefings import services
from supervision.briefings.models import Briefing


class TextsForm(forms.ModelForm):
    class Meta:
        model = Briefing
        fields = list(services.TEXT_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 5, "class": "form-control"}) for name in services.TEXT_FIELDS
        }
        help_texts = {
            "opening": gettext_lazy(
                "The paragraph before the figures. Written in Chinese: it is the document's text."
            ),
            "commentary": gettext_lazy(
                "Your assessment of the month, after the generated summary; leave empty to print none. "
                "One paragraph per line."
            ),
            "requirements": gettext_lazy("What the operators must do next; one paragraph per line."),
        }

"""The operators' casework forms: respond to a finding, ask for more time, report the rectification,
confirm attendance at an interview, say what was done."""

from django import forms
from django.utils.translation import gettext_lazy

from supervision.casework.forms import CaseFilesField, date_input, textarea
from supervision.casework.models import ResponseKind


class RespondForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Your answer"),
        choices=[
            (ResponseKind.RESPONSE, gettext_lazy("Respond: explain what happened and what you did")),
            (ResponseKind.CONTEST, gettext_lazy("Contest: the facts are not as found")),
        ],
        widget=forms.RadioSelect,
        initial=ResponseKind.RESPONSE,
    )
    text = forms.CharField(label=gettext_lazy("Text"), widget=textarea(5))
    files = CaseFilesField(label=gettext_lazy("Your files (optional)"), required=False)


class ExtensionForm(forms.Form):
    proposed_date = forms.DateField(label=gettext_lazy("Proposed new deadline"), widget=date_input())
    reason = forms.CharField(label=gettext_lazy("Why do you need more time?"), widget=textarea(3))


class ReportForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("What was rectified"),
        widget=textarea(5),
        help_text=gettext_lazy("A summary; the signed report goes in the attachments."),
    )
    files = CaseFilesField(label=gettext_lazy("Rectification report and attachments"))


class AttendanceForm(forms.Form):
    attendees = forms.CharField(
        label=gettext_lazy("Who will attend"),
        widget=textarea(3),
        help_text=gettext_lazy("Names and positions, one per line."),
    )


class DoneForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("What was done"), widget=textarea(3))

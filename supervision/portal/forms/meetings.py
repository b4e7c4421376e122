"""The operators' meeting forms: attendance, agenda proposals, action items done."""

from django import forms
from django.utils.translation import gettext_lazy

from supervision.meetings import services
from supervision.meetings.models import AgendaItem


class ProposalForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "details", "presenter", "planned_minutes"]
        widgets = {"details": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"presenter": gettext_lazy("Who from your company presents it.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["planned_minutes"].min_value = 1


class AttendanceForm(forms.Form):
    attendees = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Who will attend"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Your company's users; they receive the minutes."),
    )
    others = forms.CharField(
        label=gettext_lazy("Other attendees"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("People without an account here, one per line: name, position."),
    )
    declined = forms.BooleanField(label=gettext_lazy("Nobody from our company can attend"), required=False)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def __init__(self, *args, operator_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = services.attendee_choices(operator_id)
        self.fields["attendees"].label_from_instance = lambda u: f"{u} · {u.get_role_display()}"

    def clean_others(self):
        people = []
        for line in self.cleaned_data["others"].splitlines():
            if not line.strip():
                continue
            name, _sep, position = line.replace("，", ",").partition(",")
            people.append((name.strip()[:100], position.strip()[:100]))
        return people


class DoneForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What was done"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The administration reads this."),
    )

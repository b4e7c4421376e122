"""The operator's task force form: a member of its portability task force."""

from django import forms

from supervision.core.models import TaskForceMember


class TaskForceMemberForm(forms.ModelForm):
    class Meta:
        model = TaskForceMember
        fields = ["name", "duty", "phone", "email", "sort_order"]

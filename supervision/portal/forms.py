from django import forms

from supervision.core.models import TaskForceMember


class TaskForceMemberForm(forms.ModelForm):
    class Meta:
        model = TaskForceMember
        fields = ["name", "duty", "phone", "email", "sort_order"]

"""The operator's task force form: a member of its portability task force."""

from django import forms

from supervision.core.models import TaskForceMember, User


class TaskForceMemberForm(forms.ModelForm):
    class Meta:
        model = TaskForceMember
        fields = ["name", "duty", "phone", "email", "sort_order", "account", "receives_documents"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the log-ins of the member's own operator, and only active ones.
        self.fields["account"].queryset = User.objects.filter(
            operator_id=self.instance.operator_id, is_active=True
        ).order_by("username")

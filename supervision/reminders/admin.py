from django.contrib import admin

from .models import Occasion, ReminderSetting
from .rules import RULES


@admin.register(ReminderSetting)
class ReminderSettingAdmin(admin.ModelAdmin):
    list_display = ["rule", "enabled", "offsets", "repeat_every_days"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "rule":
            from django import forms

            return forms.ChoiceField(
                choices=[(code, f"{code} · {rule.label}") for code, rule in RULES.items()]
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Occasion)
class OccasionAdmin(admin.ModelAdmin):
    """Read-only: the record of what was sent is evidence, not a setting."""

    list_display = ["on_date", "rule", "object_key", "recipient", "state", "attempts", "sent_at"]
    list_filter = ["state", "rule"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

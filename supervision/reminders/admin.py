from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Occasion, ReminderSetting
from .rules import RULES


@admin.register(ReminderSetting)
class ReminderSettingAdmin(admin.ModelAdmin):
    list_display = ["rule_name", "enabled", "offsets", "repeat_every_days"]

    @admin.display(description=_("rule"), ordering="rule")
    def rule_name(self, setting):
        rule = RULES.get(setting.rule)
        return rule.label if rule else setting.rule

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "rule":
            from django import forms

            return forms.ChoiceField(
                label=db_field.verbose_name, choices=[(code, rule.label) for code, rule in RULES.items()]
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

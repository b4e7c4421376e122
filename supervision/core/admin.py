from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import City, Operator, Period, TaskForceMember, User, ViolationCategory


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "email", "role", "operator", "is_active", "last_login"]
    list_filter = ["role", "operator", "is_active"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (
            _("Role in the supervision desk"),
            {"fields": ["role", "operator", "full_name", "phone", "language"]},
        ),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Role in the supervision desk"), {"fields": ["email", "role", "operator", "full_name"]}),
    ]


@admin.register(Operator)
class OperatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "color"]


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en"]


@admin.register(ViolationCategory)
class ViolationCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "is_bottom_line"]


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["label", "locked_at", "locked_by"]


@admin.register(TaskForceMember)
class TaskForceMemberAdmin(SimpleHistoryAdmin):
    list_display = ["operator", "name", "duty", "phone", "email"]
    list_filter = ["operator"]

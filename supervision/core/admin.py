from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import accounts
from .admin_words import TranslatedPermissions
from .models import City, Operator, Period, TaskForceMember, User, ViolationCategory


class UserAdministratorsOnly:
    """Users and groups are for user administrators (``User.can_administer_users``) alone,
    whatever Django permissions a staff member was given."""

    def has_module_permission(self, request):
        return request.user.is_user_administrator

    def has_view_permission(self, request, obj=None):
        return request.user.is_user_administrator

    def has_add_permission(self, request):
        return request.user.is_user_administrator

    def has_change_permission(self, request, obj=None):
        return request.user.is_user_administrator

    def has_delete_permission(self, request, obj=None):
        return request.user.is_user_administrator


@admin.register(User)
class UserAdmin(UserAdministratorsOnly, TranslatedPermissions, DjangoUserAdmin):
    list_display = ["username", "full_name", "email", "role", "operator", "is_active", "last_login"]
    list_filter = ["role", "operator", "is_active", "can_administer_users"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (
            _("Role in the supervision desk"),
            {"fields": ["role", "operator", "full_name", "phone", "language", "can_administer_users"]},
        ),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Role in the supervision desk"), {"fields": ["email", "role", "operator", "full_name"]}),
    ]
    actions = ["reset_two_step_login"]

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser makes superusers or hands out raw permissions.
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["is_superuser", "user_permissions", "groups"]

    @admin.action(description=_("Reset two-step log-in (lost phone)"))
    def reset_two_step_login(self, request, queryset):
        users = list(queryset)
        for user in users:
            accounts.reset_two_step_login(user)
        self.message_user(
            request,
            ngettext(
                "Two-step log-in reset for %(count)d user: they enrol a new phone at their next log-in.",
                "Two-step log-in reset for %(count)d users: they enrol a new phone at their next log-in.",
                len(users),
            )
            % {"count": len(users)},
            messages.SUCCESS,
        )


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(UserAdministratorsOnly, TranslatedPermissions, DjangoGroupAdmin):
    pass


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
    list_display = ["month_label", "locked_at", "locked_by"]

    @admin.display(description=_("month"), ordering="month")
    def month_label(self, period):
        return period.label


@admin.register(TaskForceMember)
class TaskForceMemberAdmin(SimpleHistoryAdmin):
    list_display = ["operator", "name", "duty", "phone", "email", "account", "receives_documents"]
    list_filter = ["operator", "receives_documents"]
    raw_id_fields = ["account"]

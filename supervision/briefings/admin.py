from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Briefing, BriefingDelivery


class DeliveryInline(admin.TabularInline):
    model = BriefingDelivery
    extra = 0
    can_delete = False
    readonly_fields = ["recipient", "operator", "email", "sent_at"]


@admin.register(Briefing)
class BriefingAdmin(SimpleHistoryAdmin):
    """Read-only: a briefing changes through its services (the site's pages), never here."""

    list_display = ["period", "version", "state", "document_no", "approved_at", "circulated_at"]
    list_filter = ["state"]
    inlines = [DeliveryInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

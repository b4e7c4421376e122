from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ActionItem, AgendaItem, CalendarFeed, Invitation, Meeting, MeetingSeries


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "rrule", "first_start", "duration_minutes", "place"]
    filter_horizontal = ["invited_operators"]


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ["operator", "answered_at", "answered_by", "declined", "note"]
    readonly_fields = ["answered_at", "answered_by"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "title", "presenter", "operator", "planned_minutes", "source", "state"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["series", "starts_at", "state", "agenda_published_at", "minutes_published_at"]
    list_filter = ["series", "state"]
    date_hierarchy = "starts_at"
    readonly_fields = ["uid", "sequence", "invitation_sent_at", "agenda_published_at", "minutes_published_at"]
    inlines = [InvitationInline, AgendaItemInline]


@admin.register(ActionItem)
class ActionItemAdmin(SimpleHistoryAdmin):
    list_display = ["title", "operator", "due_on", "state", "meeting"]
    list_filter = ["state", "operator"]
    search_fields = ["title"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    # The token is the user's secret: the admin can revoke an address (delete) but not read it.
    list_display = ["user", "created_at"]
    fields = ["user", "created_at"]
    readonly_fields = ["user", "created_at"]

    def has_add_permission(self, request):
        return False

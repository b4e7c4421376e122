"""Casework in the admin: to read, never to edit.

Every change of a case goes through its service function (which checks the role and the state
and writes the timeline), so the admin offers no add, change, delete or revert here; its
history pages show the field-level trail that django-simple-history keeps.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CaseEvent,
    CaseFile,
    Commitment,
    ExtensionRequest,
    FindingResponse,
    InspectionBatch,
    InspectionFinding,
    InterviewNotice,
    NoticeRecord,
    RectificationOrder,
    RectificationReport,
)


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A past version may be looked at, never saved back.
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(InspectionFinding)
class InspectionFindingAdmin(ReadOnlyHistoryAdmin):
    list_display = ["pk", "operator", "city", "visit_date", "violation", "clause", "severity", "state"]
    list_filter = ["operator", "state", "violation", "severity"]
    search_fields = ["site", "scenario", "description", "agency"]


@admin.register(RectificationOrder)
class RectificationOrderAdmin(ReadOnlyHistoryAdmin):
    list_display = ["document_no", "operator", "title", "severity", "state", "deadline"]
    list_filter = ["operator", "state", "severity"]
    search_fields = ["document_no", "title"]


@admin.register(InterviewNotice)
class InterviewNoticeAdmin(ReadOnlyHistoryAdmin):
    list_display = ["document_no", "operator", "scheduled_at", "place", "state"]
    list_filter = ["operator", "state"]


@admin.register(NoticeRecord)
class NoticeRecordAdmin(ReadOnlyHistoryAdmin):
    list_display = ["kind", "document_no", "date", "operator", "title"]
    list_filter = ["kind", "operator"]


for model in (FindingResponse, ExtensionRequest, RectificationReport, Commitment, CaseFile):
    admin.site.register(model, ReadOnlyHistoryAdmin)


@admin.register(CaseEvent)
class CaseEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "actor", "finding", "order", "interview", "record", "internal"]
    list_filter = ["kind", "internal"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InspectionBatch)
class InspectionBatchAdmin(CaseEventAdmin):
    list_display = ["name", "uploaded_by", "uploaded_at", "state"]
    list_filter = ["state"]

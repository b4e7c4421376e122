from django.urls import include, path

from . import documents, reports, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("task-force/", views.task_force, name="task_force"),
    path("task-force/new/", views.task_force_member_edit, name="task_force_add"),
    path("task-force/<int:pk>/", views.task_force_member_edit, name="task_force_edit"),
    path("task-force/<int:pk>/delete/", views.task_force_member_delete, name="task_force_delete"),
    path("reports/", reports.submission_list, name="submissions"),
    path("reports/new/", reports.submission_new, name="submission_new"),
    path("reports/<int:pk>/", reports.submission_detail, name="submission"),
    path("reports/<int:pk>/certify/", reports.submission_certify, name="submission_certify"),
    path("reports/<int:pk>/receipt/", reports.submission_receipt, name="submission_receipt"),
    path("reports/<int:pk>/files/<int:file_pk>/", reports.submission_file, name="submission_file"),
    path("reports/<int:pk>/compare/<int:other_pk>/", reports.submission_compare, name="submission_compare"),
    path("ledger/upload/", reports.ledger_upload, name="ledger_upload"),
    path("uploads/<uuid:pk>/", reports.upload_detail, name="upload"),
    path("uploads/<uuid:pk>/status/", reports.upload_status, name="upload_status"),
    path("templates/<slug:kind>/", reports.template_download, name="template"),
    path("checks/", reports.checks, name="checks"),
    path("incidents/", reports.incident_list, name="incidents"),
    path("incidents/new/", reports.incident_new, name="incident_new"),
    path("incidents/<int:pk>/", reports.incident_detail, name="incident"),
    path("incidents/<int:pk>/follow-up/", reports.incident_follow_up, name="incident_follow_up"),
    path("incidents/<int:pk>/recover/", reports.incident_recover, name="incident_recover"),
    path("documents/", documents.document_list, name="documents"),
    path(
        "documents/briefings/<int:pk>/file.<str:kind>", documents.briefing_download, name="briefing_download"
    ),
    path("", include("supervision.portal.urls_casework")),
    path("", include("supervision.portal.urls_meetings")),
]

from django.urls import include, path

from . import distribution, instructions, reminders, reports, views

app_name = "control"

urlpatterns = [
    path("", views.home, name="home"),
    path("task-forces/", views.task_forces, name="task_forces"),
    path("distribution/", distribution.distribution_lists, name="distribution"),
    path("cities/", views.city_matrix, name="city_matrix"),
    path("mail/", reminders.mail_log_view, name="mail_log"),
    # Leadership's instructions (批示) on a case, a report or a briefing.
    path("instructions/<slug:kind>/<int:pk>/", instructions.instruction_give, name="instruction_give"),
    path(
        "instructions/<int:pk>/acknowledge/",
        instructions.instruction_acknowledge,
        name="instruction_acknowledge",
    ),
    path("reporting/", reports.matrix, name="reporting"),
    path("reporting/<int:pk>/", reports.submission_detail, name="submission"),
    path("reporting/<int:pk>/accept/", reports.submission_accept, name="submission_accept"),
    path("reporting/<int:pk>/return/", reports.submission_return, name="submission_return"),
    path("reporting/<int:pk>/files/<int:file_pk>/", reports.submission_file, name="submission_file"),
    path("reporting/<int:pk>/compare/<int:other_pk>/", reports.submission_compare, name="submission_compare"),
    path("reporting/periods/<str:label>/lock/", reports.period_lock, name="period_lock"),
    path("reporting/periods/<str:label>/unlock/", reports.period_unlock, name="period_unlock"),
    path("reporting/periods/<str:label>/reopen/", reports.period_reopen, name="period_reopen"),
    path("reporting/periods/<str:label>/close/<str:operator>/", reports.period_close, name="period_close"),
    path("", include("supervision.control.urls_profiles")),
    path("", include("supervision.control.urls_lists")),
    path("", include("supervision.control.urls_charts")),
    path("", include("supervision.control.urls_casework")),
    path("", include("supervision.control.urls_meetings")),
    path("", include("supervision.control.urls_briefings")),
]

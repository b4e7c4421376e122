"""URLs of the monthly briefing; included at the end of ``control.urls``, so names are ``control:…``."""

from django.urls import path

from . import briefings

urlpatterns = [
    path("briefings/", briefings.briefing_list, name="briefings"),
    path("briefings/new/", briefings.briefing_create, name="briefing_create"),
    path("briefings/<int:pk>/", briefings.briefing_detail, name="briefing"),
    path("briefings/<int:pk>/texts/", briefings.briefing_edit, name="briefing_edit"),
    path("briefings/<int:pk>/approve/", briefings.briefing_approve, name="briefing_approve"),
    path("briefings/<int:pk>/circulate/", briefings.briefing_circulate, name="briefing_circulate"),
    path("briefings/<int:pk>/correct/", briefings.briefing_correct, name="briefing_correct"),
    path("briefings/<int:pk>/file.<str:kind>", briefings.briefing_download, name="briefing_download"),
    path("briefings/<int:pk>/charts/<str:key>.png", briefings.briefing_chart, name="briefing_chart"),
]

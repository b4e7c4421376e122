"""URLs of the meetings part of the control face, included into its namespace by control/urls.py."""

from django.urls import path

from . import meetings

urlpatterns = [
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/series/new/", meetings.series_new, name="meeting_series_new"),
    path("meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("meetings/series/<int:pk>/", meetings.series_detail, name="meeting_series"),
    path("meetings/series/<int:pk>/edit/", meetings.series_edit, name="meeting_series_edit"),
    path("meetings/series/<int:pk>/add/", meetings.meeting_add, name="meeting_add"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/move/", meetings.meeting_move, name="meeting_move"),
    path("meetings/<int:pk>/cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/meeting.ics", meetings.meeting_ics, name="meeting_ics"),
    path("meetings/<int:pk>/agenda/add/", meetings.agenda_add, name="meeting_agenda_add"),
    path("meetings/<int:pk>/agenda/take/", meetings.agenda_take, name="meeting_agenda_take"),
    path("meetings/<int:pk>/agenda/publish/", meetings.agenda_publish, name="meeting_agenda_publish"),
    path("meetings/<int:pk>/attendance/", meetings.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/minutes/", meetings.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/minutes/publish/", meetings.minutes_publish, name="meeting_minutes_publish"),
    path("meetings/<int:pk>/close/", meetings.meeting_close, name="meeting_close"),
    path("meetings/<int:pk>/action-items/add/", meetings.action_item_add, name="meeting_action_add"),
    path("meetings/agenda-items/<int:pk>/", meetings.agenda_item_edit, name="agenda_item_edit"),
    path("meetings/agenda-items/<int:pk>/delete/", meetings.agenda_item_delete, name="agenda_item_delete"),
    path("meetings/agenda-items/<int:pk>/move/", meetings.agenda_item_move, name="agenda_item_move"),
    path("meetings/agenda-items/<int:pk>/accept/", meetings.proposal_accept, name="proposal_accept"),
    path("meetings/agenda-items/<int:pk>/decline/", meetings.proposal_decline, name="proposal_decline"),
    path("meetings/action-items/<int:pk>/delete/", meetings.action_item_delete, name="action_item_delete"),
    path("meetings/action-items/<int:pk>/done/", meetings.action_item_done, name="action_item_done"),
    path("meetings/action-items/<int:pk>/reopen/", meetings.action_item_reopen, name="action_item_reopen"),
    path("meetings/calendar/", meetings.calendar, name="calendar_address"),
    path("meetings/calendar/reset/", meetings.calendar_reset, name="calendar_reset"),
    path("meetings/calendar/revoke/", meetings.calendar_revoke, name="calendar_revoke"),
]

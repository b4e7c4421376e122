"""URLs of the meetings part of the portal face, included into its namespace by portal/urls.py."""

from django.urls import path

from . import meetings

urlpatterns = [
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/attendance/", meetings.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/propose/", meetings.meeting_propose, name="meeting_propose"),
    path("meetings/<int:pk>/meeting.ics", meetings.meeting_ics, name="meeting_ics"),
    path("meetings/proposals/<int:pk>/withdraw/", meetings.proposal_withdraw, name="proposal_withdraw"),
    path("meetings/action-items/", meetings.action_item_list, name="action_items"),
    path("meetings/action-items/<int:pk>/", meetings.action_item_detail, name="action_item"),
    path("meetings/calendar/", meetings.calendar, name="calendar_address"),
    path("meetings/calendar/reset/", meetings.calendar_reset, name="calendar_reset"),
    path("meetings/calendar/revoke/", meetings.calendar_revoke, name="calendar_revoke"),
]

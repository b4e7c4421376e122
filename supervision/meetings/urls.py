"""The private calendar feeds, at the site's root: ``path("", include("supervision.meetings.urls"))``.

Outside both faces (and so outside the permission matrix): the token in the address is the key.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("calendar/<slug:token>.ics", views.calendar_feed, name="calendar_feed"),
]

"""The site's URLs with the calendar feed included at the root, as supervision/urls.py is to include it."""

from django.urls import include, path

from supervision.urls import urlpatterns as site

urlpatterns = [*site, path("", include("supervision.meetings.urls"))]

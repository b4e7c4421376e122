"""The site's URLs and error handlers, with a page that fails (tests/core/test_error_pages.py)."""

from django.db import DatabaseError
from django.urls import path

from supervision.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def broken(request):
    raise DatabaseError("the database is gone")


urlpatterns = [path("broken/", broken), *urlpatterns]

"""The charts page; included at the end of ``control.urls``, so its names are ``control:…``."""

from django.urls import path

from . import charts

urlpatterns = [
    path("charts/", charts.charts_page, name="charts"),
]

"""Spikes and the operator and city pages; included into the ``control`` namespace."""

from django.urls import path

from . import profiles

urlpatterns = [
    path("anomalies/", profiles.anomalies_list, name="anomalies"),
    path("operators/<str:code>/", profiles.operator_detail, name="operator"),
    path("cities/<str:code>/", profiles.city_detail, name="city"),
]

"""The dashboard's lists, included into the ``control`` namespace by ``supervision/control/urls.py``.

Each list also serves its downloads: the same URL with ``export=csv`` or ``export=xlsx``.
"""

from django.urls import path

from . import incidents, lists

urlpatterns = [
    path("complaints/", lists.complaints, name="complaints"),
    path("complaints/<int:pk>/", lists.complaint_detail, name="complaint"),
    path("findings/", lists.findings, name="findings"),
    path("orders/", lists.orders, name="orders"),
    path("incidents/", lists.incidents, name="incidents"),
    path("incidents/<int:pk>/", incidents.incident_detail, name="incident"),
    path("incidents/<int:pk>/ask-more/", incidents.incident_ask_more, name="incident_ask_more"),
    path("incidents/<int:pk>/close/", incidents.incident_close, name="incident_close"),
    path("access-log/", lists.access_log, name="access_log"),
]

"""The dashboard's lists, included into the ``control`` namespace by ``supervision/control/urls.py``.

Each list also serves its downloads: the same URL with ``export=csv`` or ``export=xlsx``.
"""

from django.urls import path

from . import lists

urlpatterns = [
    path("complaints/", lists.complaints, name="complaints"),
    path("complaints/<int:pk>/", lists.complaint_detail, name="complaint"),
    path("findings/", lists.findings, name="findings"),
    path("orders/", lists.orders, name="orders"),
    path("access-log/", lists.access_log, name="access_log"),
]

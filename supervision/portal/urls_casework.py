"""URLs of the casework part of the portal face, included into its namespace by portal/urls.py."""

from django.urls import path

from . import casework as views

urlpatterns = [
    path("findings/", views.finding_list, name="findings"),
    path("findings/<int:pk>/", views.finding_detail, name="finding"),
    path("findings/<int:pk>/respond/", views.finding_respond, name="finding_respond"),
    path("orders/", views.order_list, name="orders"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/acknowledge/", views.order_acknowledge, name="order_acknowledge"),
    path("orders/<int:pk>/extension/", views.order_extension, name="order_extension"),
    path("orders/<int:pk>/report/", views.order_report, name="order_report"),
    path("orders/<int:pk>/document/", views.order_document, name="order_document"),
    path("interviews/", views.interview_list, name="interviews"),
    path("interviews/<int:pk>/", views.interview_detail, name="interview"),
    path("interviews/<int:pk>/confirm/", views.interview_confirm, name="interview_confirm"),
    path("interviews/<int:pk>/document/", views.interview_document, name="interview_document"),
    path("commitments/<int:pk>/done/", views.commitment_done, name="commitment_done"),
    path("notices/", views.record_list, name="records"),
    path("case-files/<int:pk>/", views.case_file, name="case_file"),
    path("cases/<slug:kind>/<int:pk>/comment/", views.comment, name="comment"),
]

"""URLs of the casework part of the control face, included into its namespace by control/urls.py.

The lists of findings and orders (``findings/``, ``orders/``) are the dashboard's lists
(urls_lists.py); their rows link to the pages here.
"""

from django.urls import path

from . import casework as views

urlpatterns = [
    # Findings and inspection batches
    path("findings/new/", views.finding_new, name="finding_new"),
    path("findings/import/", views.inspection_upload, name="inspection_upload"),
    path("findings/import/<uuid:pk>/", views.inspection_batch, name="inspection_batch"),
    path("findings/<int:pk>/", views.finding_detail, name="finding"),
    path("findings/<int:pk>/edit/", views.finding_edit, name="finding_edit"),
    path("findings/<int:pk>/publish/", views.finding_publish, name="finding_publish"),
    path("findings/<int:pk>/evidence/", views.finding_evidence, name="finding_evidence"),
    path("findings/<int:pk>/decide/", views.finding_decide, name="finding_decide"),
    # Rectification orders
    path("orders/new/", views.order_new, name="order_new"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/edit/", views.order_edit, name="order_edit"),
    path("orders/<int:pk>/issue/", views.order_issue, name="order_issue"),
    path("orders/<int:pk>/return/", views.order_return, name="order_return"),
    path("orders/<int:pk>/verify/", views.order_verify, name="order_verify"),
    path("orders/<int:pk>/escalate/", views.order_escalate, name="order_escalate"),
    path("orders/<int:pk>/withdraw/", views.order_withdraw, name="order_withdraw"),
    path(
        "orders/<int:pk>/extensions/<int:extension_pk>/decide/",
        views.extension_decide,
        name="extension_decide",
    ),
    path("orders/<int:pk>/document/", views.order_document, name="order_document"),
    # Interviews and the commitments made there
    path("interviews/", views.interview_list, name="interviews"),
    path("interviews/new/", views.interview_new, name="interview_new"),
    path("interviews/<int:pk>/", views.interview_detail, name="interview"),
    path("interviews/<int:pk>/edit/", views.interview_edit, name="interview_edit"),
    path("interviews/<int:pk>/issue/", views.interview_issue, name="interview_issue"),
    path("interviews/<int:pk>/withdraw/", views.interview_withdraw, name="interview_withdraw"),
    path("interviews/<int:pk>/minutes/", views.interview_minutes, name="interview_minutes"),
    path("interviews/<int:pk>/commitments/", views.commitment_add, name="commitment_add"),
    path("interviews/<int:pk>/document/", views.interview_document, name="interview_document"),
    path("commitments/<int:pk>/verify/", views.commitment_verify, name="commitment_verify"),
    path("commitments/<int:pk>/return/", views.commitment_return, name="commitment_return"),
    # Circulated notices, public disclosures, penalties, assessment opinions
    path("notices/", views.record_list, name="records"),
    path("notices/new/", views.record_new, name="record_new"),
    path("notices/<int:pk>/", views.record_detail, name="record"),
    # Shared by every case
    path("case-files/<int:pk>/", views.case_file, name="case_file"),
    path("cases/<slug:kind>/<int:pk>/comment/", views.comment, name="comment"),
    path("audit/", views.audit_trail, name="audit"),
]

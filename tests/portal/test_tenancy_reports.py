"""Operator B can neither see nor change anything of operator A through any page or download."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from supervision.core.models import Operator, Period
from supervision.reporting import submissions
from supervision.reporting.models import Incident, PendingUpload, SubmissionFile, UploadKind


@pytest.fixture
def a_objects(operator_a, manager_a, regulator):
    cmcc = Operator.objects.get(code="CMCC")
    period = Period.objects.from_label("2026-10")
    first = submissions.submit(
        submissions.create_version(cmcc, period, user=operator_a), certified_by=manager_a
    )
    submissions.return_to_operator(first, user=regulator, comment="请更正")
    draft = submissions.create_version(cmcc, period, user=operator_a)
    stored = SubmissionFile(
        submission=first, kind=UploadKind.MONTHLY, name="月报.csv", sha256="a" * 64, size=3
    )
    stored.file.save("月报.csv", ContentFile(b"a,b"), save=True)
    upload = PendingUpload.objects.create(kind=UploadKind.LEDGER, operator=cmcc, created_by=operator_a)
    incident = Incident.objects.create(
        operator=cmcc,
        title="授权码下发故障",
        description="…",
        since="2026-11-20T08:00+08:00",
        measures="抢修",
        reported_by=operator_a,
    )
    return {"first": first, "draft": draft, "file": stored, "upload": upload, "incident": incident}


def test_operator_b_gets_404_for_every_object_of_operator_a(client, operator_b, a_objects):
    client.force_login(operator_b)
    first, draft = a_objects["first"], a_objects["draft"]
    urls = [
        reverse("portal:submission", args=[first.pk]),
        reverse("portal:submission", args=[draft.pk]),
        reverse("portal:submission_receipt", args=[first.pk]),
        reverse("portal:submission_file", args=[first.pk, a_objects["file"].pk]),
        reverse("portal:submission_compare", args=[first.pk, draft.pk]),
        reverse("portal:upload", args=[a_objects["upload"].pk]),
        reverse("portal:upload_status", args=[a_objects["upload"].pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("portal:upload", args=[a_objects["upload"].pk]), {"discard": "1"}).status_code
        == 404
    )


def test_operator_b_lists_show_nothing_of_operator_a(client, operator_b, a_objects):
    client.force_login(operator_b)
    for url in [reverse("portal:submissions"), reverse("portal:incidents"), reverse("portal:home")]:
        page = client.get(url).content.decode()
        assert "授权码下发故障" not in page
        assert reverse("portal:submission", args=[a_objects["first"].pk]) not in page


def test_a_manager_of_b_cannot_certify_a_report_of_a(client, a_objects, db):
    from tests.conftest import make_user

    manager_b = make_user("manager_b", "operator_manager", "CUCC")
    draft = a_objects["draft"]
    draft.state = "awaiting_certification"
    draft.save()
    client.force_login(manager_b)
    assert client.post(reverse("portal:submission_certify", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.state == "awaiting_certification"

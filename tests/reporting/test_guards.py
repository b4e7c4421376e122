"""Pages that guard the user (issue 14, point 5), for monthly reporting: the matrix shows the month
being filed and its colours; certification needs the manager's attestation; accepting a report
says it is for good and asks first; the warnings of an upload are explained several at once, or
with last month's explanation of the same check in the same city. The clock stands at 20 November 2026, 10:00 Beijing time
(tests/reporting/conftest.py): October is past due, November's window opens on the 25th.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from supervision.core.models import SHANGHAI, Operator, Period
from supervision.reporting import completeness, submissions
from supervision.reporting.models import SubmissionState


def _row(body: str, testid: str) -> str:
    return re.search(rf'<tr data-testid="{testid}">(.*?)</tr>', body, re.S).group(1)


def test_the_matrix_shows_the_month_being_filed_first_with_its_state_classes(client, regulator):
    client.force_login(regulator)
    page = client.get(reverse("control:reporting"), HTTP_ACCEPT_LANGUAGE="en")
    assert [period.label for period, *_rest in page.context["rows"][:3]] == ["2026-11", "2026-10", "2026-09"]
    assert len(page.context["rows"]) == 1 + 12
    body = page.content.decode()
    filing = _row(body, "filing")
    assert "2026-11" in filing and "Being filed" in filing
    assert "Filing opens 2026-11-25, due 2026-11-30" in filing
    assert (
        len(
            re.findall(r'<td class="status status-not_due" data-operator="\w+" data-period="2026-11"', filing)
        )
        == 4
    )
    # October is past due: nobody reported, every cell reads (and is coloured) missing.
    assert (
        len(re.findall(r'<td class="status status-missing" data-operator="\w+" data-period="2026-10"', body))
        == 4
    )


def test_a_report_of_the_month_being_filed_shows_in_its_row(client, regulator):
    cmcc = Operator.objects.get(code="CMCC")
    with time_machine.travel(dt.datetime(2026, 11, 26, 9, 0, tzinfo=SHANGHAI), tick=False):
        version = submissions.create_version(cmcc, Period.objects.from_label("2026-11"))
        submissions.submit(version)
        client.force_login(regulator)
        body = client.get(reverse("control:reporting"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    filing = _row(body, "filing")
    assert '<td class="status status-on_time" data-operator="CMCC" data-period="2026-11">' in filing
    assert reverse("control:submission", args=[version.pk]) in filing
    assert filing.count("status-not_due") == 3


def test_every_state_has_its_colour_in_a_bootstrap_table():
    """Bootstrap paints a table cell with ``--bs-table-bg``: a plain background never shows there,
    so each state sets the variable (and the background, for the legend outside the table)."""
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text(encoding="utf-8")
    for state in completeness.Status.LABELS:
        rule = re.search(rf"\.status-{state} \{{([^}}]*)\}}", css)
        assert rule, state
        colour = re.search(r"--bs-table-bg: (#[0-9a-f]{6});", rule.group(1)).group(1)
        assert f"background: {colour};" in rule.group(1), state


# --- Certification needs the attestation; accepting says it is for good ----------------------------


def awaiting_certification(operator_code="CMCC", label="2026-10"):
    version = submissions.create_version(
        Operator.objects.get(code=operator_code), Period.objects.from_label(label)
    )
    version.state = SubmissionState.AWAITING_CERTIFICATION
    version.save(update_fields=["state"])
    return version


def test_certification_is_refused_without_the_attestation(manager_a):
    version = awaiting_certification()
    with pytest.raises(submissions.SubmissionRefused) as refused:
        submissions.certify(version, manager=manager_a, attested=False)
    assert str(refused.value) == (
        "Tick the attestation to certify: a manager answers for the report being true, accurate and complete."
    )
    version.refresh_from_db()
    assert (version.state, version.submitted_at, version.receipt_no) == (
        SubmissionState.AWAITING_CERTIFICATION,
        None,
        None,
    )
    submissions.certify(version, manager=manager_a, attested=True)
    version.refresh_from_db()
    assert (version.state, version.certified_by) == (SubmissionState.SUBMITTED, manager_a)


def test_the_manager_ticks_the_attestation_sentence_on_the_page(client, manager_a):
    version = awaiting_certification()
    client.force_login(manager_a)
    page = client.get(reverse("portal:submission", args=[version.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = page.content.decode()
    sentence = "本人作为中国移动负责人，确认本报告数据真实、准确、完整，中国移动对报送内容负责。"
    assert (
        f'<label class="form-check-label" for="attested" data-testid="attestation">{sentence}</label>' in body
    )
    assert re.search(
        r'<input class="form-check-input" type="checkbox" name="attested" value="1" id="attested" required>',
        body,
    )
    form = re.search(r'<form [^>]*data-testid="certify-form" data-confirm="([^"]+)"', body)
    assert form and form.group(1) == "确认报送后，管局即可看到此版本，且不能撤回：如需更正，请上传新版本。"

    certify = reverse("portal:submission_certify", args=[version.pk])
    response = client.post(certify, HTTP_ACCEPT_LANGUAGE="en", follow=True)  # the box not ticked
    assert "Tick the attestation to certify" in response.content.decode()
    version.refresh_from_db()
    assert version.state == SubmissionState.AWAITING_CERTIFICATION
    client.post(certify, {"attested": "1"})
    version.refresh_from_db()
    assert version.state == SubmissionState.SUBMITTED


def test_accepting_a_report_says_it_is_for_good_and_asks_first(client, regulator, manager_a):
    version = awaiting_certification()
    submissions.certify(version, manager=manager_a, attested=True)
    client.force_login(regulator)
    body = client.get(
        reverse("control:submission", args=[version.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    action = reverse("control:submission_accept", args=[version.pk])
    consequence = (
        "Once accepted, this is the operator's report for the month for good: it can no longer be "
        "returned or replaced."
    )
    assert f'<form method="post" action="{action}" data-confirm="{consequence}" class="irreversible">' in body
    assert f'<div class="form-text consequence" data-testid="consequence">{consequence}</div>' in body

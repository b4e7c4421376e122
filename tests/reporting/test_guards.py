"""Pages that guard the user (issue 14, point 5), for monthly reporting: the matrix shows the month
being filed and its colours; certification needs the manager's attestation; accepting a report
says it is for good and asks first; the warnings of an upload are explained several at once, or
with last month's explanation of the same check in the same city. The clock stands at 20 November
2026, 10:00 Beijing time (tests/reporting/conftest.py): October is past due, November's window
opens on the 25th.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from supervision.core.models import SHANGHAI, Operator, Period
from supervision.reporting import completeness, submissions, uploads
from supervision.reporting.ingest import checks as C
from supervision.reporting.ingest import read_sheet, validate_monthly
from supervision.reporting.models import (
    MonthlySubmission,
    PendingUpload,
    SubmissionState,
    UploadKind,
    UploadState,
)


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


# --- Warnings explained several at once, or as last month ---------------------------------------------


def test_each_warning_of_a_city_row_names_its_city(reference, sample):
    sheet = read_sheet(*sample("monthly_report_CUCC_2026-10_gbk.csv"))  # 济南 in row 2, 青岛 in row 3
    header = sheet.rows[0]
    sheet.rows[1][header.index("携出成功量")] = "1750"
    history = {"370200": {"port_in_applications": [3000] * 6}}
    result = validate_monthly(sheet, reference=reference, history=history)
    assert [(p.check_code, p.row, p.params["city"]) for p in result.warnings] == [
        ("monthly.port_out.exceeds_applications", 2, "370100"),
        ("monthly.outlier.low", 3, "370200"),
    ]


def warning(check, *, row=None, column=None, value=None, file="figures", **params) -> dict:
    return {**check.at(row=row, column=column, value=value, **params).to_dict(), "file": file}


@pytest.fixture
def last_month(db):
    """CMCC's October report, its warnings explained."""
    version = awaiting_certification("CMCC", "2026-10")
    version.warnings = [
        {**warning(C.MONTHLY_OUTLIER_HIGH, row=2, column="携出申请量", value="1764", median="550", months=3, city="370100"),
         "explanation": "济南10月开展促销，携出申请增加。"},
        {**warning(C.MONTHLY_OUTLIER_HIGH, row=3, column="携出申请量", value="900", median="250", months=6, city="370200"),
         "explanation": "青岛新开营业厅。"},
        {**warning(C.MONTHLY_LEDGER_ABSENT, total=300), "explanation": "台账于下周补报。"},
    ]  # fmt: skip
    version.save(update_fields=["warnings"])
    return version


@pytest.fixture
def november(db, operator_a):
    """CMCC's November upload, checked: five warnings."""
    return PendingUpload.objects.create(
        kind=UploadKind.MONTHLY,
        operator=operator_a.operator,
        period=Period.objects.from_label("2026-11"),
        created_by=operator_a,
        state=UploadState.CHECKED,
        problems=[
            # 0: the same check, city and figure as in October
            warning(C.MONTHLY_OUTLIER_HIGH, row=2, column="携出申请量", value="1800", median="600", months=6, city="370100"),
            # 1: the same check and city, another figure; 2: the same check and figure, another city
            warning(C.MONTHLY_OUTLIER_HIGH, row=2, column="携入申请量", value="999", median="300", months=6, city="370100"),
            warning(C.MONTHLY_OUTLIER_HIGH, row=4, column="携出申请量", value="700", median="200", months=6, city="370300"),
            # 3: the whole report's check, as in October; 4: a check October did not raise
            warning(C.MONTHLY_LEDGER_ABSENT, total=310),
            warning(C.MONTHLY_PORT_OUT_EXCEEDS, row=2, column="携出申请量", value="1800", done=1900, applications=1800, city="370100"),
        ],
    )  # fmt: skip


def test_last_months_explanation_is_offered_for_the_same_check_and_city(last_month, november):
    assert uploads.last_explanations(november) == {
        0: "济南10月开展促销，携出申请增加。",
        3: "台账于下周补报。",
    }
    written = {0: "", 1: "已核实", 3: "台账已补报。"}
    assert uploads.reuse_last_explanations(november, written) == {
        0: "济南10月开展促销，携出申请增加。",
        1: "已核实",
        3: "台账已补报。",  # what the submitter wrote stays
    }
    # Another operator's October is not CMCC's last month.
    MonthlySubmission.objects.filter(pk=last_month.pk).update(operator=Operator.objects.get(code="CUCC"))
    assert uploads.last_explanations(november) == {}


def test_one_explanation_for_several_warnings(november):
    explained = uploads.explain_selected(
        november, {0: "原有说明"}, {1, 2, 4, 99}, "  统一说明：系统统计口径调整。 "
    )
    assert explained == {
        0: "原有说明",
        1: "统一说明：系统统计口径调整。",
        2: "统一说明：系统统计口径调整。",
        4: "统一说明：系统统计口径调整。",
    }
    assert uploads.explain_selected(november, {0: "原有说明"}, {1}, "  ") == {0: "原有说明"}


def test_the_upload_page_explains_several_at_once_and_as_last_month(client, operator_a, last_month, november):
    client.force_login(operator_a)
    url = reverse("portal:upload", args=[november.pk])
    page = client.get(url)
    body = page.content.decode()
    assert 'data-testid="explain-several"' in body and 'data-testid="reuse"' in body
    assert body.count('name="select"') == 5
    assert body.count('data-testid="last-explanation"') == 2 and "济南10月开展促销，携出申请增加。" in body

    blank = {f"explain-{i}": "" for i in range(5)}
    page = client.post(url, {**blank, "reuse": "1"})
    assert page.status_code == 200
    shown = {p["index"]: p["explanation"] for p in page.context["problems"]}
    assert shown == {0: "济南10月开展促销，携出申请增加。", 1: "", 2: "", 3: "台账于下周补报。", 4: ""}

    page = client.post(
        url, {**blank, "explain-0": "沿用", "select": ["1", "2", "4"], "bulk": "口径调整。", "apply": "1"}
    )
    shown = {p["index"]: p["explanation"] for p in page.context["problems"]}
    assert shown == {0: "沿用", 1: "口径调整。", 2: "口径调整。", 3: "", 4: "口径调整。"}
    november.refresh_from_db()
    assert november.state == UploadState.CHECKED  # nothing stored before the submitter confirms


def test_the_ticked_warnings_are_stored_with_the_one_explanation(
    client, operator_a, samples, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    client.force_login(operator_a)
    figures = SimpleUploadedFile("monthly.xlsx", (samples / "monthly_report_CMCC_2026-10.xlsx").read_bytes())
    response = client.post(
        reverse("portal:submission_new"),
        {"period": "2026-10", "figures": figures, "narrative": "本月正常。", "cases-TOTAL_FORMS": "0",
         "cases-INITIAL_FORMS": "0", "cases-MIN_NUM_FORMS": "0", "cases-MAX_NUM_FORMS": "10"},
    )  # fmt: skip
    upload = PendingUpload.objects.get()
    ticked = [str(i) for i, _p in uploads.warnings_of(upload)]
    assert ticked  # the figures without their ledger: a warning to explain
    client.post(response.url, {"select": ticked, "bulk": "台账将于下周补报。", "confirm": "1"})
    submission = MonthlySubmission.objects.get()
    assert {w["explanation"] for w in submission.warnings} == {"台账将于下周补报。"}

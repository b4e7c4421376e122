"""A whole month for one operator through the API alone: the report as JSON rows, the preview with
its warnings, the explanations, the confirmation, the manager's certification, the receipt; then
the administration reads the very figures the dashboard shows."""

import pytest

from supervision.analytics import indicators
from supervision.core.models import Period
from supervision.reporting.models import CityFigures, ComplaintRecord, MonthlySubmission, SubmissionState

from .helpers import figure_rows, ledger_rows


def report(samples, **extra):
    return {
        "period": "2026-10",
        "figures": figure_rows(samples),
        "ledger": ledger_rows(samples),
        "narrative": "本月按要求开展携号转网服务工作。",
        "major_problem": False,
        "typical_cases": [],
        **extra,
    }


def test_a_whole_month_through_the_api(samples, operator_a, manager_a, regulator, api_for):
    staff_api, manager_api = api_for(operator_a), api_for(manager_a)
    response = staff_api.post("/monthly-reports", report(samples))
    assert response.status_code == 201, response.content
    preview = response.json()
    assert preview["state"] == "checked" and not preview["has_errors"]
    assert len(preview["figures"]) == 16
    assert preview["ledger"]["rows"] == len(ledger_rows(samples))
    # Nothing stored before the confirmation.
    assert not MonthlySubmission.objects.exists() and not ComplaintRecord.objects.exists()

    warnings = [p for p in preview["problems"] if p["kind"] == "warning"]
    for problem in preview["problems"]:
        assert set(problem) >= {"row", "column", "code", "message"}
    upload = preview["id"]
    if warnings:
        # A warning unexplained: refused, as on the web.
        refused = staff_api.post(f"/uploads/{upload}/confirm", {"explanations": {}})
        assert refused.status_code == 409
        assert refused["Content-Type"] == "application/problem+json"
    explanations = {str(w["index"]): "积压工单在本月办结。" for w in warnings}
    confirmed = staff_api.post(f"/uploads/{upload}/confirm", {"explanations": explanations})
    assert confirmed.status_code == 200, confirmed.content
    submission_id = confirmed.json()["submission_id"]
    submission = MonthlySubmission.objects.get(pk=submission_id)
    assert submission.state == SubmissionState.AWAITING_CERTIFICATION
    assert [w["explanation"] for w in submission.warnings] == ["积压工单在本月办结。"] * len(warnings)

    # Certification is the manager's: the staff's token is refused, the manager's attests.
    assert staff_api.post(f"/submissions/{submission_id}/certify", {"attested": True}).status_code == 403
    assert manager_api.post(f"/submissions/{submission_id}/certify", {"attested": False}).status_code == 422
    certified = manager_api.post(
        f"/submissions/{submission_id}/certify",
        {"attested": True, "attestation": "本人确认所报数据真实、准确、完整。"},
    )
    assert certified.status_code == 200, certified.content
    assert certified.json()["state"] == SubmissionState.SUBMITTED
    receipt = staff_api.get(f"/submissions/{submission_id}/receipt").json()
    assert receipt["receipt_no"] and receipt["receipt_no"] in receipt["text"]

    # The administration reads the same figures the dashboard computes.
    admin_api = api_for(regulator)
    detail = admin_api.get(f"/submissions/{submission_id}").json()
    assert len(detail["figures"]) == 16
    assert sum(int(row["values"]["port_out_completed"]) for row in detail["figures"]) == sum(
        CityFigures.objects.filter(submission_id=submission_id).values_list("port_out_completed", flat=True)
    )
    rows = admin_api.get("/indicators", month="2026-10", by="operator").json()
    month = Period.objects.get(month__year=2026, month__month=10).month
    expected = indicators.port_out_success_rate([month], by=("operator",))[("CMCC", month)]
    row = next(r for r in rows if r["indicator"] == "port_out_success" and r["operator"] == "CMCC")
    assert row["numerator"] == str(expected.numerator)
    assert row["denominator"] == str(expected.denominator)
    assert row["value"] == str(expected.value)
    assert row["text"] == indicators.INDICATORS_BY_CODE["port_out_success"].text(expected)
    cells = admin_api.get("/completeness", first="2026-10").json()
    assert {"operator": "CMCC", "status": "late"}.items() <= next(
        c for c in cells if c["operator"] == "CMCC"
    ).items()


def test_the_preview_speaks_the_requested_language(samples, operator_a, api_for):
    figures = figure_rows(samples)
    figures[0]["port_out_completed"] = -5
    english = (
        api_for(operator_a).post("/monthly-reports", report(samples, figures=figures, ledger=None)).json()
    )
    chinese = (
        api_for(operator_a, language="zh-hans")
        .post("/monthly-reports", report(samples, figures=figures, ledger=None))
        .json()
    )
    assert english["has_errors"]
    error = next(p for p in english["problems"] if p["kind"] == "error")
    same = next(p for p in chinese["problems"] if p["code"] == error["code"] and p["row"] == error["row"])
    assert error["row"] == 2 and error["column"]
    assert error["message"] != same["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in same["message"])
    # An upload with errors cannot be confirmed.
    assert api_for(operator_a).post(f"/uploads/{english['id']}/confirm", {}).status_code == 409


def test_a_ledger_batch_as_json_rows_is_stored_on_confirmation(samples, operator_a, api_for):
    api = api_for(operator_a)
    rows = ledger_rows(samples)
    preview = api.post("/ledgers", {"rows": rows[:50]}).json()
    assert preview["state"] == "checked", preview
    explanations = {str(p["index"]): "已核实。" for p in preview["problems"] if p["kind"] == "warning"}
    confirmed = api.post(f"/uploads/{preview['id']}/confirm", {"explanations": explanations}).json()
    assert confirmed["rows_added"] == 50
    assert ComplaintRecord.objects.filter(operator__code="CMCC").count() == 50


@pytest.mark.parametrize("path", ["/monthly-reports", "/ledgers"])
def test_the_administration_cannot_upload(regulator, api_for, path):
    response = api_for(regulator).post(path, {"rows": [], "period": "2026-10", "figures": []})
    assert response.status_code == 403

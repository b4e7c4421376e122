"""Checking files against the database and storing them: one transaction, in bulk."""

import datetime as dt

import pytest

from supervision.core.models import Operator, Period
from supervision.reporting import submissions
from supervision.reporting.ingest.store import (
    NotValid,
    check_ledger_file,
    check_monthly_file,
    ledger_counts,
    monthly_history,
    store_ledger,
    store_monthly,
)
from supervision.reporting.models import (
    CityFigures,
    ComplaintRecord,
    ComplaintRevision,
    LedgerUpload,
    MonthlySubmission,
    SubmissionState,
)

from .builders import LEDGER_HEADERS, TODAY, ledger_csv, ledger_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def cmcc():
    return Operator.objects.get(code="CMCC")


@pytest.fixture
def period():
    return Period.objects.from_label("2026-10")


def upload_ledger(data, operator, name="台账.csv", user=None):
    result = check_ledger_file(data, name, operator=operator, today=TODAY)
    assert result.ok, [str(p) for p in result.errors]
    return store_ledger(result, operator=operator, user=user, file_name=name, sha256="0" * 64)


def test_store_ledger_stores_the_ctcc_sample(sample):
    ctcc = Operator.objects.get(code="CTCC")
    upload = upload_ledger(*sample("complaints_CTCC_2026-10.xlsx")[:1], ctcc, "complaints_CTCC_2026-10.xlsx")
    assert (upload.rows_added, upload.rows_updated, upload.rows_unchanged) == (240, 0, 0)
    assert ComplaintRecord.objects.filter(operator=ctcc).count() == 240
    record = ComplaintRecord.objects.get(operator=ctcc, complaint_no="CTCC-202610-00002")
    assert (record.received_on, record.city.name_zh, record.channel, record.category.code) == (
        dt.date(2026, 10, 20),
        "枣庄市",
        "STORE",
        "BL1",
    )
    assert (record.status, record.resolved_on, record.satisfaction) == (
        "RESOLVED",
        dt.date(2026, 10, 22),
        "UNSATISFIED",
    )
    assert record.first_upload == record.last_upload == upload


def test_the_cmcc_report_matches_its_ledger_stored_first(sample, cmcc, period, operator_a):
    data, name = sample("complaints_CMCC_2026-10_utf8bom.csv")
    upload = upload_ledger(data, cmcc, name, user=operator_a)
    assert upload.rows_added == 332 and upload.uploaded_by == operator_a

    result = check_monthly_file(*sample("monthly_report_CMCC_2026-10.xlsx"), operator=cmcc, period=period)
    assert result.problems == []  # in particular no ledger cross-check warning

    submission = submissions.create_version(cmcc, period, user=operator_a)
    store_monthly(result, submission)
    assert submission.figures.count() == 16
    jinan = submission.figures.get(city__code="370100")
    assert (jinan.port_out_applications, jinan.complaints_received, str(jinan.subscribers_10k)) == (
        972,
        29,
        "624.67",
    )


def test_the_report_without_its_ledger_gets_one_warning(sample, cmcc, period):
    result = check_monthly_file(*sample("monthly_report_CMCC_2026-10.xlsx"), operator=cmcc, period=period)
    assert [p.check_code for p in result.problems] == ["monthly.ledger.absent"]


def test_the_report_of_another_operator_is_compared_with_its_own_ledger(sample, cmcc, period):
    upload_ledger(*sample("complaints_CMCC_2026-10_utf8bom.csv")[:1], cmcc)
    cucc = Operator.objects.get(code="CUCC")
    result = check_monthly_file(*sample("monthly_report_CUCC_2026-10_gbk.csv"), operator=cucc, period=period)
    assert [p.check_code for p in result.problems] == ["monthly.ledger.absent"]


def test_check_monthly_file_takes_a_fixed_number_of_queries(sample, cmcc, period, django_assert_num_queries):
    data, name = sample("monthly_report_CMCC_2026-10.xlsx")
    # Three reference tables, the six previous months' figures, the ledger's counts.
    with django_assert_num_queries(5):
        check_monthly_file(data, name, operator=cmcc, period=period)


def _submitted(operator, label, version, state=SubmissionState.SUBMITTED, **figures):
    submission = MonthlySubmission.objects.create(
        operator=operator, period=Period.objects.from_label(label), version=version, state=state
    )
    values = dict.fromkeys(
        ["auth_code_requests", "port_out_applications", "port_out_completed", "port_out_failed",
         "port_in_applications", "port_in_completed", "complaints_received", "complaints_resolved"], 0
    )  # fmt: skip
    values.update(figures)
    CityFigures.objects.create(submission=submission, city_id=_city("370100"), **values)
    return submission


def _city(code):
    from supervision.core.models import City

    return City.objects.get(code=code).pk


def test_the_history_is_the_latest_live_version_of_each_of_six_months(
    cmcc, period, django_assert_num_queries
):
    _submitted(cmcc, "2026-03", 1, port_out_applications=9999)  # seven months back: not compared
    _submitted(cmcc, "2026-07", 1, state=SubmissionState.ACCEPTED, port_out_applications=100)
    _submitted(cmcc, "2026-08", 1, port_out_applications=120)
    _submitted(cmcc, "2026-08", 2, state=SubmissionState.DRAFT, port_out_applications=5000)  # not submitted
    _submitted(cmcc, "2026-09", 1, state=SubmissionState.SUPERSEDED, port_out_applications=7000)
    _submitted(cmcc, "2026-09", 2, state=SubmissionState.RETURNED, port_out_applications=110)
    _submitted(Operator.objects.get(code="CUCC"), "2026-09", 1, port_out_applications=1)
    with django_assert_num_queries(1):
        history = monthly_history(cmcc, period)
    assert history["370100"]["port_out_applications"] == [100, 120, 110]
    assert set(history) == {"370100"}


def test_a_figure_far_above_the_previous_months_is_an_outlier(sample, cmcc, period):
    for label, value in (("2026-07", 100), ("2026-08", 120), ("2026-09", 110)):
        _submitted(cmcc, label, 1, port_out_applications=value)
    result = check_monthly_file(*sample("monthly_report_CMCC_2026-10.xlsx"), operator=cmcc, period=period)
    assert [str(p) for p in result.warnings if p.check_code.startswith("monthly.outlier")] == [
        "row 4, 携出申请量: 972 is more than 3 times the median (110) of this city's previous 3 months; please explain."
    ]


def test_ledger_counts_are_one_aggregate_query(sample, cmcc, period, django_assert_num_queries):
    upload_ledger(*sample("complaints_CMCC_2026-10_utf8bom.csv")[:1], cmcc)
    with django_assert_num_queries(1):
        counts = ledger_counts(cmcc, period)
    assert sum(counts.values()) == 332 and len(counts) <= 16


def test_a_re_upload_that_changes_a_status_records_a_revision(cmcc, operator_a):
    first = upload_ledger(
        ledger_csv(
            [ledger_row(1, 处理状态="处理中", 办结日期="", 处理结果="", 用户满意度=""), ledger_row(2)]
        ),
        cmcc,
    )
    second = upload_ledger(
        ledger_csv([ledger_row(1, 办结日期="2026-10-10", 处理结果="已解释"), ledger_row(2), ledger_row(3)]),
        cmcc,
        user=operator_a,
    )
    assert (second.rows_added, second.rows_updated, second.rows_unchanged) == (1, 1, 1)
    record = ComplaintRecord.objects.get(operator=cmcc, complaint_no="CMCC-202610-00001")
    assert (record.status, record.resolved_on, record.resolution) == (
        "RESOLVED",
        dt.date(2026, 10, 10),
        "已解释",
    )
    assert (record.first_upload, record.last_upload) == (first, second)
    revision = ComplaintRevision.objects.get()
    assert (revision.complaint, revision.upload) == (record, second)
    assert revision.changes == {
        "status": ["OPEN", "RESOLVED"],
        "resolved_on": [None, "2026-10-10"],
        "resolution": ["", "已解释"],
        "satisfaction": ["", "SATISFIED"],
    }
    assert ComplaintRecord.objects.get(complaint_no="CMCC-202610-00002").last_upload == first


def test_an_identical_re_upload_changes_nothing(sample, cmcc):
    data, name = sample("complaints_CMCC_2026-10_utf8bom.csv")
    first = upload_ledger(data, cmcc, name)
    before = list(ComplaintRecord.objects.order_by("pk").values())
    again = upload_ledger(data, cmcc, name)
    assert (again.rows_added, again.rows_updated, again.rows_unchanged) == (0, 0, 332)
    assert list(ComplaintRecord.objects.order_by("pk").values()) == before
    assert ComplaintRevision.objects.count() == 0
    assert set(ComplaintRecord.objects.values_list("last_upload", flat=True)) == {first.pk}


def test_a_re_upload_without_an_optional_column_keeps_that_field(cmcc):
    upload_ledger(ledger_csv([ledger_row(1, 用户满意度="不满意")]), cmcc)
    headers = [h for h in LEDGER_HEADERS if h != "用户满意度"]
    again = upload_ledger(ledger_csv([ledger_row(1)[:-1]], headers), cmcc)
    assert again.rows_unchanged == 1
    assert ComplaintRecord.objects.get().satisfaction == "UNSATISFIED"


def test_the_same_complaint_number_of_another_operator_is_another_complaint(cmcc):
    # Numbers without an operator's prefix: a CMCC-… number in a CUCC ledger is refused.
    upload_ledger(ledger_csv([ledger_row(1, 投诉编号="2026100001")]), cmcc)
    upload = upload_ledger(
        ledger_csv([ledger_row(1, 投诉编号="2026100001", 处理状态="处理中", 办结日期="")]),
        Operator.objects.get(code="CUCC"),
    )
    assert upload.rows_added == 1
    assert sorted(ComplaintRecord.objects.values_list("operator__code", "status")) == [
        ("CMCC", "RESOLVED"),
        ("CUCC", "OPEN"),
    ]


def test_store_ledger_of_a_thousand_rows_takes_a_few_queries(cmcc, django_assert_max_num_queries):
    rows = [ledger_row(n, 处理状态="处理中", 办结日期="", 处理结果="") for n in range(1, 1001)]
    result = check_ledger_file(ledger_csv(rows), "台账.csv", operator=cmcc, today=TODAY)
    # Two reference tables, the count and scan of stored numbers, the locked and accepted months
    # touched, the upload, the insert (+ savepoints), and the recount of the touched months for
    # the dashboard (delete, count, insert, savepoints).
    with django_assert_max_num_queries(14):
        store_ledger(result, operator=cmcc, user=None, file_name="台账.csv", sha256="0" * 64)
    assert ComplaintRecord.objects.count() == 1000

    resolved = [ledger_row(n, 办结日期="2026-10-09") for n in range(1, 1001)]
    result = check_ledger_file(ledger_csv(resolved), "台账.csv", operator=cmcc, today=TODAY)
    # … the update and the revisions: still no query per row.
    with django_assert_max_num_queries(16):
        upload = store_ledger(result, operator=cmcc, user=None, file_name="台账.csv", sha256="0" * 64)
    assert upload.rows_updated == 1000
    assert ComplaintRevision.objects.count() == 1000
    assert ComplaintRecord.objects.filter(status="RESOLVED", resolved_on=dt.date(2026, 10, 9)).count() == 1000


def test_formula_like_text_is_stored_as_text(cmcc):
    upload_ledger(ledger_csv([ledger_row(1, 投诉内容="=1+1", 处理结果="@SUM(A1:A9)", 投诉编号="-12")]), cmcc)
    record = ComplaintRecord.objects.get()
    assert (record.complaint_no, record.summary, record.resolution) == ("-12", "=1+1", "@SUM(A1:A9)")


def test_a_full_mobile_number_is_stored_masked(cmcc):
    upload_ledger(ledger_csv([ledger_row(1, 用户号码="13812345678", 投诉内容="用户13912345678来电")]), cmcc)
    record = ComplaintRecord.objects.get()
    assert (record.msisdn_masked, record.summary) == ("138****5678", "用户139****5678来电")


def test_a_result_with_errors_is_never_stored(cmcc):
    result = check_ledger_file(
        ledger_csv([ledger_row(1), ledger_row(1)]), "台账.csv", operator=cmcc, today=TODAY
    )
    with pytest.raises(NotValid):
        store_ledger(result, operator=cmcc, user=None, file_name="台账.csv", sha256="0" * 64)
    assert not LedgerUpload.objects.exists() and not ComplaintRecord.objects.exists()


@pytest.mark.parametrize(
    ("name", "operator_code", "stored"),
    [
        ("monthly_report_CMCC_2026-10.xlsx", "CMCC", 16),
        ("monthly_report_CUCC_2026-10_gbk.csv", "CUCC", 16),
        ("complaints_CMCC_2026-10_utf8bom.csv", "CMCC", 332),
        ("complaints_CTCC_2026-10.xlsx", "CTCC", 240),
    ],
)
def test_every_sample_file_imports_without_an_error(sample, period, name, operator_code, stored):
    data, name = sample(name)
    operator = Operator.objects.get(code=operator_code)
    if name.startswith("monthly"):
        result = check_monthly_file(data, name, operator=operator, period=period)
        assert result.errors == []
        store_monthly(result, submissions.create_version(operator, period))
        assert CityFigures.objects.filter(submission__operator=operator).count() == stored
    else:
        upload = upload_ledger(data, operator, name)
        assert upload.rows_added == ComplaintRecord.objects.filter(operator=operator).count() == stored


def test_the_cmcc_ledger_counts_equal_the_cmcc_report_city_by_city(sample, cmcc, period):
    upload_ledger(*sample("complaints_CMCC_2026-10_utf8bom.csv")[:1], cmcc)
    result = check_monthly_file(*sample("monthly_report_CMCC_2026-10.xlsx"), operator=cmcc, period=period)
    counts = ledger_counts(cmcc, period)
    assert {
        row["city_code"]: row["complaints_received"] for row in result.rows if row["complaints_received"]
    } == counts


def test_store_ledger_keeps_the_dashboard_counts_current(cmcc):
    from supervision.reporting.models import ComplaintMonthly

    rows = [ledger_row(n, 处理状态="处理中", 办结日期="", 处理结果="") for n in range(1, 6)]
    store_ledger(
        check_ledger_file(ledger_csv(rows), "台账.csv", operator=cmcc, today=TODAY),
        operator=cmcc,
        user=None,
        file_name="a.csv",
        sha256="0" * 64,
    )
    assert sum(ComplaintMonthly.objects.values_list("received", flat=True)) == 5
    assert sum(ComplaintMonthly.objects.values_list("resolved", flat=True)) == 0
    resolved = [ledger_row(n, 办结日期="2026-10-09") for n in range(1, 3)]
    store_ledger(
        check_ledger_file(ledger_csv(resolved), "台账.csv", operator=cmcc, today=TODAY),
        operator=cmcc,
        user=None,
        file_name="b.csv",
        sha256="1" * 64,
    )
    assert sum(ComplaintMonthly.objects.values_list("received", flat=True)) == 5
    assert sum(ComplaintMonthly.objects.values_list("resolved", flat=True)) == 2

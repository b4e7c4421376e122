"""Small known data for the briefing, every figure checkable by hand.

``seed_month``: October 2026 (with September 2026): CMCC and CUCC report; CTCC and CBN do not.
``seed_november``: November 2026 (with October 2026), the month of issue 11: a province change of
−0.088 points, CTCC's 93.962 %, a returned report (CBN) with ledger rows, a late report (CUCC),
an open complaint past its window, an order whose report came in on time.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from supervision.casework.models import InspectionFinding, RectificationOrder, RectificationReport
from supervision.core.models import City, Operator, Period, ViolationCategory
from supervision.reporting import submissions
from supervision.reporting.models import ComplaintRecord, TypicalCase
from supervision.reporting.summaries import refresh_complaint_counts
from tests.builders import complaint, report

SHANGHAI = ZoneInfo("Asia/Shanghai")

OCT = dt.date(2026, 10, 1)
SEP = dt.date(2026, 9, 1)


def seed_month():
    """Returns the October period; the figures are in the docstrings of the tests that use them."""
    cmcc_oct = report("CMCC", "2026-10", {
        "370100": {"auth_code_requests": 1000, "port_out_applications": 800, "port_out_completed": 760, "port_in_completed": 500, "subscribers_10k": 300},
        "370200": {"auth_code_requests": 500, "port_out_applications": 200, "port_out_completed": 140, "port_in_completed": 600, "subscribers_10k": 200},
    })  # fmt: skip
    report("CUCC", "2026-10", {
        "370100": {"auth_code_requests": 400, "port_out_applications": 300, "port_out_completed": 291, "port_in_completed": 350},
    }, at=dt.datetime(2026, 11, 3, 9, tzinfo=SHANGHAI))  # fmt: skip
    report("CMCC", "2026-09", {
        "370100": {"auth_code_requests": 900, "port_out_applications": 700, "port_out_completed": 630, "port_in_completed": 400},
    }, at=dt.datetime(2026, 9, 30, 12, tzinfo=SHANGHAI))  # fmt: skip
    report("CUCC", "2026-09", {
        "370100": {"auth_code_requests": 300, "port_out_applications": 250, "port_out_completed": 245, "port_in_completed": 300},
    }, at=dt.datetime(2026, 9, 30, 12, tzinfo=SHANGHAI))  # fmt: skip
    ComplaintRecord.objects.bulk_create([
        complaint("CMCC", "A1", dt.date(2026, 10, 1), resolved=dt.date(2026, 10, 16)),
        complaint("CMCC", "A2", dt.date(2026, 10, 2), resolved=dt.date(2026, 10, 18)),
        complaint("CMCC", "A3", dt.date(2026, 10, 31), city="370200", category="SVC"),
        complaint("CMCC", "A4", dt.date(2026, 9, 30)),
        complaint("CUCC", "B1", dt.date(2026, 10, 5), category="BL2", resolved=dt.date(2026, 10, 9)),
        complaint("CUCC", "B2", dt.date(2026, 9, 5), category="BL2"),
        complaint("CUCC", "B3", dt.date(2026, 3, 5), category="BL3"),
    ])  # fmt: skip
    refresh_complaint_counts()
    TypicalCase.objects.create(
        submission=cmcc_oct,
        title="用户投诉授权码未下发",
        city=City.objects.get(code="370200"),
        what_happened="用户申请携出后未收到授权码短信，向管局投诉。",
        handling="核实为短信网关故障，已补发授权码并向用户致歉。",
    )
    cmcc = Operator.objects.get(code="CMCC")
    jinan = City.objects.get(code="370100")
    common = {
        "operator": cmcc,
        "city": jinan,
        "channel": "STORE",
        "scenario": "咨询携转",
        "agency": "测评中心",
    }
    bl1 = ViolationCategory.objects.get(code="BL1")
    InspectionFinding.objects.bulk_create([
        InspectionFinding(visit_date=dt.date(2026, 10, 3), method="MYSTERY_SHOPPER", violation=True, clause=bl1, severity="MAJOR", state="published", **common),
        InspectionFinding(visit_date=dt.date(2026, 10, 9), method="MYSTERY_SHOPPER", violation=False, state="published", **common),
        InspectionFinding(visit_date=dt.date(2026, 10, 12), method="OPEN", violation=True, clause=bl1, severity="MINOR", state="draft", **common),
    ])  # fmt: skip
    RectificationOrder.objects.create(
        operator=cmcc,
        document_no="鲁通管〔2026〕7号",
        title="营业厅设限阻挠携出整改",
        requirements="立即整改",
        severity="MAJOR",
        deadline=dt.datetime(2026, 10, 20, 23, 59, tzinfo=SHANGHAI),
        state="issued",
        issued_at=dt.datetime(2026, 10, 5, 10, tzinfo=SHANGHAI),
    )
    RectificationOrder.objects.create(
        operator=cmcc,
        title="未下发的草稿",
        requirements="—",
        severity="MINOR",
        deadline=dt.datetime(2026, 10, 20, 23, 59, tzinfo=SHANGHAI),
        state="draft",
    )
    return Period.objects.from_label("2026-10")


# --- November 2026 --------------------------------------------------------------------------------

NOV = dt.date(2026, 11, 1)
# The briefing is drafted on 5 December 2026 (reports were due at the end of 30 November).
NOV_NOW = dt.datetime(2026, 12, 5, 10, tzinfo=SHANGHAI)
ON_TIME = dt.datetime(2026, 11, 30, 12, tzinfo=SHANGHAI)
# October's province port-outs completed of 125,000 applications: 93.388 % (November: 93.300 %).
OCT_COMPLETED = 116_735


def seed_november(regulator, *, october_completed=OCT_COMPLETED):
    """November 2026; returns its period.

    Port-outs completed / applications (the counted reports):

    ======  ===================  ==============================  ==================
    who     October              November                        report
    ======  ===================  ==============================  ==================
    CMCC    46,700 / 50,000      27,600 / 30,000 = 92.000 %      on time
    CUCC    23,300 / 25,000      18,719 / 20,000 = 93.595 %      late (2 December)
    CTCC    rest / 50,000        46,981 / 50,000 = 93.962 %      on time
    CBN     —                    5,000 / 10,000 (not counted)    returned
    全省    93.388 %             93,300 / 100,000 = 93.300 %
    ======  ===================  ==============================  ==================

    Subscribers (10,000): CMCC 1,000, CUCC 500, CTCC 500, CBN 100. November complaints: CMCC 3
    (one timely, one open past its window, one whose window is still open), CUCC 1 (timely),
    CBN 2 (left out of the province rates). Covert visits (CMCC): 2, one with a finding;
    mystery-shopper visits (CMCC): 1 with a finding. Orders due 20 November: one without a report
    (overdue), one with its report in on 19 November (awaiting verification, not overdue).
    """
    october_rows = {
        "CMCC": (50_000, 46_700),
        "CUCC": (25_000, 23_300),
        "CTCC": (50_000, october_completed - 46_700 - 23_300),
    }
    for code, (applications, completed) in october_rows.items():
        report(code, "2026-10", {"370100": {"port_out_applications": applications, "port_out_completed": completed,
                                            "auth_code_requests": applications + 1_000}}, at=dt.datetime(2026, 10, 30, 12, tzinfo=SHANGHAI))  # fmt: skip
    november_rows = {
        "CMCC": (30_000, 27_600, 1_000, ON_TIME),
        "CUCC": (20_000, 18_719, 500, dt.datetime(2026, 12, 2, 9, tzinfo=SHANGHAI)),
        "CTCC": (50_000, 46_981, 500, ON_TIME),
        "CBN": (10_000, 5_000, 100, ON_TIME),
    }
    reports = {}
    for code, (applications, completed, subscribers, at) in november_rows.items():
        reports[code] = report(code, "2026-11", {"370100": {
            "port_out_applications": applications, "port_out_completed": completed,
            "auth_code_requests": applications + 2_000, "port_in_completed": completed,
            "subscribers_10k": subscribers}}, at=at)  # fmt: skip
    with _clock(dt.datetime(2026, 12, 3, 9, tzinfo=SHANGHAI)):
        submissions.return_to_operator(reports["CBN"], user=regulator, comment="济南市携出数据与系统记录不符")
    TypicalCase.objects.create(
        submission=reports["CBN"],
        title="退回月报中的案例",
        city=City.objects.get(code="370100"),
        what_happened="—",
        handling="—",
    )
    ComplaintRecord.objects.bulk_create([
        complaint("CMCC", "N1", dt.date(2026, 11, 2), resolved=dt.date(2026, 11, 10)),
        complaint("CMCC", "N2", dt.date(2026, 11, 3)),  # open, its window closed on 18 November: late
        complaint("CMCC", "N3", dt.date(2026, 11, 25)),  # open, its window still open on 5 December
        complaint("CUCC", "N4", dt.date(2026, 11, 5), category="BL2", resolved=dt.date(2026, 11, 12)),
        complaint("CBN", "N5", dt.date(2026, 11, 4)),
        complaint("CBN", "N6", dt.date(2026, 11, 6), category="SVC"),
    ])  # fmt: skip
    refresh_complaint_counts()
    cmcc = Operator.objects.get(code="CMCC")
    common = {"operator": cmcc, "city": City.objects.get(code="370100"), "channel": "STORE",
              "scenario": "咨询携转", "agency": "测评中心", "state": "published"}  # fmt: skip
    bl1 = ViolationCategory.objects.get(code="BL1")
    InspectionFinding.objects.bulk_create([
        InspectionFinding(visit_date=dt.date(2026, 11, 3), method="COVERT", violation=True, clause=bl1, severity="MAJOR", **common),
        InspectionFinding(visit_date=dt.date(2026, 11, 4), method="COVERT", violation=False, **common),
        InspectionFinding(visit_date=dt.date(2026, 11, 9), method="MYSTERY_SHOPPER", violation=True, clause=bl1, severity="MINOR", **common),
    ])  # fmt: skip
    deadline = dt.datetime(2026, 11, 20, 23, 59, tzinfo=SHANGHAI)
    issued = dt.datetime(2026, 11, 6, 10, tzinfo=SHANGHAI)
    RectificationOrder.objects.create(
        operator=cmcc, document_no="鲁通管〔2026〕21号", title="营业厅设限阻挠携出整改", requirements="立即整改",
        severity="MAJOR", deadline=deadline, state="issued", issued_at=issued,
    )  # fmt: skip
    awaiting = RectificationOrder.objects.create(
        operator=cmcc, document_no="鲁通管〔2026〕22号", title="携转提示不到位整改", requirements="完善提示",
        severity="MINOR", deadline=deadline, state="report_submitted", issued_at=issued,
    )  # fmt: skip
    RectificationReport.objects.create(
        order=awaiting, number=1, text="已完善提示", submitted_by=regulator,
        submitted_at=dt.datetime(2026, 11, 19, 16, tzinfo=SHANGHAI),
    )  # fmt: skip
    return Period.objects.from_label("2026-11")


def _clock(moment):
    import time_machine

    return time_machine.travel(moment, tick=False)

"""A month of small known data for the briefing: October 2026, September 2026 and October 2025.

CMCC and CUCC report; CTCC and CBN do not. Complaints, findings, orders and a typical case are
few enough that every figure can be checked by hand.
"""

import datetime as dt

from supervision.casework.models import InspectionFinding, RectificationOrder
from supervision.core.models import City, Operator, Period, ViolationCategory
from supervision.reporting.models import ComplaintRecord, TypicalCase
from supervision.reporting.summaries import refresh_complaint_counts
from tests.analytics.test_indicators import SHANGHAI, complaint, report

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

"""A small world whose every indicator of DOMAIN.md is computed by hand, for the tests that find
the same figure on every surface (home, operator and city pages, charts, exports, the briefing).

    world = build_world()            # inside a test with the db, the clock pinned at NOW
    world.expected[("port_out_success", "CUCC", NOV)]   # "94.0": the figure as printed

Pin the clock with ``@time_machine.travel(NOW, tick=False)`` (or ``pinned()``): the 15-day
windows and the orders' outcomes are judged at NOW, 2 December 2026 10:00 Asia/Shanghai.

What it holds, November 2026 (the month the figures are read for) and October 2026:

- CMCC: a counted report for both months, certified late for November (after the due time).
- CUCC: November's first version certified on time, then a corrected version (the first is
  superseded and never counts); its port-out success rate is 4,980 / 5,300 = 93.962 %, which
  rounds to 94.0 (truncating would say 93.9).
- CTCC: November's report certified and then returned by the administration: it counts nowhere,
  though CTCC has ledger rows.
- CBN: no report for November, but ledger rows.
- The ledger: complaints resolved in 15 days, in 16, still open after their window (late), and
  received too recently for their window to have closed (not counted by the 15日办结率).
- Findings: covert (暗访) and mystery-shopper (第三方体验) visits, two separate indicators.
- Orders with deadlines in November: verified after an on-time report (on time), an on-time
  report past its deadline still awaiting verification (pending), no report (late), a report
  after the deadline (late).
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import time_machine

from supervision.casework.models import (
    InspectionFinding,
    OrderState,
    RectificationOrder,
    RectificationReport,
    ReportDecision,
)
from supervision.core.models import City, Operator, Role, User, ViolationCategory
from supervision.reporting import submissions
from supervision.reporting.models import ComplaintRecord
from supervision.reporting.summaries import refresh_complaint_counts
from tests.builders import complaint, report

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=SHANGHAI)
NOV = dt.date(2026, 11, 1)
OCT = dt.date(2026, 10, 1)
PROVINCE = "PROVINCE"


def pinned():
    """The clock of the world: ``with pinned(): …`` or ``@pinned()``."""
    return time_machine.travel(NOW, tick=False)


def at(month, day, hour=12, minute=0):
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@dataclass
class World:
    regulator: User
    reports: dict = field(default_factory=dict)  # (operator code, "YYYY-MM") → counted version
    returned: dict = field(default_factory=dict)
    # (indicator code, operator code or PROVINCE, month) → the figure as every surface prints it
    # (English/Chinese number format alike: these have no thousands separator).
    expected: dict = field(default_factory=dict)
    # (indicator code, operator code or PROVINCE, month) → (numerator, denominator)
    parts: dict = field(default_factory=dict)
    # The operators a November province figure leaves out, as the page names them (Chinese).
    left_out_zh: str = "未计入：中国电信（已退回）；中国广电（未报送）"
    left_out_en: str = "Not counted: China Telecom (returned); China Broadnet (not reported)"


def _report(code, label, rows, certified_at):
    return report(code, label, rows, at=certified_at)


def _complaint(code, no, received, resolved=None, city="370100", category="BL1"):
    return complaint(
        code, no, received, city=city, category=category, resolved=resolved, summary="携号转网投诉"
    )


def _visits(code, method, visits, found, city="370100", day=12):
    operator = Operator.objects.get(code=code)
    jinan = City.objects.get(code=city)
    clause = ViolationCategory.objects.get(code="BL2")
    return [
        InspectionFinding(
            operator=operator,
            city=jinan,
            visit_date=dt.date(2026, 11, day),
            channel="STORE",
            method=method,
            scenario="咨询携转",
            violation=n < found,
            clause=clause if n < found else None,
            agency="测评中心",
            state="published",
        )
        for n in range(visits)
    ]


def _order(code, deadline, title, regulator, report_at=None, verified_at=None):
    state = (
        OrderState.VERIFIED
        if verified_at
        else (OrderState.REPORT_SUBMITTED if report_at else OrderState.ISSUED)
    )
    order = RectificationOrder.objects.create(
        operator=Operator.objects.get(code=code),
        title=title,
        requirements="按期整改",
        severity="MAJOR",
        deadline=deadline,
        state=state,
        issued_at=deadline - dt.timedelta(days=20),
        closed_at=verified_at,
    )
    if report_at:
        RectificationReport.objects.create(
            order=order,
            number=1,
            text="已整改",
            submitted_by=regulator,
            submitted_at=report_at,
            decision=ReportDecision.VERIFIED if verified_at else ReportDecision.PENDING,
            decided_by=regulator if verified_at else None,
            decided_at=verified_at,
        )
    return order


def build_world() -> World:
    """Create the world in the test database (call with the clock pinned at ``NOW``)."""
    regulator = User.objects.create_user(
        username="world-staff", password="Correct-Horse-42", role=Role.REGULATOR_STAFF
    )
    world = World(regulator)

    # --- Monthly reports ------------------------------------------------------------------------
    world.reports["CMCC", "2026-10"] = _report(
        "CMCC",
        "2026-10",
        {"370100": {"auth_code_requests": 1200, "port_out_applications": 1000, "port_out_completed": 934,
                    "port_in_completed": 800, "subscribers_10k": 300}},
        at(10, 31),
    )  # fmt: skip
    world.reports["CUCC", "2026-10"] = _report(
        "CUCC",
        "2026-10",
        {"370100": {"auth_code_requests": 6000, "port_out_applications": 5300, "port_out_completed": 4978,
                    "port_in_completed": 4000, "subscribers_10k": 250}},
        at(10, 31),
    )  # fmt: skip
    # CMCC certifies November after the due time (30 November 23:59:59): counted, not on time.
    world.reports["CMCC", "2026-11"] = _report(
        "CMCC",
        "2026-11",
        {
            "370100": {"auth_code_requests": 1000, "port_out_applications": 800, "port_out_completed": 760,
                       "port_in_completed": 500, "subscribers_10k": 300},
            "370200": {"auth_code_requests": 500, "port_out_applications": 200, "port_out_completed": 140,
                       "port_in_completed": 600, "subscribers_10k": 200},
        },
        at(12, 1, 9),
    )  # fmt: skip
    # CUCC: a first version on time, superseded by a corrected one the next day.
    _report(
        "CUCC",
        "2026-11",
        {"370100": {"auth_code_requests": 1, "port_out_applications": 9999, "port_out_completed": 1,
                    "subscribers_10k": 1}},
        at(11, 30, 20),
    )  # fmt: skip
    world.reports["CUCC", "2026-11"] = _report(
        "CUCC",
        "2026-11",
        {"370100": {"auth_code_requests": 6000, "port_out_applications": 5300, "port_out_completed": 4980,
                    "port_in_completed": 4000, "subscribers_10k": 250}},
        at(12, 1, 12),
    )  # fmt: skip
    # CTCC: certified on time, then returned: counts nowhere.
    ctcc = _report(
        "CTCC",
        "2026-11",
        {"370100": {"auth_code_requests": 900, "port_out_applications": 800, "port_out_completed": 700,
                    "port_in_completed": 100, "subscribers_10k": 400}},
        at(11, 30, 18),
    )  # fmt: skip
    with time_machine.travel(at(12, 1, 15), tick=False):
        world.returned["CTCC", "2026-11"] = submissions.return_to_operator(
            ctcc, user=regulator, comment="数据与台账不符，请更正后重新报送。"
        )

    # --- The complaint ledger -------------------------------------------------------------------
    d = dt.date
    ComplaintRecord.objects.bulk_create(
        [
            _complaint("CMCC", "A1", d(2026, 11, 1), d(2026, 11, 16)),  # day 15: timely
            _complaint("CMCC", "A2", d(2026, 11, 2), d(2026, 11, 18)),  # day 16: late
            _complaint(
                "CMCC", "A3", d(2026, 11, 10), city="370200", category="SVC"
            ),  # open after window: late
            _complaint("CMCC", "A4", d(2026, 11, 20)),  # window open until 5 Dec: not counted yet
            _complaint("CMCC", "A5", d(2026, 11, 16), d(2026, 11, 25)),  # window closed 1 Dec: timely
            _complaint("CUCC", "B1", d(2026, 11, 3), d(2026, 11, 5)),  # timely
            _complaint("CUCC", "B2", d(2026, 11, 25)),  # window open
            _complaint("CTCC", "C1", d(2026, 11, 4)),  # returned report: left out
            _complaint("CBN", "D1", d(2026, 11, 5)),  # no report: left out
            _complaint("CBN", "D2", d(2026, 11, 6), d(2026, 11, 7)),
            _complaint("CMCC", "E1", d(2026, 10, 5), d(2026, 10, 8)),  # October
        ]
    )
    refresh_complaint_counts()

    # --- Inspections ------------------------------------------------------------------------------
    InspectionFinding.objects.bulk_create(
        _visits("CMCC", "COVERT", 3, 1)
        + _visits("CMCC", "MYSTERY_SHOPPER", 2, 2)
        + _visits("CUCC", "MYSTERY_SHOPPER", 4, 1)
    )

    # --- Rectification orders due in November ----------------------------------------------------
    _order("CMCC", at(11, 10, 23, 59), "按期整改并验收", regulator, at(11, 9), at(11, 12))
    _order("CMCC", at(11, 20, 23, 59), "按期报告待验收", regulator, at(11, 19))  # pending
    _order("CMCC", at(11, 25, 23, 59), "逾期未报告", regulator)  # late
    _order("CUCC", at(11, 30, 23, 59), "逾期报告", regulator, at(12, 1, 9), at(12, 1, 16))  # late

    # --- The figures, by hand ---------------------------------------------------------------------
    e, p = world.expected, world.parts

    def put(code, who, text, parts=None, month=NOV):
        e[(code, who, month)] = text
        if parts:
            p[(code, who, month)] = parts

    # 携出成功率: completed / applications.
    put("port_out_success", "CMCC", "90.0", (900, 1000))  # (760 + 140) / (800 + 200)
    put("port_out_success", "CUCC", "94.0", (4980, 5300))  # 93.962 %: truncating says 93.9
    put("port_out_success", PROVINCE, "93.3", (5880, 6300))  # 93.333 %
    put("port_out_success", "CMCC", "93.4", (934, 1000), OCT)
    put("port_out_success", "CUCC", "93.9", (4978, 5300), OCT)  # 93.925 %
    put("port_out_success", PROVINCE, "93.8", (5912, 6300), OCT)  # 93.841 %
    # 授权码转化率: applications / codes.
    put("auth_conversion", "CMCC", "66.7", (1000, 1500))
    put("auth_conversion", "CUCC", "88.3", (5300, 6000))
    put("auth_conversion", PROVINCE, "84.0", (6300, 7500))
    # 每万件携出申请投诉量: complaints × 10,000 / applications (CTCC, CBN left out).
    put("complaint_rate", "CMCC", "50.00", (5, 1000))
    put("complaint_rate", "CUCC", "3.77", (2, 5300))  # 3.7736
    put("complaint_rate", PROVINCE, "11.11", (7, 6300))
    # 每百万用户投诉量: complaints × 100 / subscribers (10,000).
    put("complaints_per_million", "CMCC", "1.00", (5, 500))
    put("complaints_per_million", "CUCC", "0.80", (2, 250))
    put("complaints_per_million", PROVINCE, "0.93", (7, 750))  # 0.9333
    # 15日办结率: windows closed before 17 November's complaints; open after the window is late.
    put("timely_resolution", "CMCC", "50.0", (2, 4))  # A1, A5 timely; A2, A3 late; A4 not due
    put("timely_resolution", "CUCC", "100.0", (1, 1))  # B1; B2 not due
    put("timely_resolution", PROVINCE, "60.0", (3, 5))
    # 净携入量: port-ins − port-outs completed.
    put("net_porting", "CMCC", "200")
    put("net_porting", "CUCC", "-980")
    put("net_porting", PROVINCE, "-780")
    # 暗访违规率 and 第三方体验违规率: two indicators.
    put("covert_violation", "CMCC", "33.3", (1, 3))
    put("covert_violation", PROVINCE, "33.3", (1, 3))
    put("mystery_violation", "CMCC", "100.0", (2, 2))
    put("mystery_violation", "CUCC", "25.0", (1, 4))
    put("mystery_violation", PROVINCE, "50.0", (3, 6))
    # 整改按期完成率 by deadline month: on time / due; the pending one is not on time.
    put("rectification_on_time", "CMCC", "33.3", (1, 3))
    put("rectification_on_time", "CUCC", "0.0", (0, 1))
    put("rectification_on_time", PROVINCE, "25.0", (1, 4))
    # 报送完整率 / 按时报送率: 4 operators expected.
    put("reporting_completeness", "CMCC", "100", (1, 1))
    put("reporting_completeness", "CUCC", "100", (1, 1))
    put("reporting_completeness", "CTCC", "0", (0, 1))
    put("reporting_completeness", "CBN", "0", (0, 1))
    put("reporting_completeness", PROVINCE, "50", (2, 4))
    put("reporting_timeliness", "CMCC", "0", (0, 1))  # certified after the due time
    put("reporting_timeliness", "CUCC", "100", (1, 1))  # its first certified version was on time
    put("reporting_timeliness", PROVINCE, "25", (1, 4))
    return world


# Changes against October, computed from the unrounded values: CUCC 93.962 − 93.925 = +0.04
# rounds to zero (持平/flat); the province 93.333 − 93.841 = −0.51 (−0.5).
EXPECTED_CHANGES = {
    ("port_out_success", "CUCC"): ("flat", "持平"),
    ("port_out_success", PROVINCE): ("−0.5", "−0.5"),
    ("port_out_success", "CMCC"): ("−3.4", "−3.4"),
}

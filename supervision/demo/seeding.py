"""``seed``: the whole demo in one transaction, step by step, with its progress printed.

The reports and the ledger go in first, in bulk (the casework grounds an order on the ledger's
complaints); then the casework and the meetings, through their services at the story's moments;
the incidents and the task forces last. Nothing is mailed (``base.offline``).
"""

from __future__ import annotations

import datetime as dt
import time

from django.db import transaction

from supervision.reporting.summaries import refresh_complaint_counts

from . import accounts, casework, meetings, reporting
from .base import Demo, SeedResult, offline
from .province import MONTHS, OPERATOR_CODES, build_plan

DEFAULT_SEED = 20191201  # the month the provincial rules took effect
DEFAULT_COMPLAINTS = 45_000
LARGE_COMPLAINTS = 1_000_000


def seed(
    *,
    seed: int = DEFAULT_SEED,
    complaints: int = DEFAULT_COMPLAINTS,
    now: dt.datetime | None = None,
    progress=None,
) -> SeedResult:
    """Store the demo data; the caller checks that the database holds no reports yet."""
    demo = Demo(seed=seed, complaints=complaints, now=now, progress=progress)
    steps = 8
    with offline():
        demo.load_reference()
        with transaction.atomic():
            accounts.create_accounts(demo)
            created = sum(a.created for a in demo.result.accounts)
            demo.say(1, steps, f"演示账号 Demo accounts: {created} 个新建 created")
            demo.plan = build_plan(seed=demo.seed, complaints=demo.target, last_month=demo.last_period.month)
            demo.say(
                2,
                steps,
                f"月报计划 Report plan: {MONTHS} 个月 months, 投诉约 about {demo.plan.total_complaints():,} 件 complaints",
            )
            for op in OPERATOR_CODES:
                reports, count = reporting.create_reports(demo, op)
                demo.say(
                    3,
                    steps,
                    f"月报与投诉台账 Reports and ledger {op}: {reports} 份 reports, {count:,} 件 complaints",
                )
            before = demo.steps
            casework.create_casework(demo)
            demo.say(
                4,
                steps,
                "明察暗访、整改通知与约谈 Findings, rectification orders and interviews: "
                f"{demo.steps - before} 步 steps",
            )
            before = demo.steps
            meetings.create_meetings(demo)
            demo.say(5, steps, f"会商会 Consultation meetings: {demo.steps - before} 步 steps")
            reporting.create_incidents(demo)
            demo.say(6, steps, "重大问题 Incidents")
            accounts.create_task_forces(demo)
            demo.say(7, steps, "工作专班 Task forces")
    # The dashboard reads the ledger's monthly counts; the ledger was written in bulk.
    refresh_complaint_counts()
    demo.result.seconds = time.monotonic() - demo.started
    demo.say(8, steps, "完成 Done")
    return demo.result

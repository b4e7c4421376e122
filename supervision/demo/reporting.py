"""The demo's monthly reports and complaint ledger, written in bulk: three years, four operators.

Every figure agrees with the rows behind it: a city's ``complaints_received`` is the number of
ledger rows received that month, ``complaints_resolved`` and ``avg_resolution_hours`` are those
resolved by the day of the report. Rows are built in memory and written with ``bulk_create``;
the ledger is written per (operator, month), so a million complaints never sit in memory at once.
The last complete month is not finished: CMCC on time, CUCC late, CTCC returned, CBN missing.

The incidents (one open in Weifang now, one recovered awaiting the administration's review, one
closed) are told here too, through ``reporting.incidents`` at their moments; the ledger's monthly
counts (``reporting.summaries``) are refreshed once everything is stored (``seeding``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from supervision.core.dates import local_date, month_end
from supervision.core.models import Period
from supervision.reporting import incidents
from supervision.reporting.models import (
    Channel,
    CityFigures,
    ComplaintRecord,
    ComplaintRevision,
    ComplaintStatus,
    Incident,
    LedgerUpload,
    MonthlySubmission,
    Satisfaction,
    SubmissionState,
    TypicalCase,
)

from .base import Demo, Story
from .province import (
    CATEGORY_WEIGHTS,
    CITY_CODES,
    OPERATORS,
    SPIKE_CATEGORY,
    SPIKE_OPERATOR,
    at,
    cumulative,
    month_label_zh,
    pick_city,
)

# At most this many rows per INSERT; SQLite lowers it further to its 999-variable limit.
BATCH_SIZE = 5000

CHANNEL_WEIGHTS = {
    Channel.HOTLINE: 0.34, Channel.MIIT: 0.20, Channel.STORE: 0.16, Channel.ONLINE: 0.12, Channel.CA: 0.10,
    Channel.OTHER: 0.05, Channel.MEDIA: 0.03,
}  # fmt: skip
SATISFACTION_WEIGHTS = {
    Satisfaction.SATISFIED: 0.56, Satisfaction.PARTLY: 0.24, Satisfaction.UNSATISFIED: 0.08,
    Satisfaction.UNKNOWN: 0.12,
}  # fmt: skip

# --- Texts ------------------------------------------------------------------------------------

COMPLAINT_SUMMARIES = {
    "BL1": [
        "用户在{city}营业厅申请携出，营业员以“系统故障”为由拒绝受理",
        "用户发送SQXZ短信后长时间未收到授权码，多次重发仍失败",
        "营业员要求用户先变更套餐后才可申请授权码",
        "用户称{city}营业厅要求其回开户地办理携出，增设办理环节",
        "客服称号码存在“业务限制”无法携出，未说明具体原因",
        "用户申请授权码时系统提示“业务受限”，营业员称需先取消融合套餐",
    ],
    "BL2": [
        "申请授权码前未告知融合宽带将一并失效，携出后宽带被停",
        "营业厅要求缴纳违约金后才可携出，用户称无书面协议",
        "营销活动无明确期限，用户被告知处于合约期不能携出",
        "携出前未告知副卡将同时销户，用户副卡无法使用",
        "未提前告知携出后积分清零，用户要求补偿",
        "用户称亲情网业务未解除不能携出，营业员未说明解除方式",
    ],
    "BL3": [
        "营业员称携号转网后原号码无法接收银行验证码",
        "客服称携转后信号会变差、资费会上涨",
        "宣传材料夸大携转风险，称需重新实名并停机三天",
        "营业员称携出后原号码绑定的应用账号全部失效",
    ],
    "BL4": [
        "他网营业员承诺携入即送终身免费流量",
        "用户反映携入用户可享专属低价套餐，新入网用户不能办理",
        "营业员以高额话费补贴劝说用户携入",
    ],
    "BL5": [
        "用户反映营业员称完成携入指标有奖励，反复电话营销",
        "用户多次接到携入推销电话，营业员称与绩效挂钩",
    ],
    "BL6": [
        "用户反映他网营业员诱导其向工信部申诉原运营商",
        "自媒体账号发布不实携转信息并煽动用户集中申诉",
    ],
    "SVC": [
        "携出办理时长超过承诺时限",
        "客服热线多次转接仍未解答携转问题",
        "{city}营业厅营业员对携转流程不熟悉，用户多次往返",
        "携入后部分业务未及时开通",
        "授权码短信延迟到达，用户错过办理时间",
        "营业厅排队时间长，携转业务无专人受理",
    ],
    "OTHER": [
        "咨询携转后积分处理规则",
        "咨询携转后原合约赠送权益如何处理",
        "询问携出后话费余额退还方式",
        "咨询携号转网后号码归属地是否变化",
    ],
}
COMPLAINT_RESOLUTIONS = {
    "BL1": [
        "经核实系营业员操作不规范，已批评教育并协助用户完成携出",
        "已排查系统限制并解除，授权码已重新下发，用户已完成携出",
        "已向用户致歉，安排专人全程协助办理携出",
    ],
    "BL2": [
        "已核实用户无合约，取消违约金并协助办理携出",
        "已向用户详细说明受影响业务并协助妥善处理，用户已完成携出",
        "已为用户补偿积分并致歉",
    ],
    "BL3": [
        "已向用户澄清携转政策，对相关人员批评教育",
        "已更正错误宣传材料，并向用户说明携转后各项业务不受影响",
    ],
    "BL4": [
        "已转交他网运营商核查，向用户说明携入用户与新入网用户同等对待",
        "已核实并报告管局，向用户解释相关政策",
    ],
    "BL5": [
        "已核查相关营销行为并责令停止，向用户致歉",
    ],
    "BL6": [
        "已收集相关证据报送管局，向用户说明情况",
    ],
    "SVC": [
        "已向用户解释并协助办理携出",
        "已督促营业厅优化流程，用户已完成办理",
        "已协调技术部门处理，相关业务已开通",
        "已向用户致歉并说明办理时限",
    ],
    "OTHER": [
        "已向用户说明政策，用户表示理解",
        "已向用户解释相关规则",
    ],
}

TYPICAL_CASES = [
    (
        "{city}用户授权码获取困难",
        "{city}一名用户反映多次发送SQXZ短信未收到授权码。经查为短信网关拥塞导致下发延迟。",
        "协调技术部门扩容短信网关，为用户人工下发授权码，用户次日完成携出。",
    ),
    (
        "融合业务未提前告知引发投诉",
        "{city}一名用户携出后家庭宽带被停，称办理前未被告知融合业务受影响。",
        "向用户致歉，为其保留宽带至月底并协助改办单宽带业务；对营业员开展携转告知规范培训。",
    ),
    (
        "营业员错误告知携转条件",
        "{city}一营业厅营业员告知用户“合约未到期不能携出”，而该用户实际无合约。",
        "核实后当场为用户办理，对营业员批评教育，并在全市营业厅通报。",
    ),
    (
        "老年用户携入后业务开通延迟",
        "{city}一名老年用户携入后亲情号码业务三天未开通，多次到营业厅询问。",
        "安排专人上门服务，当日开通业务；优化携入后业务开通流程。",
    ),
    (
        "用户误解携转后积分规则",
        "{city}一名用户认为携出后积分被“没收”，向工信部申诉。",
        "向用户解释积分规则并协助兑换剩余积分，用户表示满意；在知识库中补充相关问答。",
    ),
    (
        "网络传言引发集中咨询",
        "{city}网络流传“携号转网后银行卡将被冻结”的不实信息，引发用户集中咨询。",
        "及时在官方渠道发布澄清说明，客服热线统一答复口径，舆情已平息。",
    ),
]
NARRATIVE_EXTRAS = [
    "组织全省营业厅开展携号转网服务规范培训{n}场，覆盖一线人员{m}人次。",
    "更新客服知识库携转问答{n}条，统一热线答复口径。",
    "开展携转业务内部暗访{n}次，发现的问题已现场整改。",
    "持续开展舆情监测，本月未发现携转相关负面舆情。",
    "对投诉较多的{city}开展专项督导，逐单复核投诉处理情况。",
    "完善携转投诉单独台账，实行投诉“日清日结”。",
]


@dataclass
class ReportTimes:
    state: str
    created_at: dt.datetime
    uploaded_at: dt.datetime
    confirmed_at: dt.datetime
    submitted_at: dt.datetime
    decided_at: dt.datetime | None


# --- Monthly reports and the ledger ------------------------------------------------------------


def report_times(demo: Demo, op: str) -> list[ReportTimes]:
    rng = demo.rng("times", op)
    prof = OPERATORS[op]
    out = []
    last = len(demo.periods) - 1
    latest = demo.now - dt.timedelta(minutes=10)
    for t, period in enumerate(demo.periods):
        if t < last:
            state, late = SubmissionState.ACCEPTED, rng.random() < prof.late_share
        else:
            state = SubmissionState.RETURNED if op == "CTCC" else SubmissionState.SUBMITTED
            late = op == "CUCC"
        due = period.due_at
        if late:
            # One to four days late, in office hours.
            day = local_date(period.late_after) + dt.timedelta(days=rng.randint(1, 4))
            submitted = at(day, rng.randint(9, 18), rng.randint(0, 59))
        else:
            start = at(period.last_day, 9)
            end = due - dt.timedelta(minutes=20)
            if end <= start:
                start = end - dt.timedelta(hours=6)
            submitted = start + (end - start) * rng.random()
        submitted = min(submitted.replace(second=0, microsecond=0), latest)
        confirmed = submitted - dt.timedelta(minutes=rng.randint(10, 90))
        uploaded = confirmed - dt.timedelta(minutes=rng.randint(3, 30))
        created = uploaded - dt.timedelta(minutes=rng.randint(20, 180))
        decided = None
        if state != SubmissionState.SUBMITTED:
            days = rng.randint(1, 3) if state == SubmissionState.RETURNED else rng.randint(1, 6)
            local = local_date(submitted) + dt.timedelta(days=days)
            decided = at(local, rng.randint(9, 16), rng.randint(0, 59))
            decided = max(min(decided, latest), submitted + dt.timedelta(minutes=1))
        out.append(ReportTimes(state, created, uploaded, confirmed, submitted, decided))
    return out


def receipt_no(rng: random.Random, op: str, period: Period) -> str:
    tail = "".join(rng.choice("23456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(6))
    return f"SD-{period.month:%Y%m}-{op}-V1-{tail}"


def create_reports(demo: Demo, op: str) -> tuple[int, int]:
    """One operator's 36 reports with their figures, typical cases and complaint ledger."""
    operator = demo.operators[op]
    staff_user, manager = demo.operator_user(op), demo.manager(op)
    times = report_times(demo, op)
    indexes = list(demo.plan.reports(op))
    rng = demo.rng("reports", op)
    incident_month = demo.plan.last - 9

    submissions = []
    receipts = set()
    for t in indexes:
        period, tm = demo.periods[t], times[t]
        receipt = receipt_no(rng, op, period)
        while receipt in receipts:
            receipt = receipt_no(rng, op, period)
        receipts.add(receipt)
        submissions.append(
            MonthlySubmission(
                operator=operator,
                period=period,
                version=1,
                state=tm.state,
                major_problem=op == "CMCC" and t == incident_month,
                receipt_no=receipt,
                created_by=staff_user,
                confirmed_at=tm.confirmed_at,
                certified_by=manager,
                submitted_at=tm.submitted_at,
                decided_by=demo.staff if tm.decided_at else None,
                decided_at=tm.decided_at,
                return_comment=(
                    "典型案例描述过于简略，未写明处理结果；青岛市投诉办结量较上月明显下降，"
                    "请补充说明原因后重新报送。"
                    if tm.state == SubmissionState.RETURNED
                    else ""
                ),
            )
        )
    MonthlySubmission.objects.bulk_create(submissions, batch_size=BATCH_SIZE)
    uploads = [
        LedgerUpload(
            operator=operator,
            submission=submission,
            uploaded_by=staff_user,
            file_name=f"携号转网投诉台账_{op}_{submission.period.label}.xlsx",
            sha256=hashlib.sha256(f"{demo.seed}:{op}:{submission.period.label}".encode()).hexdigest(),
        )
        for submission in submissions
    ]
    LedgerUpload.objects.bulk_create(uploads, batch_size=BATCH_SIZE)
    upload_by_t = dict(zip(indexes, uploads, strict=True))

    figures, cases, complaints = [], [], 0
    for i, t in enumerate(indexes):
        stats = create_ledger(demo, op, t, upload_by_t[t], upload_by_t.get(t + 1), times)
        complaints += sum(s[0] for s in stats.values())
        month_figures = []
        for city in CITY_CODES:
            cell = demo.plan.cells[(op, t, city)]
            received, resolved, hours = stats.get(city, (0, 0, 0))
            month_figures.append(
                CityFigures(
                    submission=submissions[i],
                    city=demo.cities[city],
                    auth_code_requests=cell.auth_code_requests,
                    port_out_applications=cell.port_out_applications,
                    port_out_completed=cell.port_out_completed,
                    port_out_failed=cell.port_out_failed,
                    port_in_applications=cell.port_in_applications,
                    port_in_completed=cell.port_in_completed,
                    complaints_received=received,
                    complaints_resolved=resolved,
                    avg_resolution_hours=(
                        (Decimal(hours) / resolved).quantize(Decimal("0.01")) if resolved else None
                    ),
                    subscribers_10k=cell.subscribers_10k,
                    eligibility_queries=cell.eligibility_queries,
                    failed_not_real_name=cell.failed[0],
                    failed_arrears=cell.failed[1],
                    failed_contract=cell.failed[2],
                    failed_120_days=cell.failed[3],
                    failed_other=cell.failed[4],
                )
            )
        figures.extend(month_figures)
        submissions[i].narrative = narrative(demo, op, t, month_figures, rng)
        for _ in range(typical_case_count(rng, op)):
            title, what, handling = rng.choice(TYPICAL_CASES)
            city = pick_city(rng)
            name = demo.cities[city].name_zh
            cases.append(
                TypicalCase(
                    submission=submissions[i],
                    title=title.format(city=name),
                    city=demo.cities[city],
                    what_happened=what.format(city=name),
                    handling=handling,
                )
            )
    CityFigures.objects.bulk_create(figures, batch_size=BATCH_SIZE)
    TypicalCase.objects.bulk_create(cases, batch_size=BATCH_SIZE)
    # auto_now_add stamped "now" on insert; put back the times the story needs.
    for submission, t in zip(submissions, indexes, strict=True):
        submission.created_at = times[t].created_at
    MonthlySubmission.objects.bulk_update(submissions, ["created_at", "narrative"], batch_size=500)
    for t, upload in upload_by_t.items():
        upload.uploaded_at = times[t].uploaded_at
    LedgerUpload.objects.bulk_update(uploads, ["uploaded_at", "rows_added", "rows_updated"], batch_size=500)
    return len(submissions), complaints


def typical_case_count(rng: random.Random, op: str) -> int:
    mean = OPERATORS[op].typical_cases
    roll = rng.random()
    return 0 if roll < 1 - mean / 1.5 else (1 if roll < 1 - mean / 5 else 2)


def create_ledger(demo: Demo, op, t, upload, next_upload, times) -> dict[str, tuple[int, int, int]]:
    """The month's complaint rows, written in one go; returns per city (received, resolved by
    the report day, hours to resolve them in total).

    A complaint's stored state is what the latest upload that covers it said: resolved by the
    report day → resolved in this upload; resolved later → open here, resolved in the next
    month's upload (one revision); no next upload yet → still open.
    """
    rng = demo.rng("ledger", op, demo.plan.months[t].isoformat())
    prof = OPERATORS[op]
    month = demo.plan.months[t]
    days = [month + dt.timedelta(days=i) for i in range(month_end(month).day)]
    day_cum = cumulative(1.0 if d.weekday() < 5 else 0.65 for d in days)
    cutoff = local_date(times[t].uploaded_at)
    next_cutoff = local_date(times[t + 1].uploaded_at) if next_upload else None
    delay_cum = cumulative(math.exp(-(d - 1) / prof.resolution_days) for d in range(1, 21))
    categories = list(CATEGORY_WEIGHTS)
    category_cum = cumulative(CATEGORY_WEIGHTS.values())
    channels = list(CHANNEL_WEIGHTS)
    channel_cum = cumulative(CHANNEL_WEIGHTS.values())
    satisfactions = list(SATISFACTION_WEIGHTS)
    satisfaction_cum = cumulative(SATISFACTION_WEIGHTS.values())

    rows = []
    for city in CITY_CODES:
        cell = demo.plan.cells[(op, t, city)]
        n = cell.complaints + cell.spike
        if not n:
            continue
        name = demo.cities[city].name_zh
        cats = (
            rng.choices(categories, cum_weights=category_cum, k=cell.complaints)
            + [SPIKE_CATEGORY] * cell.spike
        )
        received = rng.choices(days, cum_weights=day_cum, k=n)
        chans = rng.choices(channels, cum_weights=channel_cum, k=n)
        delays = rng.choices(range(1, 21), cum_weights=delay_cum, k=n)
        sats = rng.choices(satisfactions, cum_weights=satisfaction_cum, k=n)
        prefixes = rng.choices(prof.prefixes, k=n)
        for i in range(n):
            cat = cats[i]
            rows.append(
                (
                    received[i],
                    rng.random(),
                    city,
                    cat,
                    chans[i],
                    delays[i],
                    sats[i],
                    f"{prefixes[i]}****{rng.randrange(10_000):04d}",
                    rng.choice(COMPLAINT_SUMMARIES[cat]).format(city=name),
                    rng.choice(COMPLAINT_RESOLUTIONS[cat]),
                )
            )
    # Numbered in the order they were received, as an operator's ledger is.
    rows.sort(key=lambda row: (row[0], row[1]))
    prefix = f"{op}-{month:%Y%m}-"
    objs, revised = [], []
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    city_ids = {code: c.pk for code, c in demo.cities.items()}
    category_ids = {code: c.pk for code, c in demo.categories.items()}
    for seq, (received_on, _tie, city, cat, chan, delay, sat, msisdn, summary, resolution) in enumerate(
        rows, 1
    ):
        resolved_on = received_on + dt.timedelta(days=delay)
        city_stats = stats[city]
        city_stats[0] += 1
        last_upload = upload
        if resolved_on <= cutoff:
            city_stats[1] += 1
            city_stats[2] += delay * 24
        elif next_cutoff and resolved_on <= next_cutoff:
            last_upload = next_upload
        else:
            resolved_on = None
        record = ComplaintRecord(
            operator_id=upload.operator_id,
            complaint_no=f"{prefix}{seq:06d}",
            received_on=received_on,
            city_id=city_ids[city],
            channel=chan,
            category_id=category_ids[cat],
            msisdn_masked=msisdn,
            summary=summary,
            status=ComplaintStatus.RESOLVED if resolved_on else ComplaintStatus.OPEN,
            resolved_on=resolved_on,
            resolution=resolution if resolved_on else "",
            satisfaction=sat if resolved_on else "",
            first_upload_id=upload.pk,
            last_upload_id=last_upload.pk,
        )
        objs.append(record)
        if last_upload is not upload:
            revised.append(record)
    ComplaintRecord.objects.bulk_create(objs, batch_size=BATCH_SIZE)
    ComplaintRevision.objects.bulk_create(
        [
            ComplaintRevision(
                complaint_id=r.pk,
                upload_id=next_upload.pk,
                changes={
                    "status": [ComplaintStatus.OPEN.value, ComplaintStatus.RESOLVED.value],
                    "resolved_on": [None, r.resolved_on.isoformat()],
                    "resolution": ["", r.resolution],
                    "satisfaction": ["", r.satisfaction],
                },
            )
            for r in revised
        ],
        batch_size=BATCH_SIZE,
    )
    upload.rows_added = len(objs)
    if next_upload:
        next_upload.rows_updated = len(revised)
    return {city: tuple(values) for city, values in stats.items()}


def narrative(demo: Demo, op: str, t: int, figures: list[CityFigures], rng: random.Random) -> str:
    auth = sum(f.auth_code_requests for f in figures)
    apps = sum(f.port_out_applications for f in figures)
    done = sum(f.port_out_completed for f in figures)
    port_in = sum(f.port_in_completed for f in figures)
    received = sum(f.complaints_received for f in figures)
    resolved = sum(f.complaints_resolved for f in figures)
    text = (
        f"{month_label_zh(demo.plan.months[t])}，我公司严格落实《山东省携号转网服务管理细则》，"
        f"携号转网工作总体平稳有序。全省共下发授权码{auth:,}个，受理携出申请{apps:,}笔，"
        f"携出成功{done:,}笔，成功率{done / apps:.1%}；携入成功{port_in:,}笔。"
        f"本月受理携转相关投诉{received:,}件，截至报送时已办结{resolved:,}件。"
    )
    picks = rng.sample(NARRATIVE_EXTRAS, 2)
    city = demo.cities[pick_city(rng)].name_zh
    text += "".join(p.format(n=rng.randint(3, 30), m=rng.randint(200, 3000), city=city) for p in picks)
    if op == "CMCC" and t == demo.plan.last - 9:
        text += "本月发生青岛地区携转系统割接导致授权码短信延迟的重大问题，已按要求即时上报并处置完毕。"
    if op == SPIKE_OPERATOR and t >= demo.plan.last - 1:
        text += "潍坊市携转投诉量明显上升，主要反映授权码申请受阻，已成立专项工作组逐单核查。"
    return text


# -- casework --


# --- Incidents --------------------------------------------------------------------------------


def create_incidents(demo: Demo) -> None:
    """Three major problems, each told through ``reporting.incidents`` at its moments: CUCC's in
    Weifang, open now, with two follow-up reports (续报); CTCC's in Jinan, recovered, asked for
    more by the administration, answered, awaiting its review; CMCC's in Qingdao months ago,
    followed up, recovered and closed."""
    rng = demo.rng("incidents")
    since_open = at(demo.today - dt.timedelta(days=3), 9, 40)
    since_review = at(demo.today - dt.timedelta(days=6), 14, 20)
    old_month = demo.plan.months[demo.plan.last - 9]
    since_closed = at(old_month + dt.timedelta(days=rng.randint(8, 20)), 22, 0)
    affected = 1150 + rng.randrange(120)
    weifang = Incident(
        title="潍坊地区携号转网授权码下发异常",
        description=(
            f"{since_open.month}月{since_open.day}日9时40分起，潍坊市部分用户发送SQXZ短信申请授权码后未收到回复。"
            f"经排查为我公司携转支撑系统与短信网关接口故障，目前影响用户约{affected}户。"
        ),
        city=demo.cities["370700"],
        location="潍坊市全市",
        since=since_open,
        subscribers_affected=affected,
        measures="已启动应急预案，技术人员现场排查接口故障；潍坊市各营业厅开通人工受理通道；对受影响用户逐一短信告知并致歉。",
    )
    jinan = Incident(
        title="济南地区携入用户开户后无法正常拨打电话",
        description="部分携入我公司的济南用户完成开户后，主叫时提示“号码不存在”，经排查为号码路由数据同步延迟。",
        city=demo.cities["370100"],
        location="济南市历下区、市中区",
        since=since_review,
        subscribers_affected=180 + rng.randrange(60),
        measures="人工补录路由数据，受影响用户逐一电话回访。",
    )
    qingdao = Incident(
        title="青岛地区携转系统割接导致授权码短信延迟",
        description="携转支撑系统夜间升级割接后，青岛市授权码短信下发延迟最长约6小时，部分用户未能按时办理携出。",
        city=demo.cities["370200"],
        location="青岛市",
        since=since_closed,
        subscribers_affected=320 + rng.randrange(80),
        measures="回退割接版本并补发授权码；对受影响用户致歉并优先办理；完善割接前的携转业务验证。",
    )
    story = Story(demo)

    def report(incident, op):
        return lambda: incidents.report(incident, operator=demo.operators[op], user=demo.operator_user(op))

    def follow_up(incident, op, text):
        return lambda: incidents.follow_up(incident, user=demo.operator_user(op), text=text)

    def recover(incident, op, recovered_at, cause, measures):
        return lambda: incidents.recover(
            incident, user=demo.manager(op), recovered_at=recovered_at, cause=cause, measures=measures
        )

    # CUCC, Weifang: open, followed up every day.
    story.add(since_open + dt.timedelta(hours=1, minutes=35), report(weifang, "CUCC"))
    story.add(
        since_open + dt.timedelta(days=1, hours=0, minutes=50),
        follow_up(
            weifang,
            "CUCC",
            f"已定位为短信网关接口证书过期，正在更换；人工受理通道已为{affected // 3}户办理授权码。",
        ),
    )
    story.add(
        since_open + dt.timedelta(days=2, hours=1),
        follow_up(weifang, "CUCC", "证书已更换，正在灰度验证；仍有少量用户授权码延迟，预计明日全部恢复。"),
    )
    # CTCC, Jinan: recovered, asked for more, answered; the administration's review is due.
    story.add(since_review + dt.timedelta(minutes=50), report(jinan, "CTCC"))
    story.add(
        since_review + dt.timedelta(days=1, hours=-4),
        recover(
            jinan, "CTCC", since_review + dt.timedelta(hours=16),
            "号码路由数据同步任务异常中断，未及时告警。", "修复同步任务并增加中断告警；每日核对携入号码路由数据。",
        ),
    )  # fmt: skip
    story.add(
        since_review + dt.timedelta(days=2, hours=-5),
        lambda: incidents.ask_more(
            jinan, user=demo.staff, text="请补充受影响用户清单（号码脱敏）及回访结果。"
        ),
    )
    story.add(
        since_review + dt.timedelta(days=3, hours=-4),
        follow_up(jinan, "CTCC", "受影响用户清单已通过邮件报送；已全部回访，用户均可正常通话，无新增投诉。"),
    )
    # CMCC, Qingdao: months ago, from the report to the closing in 30 hours.
    story.add(since_closed + dt.timedelta(hours=2), report(qingdao, "CMCC"))
    story.add(
        since_closed + dt.timedelta(hours=5),
        follow_up(qingdao, "CMCC", "已回退割接版本，授权码积压短信正在补发。"),
    )
    story.add(
        since_closed + dt.timedelta(hours=9),
        recover(
            qingdao, "CMCC", since_closed + dt.timedelta(hours=7, minutes=30),
            "割接后新版本短信下发队列配置错误。", "回退版本并补发授权码；割接前增加携转业务全流程验证。",
        ),
    )  # fmt: skip
    story.add(
        since_closed + dt.timedelta(hours=30),
        lambda: incidents.close(
            qingdao, user=demo.staff, text="经核查，恢复情况属实，防范措施到位，同意结案。"
        ),
    )
    story.run()
    demo.result.counts["incidents"] = 3


# -- task forces --

"""The demo's casework, told through the casework services at its moments (``base.Story``).

About thirteen inspection visits a month over the three years: each recorded by the case
officer the day after the visit and published to its operator a few days later (the latest few
are still drafts). Nine rectification orders, one in every state a page shows and one overdue,
each grounded on published findings: drafted, issued (its document number taken then, in the
order of issue), acknowledged by the operator, its reports submitted, returned or verified, one
escalated; one order's deadline was extended at the operator's request, another's request
refused. Four interviews: one held (its commitments kept, verified), one confirmed, one issued,
one a draft. Every step is the service a person would have used, so each case has its
timeline, each order its deadline history, the year's document numbers their sequence, and
each mail its line in the outbox and on the case, as in real use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from supervision.casework import findings as finding_service
from supervision.casework import interviews as interview_service
from supervision.casework import orders as order_service
from supervision.casework.models import (
    InspectionChannel,
    InspectionFinding,
    InspectionMethod,
    InterviewState,
    OrderState,
    Severity,
)
from supervision.core.dates import local_date, local_time, month_end
from supervision.reporting.models import ComplaintRecord

from .base import Demo, Story
from .province import (
    CITIES,
    OPERATOR_CODES,
    OPERATORS,
    SPIKE_CATEGORY,
    SPIKE_CITY,
    SPIKE_OPERATOR,
    SURNAMES,
    add_months,
    at,
    pick_city,
)

# --- Texts ----------------------------------------------------------------------------------------

SCENARIOS = {
    InspectionChannel.STORE: [
        "营业厅咨询携号转网条件并申请授权码",
        "营业厅办理携出，询问融合套餐影响",
        "营业厅咨询携入优惠政策",
    ],
    InspectionChannel.HOTLINE: ["拨打{hotline}咨询携出条件", "拨打{hotline}申请解除携转限制"],
    InspectionChannel.ONLINE: ["网上营业厅查询携转资格"],
    InspectionChannel.APP: ["APP内查询携转资格并申请授权码"],
    InspectionChannel.SMS: ["发送CXXZ短信查询携转资格", "发送SQXZ短信申请授权码"],
}
FINDING_DESCRIPTIONS = {
    "BL1": [
        "营业员以“系统故障”为由拒绝受理授权码申请，检查人员现场查验系统可正常办理",
        "要求用户先办理套餐变更后才可申请授权码",
        "客服称需到开户地营业厅办理携出，增设办理环节",
    ],
    "BL2": [
        "营业厅要求缴纳协议违约金后才可办理携出，用户无书面协议",
        "申请授权码前未告知副卡、融合宽带等受影响业务",
        "将无期限的营销活动视为合约期，拒绝办理携出",
    ],
    "BL3": [
        "营业员称携转后原号码无法接收银行验证码",
        "客服称携转后资费将上涨、信号变差",
    ],
    "BL4": [
        "营业厅张贴“携入即享专属五折套餐”宣传海报",
        "营业员承诺携入用户赠送终身免费流量",
    ],
    "BL5": [
        "营业厅内部通报携入用户数排名及奖励",
        "合作渠道按携入用户数计发佣金",
    ],
    "BL6": [
        "营业员诱导用户向工信部申诉其他运营商",
    ],
}
CLAUSE_WEIGHTS = {"BL2": 0.35, "BL1": 0.20, "BL3": 0.20, "BL4": 0.15, "BL5": 0.05, "BL6": 0.05}
# The rectification reports of the demo's orders and the administration's decisions on them.
ORDER_REPORT_TEXT = (
    "我公司收到整改通知书后立即成立整改工作组，针对{code}“{name}”问题，对涉及的营业厅、客服热线和合作渠道"
    "逐一排查并停止相关行为；对相关责任人员给予通报批评和绩效扣减，开展携号转网服务规范专项培训；"
    "对受影响用户逐一回访，诉求均已妥善解决。详见附件整改报告。"
)
ORDER_REPORT_RETURNED = "整改报告未附培训签到记录和用户回访明细，部分营业厅排查情况未说明，请补充后重新报送。"
ORDER_REPORT_VERIFIED = "经复查，整改措施落实到位，予以验收。"
ORDER_ESCALATED = "整改期限届满，企业未报送整改报告，经复查违约金阻挠携转问题仍然存在，拟约谈企业负责人。"
EXTENSION_ASKED = (
    "整改涉及全市营业厅宣传物料的更换和合作渠道的逐一排查，工作量较大，申请延期两周报送整改报告。"
)
EXTENSION_GRANTED = "同意延期，请于新的期限前报送整改报告。"
EXTENSION_REFUSED_ASK = "临沂分公司正在组织营业员培训，申请延期一周报送整改报告。"
EXTENSION_REFUSED = "告知义务的整改不涉及系统改造，延期理由不充分，请按原期限报送整改报告。"

THIRD_PARTY_AGENCIES = ["山东信通第三方测评中心", "齐鲁通信用户体验测评中心", "泰山信息服务质量评测所"]

INTERVIEW_PLACE = "省通信管理局五楼约谈室"
INTERVIEW_PERSONS = "公司分管副总经理；市场经营部总经理；客户服务部总经理；相关地市分公司总经理"
INTERVIEW_ADMINISTRATION = "李局长（管局领导）；王科长（案件承办人）"
INTERVIEW_MINUTES = (
    "管局通报了德州、聊城分公司以违约金阻挠携转的事实及整改逾期情况，指出其严重违反六条底线。"
    "公司负责人承认问题，承诺：一、十日内全面清理无依据违约金并退还用户；"
    "二、对相关责任人给予通报批评和绩效扣减；三、每周报送整改进展。"
    "管局将组织第三方体验测试复查。"
)
# The held interview's commitments: (text, days after the interview it is due).
COMMITMENTS = [
    ("全面清理德州、聊城分公司无依据的携转违约金，并退还已收取的违约金", 10),
    ("对相关责任人给予通报批评和绩效扣减，书面报送处理结果", 15),
    ("每周报送整改进展，直至第三方体验测试复查通过", 30),
]
COMMITMENT_DONE = "已按承诺完成，相关材料已书面报送。"
COMMITMENT_RETURNED = "未附责任人处理文件，请补充后重新报告。"


# --- Findings -------------------------------------------------------------------------------------


@dataclass
class FindingPlan:
    fields: dict
    published: dt.datetime | None = None
    grounds: bool = False  # grounds an order of the story: published before it was drafted
    finding: InspectionFinding | None = None  # once recorded


def finding_fields(demo: Demo, rng, op, city, visit, *, method=None, clause=None, severity=None) -> dict:
    """What the case officer records of one visit (a violation found, or none)."""
    channel = rng.choices(list(SCENARIOS), weights=[0.55, 0.15, 0.10, 0.12, 0.08])[0]
    if method is None:
        method = rng.choices(list(InspectionMethod), weights=[0.3, 0.3, 0.4])[0]
    violation_share = {"CMCC": 0.18, "CUCC": 0.30, "CTCC": 0.25, "CBN": 0.30}[op]
    violation = clause is not None or rng.random() < violation_share
    if violation and clause is None:
        clause = rng.choices(list(CLAUSE_WEIGHTS), weights=list(CLAUSE_WEIGHTS.values()))[0]
        severity = rng.choices(list(Severity), weights=[0.55, 0.35, 0.10])[0]
    if method == InspectionMethod.MYSTERY_SHOPPER:
        agency = rng.choice(THIRD_PARTY_AGENCIES)
    elif method == InspectionMethod.COVERT:
        agency = "山东省通信管理局暗访组"
    else:
        agency = "山东省通信管理局执法检查组"
    name = demo.cities[city].name_zh
    district, street = rng.choice(CITIES[city].districts)
    return {
        "operator": demo.operators[op],
        "city": demo.cities[city],
        "visit_date": visit,
        "channel": channel,
        "site": f"{name}{district}{street}营业厅" if channel == InspectionChannel.STORE else "",
        "method": method,
        "scenario": rng.choice(SCENARIOS[channel]).format(hotline=OPERATORS[op].hotline),
        "violation": violation,
        "description": rng.choice(FINDING_DESCRIPTIONS[clause]) if violation else "",
        "clause": demo.categories[clause] if violation else None,
        "severity": severity if violation else "",
        "agency": agency,
    }


def plan_findings(demo: Demo, rng, specs: list[dict]) -> list[FindingPlan]:
    """The grounds of the orders first (dated before each order), then the routine visits."""
    plans = []
    for spec in specs:
        spec["findings"] = []
        for j, city in enumerate(spec["cities"]):
            visit = spec["issued"].date() - dt.timedelta(days=10 + 7 * j + rng.randint(0, 4))
            method = spec.get("method", rng.choice(list(InspectionMethod)))
            fields = finding_fields(
                demo,
                rng,
                spec["op"],
                city,
                visit,
                method=method,
                clause=spec["clause"],
                severity=spec["severity"],
            )
            # Published before the order was drafted.
            published = min(at(visit + dt.timedelta(days=3), 10, 30), spec["drafted"] - dt.timedelta(hours=2))
            plan = FindingPlan(fields, published, grounds=True)
            spec["findings"].append(plan)
            plans.append(plan)

    # The routine: about 13 visits a month over the three years and this month so far.
    month = demo.plan.months[0]
    while month <= demo.today:
        for _ in range(rng.randint(10, 16)):
            day = month + dt.timedelta(days=rng.randrange(month_end(month).day))
            if day >= demo.today:
                continue
            op = rng.choices(OPERATOR_CODES, weights=[0.35, 0.25, 0.25, 0.15])[0]
            plans.append(FindingPlan(finding_fields(demo, rng, op, pick_city(rng), day)))
        month = add_months(month, 1)

    for plan in plans:
        if plan.published is None:
            published = at(
                plan.fields["visit_date"] + dt.timedelta(days=rng.randint(2, 8)), rng.randint(9, 17)
            )
            if published <= demo.latest:
                plan.published = published
    # A few are still drafts: the most recent routine visits.
    drafts = sum(plan.published is None for plan in plans)
    routine = [plan for plan in plans if not plan.grounds and plan.published]
    for plan in sorted(routine, key=lambda p: p.fields["visit_date"], reverse=True)[: max(0, 3 - drafts)]:
        plan.published = None
    return plans


def tell_findings(demo: Demo, story: Story, plans: list[FindingPlan]) -> None:
    """Each visit recorded the day after (a draft), then published to its operator (a problem found
    with its inspection record as evidence)."""

    def record(plan: FindingPlan) -> None:
        plan.finding = finding_service.create_finding(user=demo.staff, **plan.fields)

    def publish(plan: FindingPlan) -> None:
        finding = plan.finding
        if finding.violation:  # a problem found is published with its evidence
            record = report_pdf(f"Inspection record, finding {finding.pk} ({finding.operator.code})")
            evidence = SimpleUploadedFile("现场检查记录.pdf", record, "application/pdf")
            finding_service.add_evidence(finding, [evidence], user=demo.staff)
        plan.finding = finding_service.publish_finding(finding, user=demo.staff)

    for plan in plans:
        story.add(at(plan.fields["visit_date"] + dt.timedelta(days=1), 16), lambda plan=plan: record(plan))
        if plan.published:
            story.add(plan.published, lambda plan=plan: publish(plan))


# --- Orders ---------------------------------------------------------------------------------------


def order_specs(demo: Demo) -> list[dict]:
    """Nine orders, one per state and an overdue one, anchored on their (final) deadlines.

    ``extension``: the operator asked for more time ``asked`` days before the deadline it had;
    ``granted`` moved it by ``days`` (the order was issued on the earlier one), ``refused`` kept it.
    """
    d = demo.today

    def spec(op, state, severity, clause, cities, deadline_days, steps, title, extension=None, **extra):
        deadline = at(d + dt.timedelta(days=deadline_days), 23, 59, 59)
        initial = deadline
        if extension and extension["kind"] == "granted":
            initial = deadline - dt.timedelta(days=extension["days"])
        days = settings.RECTIFICATION_DAYS[severity]
        issued = at(min(initial.date() - dt.timedelta(days=days), d - dt.timedelta(days=2)), 10)
        return {
            "op": op, "state": state, "severity": severity, "clause": clause, "cities": cities,
            "deadline": deadline, "initial_deadline": initial, "issued": issued,
            "drafted": issued - dt.timedelta(days=2), "steps": steps, "title": title,
            "extension": extension, **extra,
        }  # fmt: skip

    return [
        spec("CMCC", OrderState.VERIFIED, Severity.MAJOR, "BL2", ["370100", "371300"], -290,
             [(OrderState.ACKNOWLEDGED, "issued", 1), (OrderState.REPORT_SUBMITTED, "deadline", -3),
              (OrderState.VERIFIED, "deadline", -1)],
             "关于中国移动济南、临沂部分营业厅违规限制携号转网问题的整改通知"),
        spec("CTCC", OrderState.VERIFIED, Severity.MINOR, "BL3", ["370200", "370600"], -190,
             [(OrderState.ACKNOWLEDGED, "issued", 2), (OrderState.REPORT_SUBMITTED, "deadline", 2),
              (OrderState.VERIFIED, "deadline", 6)],
             "关于中国电信青岛、烟台部分渠道携转虚假宣传问题的整改通知"),
        spec("CTCC", OrderState.ESCALATED, Severity.SEVERE, "BL2", ["371400", "371500"], -150,
             [(OrderState.ACKNOWLEDGED, "issued", 1), (OrderState.ESCALATED, "deadline", 3)],
             "关于中国电信德州、聊城以违约金阻挠携号转网问题的整改通知"),
        spec("CBN", OrderState.RETURNED, Severity.MINOR, "BL2", ["371700"], 5,
             [(OrderState.ACKNOWLEDGED, "issued", 1), (OrderState.REPORT_SUBMITTED, "issued", 14),
              (OrderState.RETURNED, "issued", 17)],
             "关于中国广电菏泽未履行携转告知义务问题的整改通知"),
        spec("CMCC", OrderState.REPORT_SUBMITTED, Severity.MAJOR, "BL3", ["370600"], 3,
             [(OrderState.ACKNOWLEDGED, "issued", 1), (OrderState.REPORT_SUBMITTED, "deadline", -5)],
             "关于中国移动烟台客服热线错误告知携转风险问题的整改通知"),
        spec("CTCC", OrderState.ACKNOWLEDGED, Severity.MAJOR, "BL4", ["370800"], 9,
             [(OrderState.ACKNOWLEDGED, "issued", 1)],
             "关于中国电信济宁营业厅针对携入用户专属优惠问题的整改通知",
             extension={"kind": "granted", "days": 14, "asked": 5, "decided": 3}),
        spec("CUCC", OrderState.ISSUED, Severity.SEVERE, "BL1", ["370700", "370700", "370700"], 5, [],
             "关于中国联通潍坊分公司设限阻挠携号转网问题的整改通知", method=InspectionMethod.COVERT,
             spike=True),
        spec("CUCC", OrderState.ACKNOWLEDGED, Severity.MAJOR, "BL2", ["371300"], -10,
             [(OrderState.ACKNOWLEDGED, "issued", 2)],
             "关于中国联通临沂申请授权码前未告知受影响业务问题的整改通知",
             extension={"kind": "refused", "days": 7, "asked": 4, "decided": 2}),
        spec("CBN", OrderState.DRAFT, Severity.MINOR, "BL5", ["371500"], 30, [],
             "关于中国广电聊城合作渠道以携入用户数计发佣金问题的整改通知"),
    ]  # fmt: skip


def order_trail(demo: Demo, spec) -> list[tuple[str, dt.datetime]]:
    """(state, when) from the draft to the present state; never later than the story's end."""
    latest = demo.latest
    if spec["state"] == OrderState.DRAFT:
        return [(OrderState.DRAFT, min(at(demo.today - dt.timedelta(days=1), 15, 20), latest))]
    trail = [(OrderState.DRAFT, spec["drafted"]), (OrderState.ISSUED, spec["issued"])]
    for state, anchor, days in spec["steps"]:
        base = spec["issued"] if anchor == "issued" else spec["deadline"]
        when = at(local_date(base) + dt.timedelta(days=days), 10 + len(trail), 15)
        when = max(min(when, latest), trail[-1][1] + dt.timedelta(minutes=1))
        trail.append((state, when))
    return trail


def requirements(demo: Demo, spec, deadline: dt.datetime) -> str:
    category = demo.categories[spec["clause"]]
    local = local_time(deadline)
    return (
        f"经查，你公司存在{category.code}“{category.name_zh}”问题，违反《山东省携号转网服务管理细则》相关规定。"
        "现责令你公司：\n"
        "一、立即停止相关违规行为，对涉及的营业厅、客服和合作渠道逐一排查；\n"
        "二、对相关责任人员严肃处理，并开展携号转网服务规范专项培训；\n"
        "三、对受影响用户逐一回访，妥善解决用户诉求；\n"
        f"四、于{local.year}年{local.month}月{local.day}日前将整改情况书面报送我局。"
    )


def report_pdf(title: str) -> bytes:
    """A one-page PDF standing for an operator's rectification report (its words are the report's
    text, on the order's page; the file only has to be the PDF the rules ask for)."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def tell_orders(demo: Demo, story: Story, specs: list[dict]) -> None:
    """Each order drafted, issued and followed up by the staff and its operator, step by step."""
    staff = demo.staff

    def draft(spec) -> None:
        complaints = []
        if spec.get("spike"):
            # The Weifang order is grounded on some of the spike's complaints too.
            complaints = list(
                ComplaintRecord.objects.filter(
                    operator=demo.operators[SPIKE_OPERATOR],
                    city=demo.cities[SPIKE_CITY],
                    category=demo.categories[SPIKE_CATEGORY],
                    received_on__gte=demo.plan.months[-1],
                ).order_by("received_on", "complaint_no")[:6]
            )
        deadline = spec["initial_deadline"]
        if spec["state"] == OrderState.DRAFT:
            deadline = at(
                demo.today + dt.timedelta(days=settings.RECTIFICATION_DAYS[spec["severity"]]), 23, 59, 59
            )
        spec["order"] = order_service.create_order(
            user=staff,
            operator=demo.operators[spec["op"]],
            title=spec["title"],
            requirements=requirements(demo, spec, deadline),
            findings=[plan.finding for plan in spec["findings"]],
            complaints=complaints,
            severity=spec["severity"],
            deadline=deadline,
        )

    def report(spec) -> None:
        order = spec["order"]
        category = demo.categories[spec["clause"]]
        number = order.reports.count() + 1
        pdf = report_pdf(f"Rectification report no. {number}, order {order.pk} ({spec['op']})")
        order_service.submit_report(
            order,
            user=demo.operator_user(spec["op"]),
            text=ORDER_REPORT_TEXT.format(code=category.code, name=category.name_zh),
            uploads=[SimpleUploadedFile(f"整改报告（第{number}次）.pdf", pdf, "application/pdf")],
        )

    def take(spec, state) -> None:
        order, operator_user = spec["order"], demo.operator_user(spec["op"])
        if state == OrderState.ISSUED:
            order_service.issue_order(order, user=staff)
        elif state == OrderState.ACKNOWLEDGED:
            order_service.acknowledge_order(order, user=operator_user)
        elif state == OrderState.REPORT_SUBMITTED:
            report(spec)
        elif state == OrderState.RETURNED:
            order_service.return_report(order, user=staff, comment=ORDER_REPORT_RETURNED)
        elif state == OrderState.VERIFIED:
            order_service.verify_order(order, user=staff, comment=ORDER_REPORT_VERIFIED)
        elif state == OrderState.ESCALATED:
            order_service.escalate_order(order, user=staff, reason=ORDER_ESCALATED)
        else:
            raise ValueError(state)

    def ask(spec) -> None:
        extension = spec["extension"]
        granted = extension["kind"] == "granted"
        spec["extension_request"] = order_service.ask_extension(
            spec["order"],
            user=demo.operator_user(spec["op"]),
            reason=EXTENSION_ASKED if granted else EXTENSION_REFUSED_ASK,
            proposed_date=local_date(spec["initial_deadline"] + dt.timedelta(days=extension["days"])),
        )

    def decide(spec) -> None:
        request = spec["extension_request"]
        if spec["extension"]["kind"] == "granted":
            order_service.grant_extension(request, user=staff, note=EXTENSION_GRANTED)
        else:
            order_service.refuse_extension(request, user=staff, note=EXTENSION_REFUSED)

    for spec in specs:
        spec["trail"] = trail = order_trail(demo, spec)
        story.add(trail[0][1], lambda spec=spec: draft(spec))
        for state, when in trail[1:]:
            story.add(when, lambda spec=spec, state=state: take(spec, state))
        if spec["extension"]:
            extension = spec["extension"]
            day = local_date(spec["initial_deadline"])
            story.add(at(day - dt.timedelta(days=extension["asked"]), 15, 40), lambda spec=spec: ask(spec))
            story.add(
                at(day - dt.timedelta(days=extension["decided"]), 9, 40), lambda spec=spec: decide(spec)
            )


# --- Interviews -----------------------------------------------------------------------------------


@dataclass
class InterviewPlan:
    op: str
    state: str
    scheduled: dt.datetime
    issued: dt.datetime | None
    orders: list[dict]  # the order specs it is about
    reason: str
    created: dt.datetime | None = None  # drafted the day before it is issued


def interview_plans(demo: Demo, specs: list[dict]) -> list[InterviewPlan]:
    d = demo.today

    def order(state, overdue=False):
        return next(s for s in specs if s["state"] == state and (s["deadline"].date() < d) == overdue)

    escalated = order(OrderState.ESCALATED, overdue=True)
    held_at = at(escalated["deadline"].date() + dt.timedelta(days=12), 9, 30)
    plans = [
        InterviewPlan("CTCC", InterviewState.HELD, held_at, held_at - dt.timedelta(days=8), [escalated],
                      "你公司德州、聊城分公司以违约金阻挠用户携号转网，整改期限届满仍未整改到位，"
                      "严重违反携号转网六条底线（BL2）。"),
        InterviewPlan("CUCC", InterviewState.ISSUED, at(d + dt.timedelta(days=5), 9, 30),
                      at(d - dt.timedelta(days=1), 11),
                      [order(OrderState.ISSUED), order(OrderState.ACKNOWLEDGED, overdue=True)],
                      "近三个月你公司潍坊分公司携转投诉量大幅上升，明察暗访发现设限阻挠携号转网问题（BL1）；"
                      "临沂分公司整改逾期未报。"),
        InterviewPlan("CBN", InterviewState.CONFIRMED, at(d + dt.timedelta(days=9), 15),
                      at(d - dt.timedelta(days=4), 10), [order(OrderState.RETURNED)],
                      "你公司菏泽分公司未履行携转告知义务，整改报告经审核未达要求被退回。"),
        InterviewPlan("CMCC", InterviewState.DRAFT, at(d + dt.timedelta(days=21), 9, 30), None,
                      [order(OrderState.REPORT_SUBMITTED)],
                      "你公司烟台客服热线多次错误告知携转风险，拟约谈提醒。"),
    ]  # fmt: skip
    for plan in plans:
        plan.created = (plan.issued or at(d, 9)) - dt.timedelta(days=1)
    return plans


def tell_interviews(demo: Demo, story: Story, plans: list[InterviewPlan]) -> None:
    """Drafted the day before they are issued; confirmed by the operator's manager; the held one's
    minutes and commitments recorded, the commitments reported done and verified (one returned once)."""
    rng = demo.rng("interviews")
    staff = demo.staff
    notices = {}

    def draft(plan: InterviewPlan) -> None:
        notices[id(plan)] = interview_service.create_interview(
            user=staff,
            operator=demo.operators[plan.op],
            orders=[spec["order"] for spec in plan.orders],
            reason=plan.reason,
            scheduled_at=plan.scheduled,
            place=INTERVIEW_PLACE,
            persons_required=INTERVIEW_PERSONS,
            administration_attendees=INTERVIEW_ADMINISTRATION,
        )

    def confirm(plan: InterviewPlan, attendees: str) -> None:
        interview_service.confirm_attendance(
            notices[id(plan)], user=demo.manager(plan.op), attendees=attendees
        )

    commitments = {}

    def minutes(plan: InterviewPlan) -> None:
        notice = interview_service.record_minutes(notices[id(plan)], user=staff, minutes=INTERVIEW_MINUTES)
        for text, days in COMMITMENTS:
            due = local_date(plan.scheduled) + dt.timedelta(days=days)
            commitments[text] = interview_service.add_commitment(notice, user=staff, text=text, due_date=due)

    def done(plan, text, note=COMMITMENT_DONE) -> None:
        interview_service.commitment_done(commitments[text], user=demo.operator_user(plan.op), note=note)

    for plan in plans:
        story.add(plan.created, lambda plan=plan: draft(plan))
        if plan.issued is None:
            continue
        story.add(
            plan.issued, lambda plan=plan: interview_service.issue_interview(notices[id(plan)], user=staff)
        )
        if plan.state in (InterviewState.CONFIRMED, InterviewState.HELD):
            attendees = (
                f"{rng.choice(SURNAMES)}副总经理；{rng.choice(SURNAMES)}经理（市场经营部）；"
                f"{rng.choice(SURNAMES)}经理（客户服务部）"
            )
            story.add(plan.issued + dt.timedelta(days=2), lambda plan=plan, a=attendees: confirm(plan, a))
        if plan.state != InterviewState.HELD:
            continue
        story.add(plan.scheduled + dt.timedelta(hours=2), lambda plan=plan: minutes(plan))
        held = local_date(plan.scheduled)
        for i, (text, days) in enumerate(COMMITMENTS):
            due = held + dt.timedelta(days=days)
            story.add(at(due - dt.timedelta(days=2), 16, 30), lambda plan=plan, text=text: done(plan, text))
            if i == 1:  # returned once: the proof was missing
                story.add(
                    at(due - dt.timedelta(days=1), 10),
                    lambda text=text: interview_service.return_commitment(
                        commitments[text], user=staff, comment=COMMITMENT_RETURNED
                    ),
                )
                story.add(at(due, 15), lambda plan=plan, text=text: done(plan, text))
            story.add(
                at(due + dt.timedelta(days=2), 11),
                lambda text=text: interview_service.verify_commitment(commitments[text], user=staff),
            )


# --- All of it ------------------------------------------------------------------------------------


def create_casework(demo: Demo) -> None:
    rng = demo.rng("casework")
    specs = order_specs(demo)
    plans = plan_findings(demo, rng, specs)
    interviews = interview_plans(demo, specs)
    story = Story(demo)
    tell_findings(demo, story, plans)
    tell_orders(demo, story, specs)
    tell_interviews(demo, story, interviews)
    story.run()
    demo.result.counts["findings"] = len(plans)
    demo.result.counts["orders"] = len(specs)
    demo.result.counts["interviews"] = len(interviews)

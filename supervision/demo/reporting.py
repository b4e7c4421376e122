"""Demo data: three years of a plausible province, reproducible from a seed.

The ``seed_demo`` command calls :func:`seed`. Everything follows from the seed and the
current date in Asia/Shanghai, so two runs on the same day with the same seed store the same
rows. The story the data tell:

- porting and complaints rise around the Spring Festival and in September, and grow slowly;
- China Unicom (CUCC) has a complaint spike in Weifang (潍坊市) in the last three complete
  months, in category BL1 (obstruction), with rectification orders and an interview about it,
  and an open incident in the same city now;
- the last complete month is not finished: CMCC on time, CUCC late, CTCC returned, CBN missing.

Every figure agrees with the rows behind it: a city's ``complaints_received`` is the number of
ledger rows received that month, ``complaints_resolved`` and ``avg_resolution_hours`` are those
resolved by the day of the report. Rows are built in memory and written with ``bulk_create``;
the ledger is written per (operator, month), so a million complaints never sit in memory at once.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import math
import os
import random
import statistics
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.rrule import rrulestr
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from supervision.casework.models import (
    FindingState,
    InspectionChannel,
    InspectionFinding,
    InspectionMethod,
    InterviewNotice,
    InterviewState,
    OrderState,
    RectificationOrder,
    RectificationReport,
    ReportDecision,
    Severity,
)
from supervision.core.models import (
    SHANGHAI,
    City,
    Operator,
    Period,
    Role,
    TaskForceMember,
    User,
    ViolationCategory,
)
from supervision.meetings.models import (
    ActionItem,
    ActionState,
    AgendaItem,
    AgendaSource,
    AgendaState,
    Attendee,
    Invitation,
    Meeting,
    MeetingSeries,
    MeetingState,
)
from supervision.reporting.models import (
    Channel,
    CityFigures,
    ComplaintRecord,
    ComplaintRevision,
    ComplaintStatus,
    Incident,
    IncidentStatus,
    LedgerUpload,
    MonthlySubmission,
    Satisfaction,
    SubmissionState,
    TypicalCase,
)

DEMO_PASSWORD = "Demo-2026-sd"  # noqa: S105 - printed for everyone to use; demo accounts only
DEFAULT_SEED = 20191201  # the month the provincial rules took effect
DEFAULT_COMPLAINTS = 45_000
LARGE_COMPLAINTS = 1_000_000
MONTHS = 36
# At most this many rows per INSERT; SQLite lowers it further to its 999-variable limit.
BATCH_SIZE = 5000

OPERATOR_CODES = ["CMCC", "CUCC", "CTCC", "CBN"]
SPIKE_OPERATOR, SPIKE_CITY, SPIKE_CATEGORY = "CUCC", "370700", "BL1"
# The spike's extra BL1 complaints in the last three complete months (oldest first), as a multiple
# of the city's usual monthly BL1 complaints, with a floor so that it shows even in tiny data sets.
SPIKE_FACTORS = (1.0, 4.0, 7.0)
SPIKE_MINIMUM = (3, 5, 8)
SPIKE_FAILURE_FACTORS = (1.6, 2.3, 3.1)

# --- Accounts ---------------------------------------------------------------------------------

ROLE_LABELS = {
    Role.REGULATOR_STAFF: ("管局工作人员", "Administration staff"),
    Role.REGULATOR_LEADER: ("管局领导", "Administration leadership"),
    Role.OPERATOR_STAFF: ("运营商专班人员", "Operator reporting staff"),
    Role.OPERATOR_MANAGER: ("运营商负责人", "Operator manager"),
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    operator_code: str | None
    full_name: str
    email: str
    phone: str


DEMO_ACCOUNTS = [
    DemoAccount("staff", Role.REGULATOR_STAFF, None, "王科长", "staff@sdca.example.cn", "0531-86011001"),
    DemoAccount("leader", Role.REGULATOR_LEADER, None, "李局长", "leader@sdca.example.cn", "0531-86011002"),
    DemoAccount("cmcc", Role.OPERATOR_STAFF, "CMCC", "张专员", "cmcc@cmcc-sd.example.cn", "0531-86102201"),
    DemoAccount(
        "cmcc_manager",
        Role.OPERATOR_MANAGER,
        "CMCC",
        "赵经理",
        "cmcc_manager@cmcc-sd.example.cn",
        "0531-86102202",
    ),
    DemoAccount("cucc", Role.OPERATOR_STAFF, "CUCC", "刘专员", "cucc@cucc-sd.example.cn", "0531-86203301"),
    DemoAccount(
        "cucc_manager",
        Role.OPERATOR_MANAGER,
        "CUCC",
        "陈经理",
        "cucc_manager@cucc-sd.example.cn",
        "0531-86203302",
    ),
    DemoAccount("ctcc", Role.OPERATOR_STAFF, "CTCC", "孙专员", "ctcc@ctcc-sd.example.cn", "0531-86304401"),
    DemoAccount("cbn", Role.OPERATOR_STAFF, "CBN", "周专员", "cbn@cbn-sd.example.cn", "0531-86405501"),
]

# The staff account is also the Django admin: these apps' models are editable there.
ADMIN_APPS = ["core", "reporting", "casework", "meetings", "auth", "django_celery_beat"]

# --- The province -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OperatorProfile:
    subscribers_10k: float  # 36 months ago, whole province
    monthly_growth: float
    port_rate: float  # port-out applications per subscriber per month
    attraction: float  # share of the others' port-outs that port in here
    complaint_rate: float  # relative propensity to be complained about
    late_share: float  # share of monthly reports that arrive late
    resolution_days: float  # mean days to resolve a complaint
    typical_cases: float  # mean typical cases per report
    domain: str
    hotline: str
    prefixes: tuple[str, ...]


OPERATORS = {
    "CMCC": OperatorProfile(
        6350, 0.0012, 0.00085, 0.38, 1.00, 0.03, 2.4, 1.0, "cmcc-sd.example.cn", "10086",
        ("134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "157", "158", "159", "178", "182", "183", "187", "188", "198"),
    ),
    "CUCC": OperatorProfile(
        2650, 0.0010, 0.00140, 0.24, 1.35, 0.10, 3.1, 0.8, "cucc-sd.example.cn", "10010",
        ("130", "131", "132", "155", "156", "166", "175", "176", "185", "186"),
    ),
    "CTCC": OperatorProfile(
        2420, 0.0015, 0.00130, 0.31, 1.15, 0.06, 2.8, 0.9, "ctcc-sd.example.cn", "10000",
        ("133", "153", "173", "177", "180", "181", "189", "191", "199"),
    ),
    "CBN": OperatorProfile(
        150, 0.0200, 0.00180, 0.07, 1.80, 0.15, 4.0, 0.5, "cbn-sd.example.cn", "10099",
        ("192",),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class CityProfile:
    weight: float  # resident population (10,000), a proxy for subscribers
    porting: float  # porting propensity: higher in the big, competitive markets
    districts: tuple[tuple[str, str], ...]  # (district, street) for store names


CITIES = {
    "370100": CityProfile(1200, 1.15, (("历下区", "泉城路"), ("市中区", "经四路"), ("历城区", "山大路"), ("槐荫区", "经十路"))),
    "370200": CityProfile(1300, 1.15, (("市南区", "香港中路"), ("市北区", "台东一路"), ("黄岛区", "长江中路"), ("崂山区", "海尔路"))),
    "370300": CityProfile(470, 1.0, (("张店区", "柳泉路"), ("临淄区", "桓公路"))),
    "370400": CityProfile(386, 0.95, (("市中区", "光明路"), ("滕州市", "龙泉路"))),
    "370500": CityProfile(219, 1.0, (("东营区", "西四路"), ("垦利区", "胜兴路"))),
    "370600": CityProfile(710, 1.05, (("芝罘区", "南大街"), ("莱山区", "迎春大街"))),
    "370700": CityProfile(1000, 1.05, (("奎文区", "东风东街"), ("潍城区", "胜利西街"), ("寿光市", "建新街"))),
    "370800": CityProfile(836, 1.0, (("任城区", "太白楼路"), ("曲阜市", "静轩路"))),
    "370900": CityProfile(564, 0.95, (("泰山区", "东岳大街"), ("岱岳区", "长城路"))),
    "371000": CityProfile(291, 1.0, (("环翠区", "新威路"), ("荣成市", "成山大道"))),
    "371100": CityProfile(297, 0.95, (("东港区", "海曲中路"),)),
    "371300": CityProfile(1150, 1.05, (("兰山区", "沂蒙路"), ("河东区", "东兴路"), ("罗庄区", "罗庄路"))),
    "371400": CityProfile(561, 0.9, (("德城区", "东风中路"),)),
    "371500": CityProfile(595, 0.9, (("东昌府区", "柳园路"),)),
    "371600": CityProfile(393, 0.9, (("滨城区", "黄河五路"),)),
    "371700": CityProfile(880, 0.9, (("牡丹区", "中华路"), ("曹县", "青菏路"))),
}  # fmt: skip
CITY_CODES = list(CITIES)

# The Spring Festival (month, day) by year: porting peaks in its month and the month before.
SPRING_FESTIVAL = {
    2019: (2, 5), 2020: (1, 25), 2021: (2, 12), 2022: (2, 1), 2023: (1, 22), 2024: (2, 10), 2025: (1, 29),
    2026: (2, 17), 2027: (2, 6), 2028: (1, 26), 2029: (2, 13), 2030: (2, 3), 2031: (1, 23), 2032: (2, 11),
    2033: (1, 31), 2034: (2, 19), 2035: (2, 8), 2036: (1, 28), 2037: (2, 15), 2038: (2, 4), 2039: (1, 24),
}  # fmt: skip
VOLUME_GROWTH = 1.006  # per month

# Weights of complaint categories: service and unlawful conditions most, KPIs and instigation rare.
CATEGORY_WEIGHTS = {
    "SVC": 0.32, "BL2": 0.22, "BL1": 0.12, "BL3": 0.11, "BL4": 0.10, "OTHER": 0.09, "BL5": 0.02, "BL6": 0.02,
}  # fmt: skip
CHANNEL_WEIGHTS = {
    Channel.HOTLINE: 0.34, Channel.MIIT: 0.20, Channel.STORE: 0.16, Channel.ONLINE: 0.12, Channel.CA: 0.10,
    Channel.OTHER: 0.05, Channel.MEDIA: 0.03,
}  # fmt: skip
SATISFACTION_WEIGHTS = {
    Satisfaction.SATISFIED: 0.56, Satisfaction.PARTLY: 0.24, Satisfaction.UNSATISFIED: 0.08,
    Satisfaction.UNKNOWN: 0.12,
}  # fmt: skip
FAILURE_WEIGHTS = (0.08, 0.30, 0.34, 0.05, 0.23)  # not real-name, arrears, contract, 120 days, other

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
MEETING_MINUTES = (
    "一、通报{month}携号转网工作情况：全省受理携出申请{apps:,}笔，携出成功{done:,}笔；"
    "受理携转相关投诉{complaints:,}件。\n"
    "二、各运营商汇报本月工作开展情况及下一步安排。\n"
    "三、议定事项：{decision}\n"
    "出席：省通信管理局王科长；中国移动、中国联通、中国电信、中国广电携号转网工作专班负责人。"
)
MEETING_DECISIONS = [
    "各运营商于下次会商会前报送投诉较多地市的原因分析。",
    "中国联通牵头排查授权码下发延迟问题，一周内书面报告。",
    "各运营商对照六条底线开展一次自查，月底前报送自查报告。",
    "春节前各运营商加强营业厅携转业务人员配备，确保办理顺畅。",
    "各运营商统一客服热线携转答复口径，管局将组织第三方体验测试。",
    "开学季前各运营商规范校园营销活动，严禁针对携转用户的专属优惠。",
]

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

THIRD_PARTY_AGENCIES = ["山东信通第三方测评中心", "齐鲁通信用户体验测评中心", "泰山信息服务质量评测所"]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林郑梁宋谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN_NAMES = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "秀英", "华", "慧", "建华", "志强", "晓燕", "海燕", "春梅", "立新", "国庆", "文博", "子涵", "宇航",
    "鹏", "婷", "雪", "峰", "凯", "琳", "晨", "欣怡", "浩然", "思远",
]  # fmt: skip
TASK_FORCE_DUTIES = [
    "组长（分管副总经理）",
    "副组长（市场经营部总经理）",
    "联络员",
    "投诉处理",
    "数据报送",
    "舆情监测",
]


# --- Small helpers ------------------------------------------------------------------------------


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def at(day: dt.date, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    """A local time in Asia/Shanghai."""
    return dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=SHANGHAI)


def month_label_zh(month: dt.date) -> str:
    return f"{month.year}年{month.month}月"


def seasonality(month: dt.date) -> float:
    """Porting peaks around the Spring Festival (people change numbers before going home) and in
    September (new term, new phones)."""
    if month.month == 9:
        return 1.27
    for year in (month.year, month.year + 1):
        festival = dt.date(year, *SPRING_FESTIVAL.get(year, (2, 1))).replace(day=1)
        if month == festival:
            return 1.32
        if month == add_months(festival, -1):
            return 1.16
        if month == add_months(festival, 1):
            return 1.08
    return 1.0


def is_long_holiday(day: dt.date) -> bool:
    """New Year's Day, the May Day and National Day weeks, the Spring Festival week."""
    if (
        (day.month, day.day) == (1, 1)
        or (day.month == 5 and day.day <= 5)
        or (day.month == 10 and day.day <= 7)
    ):
        return True
    festival = dt.date(day.year, *SPRING_FESTIVAL.get(day.year, (2, 1)))
    return -1 <= (day - festival).days <= 6


def split(total: int, weights, rng: random.Random) -> list[int]:
    """``total`` split by ``weights`` (jittered) into whole numbers that sum to it exactly."""
    jittered = [w * rng.uniform(0.75, 1.25) for w in weights]
    scale = total / sum(jittered)
    raw = [w * scale for w in jittered]
    parts = [int(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def cumulative(weights) -> list[float]:
    out, running = [], 0.0
    for w in weights:
        running += w
        out.append(running)
    return out


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


# --- The plan: every monthly figure, before anything is stored ------------------------------------


@dataclass(slots=True)
class Cell:
    """One operator's figures for one city and month (the ledger-derived ones come later)."""

    subscribers_10k: Decimal
    auth_code_requests: int
    eligibility_queries: int
    port_out_applications: int
    port_out_completed: int
    port_out_failed: int
    failed: list[int]
    port_in_applications: int = 0
    port_in_completed: int = 0
    complaints: int = 0  # the usual complaints
    spike: int = 0  # extra BL1 complaints of the story


@dataclass
class Plan:
    months: list[dt.date]
    cells: dict[tuple[str, int, str], Cell]

    @property
    def last(self) -> int:
        return len(self.months) - 1

    def reports(self, operator: str) -> range:
        """Month indexes for which the operator has a report (CBN's last one is missing)."""
        return range(self.last if operator == "CBN" else self.last + 1)

    def has_report(self, operator: str, t: int) -> bool:
        return t in self.reports(operator)

    def complaints(self, operator: str, t: int, city: str) -> int:
        cell = self.cells[(operator, t, city)]
        return cell.complaints + cell.spike

    def total_complaints(self) -> int:
        return sum(
            self.complaints(op, t, city)
            for op in OPERATOR_CODES
            for t in self.reports(op)
            for city in CITY_CODES
        )

    def province_totals(self, t: int) -> dict[str, int]:
        totals = defaultdict(int)
        for op in OPERATOR_CODES:
            if not self.has_report(op, t):
                continue
            for city in CITY_CODES:
                cell = self.cells[(op, t, city)]
                totals["apps"] += cell.port_out_applications
                totals["done"] += cell.port_out_completed
                totals["complaints"] += cell.complaints + cell.spike
        return totals


def build_plan(*, seed: int, complaints: int, last_month: dt.date) -> Plan:
    """Every figure of every report, as plain numbers: no database, so it is easy to test."""
    rng = random.Random(f"{seed}:plan")
    months = [add_months(last_month, -k) for k in range(MONTHS - 1, -1, -1)]
    last = len(months) - 1
    total_weight = sum(c.weight for c in CITIES.values())
    # Market shares differ a little from city to city and stay put.
    share = {(op, city): rng.uniform(0.85, 1.15) for op in OPERATOR_CODES for city in CITY_CODES}
    spike_months = {last - 2 + i: i for i in range(3)}

    cells: dict[tuple[str, int, str], Cell] = {}
    expected: dict[tuple[str, int, str], float] = {}
    for t, month in enumerate(months):
        season = seasonality(month)
        for op, prof in OPERATORS.items():
            for city, cprof in CITIES.items():
                subscribers = (
                    prof.subscribers_10k * cprof.weight / total_weight * share[(op, city)]
                    * (1 + prof.monthly_growth) ** t * rng.uniform(0.998, 1.002)
                )  # fmt: skip
                apps = subscribers * 10_000 * prof.port_rate * cprof.porting * season * VOLUME_GROWTH**t
                apps = max(1, round(apps * rng.uniform(0.92, 1.08)))
                fail_rate = rng.uniform(0.025, 0.05)
                failure_weights = list(FAILURE_WEIGHTS)
                spiking = op == SPIKE_OPERATOR and city == SPIKE_CITY and t in spike_months
                if spiking:
                    # Obstruction shows in the figures too: more port-outs fail, for "other" reasons.
                    fail_rate *= SPIKE_FAILURE_FACTORS[spike_months[t]]
                    failure_weights[4] *= 4
                failed = round(apps * fail_rate)
                completed = round((apps - failed) * rng.uniform(0.955, 0.99))
                auth = round(apps * rng.uniform(1.22, 1.45))
                cells[(op, t, city)] = Cell(
                    subscribers_10k=Decimal(f"{subscribers:.2f}"),
                    auth_code_requests=auth,
                    eligibility_queries=round(auth * rng.uniform(1.3, 1.7)),
                    port_out_applications=apps,
                    port_out_completed=completed,
                    port_out_failed=failed,
                    failed=split(failed, failure_weights, rng),
                )
                if not (op == "CBN" and t == last):
                    expected[(op, t, city)] = apps * prof.complaint_rate * rng.lognormvariate(0, 0.2)
        # Port-ins are the others' port-outs, shared by attraction: net porting sums to about zero.
        attraction = {op: prof.attraction for op, prof in OPERATORS.items()}
        for city in CITY_CODES:
            for op in OPERATOR_CODES:
                port_in = sum(
                    cells[(other, t, city)].port_out_completed
                    * attraction[op]
                    / (sum(attraction.values()) - attraction[other])
                    for other in OPERATOR_CODES
                    if other != op
                )
                cell = cells[(op, t, city)]
                cell.port_in_completed = round(port_in)
                cell.port_in_applications = math.ceil(cell.port_in_completed / rng.uniform(0.92, 0.98))

    # The usual complaints: exactly ``complaints`` of them, shared as the expectations say.
    if complaints > 0 and expected:
        scale = complaints / sum(expected.values())
        raw = {key: value * scale for key, value in expected.items()}
        counts = {key: int(value) for key, value in raw.items()}
        short = complaints - sum(counts.values())
        for key in sorted(raw, key=lambda k: raw[k] - counts[k], reverse=True)[:short]:
            counts[key] += 1
        for key, count in counts.items():
            cells[key].complaints = count
        # "Usual" is the six months before the spike, so that the spike rises month after month
        # whatever the season does.
        usual = statistics.mean(
            cells[(SPIKE_OPERATOR, t, SPIKE_CITY)].complaints for t in range(last - 8, last - 2)
        )
        usual_bl1 = usual * CATEGORY_WEIGHTS[SPIKE_CATEGORY]
        for t, i in spike_months.items():
            cells[(SPIKE_OPERATOR, t, SPIKE_CITY)].spike = max(
                SPIKE_MINIMUM[i], round(usual_bl1 * SPIKE_FACTORS[i])
            )
    return Plan(months=months, cells=cells)


# --- Storing it -------------------------------------------------------------------------------------


@dataclass
class ReportTimes:
    state: str
    created_at: dt.datetime
    uploaded_at: dt.datetime
    confirmed_at: dt.datetime
    submitted_at: dt.datetime
    decided_at: dt.datetime | None


@dataclass
class AccountResult:
    account: DemoAccount
    created: bool
    role: str
    operator_code: str | None
    operator_short: str


@dataclass
class SeedResult:
    accounts: list[AccountResult] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


class DemoSeeder:
    """Builds and stores the demo data; :func:`seed` is the way in."""

    def __init__(self, *, seed: int, complaints: int, now: dt.datetime | None = None, progress=None):
        self.seed = seed
        self.target = complaints
        self.now = now or timezone.now()
        self.today = timezone.localtime(self.now, SHANGHAI).date()
        self.progress: Callable[[str], None] = progress or (lambda message: None)
        self.result = SeedResult()
        self.started = time.monotonic()

    def rng(self, *label) -> random.Random:
        """An independent, reproducible stream per part, so parts do not disturb each other."""
        return random.Random(":".join(str(x) for x in (self.seed, *label)))

    def say(self, step: int, total: int, message: str) -> None:
        self.progress(f"[{step}/{total}] {message} ({time.monotonic() - self.started:.1f} s)")

    # -- orchestration --

    def run(self) -> SeedResult:
        steps = 8
        self.load_reference()
        with transaction.atomic():
            self.create_accounts()
            self.say(
                1,
                steps,
                f"演示账号 Demo accounts: {sum(a.created for a in self.result.accounts)} 个新建 created",
            )
            self.plan = build_plan(seed=self.seed, complaints=self.target, last_month=self.last_period.month)
            self.say(
                2,
                steps,
                f"月报计划 Report plan: {MONTHS} 个月 months, 投诉约 about {self.plan.total_complaints():,} 件 complaints",
            )
            for op in OPERATOR_CODES:
                reports, complaints = self.create_reports(op)
                self.say(
                    3,
                    steps,
                    f"月报与投诉台账 Reports and ledger {op}: {reports} 份 reports, {complaints:,} 件 complaints",
                )
            self.create_casework()
            self.say(4, steps, "明察暗访、整改通知与约谈 Findings, rectification orders and interviews")
            self.create_meetings()
            self.say(5, steps, "会商会 Consultation meetings")
            self.create_incidents()
            self.say(6, steps, "重大问题 Incidents")
            self.create_task_forces()
            self.say(7, steps, "工作专班 Task forces")
        self.result.seconds = time.monotonic() - self.started
        self.say(8, steps, "完成 Done")
        return self.result

    def load_reference(self) -> None:
        self.operators = {o.code: o for o in Operator.objects.all()}
        self.cities = {c.code: c for c in City.objects.all()}
        self.categories = {c.code: c for c in ViolationCategory.objects.all()}
        missing = [code for code in OPERATOR_CODES if code not in self.operators]
        missing += [code for code in CITY_CODES if code not in self.cities]
        missing += [code for code in CATEGORY_WEIGHTS if code not in self.categories]
        if missing:
            raise RuntimeError(f"Reference rows missing (run migrate first): {', '.join(missing)}")
        self.last_period = Period.last_complete(self.now)
        months = [add_months(self.last_period.month, -k) for k in range(MONTHS - 1, -1, -1)]
        existing = {p.month: p for p in Period.objects.filter(month__in=months)}
        Period.objects.bulk_create([Period(month=m) for m in months if m not in existing])
        existing = {p.month: p for p in Period.objects.filter(month__in=months)}
        self.periods = [existing[m] for m in months]

    # -- accounts --

    def create_accounts(self) -> None:
        existing = {
            u.username: u for u in User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS])
        }
        # One hash for all: they share the published demo password.
        password = make_password(DEMO_PASSWORD)
        new = []
        for account in DEMO_ACCOUNTS:
            if account.username in existing:
                continue
            operator = self.operators[account.operator_code] if account.operator_code else None
            new.append(
                User(
                    username=account.username,
                    password=password,
                    email=account.email,
                    role=account.role,
                    operator=operator,
                    full_name=account.full_name,
                    phone=account.phone,
                    is_staff=account.username == "staff",
                    can_administer_users=account.username == "staff",
                    date_joined=self.now,
                )
            )
        User.objects.bulk_create(new)
        created = {u.username for u in new}
        if "staff" in created:
            staff = User.objects.get(username="staff")
            staff.user_permissions.set(Permission.objects.filter(content_type__app_label__in=ADMIN_APPS))
        users = {
            u.username: u
            for u in User.objects.select_related("operator").filter(
                username__in=[a.username for a in DEMO_ACCOUNTS]
            )
        }
        self.users = users
        self.staff = users["staff"]
        self.result.accounts = []
        for account in DEMO_ACCOUNTS:
            user = users[account.username]
            self.result.accounts.append(
                AccountResult(
                    account=account,
                    created=account.username in created,
                    role=user.role,
                    operator_code=user.operator.code if user.operator else None,
                    operator_short=user.operator.short_zh if user.operator else "",
                )
            )

    def operator_user(self, op: str) -> User:
        return self.users[op.lower()]

    def manager(self, op: str) -> User:
        return self.users.get(f"{op.lower()}_manager") or self.operator_user(op)

    # -- monthly reports and the ledger --

    def report_times(self, op: str) -> list[ReportTimes]:
        rng = self.rng("times", op)
        prof = OPERATORS[op]
        out = []
        last = len(self.periods) - 1
        latest = self.now - dt.timedelta(minutes=10)
        for t, period in enumerate(self.periods):
            if t < last:
                state, late = SubmissionState.ACCEPTED, rng.random() < prof.late_share
            else:
                state = SubmissionState.RETURNED if op == "CTCC" else SubmissionState.SUBMITTED
                late = op == "CUCC"
            due = period.due_at
            if late:
                # One to four days late, in office hours.
                day = timezone.localtime(period.late_after, SHANGHAI).date() + dt.timedelta(
                    days=rng.randint(1, 4)
                )
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
                local = timezone.localtime(submitted, SHANGHAI).date() + dt.timedelta(days=days)
                decided = at(local, rng.randint(9, 16), rng.randint(0, 59))
                decided = max(min(decided, latest), submitted + dt.timedelta(minutes=1))
            out.append(ReportTimes(state, created, uploaded, confirmed, submitted, decided))
        return out

    def receipt_no(self, rng: random.Random, op: str, period: Period) -> str:
        tail = "".join(rng.choice("23456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(6))
        return f"SD-{period.month:%Y%m}-{op}-V1-{tail}"

    def create_reports(self, op: str) -> tuple[int, int]:
        """One operator's 36 reports with their figures, typical cases and complaint ledger."""
        operator = self.operators[op]
        staff_user, manager = self.operator_user(op), self.manager(op)
        times = self.report_times(op)
        indexes = list(self.plan.reports(op))
        rng = self.rng("reports", op)
        incident_month = self.plan.last - 9

        submissions = []
        receipts = set()
        for t in indexes:
            period, tm = self.periods[t], times[t]
            receipt = self.receipt_no(rng, op, period)
            while receipt in receipts:
                receipt = self.receipt_no(rng, op, period)
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
                    decided_by=self.staff if tm.decided_at else None,
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
                sha256=hashlib.sha256(f"{self.seed}:{op}:{submission.period.label}".encode()).hexdigest(),
            )
            for submission in submissions
        ]
        LedgerUpload.objects.bulk_create(uploads, batch_size=BATCH_SIZE)
        upload_by_t = dict(zip(indexes, uploads, strict=True))

        figures, cases, complaints = [], [], 0
        for i, t in enumerate(indexes):
            stats = self.create_ledger(op, t, upload_by_t[t], upload_by_t.get(t + 1), times)
            complaints += sum(s[0] for s in stats.values())
            month_figures = []
            for city in CITY_CODES:
                cell = self.plan.cells[(op, t, city)]
                received, resolved, hours = stats.get(city, (0, 0, 0))
                month_figures.append(
                    CityFigures(
                        submission=submissions[i],
                        city=self.cities[city],
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
            submissions[i].narrative = self.narrative(op, t, month_figures, rng)
            for _ in range(self.typical_case_count(rng, op)):
                title, what, handling = rng.choice(TYPICAL_CASES)
                city = self.pick_city(rng)
                name = self.cities[city].name_zh
                cases.append(
                    TypicalCase(
                        submission=submissions[i],
                        title=title.format(city=name),
                        city=self.cities[city],
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
        LedgerUpload.objects.bulk_update(
            uploads, ["uploaded_at", "rows_added", "rows_updated"], batch_size=500
        )
        return len(submissions), complaints

    def typical_case_count(self, rng: random.Random, op: str) -> int:
        mean = OPERATORS[op].typical_cases
        roll = rng.random()
        return 0 if roll < 1 - mean / 1.5 else (1 if roll < 1 - mean / 5 else 2)

    def pick_city(self, rng: random.Random) -> str:
        return rng.choices(CITY_CODES, weights=[c.weight for c in CITIES.values()])[0]

    def create_ledger(self, op, t, upload, next_upload, times) -> dict[str, tuple[int, int, int]]:
        """The month's complaint rows, written in one go; returns per city (received, resolved by
        the report day, hours to resolve them in total).

        A complaint's stored state is what the latest upload that covers it said: resolved by the
        report day → resolved in this upload; resolved later → open here, resolved in the next
        month's upload (one revision); no next upload yet → still open.
        """
        rng = self.rng("ledger", op, self.plan.months[t].isoformat())
        prof = OPERATORS[op]
        month = self.plan.months[t]
        days = [month + dt.timedelta(days=i) for i in range(calendar.monthrange(month.year, month.month)[1])]
        day_cum = cumulative(1.0 if d.weekday() < 5 else 0.65 for d in days)
        cutoff = timezone.localtime(times[t].uploaded_at, SHANGHAI).date()
        next_cutoff = timezone.localtime(times[t + 1].uploaded_at, SHANGHAI).date() if next_upload else None
        delay_cum = cumulative(math.exp(-(d - 1) / prof.resolution_days) for d in range(1, 21))
        categories = list(CATEGORY_WEIGHTS)
        category_cum = cumulative(CATEGORY_WEIGHTS.values())
        channels = list(CHANNEL_WEIGHTS)
        channel_cum = cumulative(CHANNEL_WEIGHTS.values())
        satisfactions = list(SATISFACTION_WEIGHTS)
        satisfaction_cum = cumulative(SATISFACTION_WEIGHTS.values())

        rows = []
        for city in CITY_CODES:
            cell = self.plan.cells[(op, t, city)]
            n = cell.complaints + cell.spike
            if not n:
                continue
            name = self.cities[city].name_zh
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
        city_ids = {code: c.pk for code, c in self.cities.items()}
        category_ids = {code: c.pk for code, c in self.categories.items()}
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

    def narrative(self, op: str, t: int, figures: list[CityFigures], rng: random.Random) -> str:
        auth = sum(f.auth_code_requests for f in figures)
        apps = sum(f.port_out_applications for f in figures)
        done = sum(f.port_out_completed for f in figures)
        port_in = sum(f.port_in_completed for f in figures)
        received = sum(f.complaints_received for f in figures)
        resolved = sum(f.complaints_resolved for f in figures)
        text = (
            f"{month_label_zh(self.plan.months[t])}，我公司严格落实《山东省携号转网服务管理细则》，"
            f"携号转网工作总体平稳有序。全省共下发授权码{auth:,}个，受理携出申请{apps:,}笔，"
            f"携出成功{done:,}笔，成功率{done / apps:.1%}；携入成功{port_in:,}笔。"
            f"本月受理携转相关投诉{received:,}件，截至报送时已办结{resolved:,}件。"
        )
        picks = rng.sample(NARRATIVE_EXTRAS, 2)
        city = self.cities[self.pick_city(rng)].name_zh
        text += "".join(p.format(n=rng.randint(3, 30), m=rng.randint(200, 3000), city=city) for p in picks)
        if op == "CMCC" and t == self.plan.last - 9:
            text += "本月发生青岛地区携转系统割接导致授权码短信延迟的重大问题，已按要求即时上报并处置完毕。"
        if op == SPIKE_OPERATOR and t >= self.plan.last - 1:
            text += "潍坊市携转投诉量明显上升，主要反映授权码申请受阻，已成立专项工作组逐单核查。"
        return text

    # -- casework --

    def create_casework(self) -> None:
        rng = self.rng("casework")
        findings: list[InspectionFinding] = []
        # Findings that ground the orders below, dated before each order.
        orders_spec = self.order_specs()
        for spec in orders_spec:
            spec["findings"] = []
            for j, city in enumerate(spec["cities"]):
                visit = spec["issued"].date() - dt.timedelta(days=10 + 7 * j + rng.randint(0, 4))
                method = spec.get("method", rng.choice(list(InspectionMethod)))
                finding = self.finding(
                    rng,
                    spec["op"],
                    city,
                    visit,
                    method=method,
                    clause=spec["clause"],
                    severity=spec["severity"],
                )
                # Published before the order was drafted.
                finding.published_at = min(
                    at(visit + dt.timedelta(days=3), 10, 30), spec["drafted"] - dt.timedelta(hours=2)
                )
                spec["findings"].append(finding)
                findings.append(finding)

        # The routine: about 13 visits a month over the three years and this month so far.
        month = self.plan.months[0]
        while month <= self.today:
            for _ in range(rng.randint(10, 16)):
                day = month + dt.timedelta(
                    days=rng.randrange(calendar.monthrange(month.year, month.month)[1])
                )
                if day >= self.today:
                    continue
                op = rng.choices(OPERATOR_CODES, weights=[0.35, 0.25, 0.25, 0.15])[0]
                findings.append(self.finding(rng, op, self.pick_city(rng), day))
            month = add_months(month, 1)

        drafts = 0
        for finding in findings:
            if finding.published_at is None:
                published = at(finding.visit_date + dt.timedelta(days=rng.randint(2, 8)), rng.randint(9, 17))
                if published <= self.now:
                    finding.published_at = published
            finding.state = FindingState.PUBLISHED if finding.published_at else FindingState.DRAFT
            drafts += finding.state == FindingState.DRAFT
        # A few are still drafts: the most recent routine visits.
        grounds = {id(f) for spec in orders_spec for f in spec["findings"]}
        routine = [f for f in findings if id(f) not in grounds and f.published_at]
        for finding in sorted(routine, key=lambda f: f.visit_date, reverse=True)[: max(0, 3 - drafts)]:
            finding.state, finding.published_at = FindingState.DRAFT, None
        InspectionFinding.objects.bulk_create(findings, batch_size=BATCH_SIZE)
        for finding in findings:
            finding.created_at = min(at(finding.visit_date + dt.timedelta(days=1), 16), self.now)
            finding._history_date = finding.created_at
            finding._history_user = self.staff
        InspectionFinding.objects.bulk_update(findings, ["created_at"], batch_size=500)
        InspectionFinding.history.bulk_history_create(findings, batch_size=BATCH_SIZE)

        orders = self.create_orders(orders_spec)
        self.create_interviews(orders)
        self.result.counts["findings"] = len(findings)

    def finding(self, rng, op, city, visit, *, method=None, clause=None, severity=None) -> InspectionFinding:
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
        name = self.cities[city].name_zh
        district, street = rng.choice(CITIES[city].districts)
        return InspectionFinding(
            operator=self.operators[op],
            city=self.cities[city],
            visit_date=visit,
            channel=channel,
            site=f"{name}{district}{street}营业厅" if channel == InspectionChannel.STORE else "",
            method=method,
            scenario=rng.choice(SCENARIOS[channel]).format(hotline=OPERATORS[op].hotline),
            violation=violation,
            description=rng.choice(FINDING_DESCRIPTIONS[clause]) if violation else "",
            clause=self.categories[clause] if violation else None,
            severity=severity if violation else "",
            agency=agency,
        )

    def order_specs(self) -> list[dict]:
        """Nine orders, one per state and an overdue one, anchored on their deadlines."""
        d = self.today

        def spec(op, state, severity, clause, cities, deadline_days, steps, title, **extra):
            deadline = at(d + dt.timedelta(days=deadline_days), 23, 59, 59)
            days = settings.RECTIFICATION_DAYS[severity]
            issued = at(min(deadline.date() - dt.timedelta(days=days), d - dt.timedelta(days=2)), 10)
            return {
                "op": op, "state": state, "severity": severity, "clause": clause, "cities": cities,
                "deadline": deadline, "issued": issued, "drafted": issued - dt.timedelta(days=2),
                "steps": steps, "title": title, **extra,
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
                 "关于中国电信济宁营业厅针对携入用户专属优惠问题的整改通知"),
            spec("CUCC", OrderState.ISSUED, Severity.SEVERE, "BL1", ["370700", "370700", "370700"], 5, [],
                 "关于中国联通潍坊分公司设限阻挠携号转网问题的整改通知", method=InspectionMethod.COVERT,
                 spike=True),
            spec("CUCC", OrderState.ACKNOWLEDGED, Severity.MAJOR, "BL2", ["371300"], -10,
                 [(OrderState.ACKNOWLEDGED, "issued", 2)],
                 "关于中国联通临沂申请授权码前未告知受影响业务问题的整改通知"),
            spec("CBN", OrderState.DRAFT, Severity.MINOR, "BL5", ["371500"], 30, [],
                 "关于中国广电聊城合作渠道以携入用户数计发佣金问题的整改通知"),
        ]  # fmt: skip

    def create_orders(self, specs: list[dict]) -> list[RectificationOrder]:
        rng = self.rng("orders")
        numbers = self.document_nos = self.document_numbers(rng, specs)
        orders = []
        for spec in specs:
            spec["trail"] = self.order_trail(spec)
            final_when = spec["trail"][-1][1]
            issued = spec["state"] != OrderState.DRAFT
            closed = spec["state"] == OrderState.VERIFIED
            deadline = spec["deadline"]
            if not issued:
                deadline = at(
                    self.today + dt.timedelta(days=settings.RECTIFICATION_DAYS[spec["severity"]]), 23, 59, 59
                )
            orders.append(
                RectificationOrder(
                    operator=self.operators[spec["op"]],
                    document_no=numbers.get(id(spec)),
                    title=spec["title"],
                    requirements=self.requirements(spec, deadline),
                    severity=spec["severity"],
                    deadline=deadline,
                    state=spec["state"],
                    case_officer=self.staff,
                    issued_at=spec["issued"] if issued else None,
                    closed_at=final_when if closed else None,
                )
            )
        RectificationOrder.objects.bulk_create(orders)
        for order, spec in zip(orders, specs, strict=True):
            order.created_at = spec["drafted"] if spec["state"] != OrderState.DRAFT else spec["trail"][0][1]
        RectificationOrder.objects.bulk_update(orders, ["created_at"])
        # The grounds: the findings, and for the Weifang order some of the spike's complaints.
        through = RectificationOrder.findings.through
        through.objects.bulk_create(
            [
                through(rectificationorder_id=order.pk, inspectionfinding_id=f.pk)
                for order, spec in zip(orders, specs, strict=True)
                for f in spec["findings"]
            ]
        )
        spike_order = next(o for o, s in zip(orders, specs, strict=True) if s.get("spike"))
        complaint_ids = (
            ComplaintRecord.objects.filter(
                operator=self.operators[SPIKE_OPERATOR],
                city=self.cities[SPIKE_CITY],
                category=self.categories[SPIKE_CATEGORY],
                received_on__gte=self.plan.months[-1],
            )
            .order_by("received_on", "complaint_no")
            .values_list("pk", flat=True)[:6]
        )
        complaint_through = RectificationOrder.complaints.through
        complaint_through.objects.bulk_create(
            [
                complaint_through(rectificationorder_id=spike_order.pk, complaintrecord_id=pk)
                for pk in complaint_ids
            ]
        )
        self.order_history(orders, specs)
        self.order_reports(orders, specs)
        self.result.counts["orders"] = len(orders)
        return orders

    def order_reports(self, orders, specs) -> None:
        """The rectification reports behind the states, dated as the trail: each report submitted,
        and the administration's decision on it (returned or verified) when the trail has one.
        Overdue and the 整改按期完成率 read them: a report in time is awaiting verification (or
        on time once verified), never overdue."""
        reports = []
        for order, spec in zip(orders, specs, strict=True):
            category = self.categories[spec["clause"]]
            pending, number = None, 0
            for state, when in spec["trail"]:
                if state == OrderState.REPORT_SUBMITTED:
                    number += 1
                    pending = RectificationReport(
                        order=order,
                        number=number,
                        text=ORDER_REPORT_TEXT.format(code=category.code, name=category.name_zh),
                        submitted_by=self.operator_user(spec["op"]),
                        submitted_at=when,
                    )
                    reports.append(pending)
                elif state in (OrderState.RETURNED, OrderState.VERIFIED) and pending is not None:
                    returned = state == OrderState.RETURNED
                    pending.decision = ReportDecision.RETURNED if returned else ReportDecision.VERIFIED
                    pending.decided_by = self.staff
                    pending.decided_at = when
                    pending.comment = ORDER_REPORT_RETURNED if returned else ORDER_REPORT_VERIFIED
                    pending = None
        RectificationReport.objects.bulk_create(reports)

    def order_trail(self, spec) -> list[tuple[str, dt.datetime]]:
        """(state, when) from the draft to the present state; never later than now."""
        latest = self.now - dt.timedelta(minutes=5)
        if spec["state"] == OrderState.DRAFT:
            return [(OrderState.DRAFT, min(at(self.today - dt.timedelta(days=1), 15, 20), latest))]
        trail = [(OrderState.DRAFT, spec["drafted"]), (OrderState.ISSUED, spec["issued"])]
        for state, anchor, days in spec["steps"]:
            base = spec["issued"] if anchor == "issued" else spec["deadline"]
            when = at(base.astimezone(SHANGHAI).date() + dt.timedelta(days=days), 10 + len(trail), 15)
            when = max(min(when, latest), trail[-1][1] + dt.timedelta(minutes=1))
            trail.append((state, when))
        return trail

    def document_numbers(self, rng: random.Random, specs: list[dict]) -> dict[int, str]:
        """Document numbers in the order of issue, per year, with gaps for the administration's
        other documents; the interviews share the sequence."""
        taken = set(
            RectificationOrder.objects.exclude(document_no=None).values_list("document_no", flat=True)
        ) | set(InterviewNotice.objects.exclude(document_no=None).values_list("document_no", flat=True))
        self.interview_specs = self.interview_plan(specs)
        issued = [(s["issued"], id(s)) for s in specs if s["state"] != OrderState.DRAFT]
        issued += [(s["issued"], id(s)) for s in self.interview_specs if s["state"] != InterviewState.DRAFT]
        numbers, next_seq = {}, {}
        for when, key in sorted(issued, key=lambda item: item[0]):
            year = when.astimezone(SHANGHAI).year
            seq = next_seq.get(year) or rng.randint(3, 9)
            while (number := settings.DOCUMENT_NUMBER_PATTERN.format(year=year, seq=seq)) in taken:
                seq += 1
            taken.add(number)
            numbers[key] = number
            next_seq[year] = seq + rng.randint(1, 6)
        return numbers

    def requirements(self, spec, deadline: dt.datetime) -> str:
        category = self.categories[spec["clause"]]
        local = deadline.astimezone(SHANGHAI)
        return (
            f"经查，你公司存在{category.code}“{category.name_zh}”问题，违反《山东省携号转网服务管理细则》相关规定。"
            "现责令你公司：\n"
            "一、立即停止相关违规行为，对涉及的营业厅、客服和合作渠道逐一排查；\n"
            "二、对相关责任人员严肃处理，并开展携号转网服务规范专项培训；\n"
            "三、对受影响用户逐一回访，妥善解决用户诉求；\n"
            f"四、于{local.year}年{local.month}月{local.day}日前将整改情况书面报送我局。"
        )

    def order_history(self, orders, specs) -> None:
        """A readable history trail: one historical row per state change, with who and when."""
        history_model = RectificationOrder.history.model
        rows = []
        for order, spec in zip(orders, specs, strict=True):
            operator_user = self.operator_user(spec["op"])
            for i, (state, when) in enumerate(spec["trail"]):
                by_operator = state in (OrderState.ACKNOWLEDGED, OrderState.REPORT_SUBMITTED)
                rows.append(
                    history_model(
                        id=order.pk,
                        operator_id=order.operator_id,
                        document_no=order.document_no if state != OrderState.DRAFT else None,
                        title=order.title,
                        requirements=order.requirements,
                        severity=order.severity,
                        deadline=order.deadline,
                        state=state,
                        case_officer_id=order.case_officer_id,
                        issued_at=order.issued_at if state != OrderState.DRAFT else None,
                        closed_at=when if state == OrderState.VERIFIED else None,
                        history_date=when,
                        history_type="+" if i == 0 else "~",
                        history_user=operator_user if by_operator else self.staff,
                        history_change_reason=str(OrderState(state).label),
                    )
                )
        history_model.objects.bulk_create(rows)

    def interview_plan(self, order_specs) -> list[dict]:
        d = self.today
        escalated = next(s for s in order_specs if s["state"] == OrderState.ESCALATED)
        held_at = at(escalated["deadline"].date() + dt.timedelta(days=12), 9, 30)
        return [
            {"op": "CTCC", "state": InterviewState.HELD, "scheduled": held_at,
             "issued": held_at - dt.timedelta(days=8), "orders": [OrderState.ESCALATED],
             "reason": "你公司德州、聊城分公司以违约金阻挠用户携号转网，整改期限届满仍未整改到位，"
                       "严重违反携号转网六条底线（BL2）。"},
            {"op": "CUCC", "state": InterviewState.ISSUED, "scheduled": at(d + dt.timedelta(days=5), 9, 30),
             "issued": at(d - dt.timedelta(days=1), 11), "orders": [OrderState.ISSUED, "overdue"],
             "reason": "近三个月你公司潍坊分公司携转投诉量大幅上升，明察暗访发现设限阻挠携号转网问题（BL1）；"
                       "临沂分公司整改逾期未报。"},
            {"op": "CBN", "state": InterviewState.CONFIRMED, "scheduled": at(d + dt.timedelta(days=9), 15),
             "issued": at(d - dt.timedelta(days=4), 10), "orders": [OrderState.RETURNED],
             "reason": "你公司菏泽分公司未履行携转告知义务，整改报告经审核未达要求被退回。"},
            {"op": "CMCC", "state": InterviewState.DRAFT, "scheduled": at(d + dt.timedelta(days=21), 9, 30),
             "issued": None, "orders": [OrderState.REPORT_SUBMITTED],
             "reason": "你公司烟台客服热线多次错误告知携转风险，拟约谈提醒。"},
        ]  # fmt: skip

    def create_interviews(self, orders: list[RectificationOrder]) -> None:
        rng = self.rng("interviews")
        numbers = self.document_nos
        notices = []
        for spec in self.interview_specs:
            state = spec["state"]
            confirmed = state in (InterviewState.CONFIRMED, InterviewState.HELD)
            notices.append(
                InterviewNotice(
                    operator=self.operators[spec["op"]],
                    document_no=numbers.get(id(spec)),
                    reason=spec["reason"],
                    scheduled_at=spec["scheduled"],
                    place="省通信管理局五楼约谈室",
                    persons_required="公司分管副总经理；市场经营部总经理；客户服务部总经理；相关地市分公司总经理",
                    administration_attendees="李局长（管局领导）；王科长（案件承办人）",
                    confirmed_attendees=(
                        f"{rng.choice(SURNAMES)}副总经理；{rng.choice(SURNAMES)}经理（市场经营部）；"
                        f"{rng.choice(SURNAMES)}经理（客户服务部）"
                        if confirmed
                        else ""
                    ),
                    minutes=(
                        "管局通报了德州、聊城分公司以违约金阻挠携转的事实及整改逾期情况，指出其严重违反六条底线。"
                        "公司负责人承认问题，承诺：一、十日内全面清理无依据违约金并退还用户；"
                        "二、对相关责任人给予通报批评和绩效扣减；三、每周报送整改进展。"
                        "管局将组织第三方体验测试复查。"
                        if state == InterviewState.HELD
                        else ""
                    ),
                    state=state,
                )
            )
        InterviewNotice.objects.bulk_create(notices)
        for notice, spec in zip(notices, self.interview_specs, strict=True):
            notice.created_at = (spec["issued"] or at(self.today, 9)) - dt.timedelta(days=1)
            notice.created_at = min(notice.created_at, self.now)
        InterviewNotice.objects.bulk_update(notices, ["created_at"])
        by_state = {}
        overdue = set(RectificationOrder.objects.overdue(self.now).values_list("pk", flat=True))
        for order in orders:
            by_state.setdefault(order.state, order)
            if order.pk in overdue:
                by_state["overdue"] = order
        through = InterviewNotice.orders.through
        through.objects.bulk_create(
            [
                through(interviewnotice_id=notice.pk, rectificationorder_id=by_state[key].pk)
                for notice, spec in zip(notices, self.interview_specs, strict=True)
                for key in spec["orders"]
                if key in by_state
            ]
        )
        history_model = InterviewNotice.history.model
        rows = []
        for notice, spec in zip(notices, self.interview_specs, strict=True):
            trail = [(InterviewState.DRAFT, notice.created_at)]
            if spec["issued"]:
                trail.append((InterviewState.ISSUED, spec["issued"]))
            if spec["state"] in (InterviewState.CONFIRMED, InterviewState.HELD):
                trail.append((InterviewState.CONFIRMED, spec["issued"] + dt.timedelta(days=2)))
            if spec["state"] == InterviewState.HELD:
                trail.append((InterviewState.HELD, spec["scheduled"] + dt.timedelta(hours=2)))
            for i, (state, when) in enumerate(trail):
                rows.append(
                    history_model(
                        id=notice.pk,
                        operator_id=notice.operator_id,
                        document_no=notice.document_no if state != InterviewState.DRAFT else None,
                        reason=notice.reason,
                        scheduled_at=notice.scheduled_at,
                        place=notice.place,
                        persons_required=notice.persons_required,
                        administration_attendees=notice.administration_attendees,
                        confirmed_attendees=notice.confirmed_attendees
                        if state != InterviewState.DRAFT
                        else "",
                        minutes=notice.minutes if state == InterviewState.HELD else "",
                        state=state,
                        history_date=min(when, self.now),
                        history_type="+" if i == 0 else "~",
                        history_user=self.operator_user(spec["op"])
                        if state == InterviewState.CONFIRMED
                        else self.staff,
                        history_change_reason=str(InterviewState(state).label),
                    )
                )
        history_model.objects.bulk_create(rows)
        self.result.counts["interviews"] = len(notices)

    # -- meetings --

    def create_meetings(self) -> None:
        title = "携号转网工作会商会"
        if MeetingSeries.objects.filter(title=title).exists():
            return
        first_month = add_months(self.today.replace(day=1), -12)
        # The first Thursday of that month, 14:30 local time.
        first_day = first_month + dt.timedelta(days=(3 - first_month.weekday()) % 7)
        rule = "FREQ=MONTHLY;BYDAY=1TH"
        series = MeetingSeries.objects.create(
            title=title,
            rrule=rule,
            first_start=at(first_day, 14, 30),
            duration_minutes=120,
            place="省通信管理局三楼会议室",
            created_by=self.staff,
        )
        series.created_at = at(first_day - dt.timedelta(days=10), 10)
        MeetingSeries.objects.filter(pk=series.pk).update(created_at=series.created_at)
        series.invited_operators.set(self.operators[op] for op in OPERATOR_CODES)

        rng = self.rng("meetings")
        # The rule runs in naive local time (Asia/Shanghai has no daylight saving), then made aware.
        naive_start = dt.datetime.combine(first_day, dt.time(14, 30))
        meetings, future = [], 0
        decisions: dict[int, str] = {}
        for occurrence in rrulestr(rule, dtstart=naive_start):
            planned = occurrence.replace(tzinfo=SHANGHAI)
            # A meeting that falls on a public holiday is moved a week on; the series is unchanged.
            start = planned + dt.timedelta(days=7) if is_long_holiday(planned.date()) else planned
            end = start + dt.timedelta(minutes=series.duration_minutes)
            past = end < self.now
            if not past:
                future += 1
                if future > 3:
                    break
            minutes = ""
            if past:
                month = add_months(start.date().replace(day=1), -1)
                t = self.plan.months.index(month) if month in self.plan.months else None
                totals = (
                    self.plan.province_totals(t) if t is not None else {"apps": 0, "done": 0, "complaints": 0}
                )
                decisions[len(meetings)] = rng.choice(MEETING_DECISIONS)
                minutes = MEETING_MINUTES.format(
                    month=month_label_zh(month), decision=decisions[len(meetings)], **totals
                )
                if start != planned:
                    minutes = f"（因节假日顺延一周召开）\n{minutes}"
            published = start - dt.timedelta(days=5)
            meetings.append(
                Meeting(
                    series=series,
                    recurrence_start=planned,
                    starts_at=start,
                    ends_at=end,
                    place=series.place,
                    state=MeetingState.CLOSED if past else MeetingState.SCHEDULED,
                    detached=start != planned,
                    minutes=minutes,
                    invitation_sent_at=published if past else None,
                    agenda_published_at=published if past else None,
                    minutes_published_at=end + dt.timedelta(days=2) if past else None,
                    closed_at=end + dt.timedelta(days=2) if past else None,
                    closed_by=self.staff if past else None,
                    administration_attendees="王科长" if past else "",
                )
            )
        Meeting.objects.bulk_create(meetings)
        self.create_meeting_records(meetings, decisions, rng)
        self.result.counts["meetings"] = len(meetings)

    def create_meeting_records(self, meetings: list[Meeting], decisions: dict[int, str], rng) -> None:
        """Invitations, agendas, attendance and action items of the demo meetings.

        Held meetings have it all (attended, minutes published, closed); of their action items the
        older ones are done and the latest still open. The next meeting has answers from two
        operators and a proposal awaiting a decision; the later ones nothing yet.
        """
        invitations = Invitation.objects.bulk_create(
            [
                Invitation(meeting=meeting, operator=self.operators[op])
                for meeting in meetings
                for op in OPERATOR_CODES
            ]
        )
        by_meeting: dict[int, list[Invitation]] = {}
        for invitation in invitations:
            by_meeting.setdefault(invitation.meeting_id, []).append(invitation)
        past = [m for m in meetings if m.state == MeetingState.CLOSED]
        upcoming = [m for m in meetings if m.state == MeetingState.SCHEDULED]
        agenda, attendees, actions = [], [], []
        for meeting in past:
            month = add_months(timezone.localtime(meeting.starts_at, SHANGHAI).date().replace(day=1), -1)
            titles = [
                (f"通报{month_label_zh(month)}携号转网工作情况及投诉情况", "王科长", 20, None),
                *(
                    (
                        f"{self.operators[op].short_zh}汇报本月工作开展情况",
                        self.operators[op].short_zh,
                        15,
                        op,
                    )
                    for op in OPERATOR_CODES
                ),
                ("研究议定事项", "王科长", 20, None),
            ]
            for position, (item_title, presenter, planned, op) in enumerate(titles, start=1):
                agenda.append(
                    AgendaItem(
                        meeting=meeting,
                        position=position,
                        title=item_title,
                        presenter=presenter,
                        planned_minutes=planned,
                        operator=self.operators[op] if op else None,
                        decided_by=self.staff,
                        decided_at=meeting.agenda_published_at,
                    )
                )
            for invitation in by_meeting[meeting.pk]:
                op = invitation.operator.code
                invitation.answered_at = meeting.starts_at - dt.timedelta(days=rng.randint(1, 4))
                invitation.answered_by = self.operator_user(op)
                people = {self.operator_user(op), self.manager(op)}
                for person in sorted(people, key=lambda u: u.username):
                    attendees.append(
                        Attendee(
                            invitation=invitation,
                            user=person,
                            name=person.full_name,
                            attended=True,
                        )
                    )
            decision = decisions[meetings.index(meeting)]
            owners = ["CUCC"] if "中国联通" in decision else OPERATOR_CODES
            due = timezone.localtime(meeting.starts_at, SHANGHAI).date() + dt.timedelta(days=21)
            done = meeting is not past[-1]
            for op in owners:
                actions.append(
                    ActionItem(
                        meeting=meeting,
                        title=decision.removeprefix("各运营商").removeprefix("中国联通"),
                        operator=self.operators[op],
                        due_on=due,
                        state=ActionState.DONE if done else ActionState.OPEN,
                        done_at=at(due - dt.timedelta(days=rng.randint(1, 6)), 17) if done else None,
                        done_by=self.operator_user(op) if done else None,
                        done_note="已按要求完成并书面报送。" if done else "",
                        created_by=self.staff,
                    )
                )
        if upcoming:
            following = upcoming[0]
            for invitation in by_meeting[following.pk][:2]:
                op = invitation.operator.code
                invitation.answered_at = self.now - dt.timedelta(hours=rng.randint(2, 48))
                invitation.answered_by = self.manager(op)
                for person in sorted({self.operator_user(op), self.manager(op)}, key=lambda u: u.username):
                    attendees.append(
                        Attendee(
                            invitation=invitation,
                            user=person,
                            name=person.full_name,
                        )
                    )
            agenda.append(
                AgendaItem(
                    meeting=following,
                    title="关于统一携转客服热线答复口径的建议",
                    details="建议管局组织各运营商统一客服热线对携转条件、授权码有效期的答复口径。",
                    presenter=self.operators["CTCC"].short_zh,
                    planned_minutes=15,
                    operator=self.operators["CTCC"],
                    source=AgendaSource.PROPOSAL,
                    state=AgendaState.PROPOSED,
                    proposed_by=self.operator_user("CTCC"),
                )
            )
        Invitation.objects.bulk_update(invitations, ["answered_at", "answered_by"])
        AgendaItem.objects.bulk_create(agenda)
        Attendee.objects.bulk_create(attendees)
        ActionItem.objects.bulk_create(actions)
        self.result.counts["action_items"] = len(actions)

    # -- incidents --

    def create_incidents(self) -> None:
        rng = self.rng("incidents")
        since_open = at(self.today - dt.timedelta(days=3), 9, 40)
        old_month = self.plan.months[self.plan.last - 9]
        since_closed = at(old_month + dt.timedelta(days=rng.randint(8, 20)), 22, 0)
        affected = 1150 + rng.randrange(120)
        incidents = [
            Incident(
                operator=self.operators["CUCC"],
                title="潍坊地区携号转网授权码下发异常",
                description=(
                    f"{since_open.month}月{since_open.day}日9时40分起，潍坊市部分用户发送SQXZ短信申请授权码后未收到回复。"
                    f"经排查为我公司携转支撑系统与短信网关接口故障，目前影响用户约{affected}户。"
                ),
                city=self.cities["370700"],
                location="潍坊市全市",
                since=since_open,
                subscribers_affected=affected,
                measures="已启动应急预案，技术人员现场排查接口故障；潍坊市各营业厅开通人工受理通道；对受影响用户逐一短信告知并致歉。",
                status=IncidentStatus.OPEN,
                reported_by=self.operator_user("CUCC"),
            ),
            Incident(
                operator=self.operators["CMCC"],
                title="青岛地区携转系统割接导致授权码短信延迟",
                description="携转支撑系统夜间升级割接后，青岛市授权码短信下发延迟最长约6小时，部分用户未能按时办理携出。",
                city=self.cities["370200"],
                location="青岛市",
                since=since_closed,
                subscribers_affected=320 + rng.randrange(80),
                measures="回退割接版本并补发授权码；对受影响用户致歉并优先办理；完善割接前的携转业务验证。",
                status=IncidentStatus.CLOSED,
                reported_by=self.operator_user("CMCC"),
                closed_at=since_closed + dt.timedelta(hours=30),
            ),
        ]
        Incident.objects.bulk_create(incidents)
        incidents[0].reported_at = min(since_open + dt.timedelta(hours=1, minutes=35), self.now)
        incidents[1].reported_at = since_closed + dt.timedelta(hours=2)
        Incident.objects.bulk_update(incidents, ["reported_at"])
        self.result.counts["incidents"] = len(incidents)

    # -- task forces --

    def create_task_forces(self) -> None:
        rng = self.rng("task-force")
        staffed = set(TaskForceMember.objects.values_list("operator__code", flat=True).distinct())
        members = []
        for op in OPERATOR_CODES:
            if op in staffed:
                continue
            count = rng.randint(3, 5)
            duties = TASK_FORCE_DUTIES[:2] + rng.sample(TASK_FORCE_DUTIES[2:], count - 2)
            names = set()
            while len(names) < count:
                names.add(rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES))
            for i, (name, duty) in enumerate(zip(sorted(names), duties, strict=True)):
                member = TaskForceMember(
                    operator=self.operators[op],
                    name=name,
                    duty=duty,
                    phone=f"0531-8{rng.randint(100, 999)}{rng.randint(1000, 9999)}",
                    email=f"xhzw{i + 1:02d}@{OPERATORS[op].domain}",
                    sort_order=i,
                )
                member._history_user = self.operator_user(op)
                members.append(member)
        TaskForceMember.objects.bulk_create(members)
        TaskForceMember.history.bulk_history_create(members, default_date=self.now)
        self.result.counts["task_force"] = len(members)


def seed(
    *, seed: int = DEFAULT_SEED, complaints: int = DEFAULT_COMPLAINTS, now=None, progress=None
) -> SeedResult:
    """Store the demo data; the caller checks that the database holds no reports yet."""
    from supervision.reporting.summaries import refresh_complaint_counts

    result = DemoSeeder(seed=seed, complaints=complaints, now=now, progress=progress).run()
    # The dashboard reads the ledger's monthly counts; the seeder writes complaints in bulk.
    refresh_complaint_counts()
    return result


def login_url() -> str:
    return f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}{reverse('login')}"


def login_table(accounts: list[AccountResult]) -> str:
    """The demo log-ins as a table readable in a terminal, Chinese first."""
    header = ("用户名 User name", "密码 Password", "角色 Role")
    rows = []
    for result in accounts:
        zh, en = ROLE_LABELS.get(result.role, (result.role, result.role))
        if result.operator_code:
            zh, en = f"{zh}（{result.operator_short}）", f"{en} ({result.operator_code})"
        password = DEMO_PASSWORD if result.created else "（原密码 unchanged）"
        rows.append((result.account.username, password, f"{zh} {en}"))
    widths = [max(display_width(row[i]) for row in [header, *rows]) for i in range(3)]
    rule = "  ".join("-" * w for w in widths)
    lines = [
        f"演示账号 Demo log-ins — 登录地址 Log in at {login_url()}",
        "  ".join(pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip(),
        rule,
    ]
    lines += ["  ".join(pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines)

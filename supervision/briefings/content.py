"""What the briefing says, as a list of blocks that the .docx, the PDF and the page each lay out.

One composition for every output: the three cannot say different things. The text is Chinese
whatever the reader's language: the briefing is the official document the operators and MIIT
receive. Every figure prints through ``core.rounding`` (四舍五入 on the exact value at the
indicator's precision, in the Chinese locale) and every change is computed from the unrounded
values and then rounded (``rounding.change``, said with ``change_words_zh``: 持平 when it rounds
to zero), so the briefing reads exactly as the dashboard's Chinese page. Indicators are named by
their one name (``indicators.INDICATORS``, stored with the figures).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation

from supervision.casework.models import METHOD_WORDS, SEVERITY_WORDS, FindingState, OrderState
from supervision.core import rounding

from .figures import LATE, MISSING, NOT_DUE, ON_TIME, RETURNED

AUTHORITY = "山东省通信管理局"
COPY_TO = "工业和信息化部信息通信管理局"
NO_DATA = "—"

# The official words of each choice, keyed by the choice (a snapshot's plain strings find them
# too). Inspection methods and severities say what the orders and the template say
# (``casework.models.METHOD_WORDS``, ``SEVERITY_WORDS``); the states are the briefing's own words,
# for every state a circulated finding (``CIRCULATED_FINDING_STATES``) or an issued order can be
# in. Some differ from the pages' words on purpose (已告知企业, 已验收).
FINDING_STATES = {
    FindingState.PUBLISHED: "已告知企业",
    FindingState.RESPONDED: "企业已说明",
    FindingState.CONTESTED: "企业有异议",
    FindingState.UPHELD: "已认定",
}
ORDER_STATES = {
    OrderState.ISSUED: "已下发",
    OrderState.ACKNOWLEDGED: "已签收",
    OrderState.REPORT_SUBMITTED: "已报送整改报告",
    OrderState.RETURNED: "整改报告退回",
    OrderState.VERIFIED: "已验收",
    OrderState.ESCALATED: "已升级处理",
}
# How an operator's monthly report stands (``figures._reporting``), in the order said.
REPORT_STATES = {
    ON_TIME: "按时报送",
    LATE: "逾期报送",
    RETURNED: "已退回，待重新报送",
    MISSING: "未报送",
    NOT_DUE: "尚未到报送期限",
}
# Why an operator is left out of the province figures.
LEFT_OUT_REASONS = {
    RETURNED: "月报已退回，待重新报送",
    MISSING: "未报送月报",
    NOT_DUE: "尚未报送月报",
}
SECTION_NUMBERS = "一二三四五六七八九十"


def default_texts(month_label: str) -> dict[str, str]:
    """The text sections a new draft starts with; staff adapt them."""
    month = chinese_month(month_label)
    return {
        "opening": (
            "为深入贯彻《携号转网服务管理规定》（工信部信管〔2019〕242号）和《山东省携号转网服务管理细则》，"
            f"持续规范携号转网服务行为，切实保障用户合法权益，现将{month}全省携号转网服务监管情况通报如下。"
        ),
        "commentary": "",
        "requirements": (
            "（一）严守服务底线。各企业要严格落实“六条底线”要求，不得以任何方式设限阻挠、违规限制用户携号转网，"
            "不得开展虚假宣传和不公平营销。\n"
            "（二）抓好问题整改。对本通报指出的问题和逾期未整改事项，各企业要逐项分析原因、落实整改责任，"
            "按期向我局报送整改报告。\n"
            "（三）做好投诉处理。各企业要在15日内办结用户投诉，切实降低投诉率，坚决杜绝恶意诱导申诉。\n"
            "（四）按时报送材料。各企业要于每月月底前报送月度工作情况、投诉台账和典型案例，重大问题随时报告。"
        ),
    }


# --- Numbers and dates, as the dashboard's Chinese page prints them -----------------------------


def exact(value) -> Decimal | None:
    """A stored figure as its exact decimal: new snapshots store text, older ones a float."""
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def figure(value, decimals: int) -> str:
    """An indicator's figure (``rounding.format_figure``, Chinese locale); “—” without one."""
    with translation.override("zh-hans"):
        return rounding.format_figure(exact(value), decimals)


def count(value) -> str:
    """A plain count (applications, complaints, orders), as the dashboard prints one; “—” if none."""
    return figure(value, 0)


def change_words(current, before, decimals: int, unit: str) -> str:
    """上升0.4个百分点 / 下降0.1 / 持平, from the unrounded values (``rounding.change``); "" if none."""
    return rounding.change_words_zh(rounding.change(exact(current), exact(before), decimals), decimals, unit)


def chinese_month(label: str) -> str:
    year, month = label.split("-")
    return f"{int(year)}年{int(month)}月"


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _iso_date(text: str, year: int | None = None) -> str:
    """A date in a table: “10月3日” in the briefing's year, “2025年12月3日” otherwise."""
    day = dt.date.fromisoformat(text)
    if day.year == year:
        return f"{day.month}月{day.day}日"
    return chinese_date(day)


# --- Blocks --------------------------------------------------------------------------------------


@dataclass
class Heading:
    text: str
    level: int = 1
    kind: str = "heading"


@dataclass
class Paragraph:
    text: str
    kind: str = "paragraph"


@dataclass
class Table:
    key: str
    caption: str
    header: list[str]
    rows: list[list[str]]
    # Relative column widths; the first column holds names.
    widths: list[float]
    kind: str = "table"


@dataclass
class Chart:
    key: str
    caption: str
    kind: str = "chart"


@dataclass
class Head:
    authority: str
    document_no: str
    title: str
    # The title as it is set: broken where the words allow, not where the line is full.
    title_lines: list[str]
    addressees: list[str]
    date: str
    copy_to: str
    draft: bool


@dataclass
class Composition:
    head: Head
    blocks: list = field(default_factory=list)


def title(month_label: str) -> str:
    return "".join(title_lines(month_label))


def title_lines(month_label: str) -> list[str]:
    return [f"关于{chinese_month(month_label)}携号转网服务", "监管情况的通报"]


# --- The composition -------------------------------------------------------------------------------


class _Sections:
    def __init__(self):
        self.blocks = []
        self.count = 0

    def section(self, text):
        self.blocks.append(Heading(f"{SECTION_NUMBERS[self.count]}、{text}"))
        self.count += 1

    def add(self, *blocks):
        self.blocks.extend(blocks)

    def paragraphs(self, text: str):
        for line in (text or "").splitlines():
            if line.strip():
                self.blocks.append(Paragraph(line.strip()))


def compose(
    *,
    figures: dict,
    opening: str,
    commentary: str,
    requirements: str,
    document_no: str | None,
    date: dt.date,
    corrects: str | None = None,
) -> Composition:
    """The whole briefing: its head and its blocks, from the figures and the edited texts."""
    operators = figures["operators"]
    names = {op["code"]: op["short"] for op in operators}
    year = int(figures["month"][:4])
    head = Head(
        authority=AUTHORITY,
        document_no=document_no or "（草稿，未编号）",
        title=title(figures["month"]),
        title_lines=title_lines(figures["month"]),
        addressees=[op["name"] for op in operators],
        date=chinese_date(date),
        copy_to=COPY_TO,
        draft=document_no is None,
    )
    out = _Sections()
    out.paragraphs(opening)

    out.section("总体情况")
    out.add(Paragraph(summary(figures)))
    like_for_like = left_out_sentence(figures)
    if like_for_like:
        out.add(Paragraph(like_for_like))
    out.paragraphs(commentary)

    out.section("主要指标及排名")
    out.add(Paragraph(ranking_sentence(figures)))
    complaint_rate = _indicator(figures, "complaint_rate")
    out.add(
        indicator_table(figures, names),
        Chart("complaint_rate", f"图1  各企业{complaint_rate['name'] if complaint_rate else '投诉量'}"),
    )
    out.add(volume_table(figures, names))

    out.section("用户投诉情况")
    out.add(Paragraph(complaint_sentence(figures)))
    out.add(complaint_table(figures, names))
    out.add(Chart("categories", "图2  投诉按类别分布"), Chart("trend", "图3  近12个月各企业投诉量"))

    out.section("监督检查和整改情况")
    findings = figures["findings"]
    orders = figures["orders"]
    out.add(Paragraph(casework_sentence(figures, names)))
    if findings["rows"]:
        out.add(finding_table(findings, names, year))
    if orders:
        out.add(order_table(orders, names, year))

    out.section("逾期事项")
    out.add(Paragraph(overdue_sentence(figures, names)))
    if figures["overdue_orders"]:
        out.add(overdue_table(figures["overdue_orders"], names, year))
    out.add(Paragraph(reporting_sentence(figures, names)))

    out.section("典型案例")
    cases = figures["typical_cases"]
    if not cases:
        out.add(Paragraph("本月各企业未报送典型案例。"))
    for index, case in enumerate(cases, start=1):
        out.add(
            Heading(
                f"（{_chinese_count(index)}）{names.get(case['operator'], case['operator'])}：{case['title']}（{case['city']}）",
                2,
            )
        )
        out.add(Paragraph(f"基本情况：{case['what_happened']}"), Paragraph(f"处理情况：{case['handling']}"))

    if requirements.strip():
        out.section("工作要求")
        out.paragraphs(requirements)

    if corrects:
        out.add(Paragraph(f"本通报更正并替代{corrects}。"))
    return Composition(head, out.blocks)


def _chinese_count(n: int) -> str:
    if n <= 10:
        return "一二三四五六七八九十"[n - 1]
    tens, ones = divmod(n, 10)
    return f"{'' if tens == 1 else '一二三四五六七八九'[tens - 1]}十{'一二三四五六七八九'[ones - 1] if ones else ''}"


def _indicator(figures, code) -> dict | None:
    return next((row for row in figures["indicators"] if row["code"] == code), None)


def _count_change(current, before, unit) -> str:
    if current is None or before is None:
        return ""
    difference = current - before
    if difference == 0:
        return "持平"
    return f"{'增加' if difference > 0 else '减少'}{count(abs(difference))}{unit}"


def _unit(row: dict) -> str:
    return "%" if row["unit"] == "%" else ""


def _rate(row: dict, figure_of: dict, *, with_changes=True) -> str:
    """“携出成功率93.3%，较上月下降0.1个百分点”: an indicator's one name, its figure and its
    changes (from the unrounded values), as every sentence of the briefing says them."""
    unit = _unit(row)
    text = f"{row['name']}{figure(figure_of['value'], row['decimals'])}{unit}"
    if with_changes:
        text += _changes(
            change_words(figure_of["value"], figure_of.get("previous"), row["decimals"], unit),
            change_words(figure_of["value"], figure_of.get("year_ago"), row["decimals"], unit),
        )
    return text


def _changes(month_change: str, year_change: str) -> str:
    parts = []
    if month_change:
        parts.append(f"较上月{month_change}")
    if year_change:
        parts.append(f"较去年同期{year_change}")
    return f"，{'，'.join(parts)}" if parts else ""


def summary(figures: dict) -> str:
    """The province's key figures and their changes, in one paragraph."""
    month = chinese_month(figures["month"])
    volumes = figures["volumes"]["province"]
    now = volumes.get("current") or {}
    before = volumes.get("previous") or {}
    year_ago = volumes.get("year_ago") or {}
    if not now.get("port_out_applications") and not now.get("complaints"):
        return f"{month}，各企业尚未报送本月携号转网业务数据和投诉台账。"
    sentences = []
    success = _indicator(figures, "port_out_success")
    if now.get("port_out_applications") is not None and success:
        applications = now.get("port_out_applications")
        sentences.append(
            f"{month}，全省各基础电信企业共下发携号转网授权码{count(now.get('auth_code_requests'))}个，"
            f"受理携出申请{count(applications)}笔"
            f"{_changes(_count_change(applications, before.get('port_out_applications'), '笔'), _count_change(applications, year_ago.get('port_out_applications'), '笔'))}；"
            f"携出成功{count(now.get('port_out_completed'))}笔，{_rate(success, success['province'])}。"
        )
    complaints = now.get("complaints") or 0
    text = (
        f"全省共受理携号转网投诉{count(complaints)}件"
        f"{_changes(_count_change(complaints, before.get('complaints'), '件'), _count_change(complaints, year_ago.get('complaints'), '件'))}"
    )
    for code in ("complaint_rate", "complaints_per_million"):
        row = _indicator(figures, code)
        if row and row["province"]["value"] is not None:
            text += f"，{_rate(row, row['province'])}"
    timely = _indicator(figures, "timely_resolution")
    if timely and timely["province"]["value"] is not None:
        text += f"；{_rate(timely, timely['province'], with_changes=False)}"
    sentences.append(text + "。")
    return "".join(sentences)


def left_out_sentence(figures: dict) -> str:
    """Like for like (DOMAIN.md): which operators the province figures leave out, and why; ""
    when every operator's report counts."""
    names = {op["code"]: op["short"] for op in figures["operators"]}
    left_out = [
        f"{names.get(row['operator'], row['operator'])}（{LEFT_OUT_REASONS.get(row['status'], '未报送月报')}）"
        for row in figures["reporting"]
        if not row.get("counted", True)
    ]
    if not left_out:
        return ""
    return (
        "全省携号转网业务量和各项比率指标按同口径计算，仅含本月月报纳入统计的企业，"
        f"未计入{'、'.join(left_out)}；投诉量按各企业投诉台账统计。"
    )


def ranking_sentence(figures: dict) -> str:
    """The best and the worst operator of the main indicators: compared on the exact values,
    printed rounded (two operators may print alike and still rank apart)."""
    names = {op["code"]: op["short"] for op in figures["operators"]}
    parts = []
    for code in ("port_out_success", "complaint_rate", "complaints_per_million", "timely_resolution"):
        row = _indicator(figures, code)
        if row is None:
            continue
        known = [(c, exact(v["value"])) for c, v in row["operators"].items() if v["value"] is not None]
        if len(known) < 2:
            continue
        higher = row["higher_is_better"]
        best = max(known, key=lambda item: item[1]) if higher else min(known, key=lambda item: item[1])
        worst = min(known, key=lambda item: item[1]) if higher else max(known, key=lambda item: item[1])
        if best[1] == worst[1]:
            continue
        unit = _unit(row)
        parts.append(
            f"{row['name']}{names[best[0]]}最好（{figure(best[1], row['decimals'])}{unit}），"
            f"{names[worst[0]]}最差（{figure(worst[1], row['decimals'])}{unit}）"
        )
    if not parts:
        return "本月可供比较的企业数据不足，各项指标见表1。"
    return "从各企业看，" + "；".join(parts) + "。各项指标及排名见表1（排名按指标优劣排列，第1名为最好）。"


def indicator_table(figures: dict, names: dict) -> Table:
    codes = [op["code"] for op in figures["operators"]]
    rows = []
    for row in figures["indicators"]:
        name = f"{row['name']}（%）" if _unit(row) else row["name"]
        cells = [name, figure(row["province"]["value"], row["decimals"])]
        for code in codes:
            value = row["operators"][code]
            text = figure(value["value"], row["decimals"])
            if value["rank"] is not None:
                text += f"\n第{value['rank']}名"
            cells.append(text)
        rows.append(cells)
    return Table(
        "indicators",
        "表1  各企业携号转网服务指标及排名",
        ["指标", "全省", *(names[c] for c in codes)],
        rows,
        [3.2, 1.4, *([1.4] * len(codes))],
    )


VOLUME_COLUMNS = [
    ("auth_code_requests", "授权码下发量（个）"),
    ("port_out_applications", "携出申请量（笔）"),
    ("port_out_completed", "携出成功量（笔）"),
    ("port_in_completed", "携入成功量（笔）"),
    ("net_porting", "净携入量（笔）"),
    ("complaints", "投诉量（件）"),
]


def volume_table(figures: dict, names: dict) -> Table:
    volumes = figures["volumes"]
    net = _indicator(figures, "net_porting")
    labels = {"net_porting": f"{net['name']}（笔）"} if net else {}
    rows = []
    for op in figures["operators"]:
        current = volumes["operators"][op["code"]].get("current") or {}
        rows.append([op["short"], *(count(current.get(key)) for key, _label in VOLUME_COLUMNS)])
    province = volumes["province"].get("current") or {}
    rows.append(["全省", *(count(province.get(key)) for key, _label in VOLUME_COLUMNS)])
    return Table(
        "volumes",
        "表2  各企业携号转网业务量",
        ["企业", *(labels.get(key, label) for key, label in VOLUME_COLUMNS)],
        rows,
        [1.6, *([1.4] * len(VOLUME_COLUMNS))],
    )


def complaint_sentence(figures: dict) -> str:
    rows = [r for r in figures["complaints"] if r["current"]]
    if not rows:
        return "本月各企业投诉台账中无携号转网投诉。"
    bottom_line = sum(r["current"] for r in rows if r["bottom_line"])
    top = max(rows, key=lambda r: r["current"])
    return (
        f"按投诉类别看，涉及“六条底线”的投诉{count(bottom_line)}件，"
        f"其中数量最多的类别为“{top['name']}”（{count(top['current'])}件）。分类情况见表3。"
    )


def complaint_table(figures: dict, names: dict) -> Table:
    codes = [op["code"] for op in figures["operators"]]
    rows = [
        [
            f"{r['code']} {r['name']}",
            count(r["current"] or 0),
            count(r["previous"] or 0),
            *(count(r["operators"].get(c) or 0) for c in codes),
        ]
        for r in figures["complaints"]
    ]
    volumes = figures["volumes"]
    total = (volumes["province"].get("current") or {}).get("complaints")
    before = (volumes["province"].get("previous") or {}).get("complaints")
    per_operator = [((volumes["operators"][c].get("current") or {}).get("complaints")) for c in codes]
    rows.append(["合计", count(total or 0), count(before or 0), *(count(v or 0) for v in per_operator)])
    return Table(
        "complaints",
        "表3  携号转网投诉分类情况（件）",
        ["类别", "本月", "上月", *(names[c] for c in codes)],
        rows,
        [3.0, 1.1, 1.1, *([1.2] * len(codes))],
    )


def casework_sentence(figures: dict, names: dict) -> str:
    findings = figures["findings"]
    orders = figures["orders"]
    text = f"本月通过明察暗访和第三方体验共发现问题{count(findings['count'])}个"
    for code in ("covert_violation", "mystery_violation"):
        row = _indicator(figures, code)
        if row and row["province"]["value"] is not None:
            text += f"，{_rate(row, row['province'], with_changes=False)}"
    text += f"；向企业下发整改通知{count(len(orders))}份"
    on_time = _indicator(figures, "rectification_on_time")
    if on_time and on_time["province"]["value"] is not None:
        province = on_time["province"]
        text += f"，整改期限在本月的整改事项{_rate(on_time, province, with_changes=False)}"
        if province.get("pending"):
            text += f"（另有{count(province['pending'])}份按期报送整改报告、待验收）"
    text += "。"
    if findings["count"] > len(findings["rows"]):
        text += f"表4列出其中{len(findings['rows'])}个。"
    return text


def finding_table(findings: dict, names: dict, year: int) -> Table:
    rows = [
        [
            names.get(f["operator"], f["operator"]),
            _iso_date(f["visit_date"], year),
            f["city"],
            METHOD_WORDS.get(f["method"], f["method"]),
            f"{f['clause']} {f['clause_name']}".strip() or NO_DATA,
            SEVERITY_WORDS.get(f["severity"], NO_DATA),
            FINDING_STATES.get(f["state"], f["state"]),
        ]
        for f in findings["rows"]
    ]
    return Table(
        "findings",
        "表4  本月检查发现的问题",
        ["企业", "检查日期", "地市", "方式", "问题类别", "程度", "状态"],
        rows,
        [1.3, 1.6, 1.1, 1.2, 2.2, 0.9, 1.4],
    )


def order_table(orders: list, names: dict, year: int) -> Table:
    rows = [
        [
            o["document_no"] or NO_DATA,
            names.get(o["operator"], o["operator"]),
            o["title"],
            _iso_date(o["deadline"], year),
            ORDER_STATES.get(o["state"], o["state"]),
        ]
        for o in orders
    ]
    return Table(
        "orders",
        "表5  本月下发的整改通知",
        ["文号", "企业", "整改事项", "整改期限", "状态"],
        rows,
        [2.0, 1.2, 3.2, 1.6, 1.5],
    )


def overdue_sentence(figures: dict, names: dict) -> str:
    overdue = figures["overdue_orders"]
    as_of = chinese_date(dt.date.fromisoformat(figures["as_of"][:10]))
    if not overdue:
        return f"截至{as_of}，无逾期未完成整改的事项。"
    counts: dict[str, int] = {}
    for o in overdue:
        counts[o["operator"]] = counts.get(o["operator"], 0) + 1
    who = "、".join(f"{names.get(code, code)}{n}项" for code, n in counts.items())
    return f"截至{as_of}，逾期未完成整改的事项共{count(len(overdue))}项，其中{who}（见表6）。"


def overdue_table(overdue: list, names: dict, year: int) -> Table:
    rows = [
        [
            o["document_no"] or NO_DATA,
            names.get(o["operator"], o["operator"]),
            o["title"],
            _iso_date(o["deadline"], year),
            count(o["days_overdue"]),
            ORDER_STATES.get(o["state"], o["state"]),
        ]
        for o in overdue
    ]
    return Table(
        "overdue",
        "表6  逾期未完成的整改事项",
        ["文号", "企业", "整改事项", "整改期限", "逾期天数", "状态"],
        rows,
        [2.0, 1.2, 2.8, 1.6, 1.0, 1.5],
    )


def reporting_sentence(figures: dict, names: dict) -> str:
    """Who filed the month's report on time, late, not at all, and whose report was returned
    (DOMAIN.md 报送完整率/按时报送率: a returned report is not "received" until corrected)."""
    groups: dict[str, list[str]] = {}
    for row in figures["reporting"]:
        status = row["status"]
        if status not in REPORT_STATES:  # a snapshot of an older briefing: accepted, returned…
            status = "on_time" if row.get("on_time") else "late"
        groups.setdefault(status, []).append(names.get(row["operator"], row["operator"]))
    parts = [f"{'、'.join(groups[s])}{REPORT_STATES[s]}" for s in REPORT_STATES if groups.get(s)]
    rates = ""
    for code in ("reporting_completeness", "reporting_timeliness"):
        row = _indicator(figures, code)
        if row and row["province"]["value"] is not None:
            rates += f"，{_rate(row, row['province'], with_changes=False)}"
    return f"月度报告报送方面，{'；'.join(parts)}{rates}。"

"""The province of the demo data, and the plan: every monthly figure, before anything is stored.

Plain numbers, no database (so it is easy to test): the operators and the cities with their
sizes and habits, the seasons of porting (the Spring Festival, September), and ``build_plan``,
which turns a seed and a number of complaints into every figure of every report, the story's
spike of obstruction complaints included. The other demo modules store it (``reporting``) and
tell its story (``casework``, ``meetings``).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from supervision.core.dates import add_months, local_moment, month_of

MONTHS = 36

OPERATOR_CODES = ["CMCC", "CUCC", "CTCC", "CBN"]
SPIKE_OPERATOR, SPIKE_CITY, SPIKE_CATEGORY = "CUCC", "370700", "BL1"
# The spike's extra BL1 complaints in the last three complete months (oldest first), as a multiple
# of the city's usual monthly BL1 complaints, with a floor so that it shows even in tiny data sets.
SPIKE_FACTORS = (1.0, 4.0, 7.0)
SPIKE_MINIMUM = (3, 5, 8)
SPIKE_FAILURE_FACTORS = (1.6, 2.3, 3.1)

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
FAILURE_WEIGHTS = (0.08, 0.30, 0.34, 0.05, 0.23)  # not real-name, arrears, contract, 120 days, other

# People's names, for the operators' task forces and attendees.
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林郑梁宋谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN_NAMES = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "秀英", "华", "慧", "建华", "志强", "晓燕", "海燕", "春梅", "立新", "国庆", "文博", "子涵", "宇航",
    "鹏", "婷", "雪", "峰", "凯", "琳", "晨", "欣怡", "浩然", "思远",
]  # fmt: skip


# --- Small helpers ------------------------------------------------------------------------------


# A local time in Asia/Shanghai, under the short name the demo's stories use; ``add_months`` is
# ``core.dates``' too, imported from here by the demo's modules.
at = local_moment


def month_label_zh(month: dt.date) -> str:
    return f"{month.year}年{month.month}月"


def seasonality(month: dt.date) -> float:
    """Porting peaks around the Spring Festival (people change numbers before going home) and in
    September (new term, new phones)."""
    if month.month == 9:
        return 1.27
    for year in (month.year, month.year + 1):
        festival = month_of(dt.date(year, *SPRING_FESTIVAL.get(year, (2, 1))))
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


def pick_city(rng: random.Random) -> str:
    """A city, the bigger ones more often."""
    return rng.choices(CITY_CODES, weights=[c.weight for c in CITIES.values()])[0]

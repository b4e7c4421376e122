"""What the administration knows about one operator or one city, gathered for their pages.

Figures come from the indicator functions (``indicators``), spikes from ``anomalies``; this
module only picks, arranges and links them. Every list is fetched with one limited query, so the
number of queries does not grow with the data; each sum behind the figures is queried once per
page (``indicators.shared_sums``).
"""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from supervision.casework.models import (
    UNSEEN_INTERVIEW_STATES,
    InspectionFinding,
    InterviewNotice,
    RectificationOrder,
)
from supervision.core import rounding
from supervision.core.dates import add_months
from supervision.core.models import City, Operator, Period, TaskForceMember, ViolationCategory
from supervision.reporting import completeness
from supervision.reporting.models import Incident, MonthlySubmission, SubmissionState

from . import indicators
from .anomalies import complaint_spikes, ledger_url
from .cards import drilldown_url, operator_note  # the dashboard's drill-downs: one definition
from .indicators import INDICATORS, Indicator, Value

MONTHS = 12
LIST_LIMIT = 20
TIMELINE_LIMIT = 30


def control_url(name: str, *args, **query) -> str:
    """A page of the administration's face by URL name (a renamed page fails loudly), with
    ``query`` (empty values dropped) as its GET filters."""
    url = reverse(name, args=args)
    query = {k: v for k, v in query.items() if v}
    return f"{url}?{urlencode(query)}" if query else url


def findings_url(**query) -> str:
    return control_url("control:findings", **query)


def orders_url(**query) -> str:
    return control_url("control:orders", **query)


def months_ending(month: dt.date, count: int = MONTHS) -> list[dt.date]:
    """``count`` months ending with ``month``, newest first."""
    return [add_months(month, -k) for k in range(count)]


@dataclass(frozen=True)
class Figure:
    """One indicator value as a page shows it: the number, what makes it, where its rows are."""

    indicator: Indicator | None
    value: Value | None
    url: str | None = None

    @property
    def number(self):
        """The exact value (``Decimal``); pages print ``text``."""
        return self.value.value if self.value else None

    @property
    def text(self) -> str:
        """The figure as every surface prints it (``Indicator.text``: one rounding)."""
        if self.indicator is not None:
            return self.indicator.text(self.value)
        return rounding.format_figure(self.number, 0)

    @property
    def has_ratio(self) -> bool:
        return self.value is not None and self.value.denominator is not None

    @property
    def decimals(self) -> int:
        return self.indicator.decimals if self.indicator else 0

    @property
    def unit(self) -> str:
        return self.indicator.unit if self.indicator else ""


def _compute(indicator: Indicator, months, by, **filters) -> dict:
    # The reporting indicators count expected reports per operator and take no filter: compute
    # them for every operator (three small queries) and read the one wanted.
    if indicator.code in ("reporting_completeness", "reporting_timeliness"):
        return indicator.compute(months, by)
    return indicator.compute(months, by, **filters)


# --- Complaints by category ------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryTable:
    categories: list[ViolationCategory]
    rows: list[tuple[dt.date, list[Figure], Figure]]  # month, one per category, the total


def complaints_by_category(months: list[dt.date], dimension: str, code: str) -> CategoryTable:
    """Ledger complaints per month and category for one operator or one city (two queries + one)."""
    categories = list(ViolationCategory.objects.all())
    per_category = indicators.complaints(months, (dimension, "category"), **{dimension: code})
    totals = indicators.complaints(months, (dimension,), **{dimension: code})
    rows = []
    for month in months:
        label = f"{month:%Y-%m}"
        cells = [
            Figure(
                None,
                per_category.get((code, category.code, month)),
                ledger_url(**{dimension: code, "category": category.code, "month": label}),
            )
            for category in categories
        ]
        rows.append(
            (
                month,
                cells,
                Figure(None, totals.get((code, month)), ledger_url(**{dimension: code, "month": label})),
            )
        )
    return CategoryTable(categories, rows)


# --- The operator's page ---------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    at: dt.datetime
    what: str
    detail: str
    url: str
    kind: str

    @property
    def upcoming(self) -> bool:
        return self.at > timezone.now()


def timeline(operator: Operator, limit: int = TIMELINE_LIMIT) -> list[Event]:
    """The operator's most recent events, newest first: one limited query per kind, merged."""
    events = []
    submissions = MonthlySubmission.objects.filter(operator=operator).select_related("period")
    for s in submissions.exclude(submitted_at=None).order_by("-submitted_at")[:limit]:
        events.append(
            Event(
                s.submitted_at,
                _("Report %(period)s submitted (version %(version)s)")
                % {"period": s.period.label, "version": s.version},
                s.receipt_no or "",
                reverse("control:submission", args=[s.pk]),
                "submission",
            )
        )
    decided = submissions.exclude(submitted_at=None).exclude(decided_at=None)
    for s in decided.order_by("-decided_at")[:limit]:
        if s.state == SubmissionState.ACCEPTED:
            what = _("Report %(period)s accepted") % {"period": s.period.label}
        else:
            what = _("Report %(period)s returned (version %(version)s)") % {
                "period": s.period.label,
                "version": s.version,
            }
        events.append(
            Event(
                s.decided_at, what, s.return_comment, reverse("control:submission", args=[s.pk]), "decision"
            )
        )
    findings = (
        InspectionFinding.objects.filter(operator=operator, violation=True)
        .exclude(published_at=None)
        .select_related("city", "clause")
        .order_by("-published_at")[:limit]
    )
    for f in findings:
        events.append(
            Event(
                f.published_at,
                _("Finding published: %(city)s, %(date)s") % {"city": f.city.name, "date": f.visit_date},
                f"{f.clause.code} · {f.scenario}" if f.clause else f.scenario,
                reverse("control:finding", args=[f.pk]),
                "finding",
            )
        )
    orders = RectificationOrder.objects.filter(operator=operator)
    for o in orders.exclude(issued_at=None).order_by("-issued_at")[:limit]:
        events.append(
            Event(
                o.issued_at,
                _("Rectification order issued: %(order)s") % {"order": o},
                o.title,
                reverse("control:order", args=[o.pk]),
                "order",
            )
        )
    for o in orders.exclude(closed_at=None).order_by("-closed_at")[:limit]:
        events.append(
            Event(
                o.closed_at,
                _("Rectification order closed: %(order)s") % {"order": o},
                o.title,
                reverse("control:order", args=[o.pk]),
                "order",
            )
        )
    interviews = (
        InterviewNotice.objects.filter(operator=operator)
        .exclude(state__in=UNSEEN_INTERVIEW_STATES)
        .select_related("operator")  # a notice without a number is named after its operator
        .order_by("-scheduled_at")[:limit]
    )
    for i in interviews:
        events.append(
            Event(
                i.scheduled_at,
                _("Interview: %(notice)s (%(state)s)") % {"notice": i, "state": i.get_state_display()},
                i.place,
                reverse("control:interview", args=[i.pk]),
                "interview",
            )
        )
    incidents = (
        Incident.objects.filter(operator=operator).select_related("city").order_by("-reported_at")[:limit]
    )
    for i in incidents:
        events.append(
            Event(
                i.reported_at,
                _("Major problem reported: %(title)s") % {"title": i.title},
                i.city.name if i.city else i.location,
                reverse("control:incident", args=[i.pk]),
                "incident",
            )
        )
    events.sort(key=lambda e: e.at, reverse=True)
    return events[:limit]


@dataclass(frozen=True)
class OpenOrder:
    order: RectificationOrder
    days_left: int  # negative: overdue by that many days
    overdue: bool  # past its deadline (0 days left and overdue: overdue since earlier today)
    # Its report came in by the deadline and awaits verification: not overdue, and past the
    # deadline the page shows that state, not a count of days.
    awaiting_verification: bool = False

    @property
    def days_overdue(self) -> int:
        return -self.days_left


@indicators.shared_sums()
def operator_profile(operator: Operator, month: dt.date, now: dt.datetime | None = None) -> dict:
    """Everything the operator's page shows, for the 12 months ending with ``month``; orders'
    days left and overdue as of ``now``."""
    code = operator.code
    now = now or timezone.now()
    months = months_ending(month)

    figures = {i.code: _compute(i, months, ("operator",), operator=code) for i in INDICATORS}
    indicator_rows = [
        (
            m,
            [Figure(i, figures[i.code].get((code, m)), drilldown_url(i.code, code, m)) for i in INDICATORS],
            operator_note(INDICATORS[0], operator, m),
        )
        for m in months
    ]

    periods = {p.month: p for p in Period.objects.filter(month__in=months)}
    cells = completeness.matrix(list(periods.values()), [operator])
    reporting = [
        (m, cells.get((operator.pk, periods[m].pk)) if m in periods else None) for m in reversed(months)
    ]

    # Days left and overdue: the orders' own definitions (casework.models.OrderQuerySet).
    orders = RectificationOrder.objects.filter(operator=operator)
    open_orders = [
        OpenOrder(o, o.days_left.days, o.overdue, o.awaiting_verification)
        for o in orders.open()
        .with_days_left(now)
        .with_overdue(now)
        .with_awaiting_verification(now)
        .order_by("deadline", "pk")[:LIST_LIMIT]
    ]

    return {
        "months": months,
        "indicators": INDICATORS,
        "indicator_rows": indicator_rows,
        "complaints": complaints_by_category(months, "operator", code),
        "spikes": complaint_spikes(month, operator=code),
        "reporting": reporting,
        "findings": InspectionFinding.objects.filter(operator=operator, violation=True)
        .select_related("city", "clause")
        .order_by("-visit_date", "-pk")[:LIST_LIMIT],
        "open_orders": open_orders,
        "overdue_count": orders.overdue(now).count(),
        "interviews": InterviewNotice.objects.filter(operator=operator)
        .live()
        .select_related("operator")
        .order_by("-scheduled_at")[:10],
        "incidents": Incident.objects.open().filter(operator=operator).select_related("city")[:LIST_LIMIT],
        "members": TaskForceMember.objects.filter(operator=operator),
        "timeline": timeline(operator),
        "links": {
            "complaints": ledger_url(operator=code),
            "findings": findings_url(operator=code),
            "orders": orders_url(operator=code),
        },
    }


# --- The city's page -------------------------------------------------------------------------


@indicators.shared_sums()
def city_profile(city: City, month: dt.date) -> dict:
    """Everything the city's page shows: each operator's figures there for ``month``, the
    complaints of the 12 months ending with it, findings and spikes in the city."""
    code = city.code
    label = f"{month:%Y-%m}"
    operators = list(Operator.objects.all())
    per_city = indicators.PER_CITY
    complaints = indicators.complaints([month], ("operator", "city"), city=code)
    figures = {i.code: i.compute([month], ("operator", "city"), city=code) for i in per_city}
    operator_rows = []
    for op in operators:
        key = (op.code, code, month)
        row = [Figure(None, complaints.get(key), ledger_url(operator=op.code, city=code, month=label))]
        for i in per_city:
            row.append(Figure(i, figures[i.code].get(key), drilldown_url(i.code, op.code, month, code)))
        operator_rows.append((op, row, operator_note(INDICATORS[0], op, month)))
    findings = (
        InspectionFinding.objects.filter(city=city, violation=True)
        .select_related("operator", "clause")
        .order_by("-visit_date", "-pk")[:LIST_LIMIT]
    )
    return {
        "indicators": per_city,
        "operator_rows": operator_rows,
        "complaints": complaints_by_category(months_ending(month), "city", code),
        "findings": findings,
        "spikes": complaint_spikes(month, city=code),
        "incidents": Incident.objects.open().filter(city=city).select_related("operator")[:LIST_LIMIT],
        "links": {
            "complaints": ledger_url(city=code),
            "complaints_month": ledger_url(city=code, month=label),
            "findings": findings_url(city=code),
        },
    }

"""The dashboard's charts, built as plotly figures from the indicators' results.

Pure functions: indicator results (``{key: Value}`` from ``analytics.indicators``) and
reference rows in, a ``Chart`` out. No database access here and no indicator computed here:
the view calls the indicator functions and hands their results over.

A ``Chart`` holds the plotly figure as plain JSON data (the page passes it with ``json_script``
and ``static/js/charts.js`` draws it, so a strict Content-Security-Policy holds), written here as
the dicts plotly.js reads (``Figure``): plotly's Python objects validated every property of every
trace, 40–80 ms a chart, most of the page's time, for JSON identical to this and the same
numbers as a table, for screen readers, printing and keyboard users. Every point carries in
``customdata`` the URL of the rows behind it (DOMAIN.md: a user who clicks a number reaches the
rows behind it); the table links the same URLs.

Texts follow the active language: titles through gettext, operators by their short name,
cities and clauses by their bilingual names.
"""

import datetime as dt
import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from urllib.parse import quote_plus

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from supervision.core import rounding
from supervision.core.dates import month_end, month_label

from .indicators import Value

# Chinese first: the UI speaks Chinese by default and the Latin fonts carry the digits well.
FONT = '"Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", "Helvetica Neue", Arial, sans-serif'
# The province (all operators together) is grey in every chart: no operator has that colour.
PROVINCE_COLOR = "#343a40"
# Bottom lines in warm colours, complaints about service in cool and neutral ones.
CATEGORY_COLORS = {
    "BL1": "#a50f15",
    "BL2": "#e6550d",
    "BL3": "#fdae6b",
    "BL4": "#8c6d31",
    "BL5": "#bcbd22",
    "BL6": "#e377c2",
    "SVC": "#17becf",
    "OTHER": "#b0b0b0",
}
FALLBACK_COLOR = "#7f7f7f"
NO_DATA = "—"


@dataclass(frozen=True)
class Links:
    """Where the rows behind a point are listed: the pages' paths, without a query."""

    complaints: str  # the complaint ledger: operator, city, category, month
    findings: str  # inspection findings: operator, clause, visit_from, visit_to
    city_figures: str  # one indicator for one month, cities × operators: indicator, month


@dataclass(frozen=True)
class Point:
    x: str  # a month ("2026-10"), a city or a clause
    value: object  # the exact value (Decimal or int); None: no data
    url: str
    detail: str = ""  # the numbers that make the value, as text: "433 complaints / 70,900 applications"


@dataclass
class Series:
    name: str
    color: str
    points: list[Point]
    dash: str | None = None

    @property
    def label(self) -> str:
        """The name in the legend, which says so when the series has nothing to plot."""
        if any(p.value is not None for p in self.points):
            return self.name
        return _("%(name)s (no data)") % {"name": self.name}


@dataclass(frozen=True)
class Cell:
    text: str
    url: str = ""
    detail: str = ""


@dataclass
class Table:
    corner: str  # the header of the first column
    columns: list[str]
    rows: list[tuple[str, list[Cell]]]

    def body_html(self) -> SafeString:
        """The rows as ``<tr>`` elements (the template's ``<tbody>``): a row header, then each
        cell right-aligned, a link to the rows behind it, its numbers in small print under it.

        Written here rather than by a template loop: a chart page has some 1,500 cells, which the
        template engine took a third of the page's time to draw. Every text is escaped.
        """
        out = []
        for label, cells in self.rows:
            out.append(f'<tr><th scope="row">{escape(str(label))}</th>')
            for cell in cells:
                text = escape(str(cell.text))
                if cell.url:
                    text = f'<a href="{escape(cell.url)}">{text}</a>'
                if cell.detail:
                    text += f'<br><span class="text-muted small">{escape(str(cell.detail))}</span>'
                out.append(f'<td class="text-end">{text}</td>')
            out.append("</tr>\n")
        return mark_safe("".join(out))  # noqa: S308 (every text above is escaped)


@dataclass
class Chart:
    key: str
    title: str
    figure: dict
    table: Table
    notes: list[str] = field(default_factory=list)

    @property
    def element_id(self) -> str:
        """The id of the ``json_script`` block that holds the figure."""
        return f"chart-{self.key}"

    def script(self) -> SafeString:
        """``{{ chart.figure|json_script:chart.element_id }}``, the same element: the figure as
        JSON with ``<``, ``>`` and ``&`` escaped as Django escapes them, by three replacements
        instead of ``str.translate`` (5 ms a page instead of 12 for some 150 KB of JSON)."""
        data = json.dumps(self.figure, cls=DjangoJSONEncoder)
        data = data.replace(">", "\\u003E").replace("<", "\\u003C").replace("&", "\\u0026")
        safe = mark_safe(data)  # noqa: S308 (the three characters that could end the element are escaped)
        return format_html('<script id="{}" type="application/json">{}</script>', self.element_id, safe)


# --- Links -------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _quoted(value: str) -> str:
    # A page quotes the same few codes and months hundreds of times.
    return quote_plus(value)


def link(path: str, **params) -> str:
    """``path?name=value&…`` in the order given, leaving out empty values; a list repeats
    (as ``urlencode(…, doseq=True)``)."""
    parts = []
    for name, value in params.items():
        if not value:
            continue
        values = value if isinstance(value, list | tuple) else (value,)
        parts.extend(f"{_quoted(name)}={_quoted(str(v))}" for v in values)
    return f"{path}?{'&'.join(parts)}" if parts else path


# --- Numbers as text ---------------------------------------------------------------------------


def _number(value, decimals: int) -> str:
    """A figure as every surface prints it: 四舍五入 on the exact value (``core.rounding``)."""
    if value is None:
        return NO_DATA
    return rounding.format_figure(value, decimals)


def _y(value) -> float | None:
    """Where a point sits on the axis (a float is fine for that); its label is ``_number``'s."""
    return None if value is None else float(value)


def _ys(points) -> list:
    return [_y(p.value) for p in points]


def _texts(points, decimals: int, suffix: str = "") -> list[str]:
    """Pre-rounded labels for the hover text: plotly never formats a float figure itself."""
    return [f"{_number(p.value, decimals)}{suffix}" if p.value is not None else "" for p in points]


# --- Figures -----------------------------------------------------------------------------------


def _layout(title: str, x_title: str, y_title: str, *, height: int = 420) -> dict:
    """What every chart shares: a title, axis titles with units, a legend beside the plot."""
    return {
        # plotly's "none" template, as plotly writes it into a figure's JSON.
        "template": {"data": {"scatter": [{"type": "scatter"}]}},
        "title": {
            "text": title,
            "x": 0.01,
            "xanchor": "left",
            "y": 0.97,
            "yanchor": "top",
            "font": {"size": 17},
        },
        "font": {"family": FONT, "size": 13, "color": "#212529"},
        "height": height,
        "margin": {"l": 20, "r": 20, "t": 64, "b": 20},
        # The legend sits right of the plot: it never covers a line, the title or an axis title.
        "legend": {"x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top", "font": {"size": 13}},
        "showlegend": True,
        "hovermode": "closest",
        "hoverlabel": {"namelength": -1, "font": {"family": FONT}},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "xaxis": {
            "title": {"text": x_title},
            "automargin": True,
            "linecolor": "#adb5bd",
            "ticks": "outside",
            "tickcolor": "#adb5bd",
            "gridcolor": "#e9ecef",
            "zeroline": False,
        },
        "yaxis": {
            "title": {"text": y_title, "standoff": 12},
            "automargin": True,
            "linecolor": "#adb5bd",
            "gridcolor": "#e9ecef",
            "zeroline": False,
        },
    }


def _merge(target: dict, changes: dict) -> None:
    """Nested update, as plotly's ``update_layout``: a dict value updates the dict beneath it."""
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value


class Figure:
    """A plotly figure as the plain data plotly.js reads: ``{"data": [traces], "layout": {...}}``.

    The few calls of plotly's ``graph_objects.Figure`` the charts use, with its meaning (``update_*`` merge
    into what is there), and nothing validated: the charts are tested against what they mean.
    """

    def __init__(self, layout: dict):
        self.data: list[dict] = []
        self.layout = layout

    def add_trace(self, kind: str, **trace) -> None:
        self.data.append({**trace, "type": kind})

    def update_layout(self, **changes) -> None:
        _merge(self.layout, changes)

    def update_xaxes(self, **changes) -> None:
        _merge(self.layout.setdefault("xaxis", {}), changes)

    def update_yaxes(self, **changes) -> None:
        _merge(self.layout.setdefault("yaxis", {}), changes)

    def add_shape(self, **shape) -> None:
        self.layout.setdefault("shapes", []).append(shape)


def _as_json(fig: Figure) -> dict:
    """The figure as the template receives it: plain lists, strings and numbers only."""
    return {"data": fig.data, "layout": fig.layout}


def _line_figure(
    series: Sequence[Series],
    title: str,
    y_title: str,
    *,
    decimals: int,
    y_suffix: str = "",
    from_zero: bool = True,
    tickformat: str = ",",
) -> dict:
    fig = Figure(_layout(title, _("Month"), y_title))
    for s in series:
        details = "<br>%{hovertext}" if any(p.detail for p in s.points) else ""
        fig.add_trace(
            "scatter",
            x=[p.x for p in s.points],
            y=_ys(s.points),
            customdata=[p.url for p in s.points],
            text=_texts(s.points, decimals, y_suffix),
            hovertext=[p.detail for p in s.points],
            name=s.label,
            mode="lines+markers",
            line={"color": s.color, "width": 3 if s.dash else 2, "dash": s.dash or "solid"},
            marker={"color": s.color, "size": 5},
            connectgaps=False,
            hovertemplate=(f"<b>{s.name}</b><br>%{{x|%Y-%m}}: %{{text}}{details}<extra></extra>"),
        )
    months = len(series[0].points) if series else 0
    fig.update_xaxes(type="date", tickformat="%Y-%m", hoverformat="%Y-%m")
    if months <= 6:
        # Few months: one tick per month, never a tick per day.
        fig.update_xaxes(dtick="M1")
    fig.update_yaxes(
        rangemode="tozero" if from_zero else "normal", ticksuffix=y_suffix, tickformat=tickformat
    )
    return _as_json(fig)


def _table(corner: str, rows: Iterable[str], series: Sequence[Series], decimals: int) -> Table:
    """The plotted numbers, one row per x value and one column per series."""
    lookup = [{p.x: p for p in s.points} for s in series]
    table_rows = []
    for row in rows:
        cells = []
        for points in lookup:
            point = points.get(row)
            if point is None or point.value is None:
                cells.append(Cell(NO_DATA, detail=point.detail if point else ""))
            else:
                cells.append(Cell(_number(point.value, decimals), point.url, point.detail))
        table_rows.append((row, cells))
    return Table(corner, [s.name for s in series], table_rows)


def _months_with_data(values: dict) -> set:
    return {key[-1] for key in values}


def _counted(values: dict, key: tuple, known: set) -> float | None:
    """A count, where no row means zero only for a key known to be reported (else: no data)."""
    if key in values:
        return values[key].value
    return 0 if key in known else None


def _rate_detail(value: Value | None, text: str) -> str:
    if value is None or value.denominator is None:
        return ""
    return text % {"numerator": _number(value.numerator, 0), "denominator": _number(value.denominator, 0)}


# --- 1. Complaint trends per operator ----------------------------------------------------------


def complaints_trend(
    complaints: dict, months: list[dt.date], operators, links: Links, reported: Iterable[tuple] = ()
) -> Chart:
    """Complaints received per operator and month (``indicators.complaints``, by operator).

    The ledger holds complaints, not months without any: an operator's month without a count
    is zero when the operator reported that month (``reported``: ``(operator, month)`` keys),
    and no data otherwise, rather than a zero nobody reported.
    """
    reported = set(reported)
    series = [
        Series(
            op.short_name,
            op.color,
            [
                Point(
                    month_label(m),
                    _counted(complaints, (op.code, m), reported),
                    link(links.complaints, operator=op.code, month=month_label(m)),
                )
                for m in months
            ],
        )
        for op in operators
    ]
    title = _("Porting complaints per operator")
    figure = _line_figure(series, title, _("Complaints received (cases)"), decimals=0)
    return Chart("complaints", title, figure, _table(_("Month"), map(month_label, months), series, 0))


def complaint_rate_trend(
    by_operator: dict,
    province: dict,
    months: list[dt.date],
    operators,
    links: Links,
    counted: dict | None = None,
    per_million: bool = False,
) -> Chart:
    """每万件携出申请投诉量 (or, ``per_million``, 每百万用户投诉量) per operator, and the
    province's (dashed), like for like: the province's point lists the complaints of the
    operators with a counted report that month (``counted``: ``{month: [operator codes]}``)."""
    if per_million:
        detail = _("%(numerator)s complaints / %(denominator)s subscribers (10,000)")
        key, title, y_title = (
            "complaints_per_million",
            _("Complaints per million subscribers per operator"),
            _("Complaints per million subscribers"),
        )
    else:
        detail = _("%(numerator)s complaints / %(denominator)s port-out applications")
        key, title, y_title = (
            "complaint_rate",
            _("Complaint rate per operator"),
            _("Complaints per 10,000 port-out applications"),
        )
    counted = counted or {}

    def points(values, code=None):
        result = []
        for m in months:
            value = values.get((code, m) if code else (m,))
            operator = code or counted.get(m) or None
            result.append(
                Point(
                    month_label(m),
                    value.value if value else None,
                    link(links.complaints, operator=operator, month=month_label(m)),
                    _rate_detail(value, detail),
                )
            )
        return result

    series = [Series(op.short_name, op.color, points(by_operator, op.code)) for op in operators]
    series.append(Series(_("Province"), PROVINCE_COLOR, points(province), dash="dash"))
    figure = _line_figure(series, title, y_title, decimals=2)
    return Chart(key, title, figure, _table(_("Month"), map(month_label, months), series, 2))


# --- 2. Complaints by category, stacked --------------------------------------------------------


def complaints_by_category(
    by_category: dict, months: list[dt.date], categories, links: Links, operator=None
) -> Chart:
    """Complaints per category and month, stacked (``indicators.complaints``, by category).

    For the province, or for one operator when ``operator`` is given (its rows only).
    """
    # A category without a count in a month that has counts had no complaints that month.
    with_data = _months_with_data(by_category)
    known = {(c.code, m) for c in categories for m in with_data}
    code = operator.code if operator else None
    series = [
        Series(
            category.label,
            CATEGORY_COLORS.get(category.code, FALLBACK_COLOR),
            [
                Point(
                    month_label(m),
                    _counted(by_category, (category.code, m), known),
                    link(links.complaints, operator=code, month=month_label(m), category=category.code),
                )
                for m in months
            ],
        )
        for category in categories
    ]
    if operator:
        title = _("Porting complaints by category: %(operator)s") % {"operator": operator.short_name}
    else:
        title = _("Porting complaints by category: province")
    fig = Figure(_layout(title, _("Month"), _("Complaints received (cases)"), height=460))
    for s in series:
        fig.add_trace(
            "bar",
            x=[p.x for p in s.points],
            y=_ys(s.points),
            customdata=[p.url for p in s.points],
            hovertext=_texts(s.points, 0),
            name=s.label,
            marker={"color": s.color, "line": {"width": 0}},
            hovertemplate=f"<b>{s.name}</b><br>%{{x|%Y-%m}}: %{{hovertext}}<extra></extra>",
        )
    fig.update_layout(barmode="stack", bargap=0.15)
    fig.update_xaxes(type="date", tickformat="%Y-%m", hoverformat="%Y-%m")
    if len(months) <= 6:
        fig.update_xaxes(dtick="M1")
    fig.update_yaxes(rangemode="tozero", tickformat=",")
    table = _table(_("Month"), map(month_label, months), series, 0)
    return Chart("categories", title, _as_json(fig), table)


# --- 3. Port-out success rate per operator -----------------------------------------------------


def port_out_success_trend(
    success: dict, months: list[dt.date], operators, links: Links, report_urls: dict | None = None
) -> Chart:
    """Port-outs completed / applications per operator (``indicators.port_out_success_rate``).

    A point leads to that operator's city figures of the month: its counted report
    (``report_urls``: ``{(operator code, month): url}``), else the month's city table.
    """
    detail = _("%(numerator)s completed / %(denominator)s port-out applications")
    series = []
    for op in operators:
        points = []
        for m in months:
            value = success.get((op.code, m))
            points.append(
                Point(
                    month_label(m),
                    value.value if value else None,
                    (report_urls or {}).get((op.code, m))
                    or link(links.city_figures, indicator="port_out_success", month=month_label(m)),
                    _rate_detail(value, detail),
                )
            )
        series.append(Series(op.short_name, op.color, points))
    title = _("Port-out success rate per operator")
    figure = _line_figure(
        series,
        title,
        _("Port-outs completed / applications (%)"),
        decimals=1,
        y_suffix="%",
        from_zero=False,
        tickformat=".1f",
    )
    return Chart("port_out_success", title, figure, _table(_("Month"), map(month_label, months), series, 1))


# --- 4. Cities compared ------------------------------------------------------------------------


def _city_order(by_city: dict, month: dt.date, cities) -> list:
    """Cities by complaint rate, highest first; cities without a rate last, in the usual order."""

    def rate(city):
        value = by_city.get((city.code, month))
        return value.value if value else None

    return sorted(cities, key=lambda c: (rate(c) is None, -(rate(c) or 0)))


def _hbar_figure(title: str, x_title: str, y_title: str, order: list[str], height: int) -> Figure:
    fig = Figure(_layout(title, x_title, y_title, height=height))
    # The highest rate on top: the categories are listed top-down in the sorted order.
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=order, autorange="reversed")
    fig.update_xaxes(rangemode="tozero", tickformat=",")
    # A few legend entries: in one row under the title, leaving the plot its full width.
    fig.update_layout(
        margin={"t": 84},
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom"},
    )
    return fig


def city_complaint_rate(by_city: dict, province: dict, month: dt.date, cities, links: Links) -> Chart:
    """Complaints per 10,000 applications per city in one month, all operators together, sorted."""
    detail = _("%(numerator)s complaints / %(denominator)s port-out applications")
    order = _city_order(by_city, month, cities)
    points = []
    for city in order:
        value = by_city.get((city.code, month))
        points.append(
            Point(
                city.name,
                value.value if value else None,
                link(links.complaints, month=month_label(month), city=city.code),
                _rate_detail(value, detail),
            )
        )
    series = Series(_("All operators"), PROVINCE_COLOR, points)
    title = _("Complaint rate per city, %(month)s") % {"month": month_label(month)}
    x_title = _("Complaints per 10,000 port-out applications")
    fig = _hbar_figure(title, x_title, _("City"), [p.x for p in points], height=560)
    fig.add_trace(
        "bar",
        x=_ys(points),
        y=[p.x for p in points],
        orientation="h",
        customdata=[p.url for p in points],
        text=_texts(points, 2),
        hovertext=[p.detail for p in points],
        # Inside the end of the bar, where the province line does not cross it.
        textposition="auto",
        insidetextanchor="end",
        insidetextfont={"color": "#ffffff"},
        cliponaxis=False,
        name=series.label,
        marker={"color": "#6c757d"},
        hovertemplate="<b>%{y}</b>: %{text}<br>%{hovertext}<extra></extra>",
    )
    province_value = province.get((month,))
    if province_value and province_value.value is not None:
        rate = province_value.value
        fig.add_shape(
            type="line",
            x0=float(rate),
            x1=float(rate),
            y0=0,
            y1=1,
            yref="paper",
            line={"color": PROVINCE_COLOR, "width": 2, "dash": "dash"},
            # Behind the bars: it shows between them and never crosses a bar's label.
            layer="below",
            showlegend=True,
            name=_("Province: %(rate)s") % {"rate": _number(rate, 2)},
        )
    table = _table(_("City"), [p.x for p in points], [series], 2)
    return Chart("cities", title, _as_json(fig), table)


def city_complaint_rate_by_operator(
    by_operator_city: dict, by_city: dict, month: dt.date, cities, operators, links: Links
) -> Chart:
    """The same month per city and operator, grouped; cities in the order of the chart above."""
    detail = _("%(numerator)s complaints / %(denominator)s port-out applications")
    order = _city_order(by_city, month, cities)
    series = []
    for op in operators:
        points = []
        for city in order:
            value = by_operator_city.get((op.code, city.code, month))
            points.append(
                Point(
                    city.name,
                    value.value if value else None,
                    link(links.complaints, operator=op.code, month=month_label(month), city=city.code),
                    _rate_detail(value, detail),
                )
            )
        series.append(Series(op.short_name, op.color, points))
    title = _("Complaint rate per city and operator, %(month)s") % {"month": month_label(month)}
    x_title = _("Complaints per 10,000 port-out applications")
    names = [c.name for c in order]
    fig = _hbar_figure(title, x_title, _("City"), names, height=max(360, 80 + 16 * 14 * len(operators)))
    for s in series:
        fig.add_trace(
            "bar",
            x=_ys(s.points),
            y=[p.x for p in s.points],
            orientation="h",
            customdata=[p.url for p in s.points],
            text=_texts(s.points, 2),
            textposition="none",
            hovertext=[p.detail for p in s.points],
            name=s.label,
            marker={"color": s.color},
            hovertemplate=f"<b>{s.name}</b><br>%{{y}}: %{{text}}<br>%{{hovertext}}<extra></extra>",
        )
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    table = _table(_("City"), names, series, 2)
    return Chart("cities_operators", title, _as_json(fig), table)


# --- 5. Inspection violation rate by clause ----------------------------------------------------


def inspection_by_clause(
    visits: dict, findings: dict, months: list[dt.date], operators, categories, links: Links
) -> Chart:
    """Findings on a clause / all visits of the operator, over ``months``, in %.

    ``visits`` is ``indicators.inspection_violation_rate`` by operator (its denominators are the
    visits); ``findings`` the same by operator and category (its numerators are the visits with
    a finding on that clause; visits without a violation have no clause and are left out).
    """
    wanted = set(months)
    visit_totals: dict[str, int] = {}
    for (op_code, month), value in visits.items():
        if month in wanted:
            visit_totals[op_code] = visit_totals.get(op_code, 0) + (value.denominator or 0)
    found: dict[tuple, int] = {}
    for (op_code, clause, month), value in findings.items():
        if clause is not None and month in wanted:
            found[(op_code, clause)] = found.get((op_code, clause), 0) + (value.numerator or 0)
    # Findings name a bottom line; SVC and OTHER are for complaints only.
    clauses = [c for c in categories if c.is_bottom_line]
    # The visits behind a bar: its operator and clause, in the months of the chart.
    period = {"visit_from": months[0].isoformat(), "visit_to": month_end(months[-1]).isoformat()}
    detail = _("%(numerator)s findings / %(denominator)s visits")
    series = []
    for op in operators:
        points = []
        for clause in clauses:
            value = Value(found.get((op.code, clause.code), 0), visit_totals.get(op.code), 100)
            points.append(
                Point(
                    clause.label,
                    value.value,
                    link(links.findings, operator=op.code, clause=clause.code, **period),
                    _rate_detail(value, detail),
                )
            )
        series.append(Series(op.short_name, op.color, points))
    title = _("Inspection violation rate by clause, %(start)s to %(end)s") % {
        "start": month_label(months[0]),
        "end": month_label(months[-1]),
    }
    fig = Figure(
        _layout(title, _("Clause (bottom line)"), _("Visits with a finding on the clause (%)"), height=460)
    )
    for s in series:
        fig.add_trace(
            "bar",
            x=[p.x for p in s.points],
            y=_ys(s.points),
            customdata=[p.url for p in s.points],
            hovertext=[p.detail for p in s.points],
            text=_texts(s.points, 1),
            textposition="outside",
            cliponaxis=False,
            name=s.label,
            marker={"color": s.color},
            hovertemplate=f"<b>{s.name}</b><br>%{{x}}: %{{text}}%<br>%{{hovertext}}<extra></extra>",
        )
    fig.update_layout(
        barmode="group", bargap=0.2, bargroupgap=0.05, uniformtext={"minsize": 10, "mode": "hide"}
    )
    fig.update_xaxes(type="category")
    fig.update_yaxes(rangemode="tozero", ticksuffix="%")
    table = _table(_("Clause (bottom line)"), [c.label for c in clauses], series, 1)
    notes = [
        _("Visits: %(visits)s.")
        % {"visits": ", ".join(f"{op.short_name} {visit_totals.get(op.code, 0):,}" for op in operators)}
    ]
    return Chart("inspections", title, _as_json(fig), table, notes)

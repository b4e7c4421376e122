"""The briefing's charts, drawn as PNG from its figures with matplotlib (Agg, no display).

Why not the dashboard's plotly figures: plotly's static export needs kaleido and a browser of its
own, which cannot be fetched here; matplotlib is a self-contained wheel. The same PNG goes into
the .docx and the PDF, and the draft's page shows it. The figures in a chart are those of the
briefing's tables (the snapshot), never computed again; fonts are the official documents' (``core.pdf``),
so Chinese labels need no system font. matplotlib is imported on first use: the web processes
that never draw a chart do not pay for it.

matplotlib is not thread-safe: ``rc_context`` changes process-wide settings and its font cache is
shared, so two charts drawn at once in a threaded server would mix fonts or lock up. One chart is
drawn at a time (``_DRAWING``); a chart takes a fraction of a second.
"""

from __future__ import annotations

import io
import threading
from functools import cache

from supervision.core import pdf as fonts

from .content import count, exact, figure

KEYS = ("complaint_rate", "categories", "trend")
DPI = 200
WIDTH_INCHES = 6.3  # the text width of an A4 page with the official margins (16 cm)
CURRENT_COLOR = "#c00000"
PREVIOUS_COLOR = "#a6a6a6"
_DRAWING = threading.Lock()


@cache
def _font_name() -> str:
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(fonts.SANS))
    return font_manager.FontProperties(fname=str(fonts.SANS)).get_name()


def _figure(height: float):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI, layout="constrained")
    return fig, fig.add_subplot()


def _style(ax, y_label: str):
    ax.set_ylabel(y_label)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#e0e0e0", linewidth=0.6)
    ax.set_axisbelow(True)


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def render(key: str, figures: dict) -> bytes:
    """The chart ``key`` (one of ``KEYS``) of a briefing's figures, as PNG."""
    import matplotlib

    with (
        _DRAWING,
        matplotlib.rc_context({"font.family": _font_name(), "font.size": 9, "axes.unicode_minus": False}),
    ):
        return {"complaint_rate": _complaint_rate, "categories": _categories, "trend": _trend}[key](figures)


def _bar_labels(ax, bars, values, decimals):
    # Printed as the tables print them (``content.figure``, one rounding): the same digits everywhere.
    ax.bar_label(
        bars, labels=["" if v is None else figure(v, decimals) for v in values], padding=2, fontsize=7
    )


def _height(value) -> float:
    """A bar's height: the exact figure as a float for drawing (never printed); a gap if none."""
    return float("nan") if value is None else float(exact(value))


def _complaint_rate(figures: dict) -> bytes:
    row = next(r for r in figures["indicators"] if r["code"] == "complaint_rate")
    operators = figures["operators"]
    current = [row["operators"][op["code"]]["value"] for op in operators]
    previous = [row["operators"][op["code"]]["previous"] for op in operators]
    names = [
        op["short"] if now is not None or before is not None else f"{op['short']}\n（无数据）"
        for op, now, before in zip(operators, current, previous, strict=True)
    ]
    fig, ax = _figure(2.8)
    positions = range(len(names))
    width = 0.38
    bars_before = ax.bar(
        [p - width / 2 for p in positions],
        [_height(v) for v in previous],
        width,
        label="上月",
        color=PREVIOUS_COLOR,
    )
    bars_now = ax.bar(
        [p + width / 2 for p in positions],
        [_height(v) for v in current],
        width,
        label="本月",
        color=CURRENT_COLOR,
    )
    _bar_labels(ax, bars_before, previous, row["decimals"])
    _bar_labels(ax, bars_now, current, row["decimals"])
    province = row["province"]["value"]
    if province is not None:
        label = f"全省本月 {figure(province, row['decimals'])}"
        ax.axhline(_height(province), color="#404040", linestyle="--", linewidth=1, label=label)
    ax.set_xticks(list(positions), names)
    _style(ax, row["name"])
    ax.legend(frameon=False, ncols=3, loc="upper left", bbox_to_anchor=(0, 1.12))
    return _png(fig)


def _categories(figures: dict) -> bytes:
    rows = figures["complaints"]
    labels = [f"{r['code']} {r['name']}" for r in rows][::-1]
    current = [r["current"] or 0 for r in rows][::-1]
    previous = [r["previous"] or 0 for r in rows][::-1]
    fig, ax = _figure(0.9 + 0.32 * len(rows))
    positions = range(len(rows))
    height = 0.38
    before = ax.barh(
        [p - height / 2 for p in positions], previous, height, label="上月", color=PREVIOUS_COLOR
    )
    now = ax.barh([p + height / 2 for p in positions], current, height, label="本月", color=CURRENT_COLOR)
    ax.bar_label(before, labels=[count(v) if v else "" for v in previous], padding=2, fontsize=7)
    ax.bar_label(now, labels=[count(v) if v else "" for v in current], padding=2, fontsize=7)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_yticks(list(positions), labels)
    ax.set_xlabel("投诉量（件）")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#e0e0e0", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.legend(frameon=False, loc="lower right")
    return _png(fig)


def _trend(figures: dict) -> bytes:
    trend = figures["trend"]
    months = [f"{label[2:4]}/{label[5:]}" for label in trend["months"]]
    positions = list(range(len(months)))
    fig, ax = _figure(2.8)
    for op in figures["operators"]:
        counts = trend["operators"][op["code"]]
        values = [float("nan") if v is None else v for v in counts]
        # A month without a count is a gap, not a zero nobody reported (as on the dashboard).
        label = op["short"] if any(v is not None for v in counts) else f"{op['short']}（无数据）"
        ax.plot(positions, values, marker="o", markersize=3, linewidth=1.5, color=op["color"], label=label)
    _style(ax, "投诉量（件）")
    # Every month on the axis, also those without any count (autoscaling would drop them).
    ax.set_xticks(positions, months)
    ax.set_xlim(-0.5, len(months) - 0.5)
    ax.set_ylim(bottom=0)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(frameon=False, ncols=len(figures["operators"]), loc="upper left", bbox_to_anchor=(0, 1.14))
    ax.tick_params(axis="x", labelsize=7)
    return _png(fig)

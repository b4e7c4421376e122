"""The charts page's text, written by hand for speed, reads as Django and the standard library
would write it: figures as ``number_format``, links as ``urlencode``, tables as the template loop
the page had."""

import random
import re
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import number_format

from supervision.analytics import charts
from supervision.core import rounding

VALUES = [0, 1, -1, 999, 1000, -1000, 12345, 1234567, Decimal("0.05"), Decimal("-0.04"), Decimal("-0.0"),
          Decimal("1234.5678"), Decimal("-99999.995"), 0.5, 93.25, Decimal("1E+3"), Decimal("12E-5")]  # fmt: skip


@pytest.mark.parametrize("language", ["zh-hans", "en", "de", "hi"])
def test_figures_read_as_number_format_writes_them(language):
    rng = random.Random(4)
    values = VALUES + [
        Decimal(rng.randint(-(10**9), 10**9)) / Decimal(10 ** rng.randint(0, 6)) for _ in range(2000)
    ]
    with translation.override(language):
        for value in values:
            for decimals in (0, 1, 2):
                rounded = rounding.round_half_up(value, decimals)
                expected = number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)
                assert rounding.format_figure(value, decimals) == expected, (value, decimals)


def test_grouping_follows_the_language():
    with translation.override("en"):
        assert rounding.format_figure(Decimal("1234567.25"), 1) == "1,234,567.3"
    with translation.override("zh-hans"):
        assert rounding.format_figure(Decimal("1234567.25"), 1) == "1234567.3"
    assert rounding.format_figure(None, 1) == "—"


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"operator": "CMCC", "month": "2026-10"},
        {"operator": None, "month": "2026-10", "category": ""},
        {"operator": ["CMCC", "CUCC"], "city": "370700"},
        {"q": "授权码 & <b>", "visit_from": "2026-01-01"},
        {"n": 5, "x": "a b+c/d?e=f"},
    ],
)
def test_links_are_urlencoded(params):
    expected = urlencode({k: v for k, v in params.items() if v}, doseq=True)
    assert charts.link("/dashboard/complaints/", **params) == (
        f"/dashboard/complaints/?{expected}" if expected else "/dashboard/complaints/"
    )


# The chart's table body as templates/control/includes/chart.html drew it before Table.body_html.
LOOP = Template(
    "{% for label, cells in table.rows %}"
    '<tr><th scope="row">{{ label }}</th>{% for cell in cells %}<td class="text-end">{% if cell.url %}'
    '<a href="{{ cell.url }}">{{ cell.text }}</a>{% else %}{{ cell.text }}{% endif %}{% if cell.detail %}'
    '<br><span class="text-muted small">{{ cell.detail }}</span>{% endif %}</td>{% endfor %}</tr>'
    "{% endfor %}"
)


def test_a_charts_table_is_the_template_loop_it_replaces():
    table = charts.Table(
        "月份",
        ["中国移动", "Province <all>"],
        [
            (
                "2026-10",
                [charts.Cell("1,234.5", "/x?a=1&b=2", "433 complaints / 70,900 <apps>"), charts.Cell("—")],
            ),
            ('A "quoted" & <tagged> row', [charts.Cell("0.00", "", "it's"), charts.Cell("7", "/y")]),
        ],
    )
    expected = LOOP.render(Context({"table": table}))
    assert re.sub(r"\n", "", str(table.body_html())) == expected
    assert "&lt;tagged&gt;" in expected and "&amp;b=2" in expected


def test_a_charts_script_is_the_json_script_it_replaces():
    from django.utils.html import json_script

    chart = charts.Chart(
        "k", "t", {"data": [{"name": "</script><b>&", "y": [1.5, None]}], "layout": {}}, None
    )
    assert chart.script() == json_script(chart.figure, chart.element_id)

"""Pages that guard the user (issue 14, point 5), for monthly reporting: the matrix shows the month
being filed and its colours. The clock stands at 20 November 2026, 10:00 Beijing time
(tests/reporting/conftest.py): October is past due, November's window opens on the 25th.
"""

import datetime as dt
import re
from pathlib import Path

import time_machine
from django.conf import settings
from django.urls import reverse

from supervision.core.models import SHANGHAI, Operator, Period
from supervision.reporting import completeness, submissions


def _row(body: str, testid: str) -> str:
    return re.search(rf'<tr data-testid="{testid}">(.*?)</tr>', body, re.S).group(1)


def test_the_matrix_shows_the_month_being_filed_first_with_its_state_classes(client, regulator):
    client.force_login(regulator)
    page = client.get(reverse("control:reporting"), HTTP_ACCEPT_LANGUAGE="en")
    assert [period.label for period, *_rest in page.context["rows"][:3]] == ["2026-11", "2026-10", "2026-09"]
    assert len(page.context["rows"]) == 1 + 12
    body = page.content.decode()
    filing = _row(body, "filing")
    assert "2026-11" in filing and "Being filed" in filing
    assert "Filing opens 2026-11-25, due 2026-11-30" in filing
    assert (
        len(
            re.findall(r'<td class="status status-not_due" data-operator="\w+" data-period="2026-11"', filing)
        )
        == 4
    )
    # October is past due: nobody reported, every cell reads (and is coloured) missing.
    assert (
        len(re.findall(r'<td class="status status-missing" data-operator="\w+" data-period="2026-10"', body))
        == 4
    )


def test_a_report_of_the_month_being_filed_shows_in_its_row(client, regulator):
    cmcc = Operator.objects.get(code="CMCC")
    with time_machine.travel(dt.datetime(2026, 11, 26, 9, 0, tzinfo=SHANGHAI), tick=False):
        version = submissions.create_version(cmcc, Period.objects.from_label("2026-11"))
        submissions.submit(version)
        client.force_login(regulator)
        body = client.get(reverse("control:reporting"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    filing = _row(body, "filing")
    assert '<td class="status status-on_time" data-operator="CMCC" data-period="2026-11">' in filing
    assert reverse("control:submission", args=[version.pk]) in filing
    assert filing.count("status-not_due") == 3


def test_every_state_has_its_colour_in_a_bootstrap_table():
    """Bootstrap paints a table cell with ``--bs-table-bg``: a plain background never shows there,
    so each state sets the variable (and the background, for the legend outside the table)."""
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text(encoding="utf-8")
    for state in completeness.Status.LABELS:
        rule = re.search(rf"\.status-{state} \{{([^}}]*)\}}", css)
        assert rule, state
        colour = re.search(r"--bs-table-bg: (#[0-9a-f]{6});", rule.group(1)).group(1)
        assert f"background: {colour};" in rule.group(1), state

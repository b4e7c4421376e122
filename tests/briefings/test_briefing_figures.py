"""The briefing of November 2026 (issue 11): the figures an official document quotes.

One rounding (四舍五入 on the exact value), changes from the unrounded values (持平, never
"下降0.0"), best and worst compared exactly and printed rounded, a returned report neither
"按时报送" nor in the province totals, and the same digits as the dashboard. The data are
tests/briefings/builders.py's ``seed_november`` (its docstring has the table); the clock is
pinned to 5 December 2026, 10:00 Asia/Shanghai.
"""

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from supervision.analytics import indicators as ind
from supervision.analytics.cards import indicator_cards
from supervision.briefings import figures, services
from supervision.core import rounding
from supervision.core.models import Operator
from tests.briefings.builders import NOV, NOV_NOW, seed_november
from tests.builders import docx_tables, docx_text, fixed_user, pdf_text
from tests.builders import indicator_label as label

# Files of these tests go to a temporary folder, not the project's var/media.
pytestmark = pytest.mark.usefixtures("media_root")

INDICATOR_TABLE = "表1  各企业携号转网服务指标及排名"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOV_NOW, tick=False) as traveller:
        yield traveller


def render(briefing, kinds=("docx",)):
    return services.render(briefing, figures.build(briefing.period, now=NOV_NOW), kinds=kinds)


def indicator_rows(data: bytes) -> dict[str, list[str]]:
    return {r[0]: r[1:] for r in docx_tables(data)[INDICATOR_TABLE][1:]}


def test_a_change_that_rounds_to_zero_reads_flat(db, regulator):
    # October 116,650 / 125,000 = 93.320 %: the change −0.02 rounds to 0.0, said 持平.
    november = seed_november(regulator, october_completed=116_650)
    files = render(services.start(november, user=regulator), kinds=("docx", "pdf"))
    expected = f"{label('port_out_success')}93.3%，较上月持平"
    assert expected in docx_text(files["docx"])
    _pages, pdf = pdf_text(files["pdf"])
    assert expected in pdf and "0.0个百分点" not in pdf


@pytest.fixture(scope="class")
def drafted(class_db):
    """November's draft (``seed_november``), made once with its .docx and .pdf for the tests that
    only read them: (draft, the regulator who drafted it, {"docx": bytes, "pdf": bytes})."""

    def build():
        regulator = fixed_user("regulator")
        draft = services.start(seed_november(regulator), user=regulator)
        return draft, regulator, render(draft, kinds=("docx", "pdf"))

    return class_db(build, at=NOV_NOW)


@pytest.mark.usefixtures("db")
class TestNovembersDraft:
    """What November's draft says, in its files and on its page."""

    def test_docx_pdf_and_page_say_a_change_of_minus_0_088_points_as_down_0_1(self, client, drafted):
        draft, regulator, files = drafted
        # 93,300 / 100,000 = 93.300 % against October's 116,735 / 125,000 = 93.388 %: −0.088 → −0.1.
        expected = f"{label('port_out_success')}93.3%，较上月下降0.1个百分点"
        best = f"{label('port_out_success')}中国电信最好（94.0%），中国移动最差（92.0%）"
        text = docx_text(files["docx"])
        assert expected in text and best in text
        assert "下降0.0" not in text and "（93.9%）" not in text
        _pages, pdf = pdf_text(files["pdf"])
        assert expected in pdf and best in pdf
        client.force_login(regulator)
        page = client.get(reverse("control:briefing", args=[draft.pk])).content.decode()
        assert expected in page and best in page

    def test_the_best_operator_prints_93_962_as_94_0(self, drafted):
        rows = indicator_rows(drafted[2]["docx"])
        # CTCC 46,981 / 50,000 = 93.962 %: 94.0 (truncating would print 93.9), first; CMCC 92.0, third.
        assert rows[f"{label('port_out_success')}（%）"] == [
            "93.3",
            "92.0\n第3名",
            "93.6\n第2名",
            "94.0\n第1名",
            "—",
        ]

    def test_a_returned_report_is_neither_on_time_nor_in_the_province_totals(self, drafted):
        files = drafted[2]
        text = docx_text(files["docx"])
        assert "中国移动、中国电信按时报送；中国联通逾期报送；中国广电已退回，待重新报送" in text
        assert "中国广电按时报送" not in text
        # 3 of 4 reports count (75 %), 2 of 4 were on time (50 %).
        assert f"{label('reporting_completeness')}75%，{label('reporting_timeliness')}50%" in text
        # The province page names who is left out, and why.
        assert "未计入中国广电（月报已退回，待重新报送）" in text
        volumes = {r[0]: r[1:] for r in docx_tables(files["docx"])["表2  各企业携号转网业务量"][1:]}
        # Applications 30,000 + 20,000 + 50,000, not CBN's 10,000; its complaints are not in the rates.
        assert volumes["全省"][1] == "100000"  # as the dashboard prints it in Chinese: no separator
        assert volumes["中国广电"][:3] == ["—", "—", "—"]
        rows = indicator_rows(files["docx"])
        assert rows[label("complaint_rate")][0] == "0.40"  # 4 × 10,000 / 100,000 (CBN's 2 left out)
        assert rows[label("complaints_per_million")][0] == "0.20"  # 4 × 100 / 2,000 (10,000s)
        assert "退回月报中的案例" not in text  # the returned report's typical case is not quoted

    def test_indicator_table_names_every_indicator_by_its_one_name(self, drafted):
        rows = indicator_rows(drafted[2]["docx"])
        names = [name.removesuffix("（%）") for name in rows]
        assert names == [label(i.code) for i in ind.INDICATORS]
        for name in ("每百万用户投诉量", "暗访违规率", "第三方体验违规率", "15日办结率", "整改按期完成率"):
            assert name in names

    def test_briefing_figures_are_the_dashboards(self, drafted):
        rows = indicator_rows(drafted[2]["docx"])
        operators, cards = indicator_cards(NOV)
        for indicator, row in cards:
            name = f"{label(indicator.code)}（%）" if indicator.unit == "%" else label(indicator.code)
            with translation.override("zh-hans"):
                on_dashboard = [card.text for card in row]
            assert [cell.split("\n")[0] for cell in rows[name]] == on_dashboard, indicator.code
        # And by hand, with the analytics functions and one rounding.
        timely = ind.timely_resolution_rate([NOV], ("operator",))
        assert rounding.format_figure(timely[("CMCC", NOV)].value, 1) == "50.0"  # N1 timely, N2 late
        assert rows[f"{label('timely_resolution')}（%）"][:3] == ["66.7", "50.0\n第2名", "100.0\n第1名"]
        assert rows[f"{label('covert_violation')}（%）"][:2] == ["50.0", "50.0\n第1名"]
        assert rows[f"{label('mystery_violation')}（%）"][:2] == ["100.0", "100.0\n第1名"]
        assert [op.code for op in operators] == list(Operator.objects.values_list("code", flat=True))

    def test_overdue_table_leaves_out_the_order_awaiting_verification(self, drafted):
        overdue = docx_tables(drafted[2]["docx"])["表6  逾期未完成的整改事项"]
        # 鲁通管〔2026〕22号's report came in on 19 November, before its deadline: awaiting verification.
        assert [row[0] for row in overdue[1:]] == ["鲁通管〔2026〕21号"]
        assert overdue[1][4] == "15"  # deadline 20 November, as of 5 December

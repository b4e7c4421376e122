"""The complaint ledger's page as fast as the home page: its rows drawn by ComplaintTable.body_html
(the same HTML django-tables2 draws), its count stopped at a cap, its queries fixed in number."""

import dataclasses
import datetime as dt
import re

import pytest
from django.urls import reverse

from supervision.control import lists, tables
from tests.control.test_lists import make_complaints

URL = reverse("control:complaints")


@pytest.fixture
def staff(client, regulator):
    client.force_login(regulator)
    return client


@pytest.fixture
def varied(db):
    """Complaints with every kind of cell: empty dates and satisfaction, long texts, markup."""
    return make_complaints([
        {"operator": "CUCC", "city": "370700", "status": "RESOLVED", "resolved_on": dt.date(2026, 10, 9),
         "satisfaction": "SATISFIED", "summary": "用户称营业员要求“先销户再携出”，<b>拒绝</b> & 拖延办理，" * 2},
        {"operator": "CMCC", "channel": "HOTLINE", "category": "SVC", "summary": "",
         "complaint_no": 'CM"<x>&1'},
        {"operator": "CTCC", "received_on": dt.date(2026, 9, 30), "summary": "短"},
        *[{"operator": "CBN", "received_on": dt.date(2026, 8, d % 28 + 1)} for d in range(57)],
    ])  # fmt: skip


def tbody(html: str) -> str:
    body = re.search(r"<tbody.*?</tbody>", html, re.S).group(0)
    return re.sub(r">\s+<", "><", body.strip())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "query",
    [
        "",
        "?operator=CUCC",
        "?sort=-resolved_on",
        "?sort=satisfaction,operator",
        "?page=2",
        "?sort=complaint_no",
    ],
)
def test_the_rows_are_those_django_tables2_draws(staff, varied, monkeypatch, language, query):
    """Same cells, texts, links, titles, labels, stripes and escaping as django-tables2's own
    rendering of the table's columns (which the page drew before)."""
    fast = tbody(staff.get(URL + query, HTTP_ACCEPT_LANGUAGE=language).content.decode())
    monkeypatch.setattr(tables.ComplaintTable, "body_html", lambda table: "")
    slow = tbody(staff.get(URL + query, HTTP_ACCEPT_LANGUAGE=language).content.decode())
    assert fast == slow
    assert fast.count("<tr") == (1 if query == "?operator=CUCC" else 10 if query == "?page=2" else 50)


def test_the_page_escapes_what_the_operators_wrote(staff, varied):
    page = staff.get(URL + "?operator=CMCC").content.decode()
    assert "CM&quot;&lt;x&gt;&amp;1" in page and 'CM"<x>' not in page
    page = staff.get(URL + "?operator=CUCC").content.decode()
    assert "&lt;b&gt;拒绝&lt;/b&gt; &amp; 拖延" in page and "<b>拒绝" not in page


def test_nothing_matching_says_so(staff, varied):
    page = staff.get(URL + "?city=371700", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No complaint matches these filters. Widen the dates or clear a filter." in page
    assert "<tbody" not in page


def test_a_count_above_the_cap_says_more_than_and_pages_up_to_it(staff, varied, monkeypatch):
    monkeypatch.setattr(lists, "COMPLAINTS", dataclasses.replace(lists.COMPLAINTS, count_cap=55))
    page = staff.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "More than 55 complaints match the filters: the pages show the first 55 in this order." in page
    assert "page 1 of 2" in page
    assert len(staff.get(URL + "?page=2").context["table"].page.object_list) == 5  # 55, not 60
    # Under the cap, the exact count, as always.
    page = staff.get(URL + "?operator=CTCC", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 complaint matches the filters." in page
    page = staff.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "符合筛选条件的投诉超过 55 件" in page
    # The download has every row, whatever the cap.
    export = staff.get(URL + "?export=csv")
    assert b"".join(export.streaming_content).decode("utf-8-sig").count("\n") == 61  # the header and 60 rows


def test_the_page_takes_the_same_queries_whatever_the_number_of_rows(
    staff, varied, django_assert_num_queries
):
    with django_assert_num_queries(10) as few:  # the session, the user, the filter form, count and page…
        staff.get(URL + "?operator=CBN&city=370100&category=BL1")
    make_complaints([{"operator": "CBN", "received_on": dt.date(2026, 7, d % 28 + 1)} for d in range(300)])
    with django_assert_num_queries(len(few.captured_queries)):
        staff.get(URL + "?operator=CBN&city=370100&category=BL1")

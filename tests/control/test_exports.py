"""The lists' downloads hold exactly the rows the list shows: same filter, same order, all pages."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from tests.control.test_lists import NOW, make_complaints, make_findings, make_orders, shown


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff"), "Chinese Excel needs the byte-order mark"
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def read_xlsx(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    # openpyxl leaves OOXML's escape of a carriage return as it is; Excel reads it as "\r".
    return [
        [cell.replace("_x000D_", "\r") if isinstance(cell, str) else cell for cell in row]
        for row in workbook.active.iter_rows(values_only=True)
    ]


READERS = {"csv": read_csv, "xlsx": read_xlsx}


def every_page(client, url, attribute):
    """The rows a user reads by paging through the list to its end."""
    rows, page = [], 1
    while True:
        response = client.get(f"{url}&page={page}")
        rows += shown(response, attribute)
        if not response.context["table"].page.has_next():
            return rows
        page += 1


@pytest.fixture
def staff(client, regulator):
    client.force_login(regulator)
    return client


@pytest.fixture
def big_ledger(db):
    """120 complaints: 70 of CUCC in Weifang over two months, the rest elsewhere."""
    make_complaints(
        [
            {"operator": "CUCC", "city": "370700", "complaint_no": f"CU-{n:03d}", "received_on": dt.date(2026, 9 + n % 2, 1 + n % 28), "category": "BL1" if n % 3 else "BL2"}
            for n in range(70)
        ]
        + [{"operator": "CMCC", "complaint_no": f"CM-{n:03d}", "received_on": dt.date(2026, 10, 5)} for n in range(50)]
    )  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("sort", ["", "-received_on", "category", "operator"])
def test_complaint_export_holds_the_rows_of_every_page_in_order(staff, big_ledger, fmt, sort):
    url = reverse("control:complaints") + f"?operator=CUCC&city=370700&sort={sort}"
    on_screen = every_page(staff, url, "complaint_no")
    assert len(on_screen) == 70  # two pages of 50
    rows = READERS[fmt](staff.get(url + f"&page=2&export={fmt}", HTTP_ACCEPT_LANGUAGE="en"))
    assert rows[0][0] == "Complaint number"
    assert [row[0] for row in rows[1:]] == on_screen


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_complaint_export_of_a_month_drill_down(staff, big_ledger, fmt):
    url = reverse("control:complaints") + "?operator=CUCC&city=370700&category=BL1&month=2026-10"
    on_screen = every_page(staff, url, "complaint_no")
    rows = READERS[fmt](staff.get(url + f"&export={fmt}"))
    assert [row[0] for row in rows[1:]] == on_screen
    assert on_screen and all(no.startswith("CU-") for no in on_screen)


def test_complaint_export_reads_as_the_page_in_english(staff, db):
    make_complaints(
        [{"complaint_no": "X-1", "operator": "CTCC", "city": "370700", "category": "SVC", "channel": "HOTLINE", "received_on": dt.date(2026, 10, 3), "status": "RESOLVED", "resolved_on": dt.date(2026, 10, 9), "resolution": "已解释", "satisfaction": "PARTLY", "msisdn_masked": "138****1234"}]
    )  # fmt: skip
    response = staff.get(reverse("control:complaints") + "?export=xlsx", HTTP_ACCEPT_LANGUAGE="en")
    header, row = read_xlsx(response)
    assert dict(zip(header, row, strict=True)) == {
        "Complaint number": "X-1",
        "Operator": "China Telecom",
        "City code": "370700",
        "City": "Weifang",
        "Received on": dt.datetime(2026, 10, 3),
        "Channel": "Customer hotline",
        "Category code": "SVC",
        "Category": "Service quality",
        "Subscriber number (masked)": "138****1234",
        "Complaint": "营业员称需先取消融合套餐",
        "Status": "Resolved",
        "Resolved on": dt.datetime(2026, 10, 9),
        "Resolution": "已解释",
        "Satisfaction": "Partly satisfied",
    }


def test_complaint_export_headers_follow_the_language(staff, db):
    make_complaints([{}])
    rows = read_csv(staff.get(reverse("control:complaints") + "?export=csv", HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert rows[0][:2] == ["投诉编号", "运营商"]
    assert rows[1][1] == "中国移动"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_like_text_is_neutralised(staff, db, fmt):
    make_complaints(
        [
            {"complaint_no": "=1+1", "summary": "+86 138 0000 0000", "resolution": "@SUM(A1:A9)", "received_on": dt.date(2026, 10, 5)},
            {"complaint_no": "-2", "summary": "\t=cmd|' /C calc'!A0", "resolution": "\r=1", "received_on": dt.date(2026, 10, 4)},
            {"complaint_no": "safe", "summary": "1+1=2", "resolution": "", "received_on": dt.date(2026, 10, 3)},
        ]
    )  # fmt: skip
    rows = READERS[fmt](
        staff.get(reverse("control:complaints") + f"?export={fmt}", HTTP_ACCEPT_LANGUAGE="en")
    )
    header = rows[0]
    cells = [
        {name: row[header.index(name)] for name in ("Complaint number", "Complaint", "Resolution")}
        for row in rows[1:]
    ]
    assert cells == [
        {"Complaint number": "'=1+1", "Complaint": "'+86 138 0000 0000", "Resolution": "'@SUM(A1:A9)"},
        {"Complaint number": "'-2", "Complaint": "'\t=cmd|' /C calc'!A0", "Resolution": "'\r=1"},
        {"Complaint number": "safe", "Complaint": "1+1=2", "Resolution": "" if fmt == "csv" else None},
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_file_is_named_for_the_list_and_the_day(staff, db, fmt):
    with time_machine.travel(NOW, tick=False):
        response = staff.get(reverse("control:complaints") + f"?export={fmt}", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Disposition"] == f'attachment; filename="complaint-ledger-2026-11-28.{fmt}"'


def test_an_invalid_filter_gives_the_page_with_its_error_not_a_file(staff, big_ledger):
    response = staff.get(reverse("control:complaints") + "?month=2026-13&export=csv")
    assert response["Content-Type"].startswith("text/html")
    assert shown(response, "complaint_no") == []


def test_csv_export_takes_a_fixed_number_of_queries(staff, big_ledger, django_assert_num_queries):
    # Session, user, the operator named in the filter, the count and the insert of the
    # personal-data access log's entry (core.access; 4 queries before it), then the rows in one query.
    with django_assert_num_queries(6):
        response = staff.get(reverse("control:complaints") + "?operator=CUCC&export=csv")
        rows = read_csv(response)
    assert len(rows) == 71


@pytest.fixture
def many_findings(db):
    make_findings(
        [{"site": f"S{n:03d}", "operator": "CMCC" if n % 4 else "CUCC", "visit_date": dt.date(2026, 9, 1 + n % 30), "violation": n % 5 != 0} for n in range(130)]
    )  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("sort", ["", "visit_date", "-clause", "severity"])
def test_finding_export_holds_the_rows_of_every_page_in_order(staff, many_findings, fmt, sort):
    url = reverse("control:findings") + f"?operator=CMCC&violation=yes&sort={sort}"
    on_screen = every_page(staff, url, "site")
    assert len(on_screen) > 50
    rows = READERS[fmt](staff.get(url + f"&export={fmt}", HTTP_ACCEPT_LANGUAGE="en"))
    site = rows[0].index("Site")
    assert [row[site] for row in rows[1:]] == on_screen
    assert {row[rows[0].index("Problem found")] for row in rows[1:]} == {"Yes"}


@pytest.fixture
def many_orders(db):
    states = ["issued", "acknowledged", "verified", "draft", "report_submitted"]
    make_orders(
        [{"document_no": f"D{n:03d}", "state": states[n % 5], "deadline": NOW + dt.timedelta(days=n % 40 - 20, hours=n % 7)} for n in range(120)]
    )  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("sort", ["", "days_left", "-days_left", "state", "-deadline"])
def test_order_export_holds_the_rows_of_every_page_in_order(staff, many_orders, fmt, sort):
    url = reverse("control:orders") + f"?severity=MAJOR&sort={sort}"
    with time_machine.travel(NOW, tick=False):
        on_screen = every_page(staff, url, "document_no")
        rows = READERS[fmt](staff.get(url + f"&export={fmt}", HTTP_ACCEPT_LANGUAGE="en"))
    assert len(on_screen) == 120
    assert [row[0] for row in rows[1:]] == on_screen


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_order_export_counts_days_left_and_overdue(staff, db, fmt):
    make_orders(
        [
            {"document_no": "late", "deadline": NOW - dt.timedelta(days=2)},
            {"document_no": "soon", "deadline": NOW + dt.timedelta(days=3)},
            {"document_no": "closed", "deadline": NOW - dt.timedelta(days=9), "state": "verified"},
        ]
    )
    with time_machine.travel(NOW, tick=False):
        rows = READERS[fmt](
            staff.get(reverse("control:orders") + f"?export={fmt}", HTTP_ACCEPT_LANGUAGE="en")
        )
    header = rows[0]
    assert header[-2:] == ["Deadline", "Days left (negative: days overdue)"]
    deadline = "2026-11-26 15:00" if fmt == "csv" else dt.datetime(2026, 11, 26, 15, 0)
    empty = "" if fmt == "csv" else None
    assert [row[0] for row in rows[1:]] == ["closed", "late", "soon"]
    assert rows[2][-2:] == [deadline, "-2" if fmt == "csv" else -2]
    assert rows[1][-1] == empty
    assert rows[3][-1] == ("3" if fmt == "csv" else 3)


@pytest.mark.parametrize("name", ["control:complaints", "control:findings", "control:orders"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_operator_users_may_not_download(client, operator_a, operator_b, name, fmt):
    make_complaints([{"operator": "CMCC"}])
    for user in (operator_a, operator_b):
        client.force_login(user)
        assert client.get(reverse(name) + f"?export={fmt}").status_code == 403


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_leadership_may_download(client, leader, db, fmt):
    make_complaints([{}])
    client.force_login(leader)
    response = client.get(reverse("control:complaints") + f"?export={fmt}")
    assert len(READERS[fmt](response)) == 2


def test_list_page_links_its_downloads_with_the_filters_but_not_the_page(staff, big_ledger):
    page = staff.get(reverse("control:complaints") + "?operator=CUCC&sort=category&page=2").content.decode()
    assert 'href="?operator=CUCC&amp;sort=category&amp;export=csv"' in page
    assert 'href="?operator=CUCC&amp;sort=category&amp;export=xlsx"' in page

"""The dashboard's lists: complaints, findings and orders, filtered, sorted and paged by the URL."""

import datetime as dt
import itertools
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from supervision.casework.models import InspectionFinding, RectificationOrder
from supervision.core.models import City, Operator, ViolationCategory
from supervision.reporting.models import ComplaintRecord, ComplaintRevision, LedgerUpload

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# A fixed "now" for the orders' days left: 15:00 in Jinan, 07:00 UTC.
NOW = dt.datetime(2026, 11, 28, 15, 0, tzinfo=SHANGHAI)
_serial = itertools.count(1)  # numbers stay unique however often a factory is called


# --- Small factories (also used by test_exports.py) ----------------------------------------


def _ref():
    return {
        "operators": {o.code: o for o in Operator.objects.all()},
        "cities": {c.code: c for c in City.objects.all()},
        "categories": {c.code: c for c in ViolationCategory.objects.all()},
    }


def make_complaints(specs):
    """One complaint per dict of ``specs``; unspecified fields get dull defaults."""
    ref = _ref()
    rows = []
    for spec in specs:
        spec = dict(spec)
        n = next(_serial)
        operator = ref["operators"][spec.pop("operator", "CMCC")]
        rows.append(
            ComplaintRecord(
                operator=operator,
                complaint_no=spec.pop("complaint_no", f"{operator.code}-{n:05d}"),
                received_on=spec.pop("received_on", dt.date(2026, 10, 3)),
                city=ref["cities"][spec.pop("city", "370100")],
                channel=spec.pop("channel", "MIIT"),
                category=ref["categories"][spec.pop("category", "BL1")],
                summary=spec.pop("summary", "营业员称需先取消融合套餐"),
                status=spec.pop("status", "OPEN"),
                **spec,
            )
        )
    return ComplaintRecord.objects.bulk_create(rows)


def make_findings(specs):
    ref = _ref()
    rows = []
    for spec in specs:
        spec = dict(spec)
        violation = spec.pop("violation", True)
        rows.append(
            InspectionFinding(
                operator=ref["operators"][spec.pop("operator", "CUCC")],
                city=ref["cities"][spec.pop("city", "371100")],
                visit_date=spec.pop("visit_date", dt.date(2026, 9, 12)),
                channel=spec.pop("channel", "STORE"),
                site=spec.pop("site", "日照东港营业厅"),
                method=spec.pop("method", "MYSTERY_SHOPPER"),
                scenario=spec.pop("scenario", "咨询携号转网条件并申请授权码"),
                violation=violation,
                clause=ref["categories"][spec.pop("clause", "BL1")] if violation else None,
                severity=spec.pop("severity", "MINOR" if violation else ""),
                agency=spec.pop("agency", "山东某第三方测评机构"),
                **spec,
            )
        )
    return InspectionFinding.objects.bulk_create(rows)


def make_orders(specs):
    ref = _ref()
    rows = []
    for spec in specs:
        spec = dict(spec)
        n = next(_serial)
        rows.append(
            RectificationOrder(
                operator=ref["operators"][spec.pop("operator", "CMCC")],
                document_no=spec.pop("document_no", f"鲁通管整〔2026〕{n}号"),
                title=spec.pop("title", "整改设限阻挠问题"),
                requirements="立即整改",
                severity=spec.pop("severity", "MAJOR"),
                deadline=spec.pop("deadline", NOW + dt.timedelta(days=10)),
                state=spec.pop("state", "issued"),
                **spec,
            )
        )
    return RectificationOrder.objects.bulk_create(rows)


def shown(response, attribute):
    """What a user reads in the table of a list page: one attribute per row, in order."""
    table = response.context["table"]
    return [getattr(row.record, attribute) for row in table.paginated_rows]


@pytest.fixture
def staff(client, regulator):
    client.force_login(regulator)
    return client


# --- Complaint ledger -----------------------------------------------------------------------


@pytest.fixture
def ledger(db):
    make_complaints(
        [
            {"complaint_no": "A1", "operator": "CMCC", "city": "370700", "category": "BL1", "received_on": dt.date(2026, 10, 1)},
            {"complaint_no": "A2", "operator": "CUCC", "city": "370700", "category": "BL1", "received_on": dt.date(2026, 10, 31)},
            {"complaint_no": "A3", "operator": "CUCC", "city": "370100", "category": "BL2", "received_on": dt.date(2026, 11, 1), "channel": "HOTLINE"},
            {"complaint_no": "A4", "operator": "CTCC", "city": "370700", "category": "SVC", "received_on": dt.date(2026, 9, 30), "status": "RESOLVED", "resolved_on": dt.date(2026, 10, 2), "resolution": "已解释携转条件", "satisfaction": "SATISFIED"},
            {"complaint_no": "A5", "operator": "CUCC", "city": "370700", "category": "BL1", "received_on": dt.date(2026, 10, 15), "summary": "要求先交违约金才给授权码"},
        ]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"A1", "A2", "A3", "A4", "A5"}),
        ("operator=CUCC", {"A2", "A3", "A5"}),
        ("operator=CUCC&operator=CTCC", {"A2", "A3", "A4", "A5"}),
        ("city=370100", {"A3"}),
        ("category=SVC", {"A4"}),
        ("channel=HOTLINE", {"A3"}),
        ("status=RESOLVED", {"A4"}),
        ("month=2026-10", {"A1", "A2", "A5"}),
        ("received_from=2026-10-15", {"A2", "A3", "A5"}),
        ("received_to=2026-10-01", {"A1", "A4"}),
        ("received_from=2026-10-02&received_to=2026-10-31", {"A2", "A5"}),
        ("q=违约金", {"A5"}),
        ("q=a4", {"A4"}),
        ("q=携转条件", {"A4"}),
        ("operator=CUCC&city=370700&category=BL1&month=2026-10", {"A2", "A5"}),
    ],
)
def test_complaint_filters_narrow_the_rows(staff, ledger, query, expected):
    response = staff.get(reverse("control:complaints") + "?" + query)
    assert response.status_code == 200
    assert set(shown(response, "complaint_no")) == expected
    assert response.context["count"] == len(expected)


def test_complaints_are_newest_first_by_default(staff, ledger):
    response = staff.get(reverse("control:complaints"))
    assert shown(response, "complaint_no") == ["A3", "A2", "A5", "A1", "A4"]


def test_an_impossible_month_says_so_and_shows_no_rows(staff, ledger):
    response = staff.get(reverse("control:complaints") + "?month=2026-13", HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert shown(response, "complaint_no") == []
    assert "is not a period; write it as YYYY-MM" in page


def test_an_empty_result_says_what_to_do(staff, ledger):
    response = staff.get(reverse("control:complaints") + "?city=371700", HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert "No complaint matches these filters. Widen the dates or clear a filter." in page
    assert "0 complaints match the filters." in page
    assert 'href="/dashboard/complaints/"' in page  # the way out: every row


def test_complaint_page_shows_the_count_labels_and_links(staff, ledger):
    response = staff.get(reverse("control:complaints") + "?operator=CUCC", HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert "3 complaints match the filters." in page
    a2 = ComplaintRecord.objects.get(complaint_no="A2")
    assert f'href="{reverse("control:complaint", args=[a2.pk])}"' in page
    for field in (
        "operator",
        "city",
        "category",
        "channel",
        "status",
        "month",
        "received_from",
        "received_to",
        "q",
    ):
        assert re.search(rf'<label [^>]*for="id_{field}"', page), field
    assert "<caption" in page
    assert "style=" not in page and "onclick" not in page


@pytest.fixture
def sixty(db):
    """60 CUCC complaints (CU-001 … CU-060) and 10 of CMCC, in scrambled receipt order."""
    make_complaints(
        [{"operator": "CUCC", "complaint_no": f"CU-{n:03d}", "received_on": dt.date(2026, 10, 1 + (n * 7) % 28)} for n in range(1, 61)]
        + [{"operator": "CMCC", "complaint_no": f"CM-{n:03d}"} for n in range(1, 11)]
    )  # fmt: skip


def test_the_url_carries_sort_filter_and_page(staff, sixty):
    url = reverse("control:complaints") + "?operator=CUCC&sort=complaint_no&page=2"
    response = staff.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert shown(response, "complaint_no") == [f"CU-{n:03d}" for n in range(51, 61)]
    page = response.content.decode()
    # The page links keep the filter and the sort; the one shown is marked for screen readers.
    assert re.search(r'href="\?[^"]*page=1[^"]*"', page)
    link_to_first = re.search(r'<a class="page-link" href="(\?[^"]*page=1[^"]*)"', page).group(1)
    assert "operator=CUCC" in link_to_first and "sort=complaint_no" in link_to_first
    assert 'aria-current="page">2</a>' in page
    # Sorting again keeps the filter and starts from the first page.
    resort = re.search(r'href="(\?[^"]*sort=-complaint_no[^"]*)"', page).group(1)
    assert "operator=CUCC" in resort and "page=" not in resort
    assert 'aria-sort="ascending"' in page
    # The same URL shows the same rows to a colleague.
    again = staff.get(reverse("control:complaints") + link_to_first.replace("&amp;", "&"))
    assert shown(again, "complaint_no") == [f"CU-{n:03d}" for n in range(1, 51)]


def test_the_filter_form_keeps_the_sort(staff, sixty):
    page = staff.get(reverse("control:complaints") + "?sort=-received_on").content.decode()
    assert '<input type="hidden" name="sort" value="-received_on">' in page


def test_a_page_past_the_end_shows_the_last_page(staff, sixty):
    response = staff.get(reverse("control:complaints") + "?operator=CUCC&sort=complaint_no&page=9")
    assert shown(response, "complaint_no")[0] == "CU-051"
    response = staff.get(reverse("control:complaints") + "?page=abc")
    assert len(shown(response, "complaint_no")) == 50


def test_ties_keep_one_order_across_pages(staff, sixty):
    # Sorted by operator, the 60 CUCC rows tie: every one still appears exactly once.
    url = reverse("control:complaints") + "?sort=operator"
    first = shown(staff.get(url), "complaint_no")
    second = shown(staff.get(url + "&page=2"), "complaint_no")
    assert len(first) + len(second) == 70 and len(set(first) | set(second)) == 70


@pytest.mark.parametrize(
    ("name", "factory"),
    [
        ("control:complaints", lambda n: make_complaints([{} for _ in range(n)])),
        ("control:findings", lambda n: make_findings([{} for _ in range(n)])),
        ("control:orders", lambda n: make_orders([{} for _ in range(n)])),
    ],
)
def test_list_pages_take_a_fixed_number_of_queries(staff, name, factory, django_assert_num_queries):
    # Session, user, the filter form's reference choices (operators; cities and categories
    # where the list filters on them), the count and the page: 1 row or 30, the same.
    expected = {"control:complaints": 7, "control:findings": 7, "control:orders": 5}[name]
    factory(1)
    with django_assert_num_queries(expected):
        assert staff.get(reverse(name)).status_code == 200
    factory(29)
    with django_assert_num_queries(expected):
        response = staff.get(reverse(name))
    assert len(response.context["table"].paginated_rows) == 30


@pytest.mark.parametrize("name", ["control:complaints", "control:findings", "control:orders"])
def test_operator_users_may_not_see_the_lists(client, operator_a, manager_a, name):
    for user in (operator_a, manager_a):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 403
        assert client.get(reverse(name) + "?export=csv").status_code == 403


@pytest.mark.parametrize("name", ["control:complaints", "control:findings", "control:orders"])
def test_leadership_reads_the_lists(client, leader, name):
    client.force_login(leader)
    assert client.get(reverse(name)).status_code == 200


# --- Complaint detail -----------------------------------------------------------------------


def test_complaint_detail_shows_what_each_upload_changed(staff, operator_a):
    (complaint,) = make_complaints(
        [{"complaint_no": "CMCC-202610-00001", "summary": "营业员称需先取消融合套餐"}]
    )
    first = LedgerUpload.objects.create(
        operator=complaint.operator, uploaded_by=operator_a, file_name="10月台账.csv", sha256="0" * 64
    )
    later = LedgerUpload.objects.create(
        operator=complaint.operator,
        uploaded_by=operator_a,
        file_name="10月台账-更正.xlsx",
        sha256="1" * 64,
        uploaded_at=first.uploaded_at + dt.timedelta(days=3),
    )
    ComplaintRecord.objects.filter(pk=complaint.pk).update(first_upload=first, last_upload=later)
    ComplaintRevision.objects.create(
        complaint=complaint,
        upload=later,
        changes={
            "status": ["OPEN", "RESOLVED"],
            "resolved_on": [None, "2026-10-05"],
            "city": ["370100", "370700"],
            "category": ["BL1", "BL2"],
        },
    )
    response = staff.get(reverse("control:complaint", args=[complaint.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "营业员称需先取消融合套餐" in page
    revisions = page[page.index('data-testid="revisions"') :]
    assert "10月台账-更正.xlsx" in revisions
    assert "张专员" in revisions  # who uploaded it
    for old, new in (("Being handled", "Resolved"), ("Jinan", "Weifang"), ("BL1 ", "BL2 ")):
        assert re.search(rf"<del>{old}[^<]*</del>.*?<ins>{new}", revisions, re.S), (old, new)
    assert "2026-10-05" in revisions


def test_complaint_detail_without_revisions_says_so(staff):
    (complaint,) = make_complaints([{}])
    page = staff.get(reverse("control:complaint", args=[complaint.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "No later upload changed this complaint" in page.content.decode()


def test_complaint_detail_takes_a_fixed_number_of_queries(staff, operator_a, django_assert_num_queries):
    (complaint,) = make_complaints([{}])
    upload = LedgerUpload.objects.create(
        operator=complaint.operator, uploaded_by=operator_a, file_name="a.csv", sha256="0"
    )
    ComplaintRevision.objects.bulk_create(
        ComplaintRevision(complaint=complaint, upload=upload, changes={"status": ["OPEN", "RESOLVED"]}) for _ in range(5)
    )  # fmt: skip
    # Session, user, complaint, the insert of its personal-data access log entry (core.access),
    # cities, categories, revisions, orders citing it: 7 before the access log, 8 with its insert.
    with django_assert_num_queries(8):
        staff.get(reverse("control:complaint", args=[complaint.pk]))


def test_an_unknown_complaint_is_not_found(staff):
    assert staff.get(reverse("control:complaint", args=[999999])).status_code == 404


# --- Inspection findings --------------------------------------------------------------------


@pytest.fixture
def visits(db):
    make_findings(
        [
            {"site": "F1", "operator": "CUCC", "city": "371100", "visit_date": dt.date(2026, 9, 12), "clause": "BL1", "severity": "MINOR"},
            {"site": "F2", "operator": "CMCC", "city": "370100", "visit_date": dt.date(2026, 10, 2), "clause": "BL2", "severity": "SEVERE", "method": "COVERT", "channel": "HOTLINE", "state": "published"},
            {"site": "F3", "operator": "CMCC", "city": "371100", "visit_date": dt.date(2026, 10, 20), "violation": False},
            {"site": "F4", "operator": "CTCC", "city": "370700", "visit_date": dt.date(2026, 9, 30), "clause": "BL4", "severity": "MAJOR", "method": "OPEN", "channel": "APP", "agency": "山东省通信管理局"},
        ]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"F1", "F2", "F3", "F4"}),
        ("operator=CMCC", {"F2", "F3"}),
        ("city=371100", {"F1", "F3"}),
        ("clause=BL2", {"F2"}),
        ("method=COVERT", {"F2"}),
        ("channel=APP", {"F4"}),
        ("violation=yes", {"F1", "F2", "F4"}),
        ("violation=no", {"F3"}),
        ("severity=SEVERE", {"F2"}),
        ("state=published", {"F2"}),
        ("state=draft", {"F1", "F3", "F4"}),
        ("month=2026-09", {"F1", "F4"}),
        ("visit_from=2026-09-30&visit_to=2026-10-02", {"F2", "F4"}),
        ("q=通信管理局", {"F4"}),
    ],
)
def test_finding_filters_narrow_the_rows(staff, visits, query, expected):
    response = staff.get(reverse("control:findings") + "?" + query)
    assert set(shown(response, "site")) == expected


def test_findings_read_yes_and_no_and_sort_by_visit_date(staff, visits):
    response = staff.get(reverse("control:findings") + "?sort=visit_date", HTTP_ACCEPT_LANGUAGE="en")
    assert shown(response, "site") == ["F1", "F4", "F2", "F3"]
    page = response.content.decode()
    assert "Third-party experience test" in page and ">No<" in page and ">Yes<" in page


# --- Rectification orders -------------------------------------------------------------------


@pytest.fixture
def orders(db):
    make_orders(
        [
            {"document_no": "O-late", "deadline": NOW - dt.timedelta(days=2), "state": "acknowledged"},
            {"document_no": "O-today", "deadline": NOW - dt.timedelta(hours=2), "state": "issued"},
            {"document_no": "O-tonight", "deadline": NOW.replace(hour=23, minute=59)},
            {"document_no": "O-soon", "deadline": NOW + dt.timedelta(days=3), "operator": "CUCC", "severity": "SEVERE"},
            # Midnight UTC is already 08:00 the next day in Jinan: 1 day left, not 0.
            {"document_no": "O-utc", "deadline": dt.datetime(2026, 11, 29, 0, 0, tzinfo=dt.UTC)},
            {"document_no": "O-done", "deadline": NOW - dt.timedelta(days=30), "state": "verified"},
            # A draft withdrawn (its deadline passed): listed only when asked for, never overdue.
            {"document_no": "O-gone", "deadline": NOW - dt.timedelta(days=5), "state": "withdrawn"},
        ]
    )  # fmt: skip


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_days_left_are_whole_days_in_shanghai(staff, orders, frozen):
    response = staff.get(reverse("control:orders") + "?sort=days_left", HTTP_ACCEPT_LANGUAGE="en")
    days = {order.document_no: order.days_left for order in response.context["table"].paginated_rows.data}
    assert {no: (d.days if d is not None else None) for no, d in days.items()} == {
        "O-late": -2,
        "O-today": 0,
        "O-tonight": 0,
        "O-utc": 1,
        "O-soon": 3,
        "O-done": None,
    }
    # Sorted by days left, the orders that are not open come last.
    assert shown(response, "document_no")[0] == "O-late"
    assert shown(response, "document_no")[-1] == "O-done"
    page = response.content.decode()
    for text in ("2 days overdue", "Overdue since today", "Due today", "1 day left", "3 days left"):
        assert text in page


def test_days_left_sort_descending_keeps_closed_orders_last(staff, orders, frozen):
    response = staff.get(reverse("control:orders") + "?sort=-days_left")
    assert shown(response, "document_no")[:2] == ["O-soon", "O-utc"]
    assert shown(response, "document_no")[-1] == "O-done"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"O-late", "O-today", "O-tonight", "O-soon", "O-utc", "O-done"}),
        ("overdue=yes", {"O-late", "O-today"}),
        ("overdue=no", {"O-tonight", "O-soon", "O-utc", "O-done"}),
        ("state=verified", {"O-done"}),
        ("state=withdrawn", {"O-gone"}),
        ("state=withdrawn&overdue=yes", set()),
        ("severity=SEVERE", {"O-soon"}),
        ("operator=CUCC", {"O-soon"}),
        ("q=O-to", {"O-today", "O-tonight"}),
    ],
)
def test_order_filters_narrow_the_rows(staff, orders, frozen, query, expected):
    response = staff.get(reverse("control:orders") + "?" + query)
    assert set(shown(response, "document_no")) == expected


def test_orders_are_by_deadline_by_default(staff, orders, frozen):
    response = staff.get(reverse("control:orders"))
    assert shown(response, "document_no") == ["O-done", "O-late", "O-today", "O-tonight", "O-utc", "O-soon"]


def test_deadline_is_shown_in_beijing_time(staff, orders, frozen):
    page = staff.get(reverse("control:orders") + "?q=O-utc").content.decode()
    assert "2026-11-29 08:00" in page
    assert timezone.localtime(NOW).hour == 15

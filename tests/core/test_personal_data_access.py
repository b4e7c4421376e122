"""Who saw personal data: each opening of a complaint and each download carrying complaints'
personal data is recorded (user, time, filters, rows), never the data itself, and the log is
read by the administration's user administrators alone."""

import csv
import datetime as dt
import io
import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from supervision.core import access
from supervision.core.models import SHANGHAI, Period, PersonalDataAccess, PersonalDataUse, Role
from supervision.reporting import kept, submissions
from supervision.reporting.models import SubmissionFile, UploadKind
from tests.conftest import make_user
from tests.control.test_lists import make_complaints, make_orders

NUMBER = "139****8960"
SUMMARY = "营业员称需先取消融合套餐才能携转"
RESOLUTION = "已致歉并当场办理"


@pytest.fixture
def user_admin(db):
    return make_user("useradmin", Role.REGULATOR_STAFF, full_name="孙管理员", can_administer_users=True)


@pytest.fixture
def complaints(db):
    return make_complaints(
        [
            {"operator": "CMCC", "msisdn_masked": NUMBER, "summary": SUMMARY, "resolution": RESOLUTION},
            {"operator": "CMCC", "status": "RESOLVED", "resolved_on": dt.date(2026, 10, 6)},
            {"operator": "CMCC"},
            {"operator": "CUCC"},
        ]
    )


@pytest.fixture
def ledger_file(db, operator_a):
    """A certified report of CMCC with its kept ledger file (the masked re-export): two rows."""
    period = Period.objects.from_label("2026-10")
    submission = submissions.submit(submissions.create_version(operator_a.operator, period))
    records = [
        {"complaint_no": "CMCC-202610-00001", "msisdn_masked": NUMBER, "summary": SUMMARY, "resolution": RESOLUTION},
        {"complaint_no": "CMCC-202610-00002", "summary": "工作人员拒绝受理"},
    ]  # fmt: skip
    stored = SubmissionFile(
        submission=submission, kind=UploadKind.LEDGER, name="台账.csv", sha256="0" * 64, size=1
    )
    stored.file.save(kept.kept_name("ledger"), ContentFile(kept.ledger_workbook(records)), save=True)
    return stored


def log_text() -> str:
    """Everything the log holds, as text."""
    return json.dumps(
        list(PersonalDataAccess.objects.values("what", "filters", "rows", "object_id")), ensure_ascii=False
    )


def assert_no_personal_data(text: str) -> None:
    for secret in (NUMBER, "8960", SUMMARY, "融合套餐", RESOLUTION):
        assert secret not in text


def just_now(at, clock):
    return clock <= at < clock + dt.timedelta(minutes=1)


# --- What is recorded -----------------------------------------------------------------------


def test_a_complaint_opened_and_the_ledger_exported_are_two_entries(clock, client, regulator, complaints):
    client.force_login(regulator)
    first = complaints[0]
    assert client.get(reverse("control:complaint", args=[first.pk])).status_code == 200
    response = client.get(
        reverse("control:complaints") + "?operator=CMCC&status=OPEN&month=2026-10&export=csv"
    )
    assert response.status_code == 200
    assert NUMBER in b"".join(response.streaming_content).decode()  # the file does carry it

    detail, export = PersonalDataAccess.objects.order_by("pk")
    assert (detail.user, detail.what, detail.rows, detail.object_id) == (
        regulator,
        PersonalDataUse.COMPLAINT_DETAIL,
        1,
        first.pk,
    )
    assert detail.filters == {"operator": "CMCC"}
    assert (export.user, export.what, export.object_id) == (regulator, PersonalDataUse.COMPLAINT_EXPORT, None)
    assert export.filters == {"operator": "CMCC", "status": "OPEN", "month": "2026-10", "format": "csv"}
    assert export.rows == 2  # CMCC's two open complaints of October
    assert just_now(detail.at, clock) and just_now(export.at, clock)
    assert_no_personal_data(log_text())


def test_an_xlsx_export_with_a_text_search_keeps_that_a_search_was_made_not_its_words(
    clock, client, regulator, complaints
):
    client.force_login(regulator)
    for q in ("才能携转", NUMBER):
        query = {"q": q, "operator": ["CMCC", "CUCC"], "export": "xlsx"}
        assert client.get(reverse("control:complaints"), query).status_code == 200
    entries = PersonalDataAccess.objects.order_by("pk")
    assert [e.filters for e in entries] == [
        {"operator": ["CMCC", "CUCC"], "q": True, "format": "xlsx"},
        {"operator": ["CMCC", "CUCC"], "q": True, "format": "xlsx"},
    ]
    assert [e.rows for e in entries] == [1, 0]  # the search reads texts, not subscriber numbers
    assert_no_personal_data(log_text())


def test_the_list_page_and_a_refused_filter_record_nothing(client, regulator, complaints):
    client.force_login(regulator)
    client.get(reverse("control:complaints"))
    response = client.get(reverse("control:complaints") + "?month=2026-13&export=csv")
    assert response["Content-Type"].startswith("text/html")  # the page with its error, no file
    client.get(reverse("control:findings") + "?export=csv")  # inspections carry no complaint data
    assert not PersonalDataAccess.objects.exists()


def test_an_operator_downloading_its_ledger_file_is_recorded(clock, client, operator_a, ledger_file):
    client.force_login(operator_a)
    submission = ledger_file.submission
    response = client.get(reverse("portal:submission_file", args=[submission.pk, ledger_file.pk]))
    assert response.status_code == 200
    (entry,) = PersonalDataAccess.objects.all()
    assert (entry.user, entry.what, entry.rows, entry.object_id) == (
        operator_a,
        PersonalDataUse.LEDGER_FILE,
        2,
        submission.pk,
    )
    assert entry.filters == {
        "operator": "CMCC",
        "month": "2026-10",
        "version": submission.version,
        "file": ledger_file.pk,
    }
    assert just_now(entry.at, clock)
    assert_no_personal_data(log_text())


def test_the_administration_downloading_a_ledger_file_is_recorded_a_monthly_file_is_not(
    client, regulator, ledger_file
):
    submission = ledger_file.submission
    monthly = SubmissionFile(
        submission=submission, kind=UploadKind.MONTHLY, name="月报.xlsx", sha256="1" * 64, size=1
    )
    monthly.file.save(kept.kept_name("monthly"), ContentFile(kept.monthly_workbook([])), save=True)
    client.force_login(regulator)
    for stored in (ledger_file, monthly):
        assert (
            client.get(reverse("control:submission_file", args=[submission.pk, stored.pk])).status_code == 200
        )
    (entry,) = PersonalDataAccess.objects.all()
    assert (entry.user, entry.what, entry.rows) == (regulator, PersonalDataUse.LEDGER_FILE, 2)


def test_an_order_document_citing_complaints_is_recorded_in_both_faces(
    client, regulator, operator_a, complaints
):
    citing, silent = make_orders([{}, {}])
    citing.complaints.add(complaints[0], complaints[1])
    client.force_login(operator_a)
    for order in (citing, silent):
        assert client.get(reverse("portal:order_document", args=[order.pk])).status_code == 200
    client.force_login(regulator)
    assert client.get(reverse("control:order_document", args=[citing.pk])).status_code == 200
    entries = PersonalDataAccess.objects.order_by("pk")
    assert [(e.user, e.what, e.rows, e.object_id) for e in entries] == [
        (operator_a, PersonalDataUse.ORDER_DOCUMENT, 2, citing.pk),
        (regulator, PersonalDataUse.ORDER_DOCUMENT, 2, citing.pk),
    ]
    assert entries[0].filters == {"operator": "CMCC", "format": "docx"}
    assert_no_personal_data(log_text())


def test_record_refuses_an_unknown_use(regulator):
    with pytest.raises(ValueError):
        access.record(regulator, "peeked", filters={}, rows=1)


# --- Who reads the log ----------------------------------------------------------------------


@pytest.fixture
def logged(db, regulator, operator_a):
    """Three entries: staff on 18 and 20 November, CMCC's user on 19 November (Shandong time)."""
    rows = [
        (regulator, PersonalDataUse.COMPLAINT_DETAIL, dt.datetime(2026, 11, 18, 9, 0), {"operator": "CMCC"}, 1, 11),
        (operator_a, PersonalDataUse.LEDGER_FILE, dt.datetime(2026, 11, 19, 23, 30), {"operator": "CMCC"}, 40, 7),
        (regulator, PersonalDataUse.COMPLAINT_EXPORT, dt.datetime(2026, 11, 20, 0, 10), {"q": True, "format": "csv"}, 250, None),
    ]  # fmt: skip
    return [
        PersonalDataAccess.objects.create(
            user=user, what=what, at=at.replace(tzinfo=SHANGHAI), filters=filters, rows=n, object_id=pk
        )
        for user, what, at, filters, n, pk in rows
    ]


def shown(response):
    return [row.record for row in response.context["table"].paginated_rows]


def test_a_user_administrator_reads_the_log_newest_first(client, user_admin, logged):
    client.force_login(user_admin)
    response = client.get(reverse("control:access_log"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert shown(response) == logged[::-1]
    page = response.content.decode()
    assert "Downloaded a report&#x27;s ledger file" in page or "Downloaded a report's ledger file" in page
    assert "王科长 (regulator)" in page and "张专员 (operator_a)" in page
    assert "q=(a text search)" in page
    assert reverse("control:complaint", args=[11]) in page
    assert reverse("control:access_log") in page  # in the navigation


def test_the_log_filters_by_user_and_by_days_in_shandong(client, user_admin, regulator, logged):
    client.force_login(user_admin)
    url = reverse("control:access_log")
    assert shown(client.get(url, {"user": regulator.pk})) == [logged[2], logged[0]]
    # 19 November in Shandong: 23:30 that evening is in, 00:10 on the 20th is not.
    assert shown(client.get(url, {"date_from": "2026-11-19", "date_to": "2026-11-19"})) == [logged[1]]
    assert shown(client.get(url, {"date_from": "2026-11-19"})) == [logged[2], logged[1]]
    assert shown(client.get(url, {"what": "complaint_export"})) == [logged[2]]


def test_the_log_is_paged(client, user_admin, regulator):
    PersonalDataAccess.objects.bulk_create(
        PersonalDataAccess(user=regulator, what=PersonalDataUse.COMPLAINT_DETAIL, rows=1, object_id=n)
        for n in range(1, 61)
    )
    client.force_login(user_admin)
    first = shown(client.get(reverse("control:access_log")))
    second = shown(client.get(reverse("control:access_log") + "?page=2"))
    assert len(first) == 50 and len(second) == 10
    assert not {e.pk for e in first} & {e.pk for e in second}


@pytest.mark.parametrize(
    "query",
    [
        "user=abc",
        "user=999999999",
        "user=99999999999999999999999",
        "date_from=2026-13-01",
        "date_to=0001-01-01",
        "date_to=9999-12-31",
        "date_from=yesterday",
        "what=peeked",
        "page=x",
        "page=-3",
        "sort=nonsense",
        "export=pdf",
        "date_to=9999-12-31&export=csv",
    ],
)
def test_bad_query_values_never_fail(client, user_admin, logged, query):
    client.force_login(user_admin)
    response = client.get(reverse("control:access_log") + "?" + query)
    assert response.status_code in (200, 400)
    assert response["Content-Type"].startswith("text/html")


def test_the_log_downloads_as_csv(client, user_admin, logged):
    client.force_login(user_admin)
    response = client.get(reverse("control:access_log") + "?export=csv", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 3
    assert header[:2] == ["When", "User name"]
    assert rows[0][0] == "2026-11-20 00:10"
    assert rows[0][1] == "regulator" and rows[1][1] == "operator_a" and rows[1][3] == "CMCC"
    assert json.loads(rows[0][header.index("Filters")]) == {"format": "csv", "q": True}
    assert [row[header.index("Complaints")] for row in rows] == ["250", "40", "1"]
    assert not PersonalDataAccess.objects.filter(user=user_admin).exists()  # reading the log is not logged


@pytest.mark.parametrize("who", ["regulator", "leader", "operator_a", "manager_a"])
def test_nobody_else_reads_the_log(client, request, logged, who):
    client.force_login(request.getfixturevalue(who))
    url = reverse("control:access_log")
    assert client.get(url).status_code == 403
    assert client.get(url + "?export=csv").status_code == 403


def test_an_operator_given_the_right_by_mistake_does_not_read_the_log(client, logged):
    wrong = make_user("op_admin", Role.OPERATOR_STAFF, "CMCC", can_administer_users=True)
    client.force_login(wrong)
    assert client.get(reverse("control:access_log")).status_code == 403


def test_the_navigation_offers_the_log_to_user_administrators_only(client, regulator, user_admin):
    link = f'href="{reverse("control:access_log")}"'
    client.force_login(regulator)
    assert link not in client.get(reverse("control:home")).content.decode()
    client.force_login(user_admin)
    assert link in client.get(reverse("control:home")).content.decode()


def test_the_log_page_shows_no_personal_data(clock, client, regulator, user_admin, complaints, ledger_file):
    client.force_login(regulator)
    client.get(reverse("control:complaint", args=[complaints[0].pk]))
    client.get(reverse("control:complaints"), {"q": NUMBER, "export": "csv"})
    client.get(reverse("control:submission_file", args=[ledger_file.submission.pk, ledger_file.pk]))
    client.force_login(user_admin)
    page = client.get(reverse("control:access_log")).content.decode()
    download = b"".join(client.get(reverse("control:access_log") + "?export=csv").streaming_content).decode()
    assert PersonalDataAccess.objects.count() == 3
    for text in (page, download, log_text()):
        assert_no_personal_data(text)

"""An operator's token never sees another operator's rows: absent from every list, a 404 for
every object; the administration's tokens see every operator's, and only they read its feeds."""

import datetime as dt

import pytest
from django.utils import timezone

from supervision.casework.models import CaseFile, InspectionFinding, RectificationReport
from supervision.core.models import Operator, Period
from supervision.meetings import services as meeting_services
from supervision.meetings.models import ActionItem, MeetingSeries
from supervision.reporting.models import Incident, MonthlySubmission
from tests.casework.conftest import EXE, PNG, finding_fields, make_interview, make_order, upload


def make_finding(officer, operator):
    """A published finding (set up directly: publishing asks for evidence files)."""
    return InspectionFinding.objects.create(
        **finding_fields(operator), state="published", published_at=timezone.now(), created_by=officer
    )


@pytest.fixture
def world(regulator, operator_a, operator_b, media_root):
    """One of everything for CMCC (operator_a's) and for CUCC (operator_b's)."""
    rows = {}
    for code, user in (("CMCC", operator_a), ("CUCC", operator_b)):
        operator = Operator.objects.get(code=code)
        finding = make_finding(regulator, code)
        order = make_order(regulator, user, finding=make_finding(regulator, code))
        interview = make_interview(regulator, operator=code)
        incident = Incident.objects.create(
            operator=operator,
            title=f"{code} 系统故障",
            description="携号转网系统中断",
            since=timezone.now() - dt.timedelta(hours=3),
            measures="已切换备用系统",
            reported_by=user,
        )
        period, _created = Period.objects.get_or_create(month=dt.date(2026, 10, 1))
        submission = MonthlySubmission.objects.create(
            operator=operator, period=period, version=1, created_by=user
        )
        series = meeting_services.create_series(
            MeetingSeries(
                title=f"{code} 专题会商",
                rrule="FREQ=MONTHLY;BYDAY=1TH",
                first_start=timezone.now() + dt.timedelta(days=10),
                place="三楼会议室",
            ),
            invited_operators=[operator],
            user=regulator,
        )
        meeting = series.meetings.first()
        item = ActionItem.objects.create(
            meeting=meeting, title=f"{code} 报送整改方案", operator=operator, due_on=dt.date(2026, 12, 31)
        )
        rows[code] = {
            "findings": finding.pk,
            "orders": order.pk,
            "interviews": interview.pk,
            "incidents": incident.pk,
            "submissions": submission.pk,
            "meetings": meeting.pk,
            "action-items": item.pk,
        }
    return rows


ENDPOINTS = ["findings", "orders", "interviews", "incidents", "submissions", "meetings", "action-items"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_an_operator_token_sees_only_its_own_rows(world, operator_a, api_for, endpoint):
    api = api_for(operator_a)
    listed = api.get(f"/{endpoint}")
    assert listed.status_code == 200, listed.content
    ids = {row["id"] for row in listed.json()["items"]}
    assert world["CMCC"][endpoint] in ids
    assert world["CUCC"][endpoint] not in ids
    assert api.get(f"/{endpoint}/{world['CMCC'][endpoint]}").status_code == 200
    other = api.get(f"/{endpoint}/{world['CUCC'][endpoint]}")
    assert other.status_code == 404
    assert other["Content-Type"] == "application/problem+json"
    assert other.json()["status"] == 404


@pytest.mark.parametrize(
    "path,body",
    [
        ("/findings/{findings}/response", {"text": "已整改"}),
        ("/orders/{orders}/acknowledge", {}),
        ("/orders/{orders}/extension", {"reason": "系统改造", "proposed_date": "2027-01-31"}),
        ("/meetings/{meetings}/attendees", {"declined": True}),
        ("/submissions/{submissions}/certify", {"attested": True}),
    ],
)
def test_an_operator_cannot_act_on_another_operators_object(
    world, operator_a, manager_a, api_for, path, body
):
    api = api_for(manager_a if "certify" in path else operator_a)
    response = api.post(path.format(**world["CUCC"]), body)
    assert response.status_code == 404, response.content


def test_another_operators_order_takes_no_rectification_report(world, operator_a, api_for):
    api = api_for(operator_a)
    response = api.post_files(
        f"/orders/{world['CUCC']['orders']}/report", {"text": "已完成整改", "files": [upload("整改报告.pdf")]}
    )
    assert response.status_code == 404, response.content
    assert not RectificationReport.objects.exists()


def test_an_operator_reports_its_rectification_with_files(world, operator_a, api_for):
    api = api_for(operator_a)
    order = world["CMCC"]["orders"]
    assert api.post(f"/orders/{order}/acknowledge").status_code == 200
    # A program renamed .pdf refuses the whole report, naming the file; nothing is kept.
    refused = api.post_files(
        f"/orders/{order}/report",
        {"text": "已完成整改", "files": [upload("整改报告.pdf"), upload("照片.pdf", EXE)]},
    )
    assert refused.status_code == 409, refused.content
    assert "照片.pdf" in refused.json()["detail"]
    assert not RectificationReport.objects.exists() and not CaseFile.objects.exists()
    # Without a file: refused by the request's form (the files are required).
    assert api.post_files(f"/orders/{order}/report", {"text": "已完成整改"}).status_code == 422
    done = api.post_files(
        f"/orders/{order}/report",
        {"text": "已完成整改", "files": [upload("整改报告.pdf"), upload("现场.png", PNG, "image/png")]},
    )
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "report_submitted"
    (report,) = RectificationReport.objects.filter(order_id=order)
    assert report.text == "已完成整改"
    assert sorted(f.name for f in report.files.all()) == ["整改报告.pdf", "现场.png"]


def test_an_operator_answers_its_own_cases(world, operator_a, api_for):
    api = api_for(operator_a)
    assert api.post(f"/orders/{world['CMCC']['orders']}/acknowledge").json()["state"] == "acknowledged"
    assert api.post(f"/findings/{world['CMCC']['findings']}/response", {"text": "已整改"}).json()[
        "state"
    ] == ("responded")
    answered = api.post(f"/meetings/{world['CMCC']['meetings']}/attendees", {"attendee_ids": [operator_a.pk]})
    assert answered.status_code == 200, answered.content
    # Refused by the rules (already acknowledged): a 409 problem with the reason.
    again = api.post(f"/orders/{world['CMCC']['orders']}/acknowledge")
    assert again.status_code == 409 and again.json()["detail"]


def test_the_administration_sees_every_operator(world, regulator, api_for):
    api = api_for(regulator)
    codes = {row["operator"] for row in api.get("/findings").json()["items"]}
    assert codes == {"CMCC", "CUCC"}
    assert {row["operator"] for row in api.get("/orders", operator="CUCC").json()["items"]} == {"CUCC"}


@pytest.mark.parametrize("path", ["/indicators?month=2026-10", "/completeness?first=2026-10", "/ledger"])
def test_only_the_administration_reads_its_feeds(world, operator_a, leader, api_for, path):
    assert (
        api_for(operator_a)
        .client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {api_for(operator_a).secret}"})
        .status_code
        == 403
    )
    assert (
        api_for(leader)
        .client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {api_for(leader).secret}"})
        .status_code
        == 200
    )


def test_lists_page_by_cursor_without_a_query_per_row(
    world, regulator, api_for, django_assert_max_num_queries
):
    api = api_for(regulator)
    first = api.get("/findings", limit=2).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = api.get("/findings", limit=2, cursor=first["next_cursor"]).json()
    assert not {r["id"] for r in first["items"]} & {r["id"] for r in second["items"]}
    with django_assert_max_num_queries(6):
        api.get("/findings", limit=100)
    assert api.get("/findings", cursor="not-a-cursor!").status_code == 400

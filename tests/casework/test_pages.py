"""The casework pages of both faces: forms, tenancy, timelines, and query counts that do not
grow with the number of rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from supervision.casework import comments, findings, interviews, orders, records
from supervision.casework.models import (
    InspectionFinding,
    NoticeRecord,
    RectificationOrder,
    local_date,
    proposed_deadline,
)
from supervision.casework.rules import TransitionRefused

from .conftest import finding_fields, make_finding, make_interview, make_order, upload

# Runs at each of make test-dates' instants: proposed deadlines, overdue commitments and lists follow from the date.
pytestmark = pytest.mark.dates


def queries(client, url) -> int:
    """The queries of the page's second view: what a process looks up once and keeps (content
    types, for one) is not the page's, and whether an earlier test did it must not matter."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


# --- Findings -------------------------------------------------------------------------------


def finding_post(**extra):
    fields = finding_fields(**extra)
    return {
        **fields,
        "operator": fields["operator"].pk,
        "city": fields["city"].pk,
        "clause": fields["clause"].pk if fields["clause"] else "",
        "visit_date": fields["visit_date"].isoformat(),
        "violation": "on" if fields["violation"] else "",
    }


def test_staff_record_a_finding_on_the_site(client, regulator):
    client.force_login(regulator)
    response = client.post(reverse("control:finding_new"), finding_post())
    finding = InspectionFinding.objects.get()
    assert response.url == reverse("control:finding", args=[finding.pk])
    assert (finding.state, finding.created_by, finding.severity) == ("draft", regulator, "SEVERE")
    assert [e.kind for e in finding.events.all()] == ["created"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"site": ""}, "site"),  # a store visit names the store
        ({"description": ""}, "description"),  # a problem found says what
        ({"violation": "", "description": ""}, "clause"),  # no problem, no clause
        ({"visit_date": (timezone.localdate() + dt.timedelta(days=1)).isoformat()}, "visit_date"),
    ],
)
def test_the_finding_form_follows_the_template_rules(client, regulator, changes, field):
    client.force_login(regulator)
    response = client.post(reverse("control:finding_new"), {**finding_post(), **changes})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not InspectionFinding.objects.exists()


def test_a_published_finding_is_no_longer_editable(client, regulator):
    finding = make_finding(regulator)
    client.force_login(regulator)
    response = client.get(reverse("control:finding_edit", args=[finding.pk]))
    assert response.url == reverse("control:finding", args=[finding.pk])


def test_publishing_shows_the_finding_to_its_operator_only(client, regulator, operator_a, operator_b):
    finding = make_finding(regulator, "draft", evidence=True)
    client.force_login(operator_a)
    assert client.get(reverse("portal:finding", args=[finding.pk])).status_code == 404
    client.force_login(regulator)
    client.post(reverse("control:finding_publish", args=[finding.pk]))
    client.force_login(operator_a)
    page = client.get(reverse("portal:findings")).content.decode()
    assert reverse("portal:finding", args=[finding.pk]) in page
    assert client.get(reverse("portal:finding", args=[finding.pk])).status_code == 200
    client.force_login(operator_b)
    assert (
        reverse("portal:finding", args=[finding.pk])
        not in client.get(reverse("portal:findings")).content.decode()
    )


def test_the_operator_does_not_see_what_happened_while_it_was_a_draft(client, regulator, operator_a):
    finding = make_finding(regulator, "draft")
    findings.add_evidence(finding, [upload("照片.pdf")], user=regulator)
    comments.add_comment(finding, user=regulator, text="内部意见：再核实一次")
    findings.publish_finding(finding, user=regulator)
    client.force_login(operator_a)
    kinds = [
        e.event.kind for e in client.get(reverse("portal:finding", args=[finding.pk])).context["timeline"]
    ]
    assert kinds == ["published"]
    client.force_login(regulator)
    kinds = [
        e.event.kind for e in client.get(reverse("control:finding", args=[finding.pk])).context["timeline"]
    ]
    assert kinds == ["created", "file_added", "comment", "published"]


def test_the_findings_list_links_to_each_finding(client, regulator):
    finding = make_finding(regulator)
    client.force_login(regulator)
    assert (
        reverse("control:finding", args=[finding.pk])
        in client.get(reverse("control:findings")).content.decode()
    )


# --- Orders ---------------------------------------------------------------------------------


def test_an_order_drafted_on_a_finding_proposes_the_deadline_of_its_severity(client, regulator, settings):
    settings.RECTIFICATION_DAYS = {"SEVERE": 7, "MAJOR": 15, "MINOR": 30}
    finding = make_finding(regulator, severity="MAJOR")
    client.force_login(regulator)
    url = reverse("control:order_new") + f"?finding={finding.pk}"
    page = client.get(url)
    assert page.context["proposal"]["deadline"] == proposed_deadline("MAJOR")
    assert page.context["form"].initial["findings"] == [finding.pk]
    response = client.post(
        url,
        {
            "findings": [finding.pk],
            "title": "整改通知",
            "requirements": "立即整改",
            "severity": "",
            "deadline": "",
        },
    )
    order = RectificationOrder.objects.get()
    assert response.url == reverse("control:order", args=[order.pk])
    assert order.severity == "MAJOR"
    assert local_date(order.deadline) == timezone.localdate() + dt.timedelta(days=15)
    assert (order.deadline.astimezone(dt.UTC).hour, order.deadline.minute, order.deadline.second) == (
        15,
        59,
        59,
    )
    assert (order.state, order.document_no, order.case_officer) == ("draft", None, regulator)


def test_an_order_may_be_grounded_on_complaints_with_a_severity_chosen(client, regulator):
    from tests.control.test_lists import make_complaints

    (complaint,) = make_complaints([{"operator": "CMCC", "complaint_no": "CMCC-202610-00077"}])
    make_complaints([{"operator": "CUCC", "complaint_no": "CUCC-1"}])
    client.force_login(regulator)
    url = reverse("control:order_new") + "?operator=CMCC"
    base = {"title": "整改通知", "requirements": "立即整改", "deadline": "2027-01-10"}
    refused = client.post(
        url, {**base, "complaint_numbers": "CMCC-202610-00077, CUCC-1", "severity": "MINOR"}
    )
    assert "CUCC-1" in str(refused.context["form"].errors)
    no_severity = client.post(url, {**base, "complaint_numbers": "CMCC-202610-00077", "severity": ""})
    assert no_severity.status_code == 200 and not RectificationOrder.objects.exists()
    client.post(url, {**base, "complaint_numbers": "CMCC-202610-00077", "severity": "MINOR"})
    order = RectificationOrder.objects.get()
    assert list(order.complaints.all()) == [complaint]
    assert local_date(order.deadline) == dt.date(2027, 1, 10)


def test_the_order_new_page_asks_for_the_operator_first(client, regulator):
    client.force_login(regulator)
    page = client.get(reverse("control:order_new"))
    assert "control/casework/pick_operator.html" in [t.name for t in page.templates]


def test_a_refused_action_says_why_on_the_page(client, regulator, operator_a):
    order = make_order(regulator, operator_a, "issued")
    client.force_login(regulator)
    response = client.post(reverse("control:order_verify", args=[order.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "You cannot verify and close this order now: it is “Issued”." in response.content.decode()


def test_the_operator_acts_on_its_order_from_the_portal(client, regulator, operator_a):
    order = make_order(regulator, operator_a, "issued")
    client.force_login(operator_a)
    client.post(reverse("portal:order_acknowledge", args=[order.pk]))
    later = (local_date(order.deadline) + dt.timedelta(days=10)).isoformat()
    client.post(
        reverse("portal:order_extension", args=[order.pk]),
        {"extension-proposed_date": later, "extension-reason": "需协调总部系统改造"},
    )
    client.post(
        reverse("portal:order_report", args=[order.pk]),
        {"report-text": "已完成整改", "report-files": [upload("整改报告.pdf")]},
    )
    order.refresh_from_db()
    assert order.state == "report_submitted"
    assert order.extensions.get().state == "pending"
    assert order.reports.get().files.count() == 1


def test_a_report_without_attachment_is_refused_with_the_form_kept(client, regulator, operator_a):
    order = make_order(regulator, operator_a, "acknowledged")
    client.force_login(operator_a)
    response = client.post(reverse("portal:order_report", args=[order.pk]), {"report-text": "已完成整改"})
    assert response.status_code == 400
    assert response.context["report_form"]["text"].value() == "已完成整改"
    order.refresh_from_db()
    assert order.state == "acknowledged"


def test_another_operator_gets_404_everywhere(client, regulator, operator_a, operator_b, manager_a):
    order = make_order(regulator, operator_a, "issued")
    notice = make_interview(regulator, manager=manager_a)
    client.force_login(operator_b)
    for url in (
        reverse("portal:order", args=[order.pk]),
        reverse("portal:order_document", args=[order.pk]),
        reverse("portal:interview", args=[notice.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("portal:order_acknowledge", args=[order.pk])).status_code == 404
    assert client.post(reverse("portal:comment", args=["order", order.pk]), {"text": "x"}).status_code == 404
    order.refresh_from_db()
    assert order.state == "issued"


def test_comments_of_both_sides_are_on_the_timeline(client, regulator, operator_a):
    order = make_order(regulator, operator_a, "issued")
    client.force_login(operator_a)
    client.post(reverse("portal:comment", args=["order", order.pk]), {"text": "请问报告格式有无要求？"})
    client.force_login(regulator)
    client.post(reverse("control:comment", args=["order", order.pk]), {"text": "按通知书要求，加盖公章。"})
    texts = [e.event.text for e in client.get(reverse("control:order", args=[order.pk])).context["timeline"]]
    assert texts[-2:] == ["请问报告格式有无要求？", "按通知书要求，加盖公章。"]


# --- Interviews, notices and decisions ------------------------------------------------------


def test_an_interview_from_notice_to_verified_commitment(client, regulator, operator_a, manager_a):
    notice = make_interview(regulator, "issued", manager=manager_a)
    client.force_login(operator_a)
    assert (
        client.post(reverse("portal:interview_confirm", args=[notice.pk]), {"attendees": "x"}).status_code
        == 403
    )
    client.force_login(manager_a)
    client.post(reverse("portal:interview_confirm", args=[notice.pk]), {"attendees": "钱副总经理；孙经理"})
    notice.refresh_from_db()
    assert (notice.state, notice.confirmed_by) == ("confirmed", manager_a)
    type(notice).objects.filter(pk=notice.pk).update(scheduled_at=timezone.now() - dt.timedelta(hours=1))
    client.force_login(regulator)
    client.post(reverse("control:interview_minutes", args=[notice.pk]), {"minutes": "公司承认问题。"})
    client.post(
        reverse("control:commitment_add", args=[notice.pk]),
        {"text": "十日内清理违约金", "due_date": (timezone.localdate() + dt.timedelta(days=10)).isoformat()},
    )
    commitment = notice.commitments.get()
    client.force_login(operator_a)
    client.post(reverse("portal:commitment_done", args=[commitment.pk]), {"note": "已全部清理"})
    client.force_login(regulator)
    client.post(reverse("control:commitment_verify", args=[commitment.pk]))
    commitment.refresh_from_db()
    assert commitment.state == "verified"
    kinds = [
        e.event.kind for e in client.get(reverse("control:interview", args=[notice.pk])).context["timeline"]
    ]
    assert kinds == [
        "created",
        "issued",
        "confirmed",
        "minutes",
        "commitment_added",
        "commitment_done",
        "commitment_verified",
    ]


def test_a_commitment_open_past_its_due_day_is_overdue(regulator, manager_a):
    notice = make_interview(regulator, "held", manager=manager_a)
    commitment = interviews.add_commitment(notice, user=regulator, text="整改", due_date=timezone.localdate())
    type(commitment).objects.filter(pk=commitment.pk).update(due_at=timezone.now() - dt.timedelta(seconds=1))
    commitment.refresh_from_db()
    assert commitment.is_overdue
    assert list(type(commitment).objects.overdue()) == [commitment]


def test_a_notice_is_recorded_and_shown_to_its_operator_only(client, regulator, operator_a, operator_b):
    order = make_order(regulator, operator_a, "issued")
    client.force_login(regulator)
    response = client.post(
        reverse("control:record_new") + "?operator=CMCC",
        {
            "kind": "notice",
            "document_no": "鲁通管函〔2026〕9号",
            "date": "2026-11-20",
            "title": "关于携号转网服务问题的通报",
            "summary": "通报潍坊分公司设限阻挠问题。",
            "files": [upload("通报.pdf")],
            "orders": [order.pk],
        },
    )
    record = NoticeRecord.objects.get()
    assert response.url == reverse("control:record", args=[record.pk])
    assert list(record.orders.all()) == [order] and record.files.count() == 1
    client.force_login(operator_a)
    assert "关于携号转网服务问题的通报" in client.get(reverse("portal:records")).content.decode()
    client.force_login(operator_b)
    assert "关于携号转网服务问题的通报" not in client.get(reverse("portal:records")).content.decode()


def test_a_record_links_only_cases_of_its_operator(regulator, operator_a):
    other = make_finding(regulator, operator="CUCC")
    order = make_order(regulator, operator_a)
    with translation.override("en"), pytest.raises(TransitionRefused, match="another operator"):
        records.create_record(
            user=regulator,
            operator=order.operator,
            findings=[other],
            kind="notice",
            date=dt.date(2026, 11, 20),
            title="通报",
            summary="x",
        )


# --- Query counts ---------------------------------------------------------------------------
# Each page is measured with one row of each kind and again with several: the counts are equal.


def _record(regulator, order):
    return records.create_record(
        user=regulator, operator=order.operator, orders=[order], uploads=[upload()], kind="penalty",
        date=dt.date(2026, 11, 1), title="处罚决定", summary="罚款",
    )  # fmt: skip


def test_the_portal_lists_take_a_fixed_number_of_queries(client, regulator, operator_a, manager_a):
    _record(regulator, make_order(regulator, operator_a))
    make_interview(regulator, manager=manager_a)
    client.force_login(operator_a)
    urls = [
        reverse(name) for name in ("portal:findings", "portal:orders", "portal:interviews", "portal:records")
    ]
    one = [queries(client, url) for url in urls]
    for _ in range(3):
        _record(regulator, make_order(regulator, operator_a, "returned"))
        make_interview(regulator, manager=manager_a)
    assert [queries(client, url) for url in urls] == one
    assert max(one) <= 8


def _busy_order(regulator, operator_a, reports):
    order = make_order(regulator, operator_a, "acknowledged")
    request = orders.ask_extension(
        order,
        user=operator_a,
        reason="系统改造",
        proposed_date=local_date(order.deadline) + dt.timedelta(days=9),
    )
    orders.grant_extension(request, user=regulator)
    for n in range(reports):
        files = [upload(f"附件{i}.pdf") for i in range(n + 1)]
        orders.submit_report(order, user=operator_a, text="已整改", uploads=files)
        orders.return_report(order, user=regulator, comment="请补充")
        comments.add_comment(order, user=operator_a, text="已收到")
    return order


@pytest.mark.parametrize("face", ["control", "portal"])
def test_the_order_page_takes_a_fixed_number_of_queries(client, regulator, operator_a, face):
    one = _busy_order(regulator, operator_a, reports=1)
    several = _busy_order(regulator, operator_a, reports=3)
    several.findings.add(make_finding(regulator), make_finding(regulator))
    client.force_login(regulator if face == "control" else operator_a)
    name = f"{face}:order"
    count = queries(client, reverse(name, args=[one.pk]))
    assert queries(client, reverse(name, args=[several.pk])) == count
    assert count <= 16


def _answered_finding(regulator, operator_a, files):
    finding = make_finding(regulator)
    findings.add_evidence(finding, [upload(f"证据{i}.pdf") for i in range(files)], user=regulator)
    findings.respond_to_finding(
        finding,
        user=operator_a,
        kind="contest",
        text="事实不符",
        uploads=[upload(f"说明{i}.pdf") for i in range(files)],
    )
    for _ in range(files):
        make_order(regulator, operator_a, finding=finding)
    return finding


def _held_interview(regulator, manager_a, commitments):
    notice = make_interview(regulator, "held", manager=manager_a)
    for n in range(commitments):
        interviews.add_commitment(notice, user=regulator, text=f"承诺{n}", due_date=timezone.localdate())
    return notice


@pytest.mark.parametrize("face", ["control", "portal"])
def test_the_finding_and_interview_pages_take_a_fixed_number_of_queries(
    client, regulator, operator_a, manager_a, face
):
    pages = [
        ("finding", _answered_finding(regulator, operator_a, 1), _answered_finding(regulator, operator_a, 3)),
        ("interview", _held_interview(regulator, manager_a, 1), _held_interview(regulator, manager_a, 3)),
    ]
    client.force_login(regulator if face == "control" else operator_a)
    for kind, one, several in pages:
        url = f"{face}:{kind}"
        count = queries(client, reverse(url, args=[one.pk]))
        assert queries(client, reverse(url, args=[several.pk])) == count, kind
        assert count <= 12, kind


def test_the_control_lists_take_a_fixed_number_of_queries(client, regulator, operator_a, manager_a):
    make_interview(regulator, manager=manager_a)
    _record(regulator, make_order(regulator, operator_a, "returned"))
    client.force_login(regulator)
    urls = [
        reverse(n) for n in ("control:interviews", "control:records", "control:orders", "control:findings")
    ]
    one = [queries(client, url) for url in urls]
    for _ in range(3):
        make_interview(regulator, manager=manager_a)
        _record(regulator, make_order(regulator, operator_a, "returned"))
    assert [queries(client, url) for url in urls] == one


def test_the_audit_trail_takes_a_bounded_number_of_queries(client, regulator, operator_a, manager_a):
    """Two queries per audited table, one per table the changed references point to."""
    client.force_login(regulator)
    for _ in range(6):
        make_interview(regulator, "held", manager=manager_a)
        _record(regulator, make_order(regulator, operator_a, "verified"))
    assert queries(client, reverse("control:audit")) <= 2 + 2 * 10 + 10

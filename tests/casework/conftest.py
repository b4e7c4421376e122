"""Cases in any state, built through the services as the users would build them."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from supervision.casework import findings, interviews, orders
from supervision.casework.models import ExtensionRequest, InterviewState, RectificationOrder, local_date
from supervision.core.models import City, Operator, ViolationCategory

# The smallest file every PDF reader opens, and a few other kinds' first bytes.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 100


def upload(name="整改报告.pdf", data=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture(autouse=True)
def _media_in_tmp(media_root):
    """Files of these tests go to a temporary folder (``media_root``), not the project's var/media."""


def finding_fields(operator="CMCC", **extra):
    return {
        "operator": Operator.objects.get(code=operator),
        "city": City.objects.get(code="370700"),
        "visit_date": dt.date(2026, 9, 3),
        "channel": "STORE",
        "site": "潍坊市新华路营业厅",
        "method": "MYSTERY_SHOPPER",
        "scenario": "咨询携号转网条件并申请授权码",
        "violation": True,
        "description": "营业厅要求缴纳协议违约金后才可办理携出，用户称无书面协议",
        "clause": ViolationCategory.objects.get(code="BL2"),
        "severity": "SEVERE",
        "agency": "山东某第三方测评机构",
        **extra,
    }


def make_finding(officer, state="published", operator_user=None, *, evidence=None, **extra):
    """A finding in ``state``: draft, published, responded, contested, upheld or withdrawn; with its
    evidence (a PDF) once published, as publishing asks, or a draft too when ``evidence``."""
    finding = findings.create_finding(user=officer, **finding_fields(**extra))
    if evidence or (evidence is None and state != "draft"):
        findings.add_evidence(finding, [upload("现场照片.pdf")], user=officer)
    if state == "draft":
        return finding
    findings.publish_finding(finding, user=officer)
    if state in ("responded", "contested"):
        findings.respond_to_finding(
            finding, user=operator_user, kind="contest" if state == "contested" else "response", text="已整改"
        )
    elif state in ("upheld", "withdrawn"):
        findings.decide_finding(finding, user=officer, uphold=state == "upheld", note="经复核")
    finding.refresh_from_db()
    return finding


def make_order(officer, operator_user, state="issued", *, finding=None, overdue=False):
    """An order of CMCC in ``state`` (draft … escalated, or a withdrawn draft); ``overdue``: its
    deadline passed yesterday."""
    finding = finding or make_finding(officer)
    order = orders.create_order(
        user=officer,
        operator=finding.operator,
        title="关于中国移动潍坊违规限制携号转网问题的整改通知",
        requirements="一、立即停止违规行为；\n二、对相关人员严肃处理。",
        findings=[finding],
    )
    if state == "withdrawn":
        orders.withdraw_order(order, user=officer, reason="误建草稿")
    elif state != "draft":
        orders.issue_order(order, user=officer)
    if state in ("acknowledged", "report_submitted", "returned", "verified"):
        orders.acknowledge_order(order, user=operator_user)
    if state in ("report_submitted", "returned", "verified"):
        orders.submit_report(order, user=operator_user, text="已完成整改", uploads=[upload()])
    if state == "returned":
        orders.return_report(order, user=officer, comment="请补充培训记录")
    if state == "verified":
        orders.verify_order(order, user=officer)
    if state == "escalated":
        orders.escalate_order(order, user=officer, reason="拒不整改")
    if overdue:
        RectificationOrder.objects.filter(pk=order.pk).update(deadline=timezone.now() - dt.timedelta(days=1))
    order.refresh_from_db()
    return order


def pending_extension(order, operator_user):
    """A request awaiting a decision, whatever the order's state (set up directly)."""
    return ExtensionRequest.objects.create(
        order=order,
        reason="系统改造需要时间",
        proposed_date=max(local_date(order.deadline), timezone.localdate()) + dt.timedelta(days=5),
        requested_by=operator_user,
        previous_deadline=order.deadline,
    )


def make_interview(officer, state="issued", *, manager=None, operator="CMCC"):
    notice = interviews.create_interview(
        user=officer,
        operator=Operator.objects.get(code=operator),
        scheduled_at=timezone.now() + dt.timedelta(days=7),
        place="省通信管理局五楼约谈室",
        reason="你公司潍坊分公司设限阻挠携号转网，整改逾期未报。",
        persons_required="公司分管副总经理；市场经营部总经理",
        administration_attendees="李局长；王科长",
    )
    if state == InterviewState.DRAFT:
        return notice
    if state == InterviewState.WITHDRAWN:
        return interviews.withdraw_interview(notice, user=officer, reason="误建草稿")
    interviews.issue_interview(notice, user=officer)
    if state in (InterviewState.CONFIRMED, InterviewState.HELD):
        interviews.confirm_attendance(notice, user=manager, attendees="钱副总经理；孙经理")
    if state == InterviewState.HELD:
        type(notice).objects.filter(pk=notice.pk).update(scheduled_at=timezone.now() - dt.timedelta(hours=2))
        notice.refresh_from_db()
        interviews.record_minutes(notice, user=officer, minutes="公司承认问题并承诺整改。")
    notice.refresh_from_db()
    return notice

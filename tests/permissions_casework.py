"""The casework pages in the permission matrix (tests/test_permissions.py merges this module).

``objects`` adds cases of operator A (China Mobile) in the states the pages need: drafts for
the edit pages, issued cases for the portal, a file on a published finding.
"""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from supervision.casework import attachments, findings, interviews, orders, records
from supervision.casework.models import Commitment, InspectionBatch, RecordKind
from supervision.core.files import check_case_file
from supervision.core.models import City, Operator, Role, User, ViolationCategory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def finding_fields(**extra):
    return {
        "operator": Operator.objects.get(code="CMCC"),
        "city": City.objects.get(code="370800"),
        "visit_date": dt.date(2026, 9, 7),
        "channel": "ONLINE",
        "site": "",
        "method": "COVERT",
        "scenario": "咨询携号转网条件并申请授权码",
        "violation": True,
        "description": "营业厅要求缴纳协议违约金后才可办理携出",
        "clause": ViolationCategory.objects.get(code="BL2"),
        "severity": "MAJOR",
        "agency": "山东某第三方测评机构",
        **extra,
    }


def objects(base):
    cmcc = Operator.objects.get(code="CMCC")
    officer = User.objects.create(
        username="cw_officer", role=Role.REGULATOR_STAFF, email="cw@sdca.example.cn"
    )
    staff = base["upload"].created_by  # a user of CMCC
    draft = findings.create_finding(user=officer, **finding_fields())
    published = findings.create_finding(user=officer, **finding_fields())
    upload = SimpleUploadedFile("现场照片.pdf", PDF, content_type="application/pdf")
    case_file = attachments.store(upload, check_case_file(upload), user=officer, finding=published)
    published = findings.publish_finding(published, user=officer)  # with its evidence

    def order():
        return orders.create_order(
            user=officer,
            operator=cmcc,
            title="关于违规限制携号转网问题的整改通知",
            requirements="立即整改",
            findings=[published],
        )

    order_draft = order()
    issued = orders.issue_order(order(), user=officer)
    extension = orders.ask_extension(
        issued,
        user=staff,
        reason="需协调系统改造",
        proposed_date=timezone.localdate() + dt.timedelta(days=40),
    )

    def interview():
        return interviews.create_interview(
            user=officer,
            operator=cmcc,
            scheduled_at=timezone.now() + dt.timedelta(days=10),
            place="省通信管理局五楼约谈室",
            reason="整改逾期未报",
            persons_required="分管副总经理",
            administration_attendees="王科长",
            orders=[issued],
        )

    interview_draft = interview()
    issued_interview = interviews.issue_interview(interview(), user=officer)
    commitment = Commitment.objects.create(
        interview=issued_interview, text="十日内清理违约金", due_at=timezone.now() + dt.timedelta(days=10)
    )
    record = records.create_record(
        user=officer,
        operator=cmcc,
        kind=RecordKind.CIRCULATED_NOTICE,
        document_no="鲁通管函〔2026〕5号",
        date=dt.date(2026, 11, 20),
        title="关于携号转网服务问题的通报",
        summary="通报相关问题",
        orders=[issued],
    )
    batch = InspectionBatch.objects.create(
        name="检查结果.xlsx", file="none.xlsx", sha256="0" * 64, uploaded_by=officer
    )
    return {
        "cw_draft": draft,
        "cw_finding": published,
        "cw_file": case_file,
        "cw_order_draft": order_draft,
        "cw_order": issued,
        "cw_extension": extension,
        "cw_interview_draft": interview_draft,
        "cw_interview": issued_interview,
        "cw_commitment": commitment,
        "cw_record": record,
        "cw_batch": batch,
    }


def _pk(name):
    return lambda objs: {"pk": objs[name].pk}


URL_KWARGS = {
    "control:inspection_batch": _pk("cw_batch"),
    "control:finding": _pk("cw_finding"),
    "control:finding_edit": _pk("cw_draft"),
    "control:finding_publish": _pk("cw_draft"),
    "control:finding_evidence": _pk("cw_finding"),
    "control:finding_decide": _pk("cw_finding"),
    "control:order": _pk("cw_order"),
    "control:order_edit": _pk("cw_order_draft"),
    "control:order_issue": _pk("cw_order_draft"),
    "control:order_return": _pk("cw_order"),
    "control:order_verify": _pk("cw_order"),
    "control:order_escalate": _pk("cw_order"),
    "control:order_withdraw": _pk("cw_order_draft"),
    "control:extension_decide": lambda objs: {
        "pk": objs["cw_order"].pk,
        "extension_pk": objs["cw_extension"].pk,
    },
    "control:order_document": _pk("cw_order"),
    "control:interview": _pk("cw_interview"),
    "control:interview_edit": _pk("cw_interview_draft"),
    "control:interview_issue": _pk("cw_interview_draft"),
    "control:interview_withdraw": _pk("cw_interview_draft"),
    "control:interview_minutes": _pk("cw_interview"),
    "control:commitment_add": _pk("cw_interview"),
    "control:interview_document": _pk("cw_interview"),
    "control:commitment_verify": _pk("cw_commitment"),
    "control:commitment_return": _pk("cw_commitment"),
    "control:record": _pk("cw_record"),
    "control:case_file": _pk("cw_file"),
    "control:comment": lambda objs: {"kind": "order", "pk": objs["cw_order"].pk},
    "portal:finding": _pk("cw_finding"),
    "portal:finding_respond": _pk("cw_finding"),
    "portal:order": _pk("cw_order"),
    "portal:order_acknowledge": _pk("cw_order"),
    "portal:order_extension": _pk("cw_order"),
    "portal:order_report": _pk("cw_order"),
    "portal:order_document": _pk("cw_order"),
    "portal:interview": _pk("cw_interview"),
    "portal:interview_confirm": _pk("cw_interview"),
    "portal:interview_document": _pk("cw_interview"),
    "portal:commitment_done": _pk("cw_commitment"),
    "portal:case_file": _pk("cw_file"),
    "portal:comment": lambda objs: {"kind": "order", "pk": objs["cw_order"].pk},
}

POST_ONLY = {
    "control:finding_publish",
    "control:finding_evidence",
    "control:finding_decide",
    "control:order_issue",
    "control:order_return",
    "control:order_verify",
    "control:order_escalate",
    "control:order_withdraw",
    "control:extension_decide",
    "control:interview_issue",
    "control:interview_withdraw",
    "control:interview_minutes",
    "control:commitment_add",
    "control:commitment_verify",
    "control:commitment_return",
    "control:comment",
    "portal:finding_respond",
    "portal:order_acknowledge",
    "portal:order_extension",
    "portal:order_report",
    "portal:interview_confirm",
    "portal:commitment_done",
    "portal:comment",
}

MANAGER_ONLY = {"portal:interview_confirm"}

REGULATOR_STAFF_ONLY = {
    "control:finding_new",
    "control:finding_edit",
    "control:finding_publish",
    "control:finding_evidence",
    "control:finding_decide",
    "control:inspection_upload",
    "control:inspection_batch",
    "control:order_new",
    "control:order_edit",
    "control:order_issue",
    "control:order_return",
    "control:order_verify",
    "control:order_escalate",
    "control:order_withdraw",
    "control:extension_decide",
    "control:interview_new",
    "control:interview_edit",
    "control:interview_issue",
    "control:interview_withdraw",
    "control:interview_minutes",
    "control:commitment_add",
    "control:commitment_verify",
    "control:commitment_return",
    "control:record_new",
    "control:comment",
}

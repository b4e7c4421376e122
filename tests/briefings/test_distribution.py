"""Distribution lists: who receives the official documents at each operator, and what a briefing's
circulation does when an operator has nobody.

The rule (``User.objects.document_recipients``): an operator's managers a mail can reach; at an
operator without one, the task force's designated contacts, through their portal account. The
circulation refuses, naming the operators, unless the staff confirm circulating without them;
the briefing's page shows, per addressee, who will receive it and then who did (the outbox's
state) and whether the operator downloaded it; the portal lists a briefing from its circulation
on, never before, and the operator's own orders and notices only.
"""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from supervision.briefings import content, delivery, services
from supervision.briefings.models import Briefing, BriefingDownload, BriefingState
from supervision.casework.models import NoticeRecord, RecordKind
from supervision.core import distribution
from supervision.core.models import SHANGHAI, AuditEntry, Operator, Period, Role, TaskForceMember, User
from supervision.portal.forms.task_force import TaskForceMemberForm
from supervision.reminders.models import Occasion, OccasionState
from tests.conftest import make_user

# Files of these tests go to a temporary folder, not the project's var/media.
pytestmark = pytest.mark.usefixtures("media_root")

NOW = dt.datetime(2026, 11, 5, 10, tzinfo=SHANGHAI)
DOCX, PDF = b"PK\x03\x04 the approved docx", b"%PDF-1.7 the approved pdf"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def designate(user, name="孙联络员", **extra):
    """A task-force member of ``user``'s operator, designated to receive documents through ``user``."""
    return TaskForceMember.objects.create(
        operator=user.operator,
        name=name,
        duty="联络员",
        phone="0531-86304401",
        email=f"tf-{user.username}@example.cn",
        account=user,
        receives_documents=True,
        **extra,
    )


@pytest.fixture
def approved(db, leader):
    """The October 2026 briefing, approved with its two files (stored as they are, not rendered)."""
    period = Period.objects.from_label("2026-10")
    briefing = Briefing(
        period=period,
        state=BriefingState.APPROVED,
        document_no="鲁通管通〔2026〕7号",
        approved_by=leader,
        approved_at=NOW,
        **content.default_texts(period.label),
    )
    briefing.docx_file.save("briefing.docx", ContentFile(DOCX), save=False)
    briefing.pdf_file.save("briefing.pdf", ContentFile(PDF), save=False)
    briefing.save()
    return briefing


@pytest.fixture
def people(db, manager_a, operator_a):
    """CMCC: a manager (and reporting staff); CUCC: a manager without an address and a designated
    contact; CTCC: reporting staff, not designated; CBN: nobody at all."""
    User.objects.filter(pk=make_user("cucc_manager", Role.OPERATOR_MANAGER, "CUCC").pk).update(email="")
    cucc_staff = make_user("cucc_staff", Role.OPERATOR_STAFF, "CUCC", full_name="刘专员", language="en")
    ctcc_staff = make_user("ctcc_staff", Role.OPERATOR_STAFF, "CTCC", full_name="孙专员")
    designate(cucc_staff, name="刘联络员")
    return {
        "manager_a": manager_a,
        "operator_a": operator_a,
        "cucc_staff": cucc_staff,
        "ctcc_staff": ctcc_staff,
    }


# --- The rule -------------------------------------------------------------------------------------


def test_managers_else_the_designated_contacts(people):
    recipients = User.objects.document_recipients(Operator.objects.values("pk"))
    assert sorted(u.username for u in recipients) == ["cucc_staff", "manager_a"]
    # CMCC's reporting staff is not a recipient; CTCC's staff is not designated; CBN has nobody.
    assert [op.code for op in distribution.without_recipients()] == ["CTCC", "CBN"]


def test_a_designated_contact_stands_by_while_the_operator_has_a_manager(people, manager_a):
    designate(people["operator_a"])
    recipients = User.objects.document_recipients([manager_a.operator_id])
    assert list(recipients) == [manager_a]
    cmcc = distribution.lists([manager_a.operator])[0]
    assert [u.username for u in cmcc.standby] == ["operator_a"]
    # The manager leaves: the designated contact receives, at once.
    manager_a.is_active = False
    manager_a.save()
    assert [u.username for u in User.objects.document_recipients([manager_a.operator_id])] == ["operator_a"]


def test_a_contact_needs_an_account_of_its_own_operator_that_a_mail_can_reach(people):
    ctcc_staff = people["ctcc_staff"]
    # A CTCC member whose account is CUCC's (as an admin could set it) does not make CTCC reachable.
    TaskForceMember.objects.create(
        operator=ctcc_staff.operator, name="错配", duty="联络员", phone="1", email="x@example.cn",
        account=people["cucc_staff"], receives_documents=True,
    )  # fmt: skip
    designate(ctcc_staff)
    User.objects.filter(pk=ctcc_staff.pk).update(email="")  # … and CTCC's own contact has no address
    assert "CTCC" in [op.code for op in distribution.without_recipients()]
    with translation.override("en"):
        entry = distribution.lists([ctcc_staff.operator])[0]
        assert entry.empty
        assert sorted(why for _name, why in entry.unreachable) == [
            "account of another operator",
            "no e-mail address",
        ]


def test_the_lists_explain_why_in_four_queries(people, django_assert_max_num_queries):
    with django_assert_max_num_queries(4), translation.override("en"):
        lists = {entry.operator.code: entry for entry in distribution.lists()}
        rows = {code: [(str(r.user), r.why_label) for r in entry.recipients] for code, entry in lists.items()}
    assert rows == {
        "CMCC": [("赵经理", "manager")],
        "CUCC": [("刘专员", "designated contact of the task force")],
        "CTCC": [],
        "CBN": [],
    }
    assert lists["CUCC"].unreachable == [("cucc_manager", "no e-mail address")]


def test_the_portal_form_designates_only_with_an_account_of_the_operator(people):
    ctcc_staff = people["ctcc_staff"]
    fields = {"name": "孙专员", "duty": "联络员", "phone": "0531-1", "email": "s@example.cn", "sort_order": 1}
    member = TaskForceMember(operator=ctcc_staff.operator)
    form = TaskForceMemberForm({**fields, "receives_documents": "on"}, instance=member)
    assert not form.is_valid() and "account" in form.errors  # a contact needs an account
    other = TaskForceMemberForm(
        {**fields, "receives_documents": "on", "account": people["cucc_staff"].pk}, instance=member
    )
    assert not other.is_valid() and "account" in other.errors  # not another operator's
    good = TaskForceMemberForm(
        {**fields, "receives_documents": "on", "account": ctcc_staff.pk}, instance=member
    )
    assert good.is_valid(), good.errors
    good.save()
    assert "CTCC" not in [op.code for op in distribution.without_recipients()]


# --- Circulation ----------------------------------------------------------------------------------


def test_circulation_is_refused_naming_the_operators_without_recipients(approved, regulator, people):
    for language, expected in (("zh-hans", "中国电信、中国广电"), ("en", "China Telecom, China Broadnet")):
        with translation.override(language), pytest.raises(services.BriefingRefused) as refused:
            services.circulate(approved, user=regulator)
        assert expected in str(refused.value)
    with translation.override("zh-hans"), pytest.raises(services.BriefingRefused) as refused:
        services.circulate(approved, user=regulator, without=["CTCC"])  # CBN not confirmed
    assert "中国广电" in str(refused.value) and "中国电信" not in str(refused.value)
    approved.refresh_from_db()
    assert approved.state == BriefingState.APPROVED
    assert not Occasion.objects.exists() and not NoticeRecord.objects.exists()


def test_confirmed_circulation_mails_the_recipients_and_says_the_truth_per_operator(
    approved, regulator, people, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.circulate(approved, user=regulator, without=["CTCC", "CBN"])
    assert sorted(m.to[0] for m in mail.outbox) == ["cucc_staff@example.cn", "manager_a@example.cn"]
    summaries = dict(
        NoticeRecord.objects.filter(kind=RecordKind.CIRCULATED_NOTICE).values_list(
            "operator__code", "summary"
        )
    )
    assert "已以电子邮件发送至企业负责人赵经理" in summaries["CMCC"]
    assert "专班指定联系人刘专员" in summaries["CUCC"]
    for code in ("CTCC", "CBN"):
        assert "没有公文接收人" in summaries[code] and "已以电子邮件发送" not in summaries[code]
    assert not any("已送达各企业负责人" in s for s in summaries.values())
    entry = AuditEntry.objects.get(action="circulate")
    assert entry.data == {"without_recipients": "中国电信、中国广电"}


def test_the_page_warns_before_the_button_and_circulates_once_confirmed(client, approved, regulator, people):
    client.force_login(regulator)
    url = reverse("control:briefing", args=[approved.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    warning = page[page.index('data-testid="nobody-warning"') : page.index('data-testid="circulate"')]
    assert "Nobody receives official documents at China Telecom, China Broadnet" in warning
    assert reverse("control:distribution") in warning
    assert 'name="without" value="CTCC"' in warning and 'name="without" value="CBN"' in warning
    # Who will receive it, per addressee, before circulating.
    addressees = page[page.index('data-testid="addressees"') :]
    assert "赵经理" in addressees and "designated contact of the task force" in addressees

    circulate = reverse("control:briefing_circulate", args=[approved.pk])
    response = client.post(circulate, {"without": ["CTCC"]}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "Nobody receives official documents at China Broadnet" in response.content.decode()
    approved.refresh_from_db()
    assert approved.state == BriefingState.APPROVED
    client.post(circulate, {"without": ["CTCC", "CBN"]})
    approved.refresh_from_db()
    assert approved.state == BriefingState.CIRCULATED


def test_delivery_per_addressee_from_the_outbox_and_the_portal(
    client, approved, regulator, people, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    with django_capture_on_commit_callbacks(execute=False):  # nothing sent yet
        approved = services.circulate(approved, user=regulator, without=["CTCC", "CBN"])
    Occasion.objects.filter(recipient=people["cucc_staff"]).update(state=OccasionState.FAILED)
    Occasion.objects.filter(recipient=people["manager_a"]).update(state=OccasionState.SENT)
    approved.deliveries.filter(recipient=people["manager_a"]).update(sent_at=NOW)
    # CMCC's reporting staff downloads it in the portal (twice: the first counts).
    client.force_login(people["operator_a"])
    for _ in range(2):
        assert client.get(reverse("portal:briefing_download", args=[approved.pk, "pdf"])).status_code == 200
    assert BriefingDownload.objects.count() == 1

    with django_assert_max_num_queries(4):
        rows = {a.operator.code: a for a in delivery.for_briefing(approved)}
    assert [(r.user.username, r.outcome) for r in rows["CMCC"].rows] == [("manager_a", "sent")]
    assert [(r.user.username, r.outcome) for r in rows["CUCC"].rows] == [("cucc_staff", "failed")]
    assert rows["CTCC"].empty and rows["CBN"].empty
    assert rows["CMCC"].downloaded.user == people["operator_a"] and rows["CUCC"].downloaded is None

    client.force_login(regulator)
    page = client.get(
        reverse("control:briefing", args=[approved.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    table = page[page.index('data-testid="addressees"') :]
    cmcc = table[table.index('data-operator="CMCC"') : table.index('data-operator="CUCC"')]
    cucc = table[table.index('data-operator="CUCC"') : table.index('data-operator="CTCC"')]
    ctcc = table[table.index('data-operator="CTCC"') : table.index('data-operator="CBN"')]
    assert "Sent 2026-11-05 10:00" in cmcc and "2026-11-05 10:00 · 张专员" in cmcc  # sent; downloaded
    assert "Failed" in cucc and "not yet" in cucc
    assert "Nobody by e-mail" in ctcc and reverse("control:distribution") in ctcc


# --- The portal -----------------------------------------------------------------------------------


def test_the_portal_has_a_briefing_only_once_it_is_circulated(client, approved, regulator, people):
    client.force_login(people["ctcc_staff"])
    docs = reverse("portal:documents")
    download = reverse("portal:briefing_download", args=[approved.pk, "docx"])
    assert "鲁通管通〔2026〕7号" not in client.get(docs).content.decode()
    assert client.get(download).status_code == 404  # approved, not circulated
    services.circulate(approved, user=regulator, without=["CTCC", "CBN"])
    assert "鲁通管通〔2026〕7号" in client.get(docs).content.decode()
    for kind, data in (("docx", DOCX), ("pdf", PDF)):
        response = client.get(reverse("portal:briefing_download", args=[approved.pk, kind]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == data
        assert response["Content-Disposition"].startswith("attachment")
    assert client.get(reverse("portal:briefing_download", args=[approved.pk, "exe"])).status_code == 404


def test_a_draft_is_never_in_the_portal_and_the_administration_uses_its_own_face(
    client, approved, regulator, people
):
    draft = Briefing.objects.create(
        period=Period.objects.from_label("2026-09"), **content.default_texts("2026-09")
    )
    client.force_login(people["operator_a"])
    assert client.get(reverse("portal:briefing_download", args=[draft.pk, "pdf"])).status_code == 404
    client.force_login(regulator)
    assert client.get(reverse("portal:briefing_download", args=[approved.pk, "pdf"])).status_code == 403


# --- The distribution lists page -----------------------------------------------------------------


def test_the_distribution_lists_page(client, leader, people):
    client.force_login(leader)  # leadership reads it too
    page = client.get(reverse("control:distribution"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Nobody receives official documents at China Telecom, China Broadnet" in page
    cucc = page[page.index('data-testid="distribution-CUCC"') : page.index('data-testid="distribution-CTCC"')]
    assert "刘专员" in cucc and "designated contact of the task force" in cucc
    assert "cucc_manager cannot receive: no e-mail address" in cucc
    cmcc = page[page.index('data-testid="distribution-CMCC"') : page.index('data-testid="distribution-CUCC"')]
    assert "赵经理" in cmcc and ">manager<" in cmcc
    with translation.override("zh-hans"):
        zh = client.get(reverse("control:distribution"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "中国电信、中国广电" in zh


def test_the_circulated_notice_in_the_records_says_the_truth_and_leads_to_the_documents(
    client, approved, regulator, people
):
    services.circulate(approved, user=regulator, without=["CTCC", "CBN"])
    client.force_login(people["ctcc_staff"])
    records = client.get(reverse("portal:records")).content.decode()
    assert "没有公文接收人" in records and reverse("portal:documents") in records
    assert "已送达各企业负责人" not in records
    client.force_login(people["operator_a"])
    records = client.get(reverse("portal:records")).content.decode()
    assert "已以电子邮件发送至企业负责人赵经理" in records

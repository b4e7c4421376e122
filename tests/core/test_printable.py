"""Text that documents can carry (FORMATS.md, "Hostile files"): a control character stored in a
complaint, a finding, an order or a typical case no longer breaks an official document."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from supervision.briefings import services as briefing_services
from supervision.briefings.models import BriefingState
from supervision.casework import orders
from supervision.casework.models import InspectionFinding, RectificationOrder, end_of_day
from supervision.core.models import City
from supervision.core.text import printable, printable_copy
from supervision.portal.forms.reporting import TypicalCaseForm
from supervision.reporting.models import ComplaintRecord, TypicalCase
from tests.briefings.builders import seed_month
from tests.builders import complaint, docx_text, pdf_text
from tests.casework.conftest import make_finding

# Files of these tests go to a temporary folder, not the project's var/media.
pytestmark = pytest.mark.usefixtures("media_root")

SHANGHAI = ZoneInfo("Asia/Shanghai")
CONTROL = "\x0b\x01\x1f\x7f\x85"  # vertical tab, SOH, unit separator, DEL, a C1 control


def test_printable_keeps_tabs_and_line_breaks_and_removes_the_rest():
    assert printable(f"一\t二\r\n三{CONTROL}四\ufffe\x00") == "一\t二\r\n三四"
    assert printable(None) is None and printable("") == ""
    assert printable_copy({"a": [f"x{CONTROL}", ("y\x0b",)], "n": 3}) == {"a": ["x", ("y",)], "n": 3}


# --- The order's .docx ------------------------------------------------------------------------


@pytest.fixture
def order_with_control_characters(regulator):
    """An issued order on a finding and a complaint whose texts were stored with control
    characters directly in the database (as data from before this fix may be)."""
    with time_machine.travel(dt.datetime(2026, 11, 28, 10, tzinfo=SHANGHAI), tick=False):
        finding = make_finding(regulator)
        record = complaint("CMCC", "CMCC-202610-0001", dt.date(2026, 10, 3))
        record.save()
        order = orders.create_order(
            user=regulator,
            operator=finding.operator,
            title="关于中国移动违规限制携号转网问题的整改通知",
            requirements="一、立即停止违规行为。",
            findings=[finding],
            complaints=[record],
            deadline=end_of_day(dt.date(2026, 12, 5)),
        )
        order = orders.issue_order(order, user=regulator)
    ComplaintRecord.objects.filter(pk=record.pk).update(summary=f"用户反映{CONTROL}营业厅拒绝办理携出")
    InspectionFinding.objects.filter(pk=finding.pk).update(
        description=f"营业厅要求缴纳违约金{CONTROL}后才可办理"
    )
    RectificationOrder.objects.filter(pk=order.pk).update(requirements=f"一、立即停止违规行为{CONTROL}。")
    return order


def test_the_order_docx_is_made_from_texts_holding_control_characters(
    client, regulator, operator_a, order_with_control_characters
):
    order = order_with_control_characters
    for user, url in (
        (regulator, reverse("control:order_document", args=[order.pk])),
        (operator_a, reverse("portal:order_document", args=[order.pk])),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        text = docx_text(
            b"".join(response.streaming_content) if response.streaming else response.content, cells=True
        )
        assert "用户反映营业厅拒绝办理携出" in text
        assert "营业厅要求缴纳违约金后才可办理" in text
        assert "一、立即停止违规行为。" in text


# --- The month's briefing ---------------------------------------------------------------------


@pytest.fixture
def briefing_with_control_characters(db, regulator):
    with time_machine.travel(dt.datetime(2026, 11, 5, 10, tzinfo=SHANGHAI), tick=False):
        period = seed_month()
        draft = briefing_services.start(period, user=regulator)
    case = TypicalCase.objects.get(title="用户投诉授权码未下发")
    TypicalCase.objects.filter(pk=case.pk).update(
        title=f"用户投诉{CONTROL}授权码未下发", what_happened=f"用户申请携出后{CONTROL}未收到授权码短信"
    )
    return draft


@time_machine.travel(dt.datetime(2026, 11, 5, 10, tzinfo=SHANGHAI), tick=False)
def test_the_briefing_docx_and_pdf_are_made_from_a_typical_case_holding_control_characters(
    client, regulator, briefing_with_control_characters
):
    client.force_login(regulator)
    draft = briefing_with_control_characters
    docx = client.get(reverse("control:briefing_download", args=[draft.pk, "docx"]))
    assert docx.status_code == 200
    text = docx_text(docx.content, cells=True)
    assert "用户投诉授权码未下发" in text
    assert "基本情况：用户申请携出后未收到授权码短信" in text
    pdf = client.get(reverse("control:briefing_download", args=[draft.pk, "pdf"]))
    assert pdf.status_code == 200
    assert "用户申请携出后未收到授权码短信" in pdf_text(pdf.content)[1]


@time_machine.travel(dt.datetime(2026, 11, 5, 10, tzinfo=SHANGHAI), tick=False)
def test_the_leader_approves_a_briefing_whose_typical_case_holds_control_characters(
    client, leader, briefing_with_control_characters
):
    client.force_login(leader)
    draft = briefing_with_control_characters
    response = client.post(reverse("control:briefing_approve", args=[draft.pk]), follow=True)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.state == BriefingState.APPROVED
    with draft.docx_file.open("rb") as stored:
        assert "基本情况：用户申请携出后未收到授权码短信" in docx_text(stored.read(), cells=True)


# --- Where operators type text ----------------------------------------------------------------


def test_a_typical_case_typed_with_control_characters_is_kept_without_them(db):
    form = TypicalCaseForm(
        {
            "title": f"授权码{CONTROL}未下发",
            "city": City.objects.get(code="370100").pk,
            "what_happened": "用户\x0b投诉",
            "handling": "已\t补发",
        }
    )
    assert form.is_valid(), form.errors
    assert (
        form.cleaned_data["title"],
        form.cleaned_data["what_happened"],
        form.cleaned_data["handling"],
    ) == (
        "授权码未下发",
        "用户投诉",
        "已\t补发",
    )


def test_any_text_saved_through_a_model_loses_its_control_characters(regulator):
    finding = make_finding(regulator, description=f"营业厅{CONTROL}拒绝办理")
    finding.refresh_from_db()
    assert finding.description == "营业厅拒绝办理"

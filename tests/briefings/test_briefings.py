"""The monthly briefing: its figures are the dashboard's, its files read back, its life is guarded.

The data are tests/briefings/builders.py's October 2026: CMCC and CUCC report, CTCC and CBN do
not; a few complaints, findings, orders and one typical case.
"""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from supervision.analytics import indicators as ind
from supervision.analytics.cards import indicator_cards
from supervision.briefings import content, figures, services
from supervision.briefings.models import Briefing, BriefingDelivery, BriefingState
from supervision.casework.models import InspectionFinding, NoticeRecord, RecordKind, RectificationOrder
from supervision.core.models import City, Operator, Role
from supervision.reminders import services as reminder_services
from supervision.reminders.models import Occasion
from supervision.reporting.models import ComplaintRecord, TypicalCase
from supervision.reporting.summaries import refresh_complaint_counts
from tests.briefings.builders import OCT, SEP, SHANGHAI, seed_month
from tests.builders import complaint, docx_tables, fixed_user, make_user, pdf_text
from tests.builders import indicator_label as label

# Files of these tests go to a temporary folder, not the project's var/media.
pytestmark = pytest.mark.usefixtures("media_root")

NOW = dt.datetime(2026, 11, 5, 10, tzinfo=SHANGHAI)
# The operators without a manager when only manager_a (CMCC) exists: circulating confirms them.
NO_MANAGER = ["CUCC", "CTCC", "CBN"]


@pytest.fixture(autouse=True)
def clock():
    """The dashboard's figures depend on the day (15-day windows, deadlines): pinned to NOW."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def october(db):
    return seed_month()


@pytest.fixture
def draft(october, regulator):
    return services.start(october, user=regulator)


def render(briefing, now=NOW):
    data = figures.build(briefing.period, now=now)
    return data, services.render(briefing, data)


# --- The figures are the dashboard's ------------------------------------------------------------


@pytest.fixture(scope="class")
def drafted(class_db):
    """October's draft (``seed_month``), its figures and files, made once for the tests that only
    read them: (figures, {"docx": bytes, "pdf": bytes})."""

    def build():
        regulator = fixed_user("regulator")
        return render(services.start(seed_month(), user=regulator))

    return class_db(build, at=NOW)


@pytest.mark.usefixtures("db")
class TestTheDraftsFiles:
    """What the draft's .docx and .pdf say (one draft, its files made once)."""

    def test_docx_indicator_table_equals_the_dashboard_cards(self, drafted):
        _data, files = drafted
        table = docx_tables(files["docx"])["表1  各企业携号转网服务指标及排名"]
        operators, rows = indicator_cards(OCT)
        assert table[0] == ["指标", "全省", *(op.short_zh for op in operators)]
        assert len(table) == 1 + len(rows)
        for (indicator, cards), cells in zip(rows, table[1:], strict=True):
            province, *per_operator = cards
            assert (
                cells[1]
                == content.figure(province.value, indicator.decimals)
                == indicator.text(province.current)
            )
            for card, cell in zip(per_operator, cells[2:], strict=True):
                # The figure, then its rank on a second line when there is a figure.
                assert cell.split("\n")[0] == content.figure(card.value, indicator.decimals)

    def test_docx_indicator_table_holds_the_hand_computed_figures(self, drafted):
        _data, files = drafted
        rows = {r[0]: r[1:] for r in docx_tables(files["docx"])["表1  各企业携号转网服务指标及排名"]}
        # CMCC 900 / 1,000 = 90 %, second; CUCC 291 / 300 = 97 %, first; the province 1,191 / 1,300.
        assert rows[f"{label('port_out_success')}（%）"] == ["91.6", "90.0\n第2名", "97.0\n第1名", "—", "—"]
        # Complaints per 10,000 applications: CMCC 3 / 1,000, CUCC 1 / 300, lower is better.
        # 4 × 10,000 / 1,300 = 30.769…: 30.77 (四舍五入; truncating printed 30.76).
        assert rows[label("complaint_rate")] == ["30.77", "30.00\n第1名", "33.33\n第2名", "—", "—"]
        # CMCC: two complaints past their window (A3's is open until 15 November), one within 15
        # days; CUCC its one within 4 days. The province 2 of 3: 66.7 (truncating printed 66.6).
        assert rows[f"{label('timely_resolution')}（%）"] == ["66.7", "50.0\n第2名", "100.0\n第1名", "—", "—"]

    def test_docx_complaint_table_equals_the_complaint_indicator(self, drafted):
        _data, files = drafted
        table = docx_tables(files["docx"])["表3  携号转网投诉分类情况（件）"]
        by_category = ind.complaints([OCT, SEP], ("category",))
        by_operator = ind.complaints([OCT], ("operator", "category"))
        rows = {r[0].split()[0]: r[1:] for r in table[1:]}
        for code in ("BL1", "BL2", "SVC"):
            assert rows[code][0] == content.count(by_category[(code, OCT)].value)
        assert rows["BL1"] == ["2", "1", "2", "0", "0", "0"]  # CMCC A1, A2; September: A4
        assert rows["BL2"] == ["1", "1", "0", "1", "0", "0"]  # CUCC B1; September: B2
        assert rows["合计"][0] == content.count(ind.complaints([OCT], ())[(OCT,)].value) == "4"
        assert rows["SVC"][2] == content.count(by_operator[("CMCC", "SVC", OCT)].value)

    def test_docx_volume_table_equals_the_reported_sums(self, drafted):
        _data, files = drafted
        rows = {r[0]: r[1:] for r in docx_tables(files["docx"])["表2  各企业携号转网业务量"]}
        sums = ind.figure_sums([OCT], ("operator",))[("CMCC", OCT)]
        net = ind.net_porting([OCT], ("operator",))[("CMCC", OCT)].value
        assert rows["中国移动"] == [
            content.count(sums["auth_code_requests"]),
            content.count(sums["port_out_applications"]),
            content.count(sums["port_out_completed"]),
            content.count(sums["port_in_completed"]),
            content.count(net),
            "3",
        ]
        assert rows["中国电信"] == ["—"] * 6

    def test_briefing_lists_the_months_cases_and_leaves_drafts_out(self, drafted):
        data, files = drafted
        tables = docx_tables(files["docx"])
        findings = tables["表4  本月检查发现的问题"]
        assert len(findings) == 2  # the published finding; the draft finding is not circulated
        assert findings[1][:5] == ["中国移动", "10月3日", "济南市", "第三方体验", "BL1 设限阻挠"]
        orders = tables["表5  本月下发的整改通知"]
        assert [row[0] for row in orders[1:]] == ["鲁通管〔2026〕7号"]  # not the draft order
        overdue = tables["表6  逾期未完成的整改事项"]
        assert overdue[1][4] == "16"  # deadline 20 October, as of 5 November
        assert data["typical_cases"][0]["title"] == "用户投诉授权码未下发"
        text = "\n".join(p.text for p in Document(io.BytesIO(files["docx"])).paragraphs)
        assert "（一）中国移动：用户投诉授权码未下发（青岛市）" in text
        assert "中国移动按时报送；中国联通逾期报送；中国电信、中国广电未报送" in text

    def test_summary_gives_the_province_figures_and_their_changes(self, drafted):
        data, _files = drafted
        text = content.summary(data)
        # 1,300 applications against 950 in September; 1,191 / 1,300 = 91.615 % against 875 / 950 =
        # 92.105 %: −0.490 points, said 下降0.5 (truncating printed 0.4).
        assert "受理携出申请1300笔，较上月增加350笔" in text
        assert f"{label('port_out_success')}91.6%，较上月下降0.5个百分点" in text
        assert "全省共受理携号转网投诉4件，较上月增加2件" in text

    def test_docx_is_an_official_document_with_east_asian_fonts(self, drafted):
        _data, files = drafted
        document = Document(io.BytesIO(files["docx"]))
        paragraphs = [p for p in document.paragraphs if p.text.strip()]
        head = paragraphs[0].runs[0]
        assert head.text == "山东省通信管理局"
        assert head.font.color.rgb == (0xE6, 0x00, 0x12)
        assert paragraphs[1].text == "（草稿，未编号）"
        assert paragraphs[2].text == "关于2026年10月携号转网服务\n监管情况的通报"
        east_asia = head._element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
        )
        assert east_asia == "宋体"
        assert len(document.inline_shapes) == 3  # the three charts

    def test_pdf_has_pages_and_chinese_text(self, drafted):
        _data, files = drafted
        pages, text = pdf_text(files["pdf"])
        assert files["pdf"].startswith(b"%PDF")
        assert pages >= 2
        for expected in (
            "山东省通信管理局",
            "关于2026年10月携号转网服务监管情况的通报",
            "总体情况",
            "携出成功率",
            "中国移动",
            "用户投诉授权码未下发",
        ):
            assert expected in text
        assert "（草稿，未编号）" in text


# --- The life of a briefing ---------------------------------------------------------------------


def test_a_second_draft_of_the_month_is_refused(draft, regulator):
    with pytest.raises(services.BriefingRefused):
        services.start(draft.period, user=regulator)


def test_staff_edit_the_texts_of_a_draft(draft, regulator):
    services.edit(draft, user=regulator, commentary="本月全省携号转网服务总体平稳。")
    draft.refresh_from_db()
    composition = services.compose(draft)
    assert any(getattr(b, "text", "") == "本月全省携号转网服务总体平稳。" for b in composition.blocks)


def test_approval_freezes_figures_numbers_and_files(draft, leader):
    approved = services.approve(draft, user=leader, now=NOW)
    assert approved.state == BriefingState.APPROVED
    assert approved.document_no == "鲁通管通〔2026〕1号"
    assert approved.figures["month"] == "2026-10"
    assert approved.docx_file.name.endswith(".docx") and approved.pdf_file.name.endswith(".pdf")
    # A complaint recorded afterwards changes the dashboard, not the approved briefing.
    ComplaintRecord.objects.bulk_create([complaint("CMCC", "A9", dt.date(2026, 10, 20))])
    refresh_complaint_counts()
    assert ind.complaints([OCT], ())[(OCT,)].value == 5
    assert "全省共受理携号转网投诉4件" in content.summary(services.current_figures(approved))
    _pages, text = pdf_text(approved.pdf_file.read())
    assert "鲁通管通〔2026〕1号" in text


def test_approved_briefing_refuses_edits(draft, leader, regulator):
    services.approve(draft, user=leader, now=NOW)
    with pytest.raises(services.BriefingRefused):
        services.edit(draft, user=regulator, opening="改动")
    draft.refresh_from_db()
    assert draft.opening != "改动"


def test_the_page_says_why_an_approved_briefing_cannot_be_edited(client, draft, leader, regulator):
    services.approve(draft, user=leader, now=NOW)
    client.force_login(regulator)
    response = client.post(
        reverse("control:briefing_edit", args=[draft.pk]),
        {"opening": "改动", "commentary": "", "requirements": "x"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "You cannot edit this briefing now: it is “Approved”." in response.content.decode()


def test_a_correction_is_version_2(draft, leader, regulator):
    services.approve(draft, user=leader, now=NOW)
    correction = services.correct(draft, user=regulator)
    assert (correction.version, correction.state, correction.corrects) == (2, BriefingState.DRAFT, draft)
    assert correction.opening == draft.opening
    approved = services.approve(correction, user=leader, now=NOW)
    assert approved.document_no == "鲁通管通〔2026〕2号"
    assert "本通报更正并替代鲁通管通〔2026〕1号通报。" in pdf_text(approved.pdf_file.read())[1]
    with pytest.raises(services.BriefingRefused):
        services.correct(draft, user=regulator)  # version 1 is no longer the latest


def test_only_leadership_approves(client, draft, regulator, leader):
    client.force_login(regulator)
    assert client.post(reverse("control:briefing_approve", args=[draft.pk])).status_code == 403
    with pytest.raises(services.BriefingRefused):
        services.approve(draft, user=regulator)
    client.force_login(leader)
    response = client.post(reverse("control:briefing_approve", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == BriefingState.APPROVED


def test_leadership_does_not_edit_or_circulate(client, draft, leader):
    client.force_login(leader)
    assert client.post(reverse("control:briefing_edit", args=[draft.pk]), {"opening": "x"}).status_code == 403
    assert client.post(reverse("control:briefing_circulate", args=[draft.pk])).status_code == 403


def test_a_draft_cannot_be_circulated(draft, regulator):
    with pytest.raises(services.BriefingRefused):
        services.circulate(draft, user=regulator)


def test_circulation_mails_every_manager_once_with_both_files(
    draft, leader, regulator, manager_a, operator_a, eager_tasks, django_capture_on_commit_callbacks
):
    manager_b = make_user("manager_b", Role.OPERATOR_MANAGER, "CUCC", language="en")
    services.approve(draft, user=leader, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        services.circulate(draft, user=regulator, without=["CTCC", "CBN"])  # no manager there
    assert sorted(m.to[0] for m in mail.outbox) == [manager_a.email, manager_b.email]  # managers only
    with Briefing.objects.get(pk=draft.pk).pdf_file.open("rb") as handle:
        approved_pdf = handle.read()
    for message in mail.outbox:
        names = [name for name, _data, _type in message.attachments]
        assert [n.rsplit(".", 1)[1] for n in names] == ["docx", "pdf"]
        assert names[0].startswith("鲁通管通〔2026〕1号 关于2026年10月")
        assert message.attachments[1][1] == approved_pdf
    english = next(m for m in mail.outbox if m.to == [manager_b.email])
    assert english.subject.startswith("Circulated: ")
    assert BriefingDelivery.objects.filter(briefing=draft, sent_at__isnull=False).count() == 2
    # A task delivered again (a retry, a re-queue by the scan) sends to nobody twice.
    occasions = Occasion.objects.filter(
        rule="briefings.circulated", object_key=f"briefing:{draft.pk}:circulated"
    )
    assert [o.state for o in occasions] == ["sent", "sent"]
    assert [reminder_services.send(o.pk) for o in occasions] == ["taken", "taken"]
    assert len(mail.outbox) == 2


def test_a_circulation_rolled_back_records_no_mail_and_no_delivery(draft, leader, regulator, manager_a):
    services.approve(draft, user=leader, now=NOW)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.circulate(draft, user=regulator, without=NO_MANAGER)
        raise RuntimeError("the disk is full")
    assert not Occasion.objects.exists()
    assert not BriefingDelivery.objects.exists()


def test_deliveries_show_not_sent_until_the_worker_sends_them(
    client, draft, leader, regulator, manager_a, django_capture_on_commit_callbacks
):
    """The broker lost the task: the delivery waits, listed as not sent, until a scan re-queues it."""
    services.approve(draft, user=leader, now=NOW)
    with django_capture_on_commit_callbacks(execute=False):
        services.circulate(draft, user=regulator, without=NO_MANAGER)
    delivery = BriefingDelivery.objects.get(briefing=draft)
    assert (delivery.recipient, delivery.sent_at) == (manager_a, None)
    client.force_login(regulator)
    page = client.get(
        reverse("control:briefing", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Waiting to be sent" in page  # the outbox's state of the manager's mail
    occasion = Occasion.objects.get(rule="briefings.circulated")
    assert occasion.pk in reminder_services.scan()
    assert reminder_services.send(occasion.pk) == "sent"
    delivery.refresh_from_db()
    assert delivery.sent_at is not None
    assert [m.to for m in mail.outbox] == [[manager_a.email]]


def test_circulation_is_recorded_as_a_notice_per_operator(draft, leader, regulator):
    services.approve(draft, user=leader, now=NOW)
    services.circulate(draft, user=regulator, without=["CMCC", *NO_MANAGER])
    records = NoticeRecord.objects.filter(
        kind=RecordKind.CIRCULATED_NOTICE, document_no="鲁通管通〔2026〕1号"
    )
    assert sorted(r.operator.code for r in records) == sorted(Operator.objects.values_list("code", flat=True))
    assert {r.title for r in records} == {"关于2026年10月携号转网服务监管情况的通报"}


# --- Pages and query counts ---------------------------------------------------------------------


def _more_rows(n):
    """``n`` more findings, orders and typical cases in October: lists grow, queries must not."""
    cmcc = Operator.objects.get(code="CMCC")
    jinan = City.objects.get(code="370100")
    submission = cmcc.submissions.filter(period__month=OCT).first()
    for i in range(n):
        InspectionFinding.objects.create(
            operator=cmcc, city=jinan, channel="STORE", scenario="咨询携转", agency="测评中心",
            visit_date=dt.date(2026, 10, 10 + i), method="OPEN", violation=True, state="published",
        )  # fmt: skip
        RectificationOrder.objects.create(
            operator=cmcc, title=f"整改{i}", requirements="—", severity="MINOR", state="issued",
            deadline=dt.datetime(2026, 10, 25, tzinfo=SHANGHAI), issued_at=dt.datetime(2026, 10, 11, tzinfo=SHANGHAI),
        )  # fmt: skip
        TypicalCase.objects.create(
            submission=submission, title=f"案例{i}", city=jinan, what_happened="…", handling="…"
        )


def _queries(callable_):
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured)


def test_figures_take_a_bounded_number_of_queries(october):
    few = _queries(lambda: figures.build(october, now=NOW))
    _more_rows(6)
    assert _queries(lambda: figures.build(october, now=NOW)) == few
    assert few <= 40


def test_briefing_page_takes_a_bounded_number_of_queries(client, draft, regulator):
    client.force_login(regulator)
    url = reverse("control:briefing", args=[draft.pk])
    few = _queries(lambda: client.get(url))
    _more_rows(6)
    many = _queries(lambda: client.get(url))
    assert many == few
    assert client.get(url).status_code == 200


def test_briefing_list_takes_a_bounded_number_of_queries(client, draft, leader, regulator):
    client.force_login(regulator)
    url = reverse("control:briefings")
    few = _queries(lambda: client.get(url))
    services.approve(draft, user=leader, now=NOW)
    services.correct(draft, user=regulator)
    assert _queries(lambda: client.get(url)) == few


def test_draft_downloads_are_made_on_the_fly(client, draft, regulator):
    client.force_login(regulator)
    response = client.get(reverse("control:briefing_download", args=[draft.pk, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    chart = client.get(reverse("control:briefing_chart", args=[draft.pk, "trend"]))
    assert chart["Content-Type"] == "image/png" and chart.content.startswith(b"\x89PNG")


def test_staff_draft_a_month_from_the_list(client, october, regulator):
    client.force_login(regulator)
    response = client.post(reverse("control:briefing_create"), {"month": "2026-10"})
    briefing = Briefing.objects.get()
    assert response.url == reverse("control:briefing", args=[briefing.pk])
    assert briefing.opening.startswith("为深入贯彻")

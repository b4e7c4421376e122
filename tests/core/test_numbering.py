"""One table of document sequences (core.DocumentSequence) for every series of document numbers."""

import datetime as dt
import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from supervision.briefings import services as briefings
from supervision.casework import numbers as casework
from supervision.core.models import SHANGHAI, DocumentSequence, DocumentSeries
from supervision.core.numbering import next_number

IN_2026 = dt.datetime(2026, 6, 1, 10, tzinfo=SHANGHAI)

CASEWORK_MIGRATION = ("casework", "0005_move_document_sequence_to_core")
BRIEFINGS_MIGRATION = ("briefings", "0002_move_number_sequence_to_core")


@pytest.fixture(autouse=True)
def patterns(settings):
    settings.DOCUMENT_NUMBER_PATTERN = "鲁通管〔{year}〕{seq}号"
    settings.BRIEFING_NUMBER_PATTERN = "鲁通管通〔{year}〕{seq}号"


def sequences():
    return set(DocumentSequence.objects.values_list("series", "year", "last"))


def test_the_first_number_of_a_year_is_one_and_each_year_starts_again(db):
    assert [next_number("casework", 2026) for _ in range(3)] == [1, 2, 3]
    assert next_number("casework", 2027) == 1
    assert sequences() == {("casework", 2026, 3), ("casework", 2027, 1)}


def test_numbers_only_go_up_after_the_highest_on_a_document(db):
    # A document numbered 4 that never went through the counter: the next is 5, never 1 to 3.
    assert next_number("briefing", 2026, highest=lambda: 4) == 5
    assert next_number("briefing", 2026, highest=lambda: 4) == 6
    assert sequences() == {("briefing", 2026, 6)}


def demo_order(document_no: str):
    """An order stored as the demo data stores it: numbered, without taking a number."""
    from supervision.casework.models import RectificationOrder
    from supervision.core.models import Operator

    return RectificationOrder.objects.create(
        operator=Operator.objects.get(code="CMCC"), document_no=document_no, title="整改通知",
        requirements="限期整改", severity="MAJOR", deadline=IN_2026 + dt.timedelta(days=20), state="issued",
    )  # fmt: skip


def demo_interview(document_no: str):
    from supervision.casework.models import InterviewNotice
    from supervision.core.models import Operator

    return InterviewNotice.objects.create(
        operator=Operator.objects.get(code="CUCC"), document_no=document_no, reason="约谈",
        scheduled_at=IN_2026 + dt.timedelta(days=7), place="省通信管理局", persons_required="分管副总经理",
        state="issued",
    )  # fmt: skip


def test_the_next_order_follows_the_highest_number_issued_that_year(db):
    # 1 and 2 through the counter, 3 to 5 as the demo stores them (a notice among them), and
    # numbers of other years and of the briefings' series, which do not count.
    demo_order(casework.next_document_number(IN_2026))
    demo_interview(casework.next_document_number(IN_2026))
    for seq in (3, 5):
        demo_order(f"鲁通管〔2026〕{seq}号")
    demo_interview("鲁通管〔2026〕4号")
    demo_order("鲁通管〔2027〕40号")
    demo_order("鲁通管〔2025〕99号")
    assert casework.next_document_number(IN_2026) == "鲁通管〔2026〕6号"
    assert casework.next_document_number(IN_2026) == "鲁通管〔2026〕7号"
    assert sequences() == {(DocumentSeries.CASEWORK, 2026, 7)}


def test_ten_comes_after_nine(db):
    demo_order("鲁通管〔2026〕9号")
    demo_interview("鲁通管〔2026〕10号")
    assert casework.next_document_number(IN_2026) == "鲁通管〔2026〕11号"


def test_the_next_briefing_follows_the_highest_briefing_number(db):
    from supervision.briefings.models import Briefing
    from supervision.core.models import Period

    for seq, month in ((2, 3), (5, 4)):
        Briefing.objects.create(
            period=Period.objects.for_month(2026, month), document_no=f"鲁通管通〔2026〕{seq}号"
        )
    demo_order("鲁通管〔2026〕30号")  # the orders' series: another counter
    assert briefings.next_document_number(IN_2026) == "鲁通管通〔2026〕6号"


def test_orders_and_notices_issued_one_after_another_never_repeat_a_number(db, regulator):
    import time_machine

    from supervision.casework import interviews, orders
    from tests.casework.conftest import make_finding

    demo_order("鲁通管〔2026〕5号")
    issued = []
    with time_machine.travel(IN_2026, tick=False):
        for _n in range(3):
            finding = make_finding(regulator)
            draft = orders.create_order(
                user=regulator, operator=finding.operator, title="整改通知", requirements="限期整改",
                findings=[finding],
            )  # fmt: skip
            issued.append(orders.issue_order(draft, user=regulator).document_no)
            notice = interviews.create_interview(
                user=regulator, operator=finding.operator, scheduled_at=IN_2026 + dt.timedelta(days=7),
                place="省通信管理局", reason="约谈", persons_required="分管副总经理",
            )  # fmt: skip
            interviews.issue_interview(notice, user=regulator)
            notice.refresh_from_db()
            issued.append(notice.document_no)
    assert issued == [f"鲁通管〔2026〕{seq}号" for seq in range(6, 12)]


def test_briefings_and_orders_count_independently_in_the_same_year(db):
    assert casework.next_document_number(IN_2026) == "鲁通管〔2026〕1号"
    assert briefings.next_document_number(IN_2026) == "鲁通管通〔2026〕1号"
    assert casework.next_document_number(IN_2026) == "鲁通管〔2026〕2号"
    assert casework.next_document_number(IN_2026) == "鲁通管〔2026〕3号"
    assert briefings.next_document_number(IN_2026) == "鲁通管通〔2026〕2号"
    assert sequences() == {(DocumentSeries.CASEWORK, 2026, 3), (DocumentSeries.BRIEFING, 2026, 2)}


def test_the_year_is_the_year_in_shanghai(db):
    new_years_eve_in_utc = dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC)  # 2027-01-01 00:30 in Shanghai
    assert casework.next_document_number(new_years_eve_in_utc) == "鲁通管〔2027〕1号"
    assert briefings.next_document_number(new_years_eve_in_utc) == "鲁通管通〔2027〕1号"


def test_numbering_goes_on_from_the_last_number_stored(db):
    DocumentSequence.objects.create(series="casework", year=2026, last=11)
    DocumentSequence.objects.create(series="briefing", year=2026, last=3)
    assert casework.next_document_number(IN_2026) == "鲁通管〔2026〕12号"
    assert briefings.next_document_number(IN_2026) == "鲁通管通〔2026〕4号"


# --- The migrations that moved the apps' own tables here ------------------------------------------


@pytest.fixture
def before_the_move(db):
    """The models as they were just before the two migrations, with the two old tables created
    (inside the test's transaction, so they are gone after it)."""
    state = MigrationLoader(connection).project_state([CASEWORK_MIGRATION, BRIEFINGS_MIGRATION], at_end=False)
    apps = state.apps
    # The editor is not entered as a context: SQLite refuses that inside a transaction.
    editor = connection.schema_editor()
    with connection.cursor() as cursor:
        for model in ("casework.DocumentSequence", "briefings.NumberSequence"):
            cursor.execute(*editor.table_sql(apps.get_model(model)))
    return apps, editor


def migration(name):
    app_label, migration_name = name
    return importlib.import_module(f"supervision.{app_label}.migrations.{migration_name}")


def test_the_old_rows_are_copied_and_numbering_goes_on_from_them(before_the_move):
    apps, editor = before_the_move
    old_casework = apps.get_model("casework", "DocumentSequence")
    old_briefings = apps.get_model("briefings", "NumberSequence")
    old_casework.objects.create(year=2025, last=40)
    old_casework.objects.create(year=2026, last=11)
    old_briefings.objects.create(year=2026, last=3)

    migration(CASEWORK_MIGRATION).copy_rows(apps, editor)
    migration(BRIEFINGS_MIGRATION).copy_rows(apps, editor)

    assert sequences() == {("casework", 2025, 40), ("casework", 2026, 11), ("briefing", 2026, 3)}
    assert casework.next_document_number(IN_2026) == "鲁通管〔2026〕12号"
    assert briefings.next_document_number(IN_2026) == "鲁通管通〔2026〕4号"


def test_copying_never_lowers_a_number_already_given(before_the_move):
    apps, editor = before_the_move
    apps.get_model("casework", "DocumentSequence").objects.create(year=2026, last=5)
    DocumentSequence.objects.create(series="casework", year=2026, last=9)
    migration(CASEWORK_MIGRATION).copy_rows(apps, editor)
    assert sequences() == {("casework", 2026, 9)}


def test_the_reverse_gives_the_old_tables_their_rows_back(before_the_move):
    apps, editor = before_the_move
    old_casework = apps.get_model("casework", "DocumentSequence")
    old_briefings = apps.get_model("briefings", "NumberSequence")
    DocumentSequence.objects.create(series="casework", year=2026, last=12)
    DocumentSequence.objects.create(series="briefing", year=2026, last=4)

    migration(CASEWORK_MIGRATION).copy_rows_back(apps, editor)
    assert set(old_casework.objects.values_list("year", "last")) == {(2026, 12)}
    assert sequences() == {("briefing", 2026, 4)}

    migration(BRIEFINGS_MIGRATION).copy_rows_back(apps, editor)
    assert set(old_briefings.objects.values_list("year", "last")) == {(2026, 4)}
    assert sequences() == set()

from supervision.core.models import City, Operator, Period, ViolationCategory


def test_reference_data_exists_after_migrate_alone(db):
    assert list(Operator.objects.values_list("code", flat=True)) == ["CMCC", "CUCC", "CTCC", "CBN"]
    assert City.objects.count() == 16
    assert not City.objects.filter(code="371200").exists()  # 莱芜 merged into 济南 in 2019
    assert City.objects.get(code="370700").name_zh == "潍坊市"
    assert list(ViolationCategory.objects.values_list("code", flat=True)) == [
        "BL1", "BL2", "BL3", "BL4", "BL5", "BL6", "SVC", "OTHER",
    ]  # fmt: skip
    assert ViolationCategory.objects.get(code="BL1").name_zh == "设限阻挠"
    assert Period.objects.filter(month__year=2019, month__month=12).exists()


def test_names_follow_the_active_language(db):
    from django.utils import translation

    cmcc = Operator.objects.get(code="CMCC")
    with translation.override("zh-hans"):
        assert str(cmcc) == "中国移动通信集团山东有限公司"
        assert cmcc.short_name == "中国移动"
    with translation.override("en"):
        assert str(cmcc) == "China Mobile Shandong"


def test_period_labels_and_due_time_in_shanghai(db, settings):
    settings.REPORT_DUE_DAYS_AFTER_MONTH_END = 0
    period = Period.objects.from_label("2026-02")
    assert period.label == "2026-02"
    assert period.last_day.isoformat() == "2026-02-28"
    assert period.due_at.isoformat() == "2026-02-28T23:59:59+08:00"
    assert period.previous().label == "2026-01"
    assert period.previous(2).label == "2025-12"


def test_period_label_that_is_not_a_month_is_refused(db):
    import pytest

    for bad in ["2026-13", "2026/10", "October", ""]:
        with pytest.raises(ValueError, match="YYYY-MM"):
            Period.objects.from_label(bad)


def test_last_complete_month_is_computed_in_shanghai_time(db):
    import datetime as dt

    # 2026-11-30 17:00 UTC is already 1 December in Shanghai: November has ended there.
    now = dt.datetime(2026, 11, 30, 17, 0, tzinfo=dt.UTC)
    assert Period.last_complete(now).label == "2026-11"
    assert Period.last_complete(now - dt.timedelta(hours=2)).label == "2026-10"

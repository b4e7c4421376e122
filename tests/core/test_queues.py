"""The work queues' registry (core.queues): each domain registers what waits for which role; a
face asks for the user's; the most urgent kind first, the most urgent item first."""

import datetime as dt

import pytest

from supervision.core import queues
from supervision.core.dates import SHANGHAI
from supervision.core.models import Role

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


def at(day, hour=12):
    return dt.datetime(2026, 11, day, hour, 0, tzinfo=SHANGHAI)


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test, the site's own put back afterwards."""
    monkeypatch.setattr(queues, "_PROVIDERS", {})
    return queues


def one_kind(key, *items):
    def provider(user, now):
        return queues.Queue(key=key, label=key, items=list(items), count=len(items)) if items else None

    return provider


def test_a_role_gets_only_the_queues_registered_for_it(registry, regulator, leader, operator_a):
    registry.register(Role.REGULATOR_STAFF, one_kind("staff.thing", queues.Item("A", "/a/")))
    registry.register(Role.OPERATOR_STAFF, one_kind("operator.thing", queues.Item("B", "/b/")))
    assert [q.key for q in registry.for_user(regulator, NOW)] == ["staff.thing"]
    assert [q.key for q in registry.for_user(operator_a, NOW)] == ["operator.thing"]
    assert registry.for_user(leader, NOW) == []


def test_registering_twice_lists_once(registry, regulator):
    provider = one_kind("staff.thing", queues.Item("A", "/a/"))
    registry.register(Role.REGULATOR_STAFF, provider)
    registry.register(Role.REGULATOR_STAFF, provider)
    assert len(registry.for_user(regulator, NOW)) == 1


def test_empty_queues_are_left_out_and_nobody_anonymous_gets_any(registry, regulator):
    from django.contrib.auth.models import AnonymousUser

    registry.register(Role.REGULATOR_STAFF, one_kind("staff.nothing"))
    assert registry.for_user(regulator, NOW) == []
    assert registry.for_user(AnonymousUser(), NOW) == []


def test_overdue_first_then_the_most_due_then_the_oldest(registry, regulator):
    later = queues.Item("due later", "/1/", due=at(25))
    sooner = queues.Item("due sooner", "/2/", due=dt.date(2026, 11, 22))
    late = queues.Item("overdue", "/3/", due=at(18), overdue=True)
    old = queues.Item("waiting long", "/4/", since=at(1))
    new = queues.Item("waiting briefly", "/5/", since=at(19))
    assert [i.title for i in sorted([new, later, old, sooner, late], key=queues.Item.sort_key)] == [
        "overdue",
        "due sooner",
        "due later",
        "waiting long",
        "waiting briefly",
    ]
    registry.register(Role.REGULATOR_STAFF, one_kind("calm", new), one_kind("urgent", late))
    assert [q.key for q in registry.for_user(regulator, NOW)] == ["urgent", "calm"]


def test_due_dates_read_in_asia_shanghai():
    # 16:30 UTC on 30 November is 00:30 on 1 December in Shandong.
    item = queues.Item("x", "/x/", due=dt.datetime(2026, 11, 30, 16, 30, tzinfo=dt.UTC))
    assert item.due_label == "2026-12-01 00:30"
    day = queues.Item("y", "/y/", due=dt.date(2026, 11, 30))
    assert day.due_label == "2026-11-30"
    assert day.due_at == dt.datetime(2026, 11, 30, 23, 59, 59, tzinfo=SHANGHAI)


def test_take_reads_the_first_rows_and_the_total_in_one_query(db, django_assert_num_queries):
    from supervision.core.models import City

    with django_assert_num_queries(1):
        rows, count = queues.take(City.objects.order_by("code"), limit=3)
    assert (len(rows), count) == (3, City.objects.count())
    with django_assert_num_queries(1):
        assert queues.take(City.objects.filter(code="nope")) == ([], 0)


def test_every_role_has_its_domains_registered():
    keys = {role: {p.__module__ for p in queues.providers_for(role)} for role in Role.values}
    assert keys[Role.REGULATOR_STAFF] >= {
        "supervision.core.instructions",
        "supervision.reporting.queues",
        "supervision.casework.queues",
        "supervision.meetings.queues",
        "supervision.briefings.queues",
    }
    assert keys[Role.REGULATOR_LEADER] >= {
        "supervision.core.instructions",
        "supervision.casework.queues",
        "supervision.briefings.queues",
    }
    assert keys[Role.OPERATOR_MANAGER] >= {"supervision.reporting.queues", "supervision.casework.queues"}
    assert keys[Role.OPERATOR_STAFF] >= {
        "supervision.reporting.queues",
        "supervision.casework.queues",
        "supervision.meetings.queues",
    }

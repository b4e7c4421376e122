"""Every bad query value is a 400 or a sensible default, never a 500; a GET writes nothing.

The walk reuses the permission matrix's list of URLs (tests/test_permissions.py), so a new page
is walked by itself.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, reverse

from supervision.core.models import Period
from tests.builders import fixed_user
from tests.test_permissions import ALL_URLS, POST_ONLY, URL_KWARGS, _own_objects

HUGE = "99999999999999999999999"
HOSTILE = [
    {"month": "0001-01"},
    {"month": "9999-12"},
    {"month": "abc"},
    {"page": "-1"},
    {"page": "99999999999999999999"},
    {"user": HUGE},
    {"sort": "__class__"},
    {"months": HUGE},
    {"operator": HUGE, "finding": HUGE, "order": HUGE},
    {"before": "garbage", "indicator": "__class__", "kind": "__class__", "state": "__class__"},
]
# Rows nobody's GET may add; sessions and log-in records are the web's own bookkeeping.
NOT_COUNTED = {"sessions", "axes", "admin"}
# The rows a GET must add: who looked at personal data (a complaint, an export) is recorded, and an
# operator's first download of a circulated briefing (the briefing's page shows it per addressee).
LOGGED_ON_GET = {"core.PersonalDataAccess", "briefings.BriefingDownload"}


def _row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in NOT_COUNTED
        and model._meta.managed
        and model._meta.label not in LOGGED_ON_GET
    }


def _walk(client, urls):
    # The calendar of the last three years, as today's pages (the default month, the matrix's
    # months) keep it: a hostile value may not add any other row.
    last = Period.last_complete()
    for months_back in range(37):
        last.previous(months_back)
    client.raise_request_exception = False
    before = _row_counts()
    failures, writers = [], []
    for url in urls:
        for query in HOSTILE:
            response = client.get(url, query)
            if response.status_code >= 500:
                failures.append(f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}")
        after = _row_counts()
        if after != before:
            writers.append((url, {k: after[k] - before[k] for k in after if after[k] != before[k]}))
            before = after
    return failures, writers


# The instant of the walk: the matrix's objects are made there, and each page is asked there.
WALK_INSTANT = dt.datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
# Every GET page of each face, with the user who may see it: one test per page.
WALKED = [
    (face, role, name)
    for face, role in (("control", "regulator"), ("portal", "manager_a"))
    for name, _pattern in ALL_URLS
    if name.startswith(f"{face}:") and name not in POST_ONLY
]


def _walked_world():
    """The permission matrix's objects, and a logged-in session of each user who walks."""
    sessions = {}
    for role in {role for _face, role, _name in WALKED}:
        browser = Client()
        browser.force_login(fixed_user(role))
        sessions[role] = browser.cookies[settings.SESSION_COOKIE_NAME].value
    return _own_objects(), sessions


class TestHostileQueryValues:
    @pytest.fixture(scope="class")
    @classmethod
    def walked(cls, class_db):
        """The matrix's objects and the walkers' sessions, made once for all the pages."""
        return class_db(_walked_world, at=WALK_INSTANT)

    @time_machine.travel(WALK_INSTANT, tick=False)
    @pytest.mark.parametrize(("face", "role", "name"), WALKED)
    def test_hostile_query_values_are_never_a_server_error_and_write_nothing(
        self, face, role, name, client, walked, db
    ):
        objs, sessions = walked
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[role]  # logged in as ``role``
        try:
            url = reverse(name, kwargs=URL_KWARGS.get(name, lambda _objs: {})(objs))
        except NoReverseMatch:
            return  # a URL missing from the matrix: test_every_url_with_arguments_is_in_the_matrix says so
        failures, writers = _walk(client, [url])
        assert failures == []
        assert writers == []


@pytest.mark.parametrize("label", ["0001-01", "9999-12", "abc", "2026-00"])
def test_dashboard_refuses_an_impossible_month_with_400(client, regulator, label):
    client.force_login(regulator)
    assert client.get("/dashboard/", {"month": label}).status_code == 400


@pytest.mark.dates
def test_dashboard_of_a_month_nobody_reported_creates_no_period(client, regulator):
    client.force_login(regulator)
    Period.last_complete()
    periods = Period.objects.count()
    response = client.get("/dashboard/", {"month": "2031-05"})
    assert response.status_code == 200
    assert "2031-05" in response.content.decode()
    assert Period.objects.count() == periods


def test_audit_trail_of_an_impossible_user_is_400(client, regulator):
    client.force_login(regulator)
    assert client.get(reverse("control:audit"), {"user": HUGE}).status_code == 400

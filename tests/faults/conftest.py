"""The fault drills' transactional tests commit for real (a second connection, another process
must see the rows): the reference rows they start from are made again before each, and after
each for the tests that follow on the same worker (the flush empties every table)."""

import importlib

import pytest

_reference_migration = importlib.import_module("supervision.core.migrations.0002_reference_data")
_blocker = []


def create_reference_data():
    from django.apps import apps

    _reference_migration.create_reference_data(apps, None)


@pytest.fixture(scope="session", autouse=True)
def _remember_db_blocker(django_db_blocker):
    _blocker.append(django_db_blocker)


@pytest.fixture
def reference_rows(transactional_db):
    """A transactional test's database, with the reference rows (operators, cities, categories)."""
    create_reference_data()


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return "transactional_db" in getattr(item, "fixturenames", ()) or bool(
        marker and marker.kwargs.get("transaction")
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        if nextitem is not None and _blocker and _transactional(item):
            with _blocker[0].unblock():
                create_reference_data()

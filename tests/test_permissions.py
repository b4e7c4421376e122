"""Every URL of both faces, for every role: the permission matrix.

A new URL appears here by itself (the URL patterns are walked); one that takes arguments
must say in ``URL_KWARGS`` how to build them, so no view escapes the matrix. A part of the
site may keep its entries in its own module ``tests/permissions_<part>.py`` with ``objects()``
(more objects of operator A) and any of ``URL_KWARGS``, ``POST_ONLY``, ``MANAGER_ONLY``,
``REGULATOR_STAFF_ONLY``, ``USER_ADMINISTRATOR_ONLY``; they are merged in here.
"""

import datetime as dt
import importlib
import pkgutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from supervision.core.models import City, Operator, Period, TaskForceMember, User, ViolationCategory
from supervision.reporting import kept, submissions
from supervision.reporting.models import ComplaintRecord, PendingUpload, SubmissionFile, UploadKind
from tests.builders import fixed_user

ROLES = ["anonymous", "regulator", "leader", "operator_a", "manager_a"]


def _patterns(namespace):
    resolver = get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == namespace:
            yield from _walk(namespace, entry.url_patterns)


def _walk(namespace, patterns):
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}", pattern
        elif isinstance(pattern, URLResolver) and pattern.namespace is None:
            # URL modules included into the face's namespace (control/urls_lists.py, …).
            yield from _walk(namespace, pattern.url_patterns)


def _own_objects():
    """Objects of operator A (CMCC), which its users may reach and the administration sees."""
    cmcc = Operator.objects.get(code="CMCC")
    period = Period.objects.from_label("2026-10")
    member = TaskForceMember.objects.create(
        operator=cmcc, name="张三", duty="组长", phone="0531-1234567", email="zs@cmcc-sd.example.cn"
    )
    first = submissions.submit(submissions.create_version(cmcc, period))
    officer = User.objects.create(username="rp_officer", role="regulator_staff")
    submissions.return_to_operator(first, user=officer, comment="请更正")
    second = submissions.submit(submissions.create_version(cmcc, period))
    stored = SubmissionFile(
        submission=second, kind=UploadKind.MONTHLY, name="月报.csv", sha256="0" * 64, size=3
    )
    # What a report keeps is the masked re-export of its rows (reporting.kept): only that is served.
    stored.file.save(kept.kept_name("figures"), ContentFile(b"a,b"), save=True)
    uploader = User.objects.create(username="uploader", role="operator_staff", operator=cmcc)
    upload = PendingUpload.objects.create(kind=UploadKind.LEDGER, operator=cmcc, created_by=uploader)
    complaint = ComplaintRecord.objects.create(
        operator=cmcc,
        complaint_no="CMCC-202610-00001",
        received_on=dt.date(2026, 10, 3),
        city=City.objects.get(code="370100"),
        channel="MIIT",
        category=ViolationCategory.objects.get(code="BL1"),
        summary="营业员称需先取消融合套餐",
        status="OPEN",
    )
    objs = {
        "task_force_member": member,
        "first": first,
        "second": second,
        "file": stored,
        "upload": upload,
        "complaint": complaint,
    }
    for part in PARTS:
        if hasattr(part, "objects"):
            objs.update(part.objects(objs))
    return objs


URL_KWARGS = {
    "portal:task_force_edit": lambda objs: {"pk": objs["task_force_member"].pk},
    "portal:task_force_delete": lambda objs: {"pk": objs["task_force_member"].pk},
    "portal:submission": lambda objs: {"pk": objs["second"].pk},
    "portal:submission_certify": lambda objs: {"pk": objs["second"].pk},
    "portal:submission_receipt": lambda objs: {"pk": objs["second"].pk},
    "portal:submission_file": lambda objs: {"pk": objs["second"].pk, "file_pk": objs["file"].pk},
    "portal:submission_compare": lambda objs: {"pk": objs["second"].pk, "other_pk": objs["first"].pk},
    "portal:upload": lambda objs: {"pk": objs["upload"].pk},
    "portal:upload_status": lambda objs: {"pk": objs["upload"].pk},
    "portal:template": lambda objs: {"kind": "monthly"},
    "control:submission": lambda objs: {"pk": objs["second"].pk},
    "control:submission_accept": lambda objs: {"pk": objs["second"].pk},
    "control:submission_return": lambda objs: {"pk": objs["second"].pk},
    "control:submission_file": lambda objs: {"pk": objs["second"].pk, "file_pk": objs["file"].pk},
    "control:submission_compare": lambda objs: {"pk": objs["second"].pk, "other_pk": objs["first"].pk},
    "control:period_lock": lambda objs: {"label": "2026-10"},
    "control:period_unlock": lambda objs: {"label": "2026-10"},
    "control:period_reopen": lambda objs: {"label": "2026-10"},
    "control:period_close": lambda objs: {"label": "2026-10", "operator": "CMCC"},
    "control:complaint": lambda objs: {"pk": objs["complaint"].pk},
    "control:operator": lambda objs: {"code": "CMCC"},
    "control:city": lambda objs: {"code": "370700"},
}

POST_ONLY = {
    "portal:task_force_delete",
    "portal:submission_certify",
    "control:submission_accept",
    "control:submission_return",
    "control:period_lock",
    "control:period_unlock",
    "control:period_reopen",
    "control:period_close",
}
MANAGER_ONLY = {"portal:submission_certify"}
REGULATOR_STAFF_ONLY = {
    "control:submission_accept",
    "control:submission_return",
    "control:period_lock",
    "control:period_unlock",
    "control:period_reopen",
    "control:period_close",
}

# For the administration's user administrators alone (``User.can_administer_users``): no role of
# the matrix has that right, so each gets a 403; a user administrator's 200 is tested below.
USER_ADMINISTRATOR_ONLY = {"control:access_log"}

PARTS = [
    importlib.import_module(f"tests.{info.name}")
    for info in pkgutil.iter_modules([str(Path(__file__).parent)])
    if info.name.startswith("permissions_")
]
for _part in PARTS:
    URL_KWARGS.update(getattr(_part, "URL_KWARGS", {}))
    POST_ONLY |= set(getattr(_part, "POST_ONLY", ()))
    MANAGER_ONLY |= set(getattr(_part, "MANAGER_ONLY", ()))
    REGULATOR_STAFF_ONLY |= set(getattr(_part, "REGULATOR_STAFF_ONLY", ()))
    USER_ADMINISTRATOR_ONLY |= set(getattr(_part, "USER_ADMINISTRATOR_ONLY", ()))

ALL_URLS = sorted(list(_patterns("control")) + list(_patterns("portal")), key=lambda item: item[0])


def expected_status(name, role):
    if role == "anonymous":
        return 302
    if name in USER_ADMINISTRATOR_ONLY:
        return 403
    face = name.split(":")[0]
    if face == "control":
        allowed = role in {"regulator", "leader"} and not (name in REGULATOR_STAFF_ONLY and role == "leader")
    else:
        allowed = role in {"operator_a", "manager_a"} and not (name in MANAGER_ONLY and role == "operator_a")
    if not allowed:
        return 403
    return 405 if name in POST_ONLY else 200


def test_every_url_with_arguments_is_in_the_matrix():
    missing = [name for name, pattern in ALL_URLS if pattern.pattern.converters and name not in URL_KWARGS]
    assert missing == []


def _matrix():
    """The objects of ``_own_objects``, a user of each role of the matrix and a session for each."""
    users = {role: fixed_user(role) for role in ROLES if role != "anonymous"}
    sessions = {}
    for role, user in users.items():
        browser = Client()
        browser.force_login(user)
        sessions[role] = browser.cookies[settings.SESSION_COOKIE_NAME].value
    return SimpleNamespace(objects=_own_objects(), sessions=sessions)


class TestTheMatrix:
    @pytest.fixture(scope="class")
    @classmethod
    def matrix(cls, class_db):
        """The objects and the logged-in sessions, made once for the whole matrix (each test rolls
        its own changes back: tests/conftest.py ``class_db``)."""
        return class_db(_matrix)

    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("name", [name for name, _ in ALL_URLS])
    def test_permission_matrix(self, name, role, client, matrix, db):
        objs = matrix.objects
        if role != "anonymous":
            client.cookies[settings.SESSION_COOKIE_NAME] = matrix.sessions[role]  # logged in as ``role``
        kwargs = URL_KWARGS.get(name, lambda _objs: {})(objs)
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == expected_status(name, role)
        if role == "anonymous":
            assert response.url.startswith(reverse("login"))

    @pytest.mark.parametrize("name", sorted(USER_ADMINISTRATOR_ONLY))
    def test_user_administrators_reach_their_urls(self, name, client, matrix, db):
        admin = User.objects.create_user(
            username="useradmin", role="regulator_staff", can_administer_users=True
        )
        client.force_login(admin)
        assert (
            client.get(
                reverse(name, kwargs=URL_KWARGS.get(name, lambda _objs: {})(matrix.objects))
            ).status_code
            == 200
        )


@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/task-forces/"])
def test_leadership_reads_but_cannot_post(client, leader, url):
    client.force_login(leader)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 403

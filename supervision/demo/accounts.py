"""The demo's people: one log-in per role and operator, the operators' task forces, and the
log-ins as a table readable in a terminal (``seed_demo``, ``demo_logins``).

Each operator has its reporting staff and its manager, as the rules need both: the staff
report and answer, the manager certifies the monthly reports, confirms who comes to an
interview and, with an e-mail address, receives the administration's official documents (every
operator's distribution list has its manager: ``User.objects.document_recipients``). Accounts already in the database are left alone (and keep their own password).
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.urls import reverse

from supervision.core.models import Role, TaskForceMember, User

from .base import Demo
from .province import GIVEN_NAMES, OPERATOR_CODES, OPERATORS, SURNAMES

DEMO_PASSWORD = "Demo-2026-sd"  # noqa: S105 - printed for everyone to use; demo accounts only

ROLE_LABELS = {
    Role.REGULATOR_STAFF: ("管局工作人员", "Administration staff"),
    Role.REGULATOR_LEADER: ("管局领导", "Administration leadership"),
    Role.OPERATOR_STAFF: ("运营商专班人员", "Operator reporting staff"),
    Role.OPERATOR_MANAGER: ("运营商负责人", "Operator manager"),
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    operator_code: str | None
    full_name: str
    email: str
    phone: str


def _operator_accounts(op: str, staff_name: str, manager_name: str, phone: str) -> list[DemoAccount]:
    domain = OPERATORS[op].domain
    code = op.lower()
    return [
        DemoAccount(code, Role.OPERATOR_STAFF, op, staff_name, f"{code}@{domain}", f"{phone}1"),
        DemoAccount(
            f"{code}_manager",
            Role.OPERATOR_MANAGER,
            op,
            manager_name,
            f"{code}_manager@{domain}",
            f"{phone}2",
        ),
    ]


DEMO_ACCOUNTS = [
    DemoAccount("staff", Role.REGULATOR_STAFF, None, "王科长", "staff@sdca.example.cn", "0531-86011001"),
    DemoAccount("leader", Role.REGULATOR_LEADER, None, "李局长", "leader@sdca.example.cn", "0531-86011002"),
    *_operator_accounts("CMCC", "张专员", "赵经理", "0531-8610220"),
    *_operator_accounts("CUCC", "刘专员", "陈经理", "0531-8620330"),
    *_operator_accounts("CTCC", "孙专员", "吴经理", "0531-8630440"),
    *_operator_accounts("CBN", "周专员", "郑经理", "0531-8640550"),
]

# The staff account is also the Django admin: these apps' models are editable there.
ADMIN_APPS = ["core", "reporting", "casework", "meetings", "auth", "django_celery_beat"]

TASK_FORCE_DUTIES = [
    "组长（分管副总经理）",
    "副组长（市场经营部总经理）",
    "联络员",
    "投诉处理",
    "数据报送",
    "舆情监测",
]


@dataclass
class AccountResult:
    account: DemoAccount
    created: bool
    role: str
    operator_code: str | None
    operator_short: str


def create_accounts(demo: Demo) -> None:
    """The demo accounts that do not exist yet, all with the demo password; ``demo.users``."""
    existing = {u.username: u for u in User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS])}
    # One hash for all: they share the published demo password.
    password = make_password(DEMO_PASSWORD)
    new = []
    for account in DEMO_ACCOUNTS:
        if account.username in existing:
            continue
        operator = demo.operators[account.operator_code] if account.operator_code else None
        new.append(
            User(
                username=account.username,
                password=password,
                email=account.email,
                role=account.role,
                operator=operator,
                full_name=account.full_name,
                phone=account.phone,
                is_staff=account.username == "staff",
                can_administer_users=account.username == "staff",
                date_joined=demo.now,
            )
        )
    User.objects.bulk_create(new)
    created = {u.username for u in new}
    if "staff" in created:
        staff = User.objects.get(username="staff")
        staff.user_permissions.set(Permission.objects.filter(content_type__app_label__in=ADMIN_APPS))
    demo.users = {
        u.username: u
        for u in User.objects.select_related("operator").filter(
            username__in=[a.username for a in DEMO_ACCOUNTS]
        )
    }
    demo.result.accounts = []
    for account in DEMO_ACCOUNTS:
        user = demo.users[account.username]
        demo.result.accounts.append(
            AccountResult(
                account=account,
                created=account.username in created,
                role=user.role,
                operator_code=user.operator.code if user.operator else None,
                operator_short=user.operator.short_zh if user.operator else "",
            )
        )


def create_task_forces(demo: Demo) -> None:
    """Three to five members per operator that has none yet, entered by its reporting staff."""
    rng = demo.rng("task-force")
    staffed = set(TaskForceMember.objects.values_list("operator__code", flat=True).distinct())
    members = []
    for op in OPERATOR_CODES:
        if op in staffed:
            continue
        count = rng.randint(3, 5)
        duties = TASK_FORCE_DUTIES[:2] + rng.sample(TASK_FORCE_DUTIES[2:], count - 2)
        names = set()
        while len(names) < count:
            names.add(rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES))
        for i, (name, duty) in enumerate(zip(sorted(names), duties, strict=True)):
            member = TaskForceMember(
                operator=demo.operators[op],
                name=name,
                duty=duty,
                phone=f"0531-8{rng.randint(100, 999)}{rng.randint(1000, 9999)}",
                email=f"xhzw{i + 1:02d}@{OPERATORS[op].domain}",
                sort_order=i,
            )
            member._history_user = demo.operator_user(op)
            members.append(member)
    TaskForceMember.objects.bulk_create(members)
    TaskForceMember.history.bulk_history_create(members, default_date=demo.now)
    demo.result.counts["task_force"] = len(members)


# --- The log-ins, printed -----------------------------------------------------------------------


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def login_url() -> str:
    return f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}{reverse('login')}"


def login_table(accounts: list[AccountResult]) -> str:
    """The demo log-ins as a table readable in a terminal, Chinese first."""
    header = ("用户名 User name", "密码 Password", "角色 Role")
    rows = []
    for result in accounts:
        zh, en = ROLE_LABELS.get(result.role, (result.role, result.role))
        if result.operator_code:
            zh, en = f"{zh}（{result.operator_short}）", f"{en} ({result.operator_code})"
        password = DEMO_PASSWORD if result.created else "（原密码 unchanged）"
        rows.append((result.account.username, password, f"{zh} {en}"))
    widths = [max(display_width(row[i]) for row in [header, *rows]) for i in range(3)]
    rule = "  ".join("-" * w for w in widths)
    lines = [
        f"演示账号 Demo log-ins — 登录地址 Log in at {login_url()}",
        "  ".join(pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip(),
        rule,
    ]
    lines += ["  ".join(pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines)

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from supervision.core.models import Operator, Role, User
from tests.conftest import PASSWORD


def test_each_role_lands_on_its_own_home(client, regulator, leader, operator_a, manager_a):
    expected = {
        regulator: "/dashboard/",
        leader: "/dashboard/",
        operator_a: "/portal/",
        manager_a: "/portal/",
    }
    for user, home in expected.items():
        client.force_login(user)
        assert client.get("/").url == home
        client.logout()


def test_log_in_with_the_right_password(client, operator_a):
    response = client.post(reverse("login"), {"username": "operator_a", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/portal/").status_code == 200


def test_lockout_after_repeated_failed_log_ins(client, operator_a, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "operator_a", "password": "wrong-password"})
    # Even the right password is refused now, with a page that says why.
    response = client.post(reverse("login"), {"username": "operator_a", "password": PASSWORD})
    assert response.status_code == 429
    assert (
        "Too many failed log-in attempts" in response.content.decode()
        or "登录失败次数过多" in response.content.decode()
    )
    assert client.get("/portal/").status_code == 302  # still logged out


def test_a_failed_log_in_says_what_is_wrong(client, operator_a):
    response = client.post(
        reverse("login"), {"username": "operator_a", "password": "nope"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "The user name or password is wrong" in response.content.decode()


@pytest.mark.parametrize(
    "password",
    ["short1A!", "alllowercaseletters", "12345678901234", "Onlylettersandcase"],
)
def test_weak_passwords_are_refused(db, password):
    from django.contrib.auth.password_validation import validate_password

    with pytest.raises(ValidationError):
        validate_password(password)


def test_strong_password_is_accepted(db):
    from django.contrib.auth.password_validation import validate_password

    validate_password("Quan-cheng-Lu-88")


def test_password_reset_mail_is_sent_in_the_users_language(client, operator_a):
    client.post(reverse("password_reset"), {"email": operator_a.email}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [operator_a.email]
    assert "/accounts/reset/" in message.body
    assert message.alternatives, "the mail has an HTML part too"


def test_password_change_applies_the_rules(client, operator_a):
    client.force_login(operator_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "abc", "new_password2": "abc"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()


def test_operator_role_without_operator_is_refused(db):
    user = User(username="x", role=Role.OPERATOR_STAFF)
    with pytest.raises(ValidationError):
        user.full_clean()
    with pytest.raises(IntegrityError):
        User.objects.create(username="x", role=Role.OPERATOR_STAFF)


def test_administration_user_cannot_belong_to_an_operator(db):
    with pytest.raises(IntegrityError):
        User.objects.create(
            username="y", role=Role.REGULATOR_STAFF, operator=Operator.objects.get(code="CMCC")
        )

"""The error pages (400, 403, 404, 405, 500 and a refused form) in production (DEBUG off): each in
the site's layout, Chinese first and English second, with a way home."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from supervision.core import errors

MESSAGES = {
    400: ("请求无法识别", "The request could not be understood"),
    403: ("您无权打开此页面", "You may not open this page"),
    "csrf": ("表单未能提交", "The form could not be accepted"),
    404: ("页面不存在", "Page not found"),
    405: ("此页面不能以这种方式使用", "This page cannot be used that way"),
    500: ("系统出现错误", "Something went wrong on our side"),
}


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def assert_error_page(response, status, kind=None, *, layout=True):
    assert response.status_code == status
    page = response.content.decode()
    chinese, english = MESSAGES[kind or status]
    # Both languages whatever the reader's, Chinese first; each with the way home.
    assert chinese in page and english in page
    assert page.index(chinese) < page.index(english)
    assert 'lang="zh-CN"' in page and 'lang="en"' in page
    assert page.count(f'href="{reverse("home")}" data-testid="error-home"') == 2
    assert "返回首页" in page and "Back to the home page" in page
    assert 'class="navbar' in page  # inside the site's layout
    if layout:  # the menu and the language switch of a signed-in user
        assert 'data-testid="language-switch"' in page
    return page


def test_a_missing_page(client, regulator):
    client.force_login(regulator)
    page = assert_error_page(client.get("/dashboard/no-such-page/"), 404)
    assert 'data-testid="nav"' in page  # the user's menu is there to go on


def test_an_object_not_there_is_a_404_page_too(client, operator_a):
    client.force_login(operator_a)
    assert_error_page(client.get(reverse("portal:submission", args=[999999])), 404)


def test_a_missing_page_for_someone_not_signed_in(client):
    assert_error_page(client.get("/no-such-page/"), 404)


def test_a_page_of_another_role(client, operator_a):
    client.force_login(operator_a)
    assert_error_page(client.get(reverse("control:home")), 403)


def test_a_method_the_page_does_not_take(client, manager_a):
    client.force_login(manager_a)
    response = client.get(reverse("portal:submission_certify", args=[1]))
    assert_error_page(response, 405)
    assert response["Allow"] == "POST"


def test_a_form_sent_without_its_token(regulator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(regulator)
    assert_error_page(client.post(reverse("logout")), 403, "csrf")


def test_a_request_for_an_unknown_host(client):
    assert_error_page(client.get("/", HTTP_HOST="evil.example.com"), 400)


@pytest.mark.urls("tests.core.error_urls")
def test_a_failure_shows_the_500_page(regulator):
    client = Client(raise_request_exception=False)
    client.force_login(regulator)
    page = assert_error_page(client.get("/broken/"), 500, layout=False)
    assert 'data-testid="nav"' not in page  # nothing that needs the request or the database


def test_the_500_page_needs_neither_the_request_nor_the_database():
    # No database access is allowed here (no django_db mark): any query would fail the test.
    response = errors.server_error(RequestFactory().get("/"))
    assert_error_page(response, 500, layout=False)

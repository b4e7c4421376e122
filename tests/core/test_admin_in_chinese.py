"""The Django admin speaks Chinese to a Chinese reader: every title, label, help text, column,
filter and action of every page, Django's own, the desk's and the apps it hosts (django-axes,
django-celery-beat); data (names in English, task paths, user agents) may stay as it is."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from supervision.core.admin_words import permission_label
from tests.casework.conftest import make_interview, make_order
from tests.conftest import make_user

# Words that stay as they are in Chinese text: protocols, formats, products, keys.
ALLOWED = {
    *("GET", "POST", "HTTP", "SHA", "JSON", "AMQP", "UTC", "LDAP", "APP", "PDF", "Word", "docx"),
    *("RabbitMQ", "Redis", "Control", "Command", "Mac"),
}
ENGLISH = re.compile(r"[A-Za-z]{3,}")


class Chrome(HTMLParser):
    """The words a page says of itself (not the data it lists): headings, labels, column headers,
    help texts, filter titles, actions, fieldset and inline titles, the index's captions."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.found: list[str] = []

    def _inside(self) -> bool:
        tags = [tag for tag, _attrs in self.stack]
        if "tbody" in tags and "th" in tags and "table" in tags:
            # A row's first cell names its object (data), but on the index it names a model.
            table = next(attrs for tag, attrs in reversed(self.stack) if tag == "table")
            if table.get("id") == "result_list":
                return False
        for tag, attrs in self.stack:
            classes = (attrs.get("class") or "").split()
            if tag in ("label", "th", "h1", "caption", "summary", "legend"):
                return True
            if tag == "h2" and "fieldset-heading" in classes:
                return True
            if tag == "div" and ("help" in classes or "helptext" in classes):
                return True
            if tag == "select" and attrs.get("name") == "action":
                return True
        return False

    def handle_starttag(self, tag, attrs):
        if tag not in ("input", "br", "img", "meta", "link", "hr"):
            self.stack.append((tag, dict(attrs)))
        if tag == "input" and dict(attrs).get("type") == "submit":
            self.found.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if data.strip() and self._inside():
            self.found.append(data.strip())


def english_left(html: str) -> list[str]:
    parser = Chrome()
    parser.feed(html)
    return [t for t in parser.found if any(w not in ALLOWED for w in ENGLISH.findall(t))]


def admin_pages():
    yield reverse("admin:index")
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        yield reverse("admin:app_list", args=[model._meta.app_label])
        yield reverse("admin:{}_{}_changelist".format(*info))
        yield reverse("admin:{}_{}_add".format(*info))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            yield reverse("admin:{}_{}_change".format(*info), args=[first.pk])


@pytest.mark.django_db
def test_every_admin_page_speaks_chinese(client, regulator, operator_a, manager_a, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    make_order(regulator, operator_a)  # an order, its finding, its mails, its events, its history
    make_interview(regulator, manager=manager_a)
    root = make_user("root", "regulator_staff", is_staff=True, is_superuser=True, can_administer_users=True)
    client.force_login(root)
    left = {}
    for url in dict.fromkeys(admin_pages()):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        if response.status_code == 403:  # a page the admin does not offer (records are evidence)
            continue
        assert response.status_code == 200, url
        for text in english_left(response.content.decode()):
            left.setdefault(text, url)
    assert not left, "English left in the admin: " + "; ".join(f"{t!r} on {u}" for t, u in left.items())


@pytest.mark.django_db
def test_permissions_are_named_in_the_readers_language():
    permission = Permission.objects.get(codename="view_rectificationorder")
    assert permission.name == "Can view rectification order"  # as Django stored it
    assert permission_label(permission) == "案件办理 | 整改通知书 | 可查看整改通知书"
    history = Permission.objects.get(codename="change_historicalrectificationorder")
    assert permission_label(history) == "案件办理 | 整改通知书历史记录 | 可修改整改通知书历史记录"


def test_the_authenticator_devices_are_not_in_the_admin():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert not admin.site.is_registered(TOTPDevice)

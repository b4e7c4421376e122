"""Log-in defences: throttling by address and by user name, two-step log-in, the e-mail change,
the user-administration right, no caching of personal pages, and the production key."""

import subprocess
import sys

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from supervision.core import accounts
from supervision.core.models import RecoveryCode
from tests.conftest import PASSWORD, make_user
from tests.core.test_settings import ROOT, _production_env


def _log_in(client, username, password, address):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        HTTP_X_FORWARDED_FOR=f"10.9.9.9, {address}",
    )


def test_wrong_passwords_behind_the_proxy_lock_out_nobody_else(client, operator_a, operator_b, settings):
    settings.BEHIND_TLS_PROXY = True
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, "operator_a", "wrong-password", "203.0.113.5")
    assert _log_in(client, "operator_a", PASSWORD, "203.0.113.5").status_code == 429
    # Another user from another client address, through the same proxy, logs in.
    assert _log_in(client, "operator_b", PASSWORD, "198.51.100.7").status_code == 302


def test_one_address_trying_many_names_is_locked(client, operator_b, settings):
    settings.BEHIND_TLS_PROXY = True
    for number in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, f"nobody{number}", "wrong-password", "203.0.113.5")
    assert _log_in(client, "operator_b", PASSWORD, "203.0.113.5").status_code == 429


def test_forwarded_header_is_ignored_without_the_proxy(rf, settings):
    settings.BEHIND_TLS_PROXY = False
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="192.0.2.1")
    assert accounts.client_ip(request) == "192.0.2.1"
    settings.BEHIND_TLS_PROXY = True
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5", REMOTE_ADDR="192.0.2.1")
    assert accounts.client_ip(request) == "203.0.113.5"


def _code(device_or_key):
    key = device_or_key.bin_key if isinstance(device_or_key, TOTPDevice) else bytes.fromhex(device_or_key)
    return f"{TOTP(key).token():06d}"


def test_staff_must_enrol_and_give_a_code_when_required(client, regulator, settings):
    settings.REQUIRE_2FA_FOR_ADMINISTRATION = True
    assert client.post(reverse("login"), {"username": "regulator", "password": PASSWORD}).status_code == 302
    # The password alone opens nothing: the dashboard sends to the enrolment page.
    response = client.get("/dashboard/")
    assert response.status_code == 302 and response.url.startswith(reverse("two_step_setup"))
    page = client.get(reverse("two_step_setup"), HTTP_ACCEPT_LANGUAGE="en")
    assert b"data:image/svg+xml" in page.content and b"totp-secret" in page.content
    key = client.session[accounts_views_key()]
    shown = client.post(reverse("two_step_setup"), {"code": _code(key)}, HTTP_ACCEPT_LANGUAGE="en")
    codes = shown.context["codes"]
    assert len(codes) == accounts.RECOVERY_CODE_COUNT
    assert client.get("/dashboard/").status_code == 200
    # Stored as digests only.
    digests = set(RecoveryCode.objects.filter(device__user=regulator).values_list("digest", flat=True))
    assert len(digests) == len(codes) and not digests & set(codes)
    # Next log-in: password, then a recovery code (single use).
    client.logout()
    client.post(reverse("login"), {"username": "regulator", "password": PASSWORD})
    assert client.get("/dashboard/").url.startswith(reverse("two_step_verify"))
    assert client.post(reverse("two_step_verify"), {"code": codes[0]}).status_code == 302
    assert client.get("/dashboard/").status_code == 200
    client.logout()
    client.post(reverse("login"), {"username": "regulator", "password": PASSWORD})
    client.post(reverse("two_step_verify"), {"code": codes[0]})
    assert client.get("/dashboard/").status_code == 302


def accounts_views_key():
    from supervision.core.views import SETUP_KEY_SESSION

    return SETUP_KEY_SESSION


def test_demo_keeps_one_step_log_in_and_says_so(client, regulator, settings):
    settings.REQUIRE_2FA_FOR_ADMINISTRATION = False
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    assert "two-step log-in is not required here" in page.content.decode()
    client.post(reverse("login"), {"username": "regulator", "password": PASSWORD})
    assert client.get("/dashboard/").status_code == 200


def test_user_administrator_resets_a_lost_device(client, regulator, operator_a):
    TOTPDevice.objects.create(user=operator_a, name="phone", confirmed=True)
    accounts.new_recovery_codes(operator_a)
    admin = make_user("useradmin", "regulator_staff", can_administer_users=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:core_user_changelist"),
        {"action": "reset_two_step_login", "_selected_action": [operator_a.pk]},
    )
    assert response.status_code == 302
    assert not accounts.has_two_step_login(operator_a)


def test_plain_staff_are_not_user_administrators(client, regulator):
    regulator.is_staff = True
    regulator.save()
    client.force_login(regulator)
    assert client.get(reverse("admin:core_user_changelist")).status_code == 403
    admin = make_user("useradmin", "regulator_staff", can_administer_users=True)
    client.force_login(admin)
    assert client.get(reverse("admin:core_user_changelist")).status_code == 200


def test_changing_the_email_needs_the_password(client, operator_a):
    client.force_login(operator_a)
    form = {"full_name": "A", "email": "new@example.cn", "phone": "", "language": "en"}
    response = client.post(reverse("profile"), form, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    operator_a.refresh_from_db()
    assert operator_a.email != "new@example.cn"
    client.post(reverse("profile"), form | {"current_password": PASSWORD})
    operator_a.refresh_from_db()
    assert operator_a.email == "new@example.cn"


def test_pages_and_exports_of_a_signed_in_user_are_not_stored(client, regulator):
    client.force_login(regulator)
    for url in ["/dashboard/", "/dashboard/?export=csv", reverse("profile")]:
        assert "no-store" in client.get(url)["Cache-Control"]


def test_production_refuses_a_weak_secret_key(tmp_path):
    for weak in ["short-key", "django-insecure-" + "x" * 60, "changeme" * 8]:
        env = _production_env(tmp_path) | {"SECRET_KEY": weak}
        result = subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode != 0
        assert "SECRET_KEY is" in result.stderr

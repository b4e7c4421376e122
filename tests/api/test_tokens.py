"""API tokens: made, listed and revoked by their user, stored hashed, shown once, expiring;
revoked or expired → 401, read-only → 403 on a POST; the command prints the token last."""

import datetime as dt
import hashlib
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from supervision.core import tokens
from supervision.core.models import ApiToken, AuditEntry


def test_a_token_is_stored_hashed_and_acts_as_its_user(operator_a, api_for, client):
    token, secret = tokens.create(operator_a, name="ERP", days=30)
    assert secret.startswith("sdxh_") and len(secret) > 40
    stored = ApiToken.objects.get()
    assert stored.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {stored.prefix, stored.secret_hash, stored.name}
    assert secret.startswith(stored.prefix)
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert response.json() == {
        "username": "operator_a",
        "role": "operator_staff",
        "operator": "CMCC",
        "token": "ERP",
        "read_only": False,
    }
    stored.refresh_from_db()
    assert stored.last_used_at is not None and stored.last_used_from == "127.0.0.1"
    assert AuditEntry.objects.filter(action="create", object_id=stored.pk).exists()


def test_a_use_is_written_at_most_once_a_minute(operator_a, client, pinned_clock, django_assert_num_queries):
    _token, secret = tokens.create(operator_a, name="ERP")
    headers = {"Authorization": f"Bearer {secret}"}
    client.get("/api/v1/me", headers=headers)
    first = ApiToken.objects.get().last_used_at
    pinned_clock.shift(dt.timedelta(seconds=30))
    with django_assert_num_queries(1):  # the token and its user, no write
        client.get("/api/v1/me", headers=headers)
    assert ApiToken.objects.get().last_used_at == first
    pinned_clock.shift(dt.timedelta(seconds=31))
    client.get("/api/v1/me", headers=headers)
    assert ApiToken.objects.get().last_used_at > first


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer sdxh_unknown", "Basic b3BlcmF0b3JfYTpEZW1v", "Token sdxh_x"],
)
def test_no_valid_token_is_a_401_problem(db, client, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401


def test_a_session_does_not_authenticate_the_api(client, operator_a):
    client.force_login(operator_a)
    assert client.get("/api/v1/me").status_code == 401
    assert client.post("/api/v1/ledgers", {"rows": []}, content_type="application/json").status_code == 401


def test_a_revoked_token_is_refused(operator_a, client):
    token, secret = tokens.create(operator_a, name="ERP")
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    tokens.revoke(token, user=operator_a)
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert AuditEntry.objects.filter(action="revoke", object_id=token.pk).exists()


def test_only_its_owner_revokes_a_token(operator_a, operator_b):
    token, _secret = tokens.create(operator_a, name="ERP")
    with pytest.raises(tokens.TokenRefused):
        tokens.revoke(token, user=operator_b)


def test_an_expired_token_is_refused(operator_a, client, pinned_clock):
    _token, secret = tokens.create(operator_a, name="ERP", days=1)
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    pinned_clock.shift(dt.timedelta(days=1, seconds=1))
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_an_inactive_users_token_is_refused(operator_a, client):
    _token, secret = tokens.create(operator_a, name="ERP")
    operator_a.is_active = False
    operator_a.save()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_a_read_only_token_reads_but_may_not_post(operator_a, api_for):
    api = api_for(operator_a, read_only=True)
    assert api.get("/me").json()["read_only"] is True
    response = api.post("/ledgers", {"rows": []})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "read-only" in response.json()["detail"]


def test_the_command_prints_the_token_alone_on_its_last_line(operator_a, client):
    out = io.StringIO()
    call_command(
        "create_api_token", "operator_a", "--name", "nightly export", "--read-only", "--days", "7", stdout=out
    )
    secret = out.getvalue().strip().splitlines()[-1]
    assert secret.startswith("sdxh_") and " " not in secret
    token = ApiToken.objects.get()
    assert token.name == "nightly export" and token.read_only
    assert (token.expires_at - token.created).days == 7
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200


def test_the_command_refuses_an_unknown_user(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody", "--name", "x", stdout=io.StringIO())


def test_the_profile_page_makes_lists_and_revokes_the_users_own_tokens(client, operator_a, operator_b):
    other, _secret = tokens.create(operator_b, name="Unicom's ERP")
    client.force_login(operator_a)
    response = client.post(
        reverse("api_token_create"), {"name": "Billing system", "days": "90"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    page = response.content.decode()
    token = ApiToken.objects.get(user=operator_a)
    secret = response.context["secret"]
    assert secret in page and "only now" in page.lower()
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    # Shown once: the profile lists the token by its name and prefix, never the secret again.
    page = client.get(reverse("profile"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Billing system" in page and token.prefix in page and secret not in page
    assert "Unicom's ERP" not in page
    # Another user's token: not found.
    assert client.post(reverse("api_token_revoke", args=[other.pk])).status_code == 404
    response = client.post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None

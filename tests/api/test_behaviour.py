"""What a client can rely on: idempotency keys, problem details, the rate limit, the size limit,
the OpenAPI document and its reference page."""

import json
import re

import pytest
from openapi_spec_validator import validate

from supervision.api.models import IdempotentRequest
from supervision.reporting.models import ComplaintRecord, PendingUpload

from .helpers import ledger_rows

PROBLEM_KEYS = {"type", "title", "status", "detail"}


def test_a_retried_post_with_its_key_stores_once(samples, operator_a, api_for):
    api = api_for(operator_a)
    rows = ledger_rows(samples)[:20]
    key = {"Idempotency-Key": "batch-2026-10-0001"}
    first = api.post("/ledgers", {"rows": rows}, headers=key)
    assert first.status_code == 201
    again = api.post("/ledgers", {"rows": rows}, headers=key)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert PendingUpload.objects.count() == 1
    upload = first.json()["id"]
    explanations = {str(p["index"]): "已核实。" for p in first.json()["problems"] if p["kind"] == "warning"}
    confirm_key = {"Idempotency-Key": "confirm-0001"}
    stored = api.post(f"/uploads/{upload}/confirm", {"explanations": explanations}, headers=confirm_key)
    retried = api.post(f"/uploads/{upload}/confirm", {"explanations": explanations}, headers=confirm_key)
    assert stored.status_code == retried.status_code == 200
    assert retried.json() == stored.json()
    assert ComplaintRecord.objects.count() == 20
    # Without a key a second confirmation is refused by the service: nothing is stored twice.
    assert api.post(f"/uploads/{upload}/confirm", {"explanations": explanations}).status_code == 409


def test_a_key_reused_for_another_request_is_refused(operator_a, api_for):
    api = api_for(operator_a)
    key = {"Idempotency-Key": "k-1"}
    assert api.post("/ledgers", {"rows": []}, headers=key).status_code in (201, 422)
    reused = api.post("/ledgers", {"rows": [{"complaint_no": "x"}]}, headers=key)
    assert reused.status_code == 422
    assert reused.json()["type"].endswith("idempotency-key-reused")


def test_keys_belong_to_their_token(operator_a, operator_b, api_for):
    key = {"Idempotency-Key": "same-key"}
    api_for(operator_a).post("/orders/999999/acknowledge", headers=key)
    api_for(operator_b).post("/orders/999999/acknowledge", headers=key)
    assert IdempotentRequest.objects.filter(key="same-key").count() == 2


def test_an_unauthenticated_or_rate_limited_answer_is_not_kept(db, client):
    response = client.post(
        "/api/v1/ledgers", {}, content_type="application/json", headers={"Idempotency-Key": "k"}
    )
    assert response.status_code == 401
    assert not IdempotentRequest.objects.exists()


@pytest.mark.parametrize(
    "method,path,body,status",
    [
        ("get", "/api/v1/orders/999999", None, 404),
        ("get", "/api/v1/no-such-thing", None, 404),
        ("get", "/api/no-version/", None, 404),
        ("post", "/api/v1/orders/999999/extension", {"reason": ""}, 422),
        ("get", "/api/v1/findings?cursor=%%%", None, 400),
        ("post", "/api/v1/monthly-reports", {"period": "2026-13", "figures": []}, 422),
    ],
)
def test_errors_are_problem_details(operator_a, api_for, method, path, body, status):
    api = api_for(operator_a)
    headers = {"Authorization": f"Bearer {api.secret}"}
    if method == "get":
        response = api.client.get(path, headers=headers)
    else:
        response = api.client.post(path, json.dumps(body), content_type="application/json", headers=headers)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert set(problem) >= PROBLEM_KEYS and problem["status"] == status
    assert problem["type"].startswith("https://")
    if status == 422 and "errors" in problem:
        assert {"code", "message", "row", "column"} <= set(problem["errors"][0])


def test_the_rate_limit_answers_429_with_retry_after(operator_a, api_for, settings):
    settings.API_RATE_PER_MINUTE = 3
    api = api_for(operator_a)
    assert [api.get("/me").status_code for _ in range(3)] == [200, 200, 200]
    limited = api.get("/me")
    assert limited.status_code == 429
    assert limited["Content-Type"] == "application/problem+json"
    assert 1 <= int(limited["Retry-After"]) <= 60
    # Another token has its own allowance.
    assert api_for(operator_a).get("/me").status_code == 200


def test_a_request_over_the_size_limit_is_a_413(operator_a, api_for, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    api = api_for(operator_a)
    response = api.client.post(
        "/api/v1/ledgers",
        b"x" * (2 * 1024 * 1024),
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.secret}"},
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"


def test_the_openapi_document_validates(db, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    validate(document)
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation["responses"], f"{method} {path} has no responses"


def test_the_reference_page_renders_with_local_assets_only(db, client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    # No inline script: only JSON data blocks and static files (the CSP allows 'self' only).
    for script in re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S):
        attributes, content = script
        assert "src=" in attributes or 'type="application/json"' in attributes, script
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    for asset in re.findall(r'src="(/static/[^"]+)"', page):
        assert client.get(asset).status_code == 200

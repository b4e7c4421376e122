"""What schemathesis found against a live server (make api-check): requests a client may well
send by mistake are answered with a problem (4xx), never a server error."""

import pytest

PROBLEM_KEYS = {"type", "title", "status", "detail"}


def _problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert set(response.json()) >= PROBLEM_KEYS
    return response.json()


@pytest.mark.parametrize("month", ["null", "2026-13", "2026"])
def test_a_meeting_month_that_is_not_one_is_a_422(operator_a, api_for, month):
    body = _problem(api_for(operator_a).get("/meetings", month=month), 422)
    assert month in body["detail"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/uploads/0"),
        ("get", "/uploads/not-an-id"),
        ("post", "/uploads/%C3%96%C2%85d/discard"),
        ("post", "/uploads/0/confirm"),
    ],
)
def test_an_upload_id_the_api_never_gave_is_a_404(operator_a, api_for, method, path):
    api = api_for(operator_a)
    response = api.get(path) if method == "get" else api.post(path, {"explanations": {}})
    _problem(response, 404)


@pytest.mark.parametrize("path", ["/ledgers/file", "/monthly-reports/file"])
def test_a_multipart_body_without_its_boundary_is_a_400(operator_a, client, api_for, path):
    api = api_for(operator_a)
    response = client.post(
        f"/api/v1{path}",
        b'--x\r\nContent-Disposition: form-data; name="period"\r\n\r\n2026-10\r\n--x--\r\n',
        content_type="multipart/form-data",
        headers={"Authorization": f"Bearer {api.secret}"},
    )
    _problem(response, 400)


def test_attendee_ids_beyond_a_row_id_are_refused_by_the_schema(operator_a, api_for):
    answer = {"attendee_ids": [16070433889627119026176, -448], "declined": False}
    body = _problem(api_for(operator_a).post("/meetings/1/attendees", answer), 422)
    assert {e["location"] for e in body["errors"]} >= {"body.answer.attendee_ids.0"}


@pytest.mark.parametrize("path", ["/findings/{pk}", "/orders/{pk}", "/action-items/{pk}"])
def test_an_id_too_large_for_the_database_is_a_404(operator_a, api_for, path):
    _problem(api_for(operator_a).get(path.format(pk=2**70)), 404)

"""The API's endpoints, in one place: the reports, the cases, the administration's feeds."""

from ninja import Schema

from . import administration, cases, reporting
from .base import api


class MeOut(Schema):
    username: str
    role: str
    operator: str | None
    token: str
    read_only: bool


@api.get("/me", response=MeOut, tags=["tokens"], summary="Who this token acts as")
def me(request):
    user, token = request.auth, request.api_token
    return {
        "username": user.username,
        "role": user.role,
        "operator": user.operator.code if user.operator_id else None,
        "token": token.name,
        "read_only": token.read_only,
    }


api.add_router("", reporting.router)
api.add_router("", cases.router)
api.add_router("", administration.router)

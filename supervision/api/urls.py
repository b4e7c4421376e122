"""``/api/v1/``: the API's endpoints, its OpenAPI document and its reference page; a problem (404)
for any other address under ``/api/``; and the profile page's token buttons."""

from django.urls import path, re_path

from . import views
from .routes import api

urlpatterns = [
    path("accounts/api-tokens/new/", views.token_create, name="api_token_create"),
    path("accounts/api-tokens/<int:pk>/revoke/", views.token_revoke, name="api_token_revoke"),
    path("api/v1/", api.urls),
    re_path(r"^api/", views.api_not_found),
]

"""URLs of the casework part of the portal face, included into its namespace by portal/urls.py."""

urlpatterns: list = []

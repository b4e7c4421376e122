"""URLs of the casework part of the control face, included into its namespace by control/urls.py."""

urlpatterns: list = []

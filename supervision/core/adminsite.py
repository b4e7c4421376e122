"""The admin site, in a module of its own: Django imports it before any app's admin.py."""

from django.contrib import admin


class SupervisionAdminSite(admin.AdminSite):
    """Django's admin, entered by staff (``is_staff``) and by user administrators."""

    def has_permission(self, request):
        user = request.user
        return user.is_active and (user.is_staff or user.is_user_administrator)

"""The admin site, in a module of its own: Django imports it before any app's admin.py."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class SupervisionAdminSite(admin.AdminSite):
    """Django's admin, entered by staff (``is_staff``) and by user administrators; named as the
    desk is, in the reader's language (``core.admin_words`` translates what Django leaves)."""

    site_header = _("Number portability supervision desk · administration")
    site_title = _("Number portability supervision desk")
    index_title = _("Administration")

    def has_permission(self, request):
        user = request.user
        return user.is_active and (user.is_staff or user.is_user_administrator)

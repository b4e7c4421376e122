"""The admin site in the reader's language, Chinese first, where Django and the apps it hosts
leave English behind (imported by ``core.admin``, which Django loads after the apps below).

- Permissions: Django stores their names in English when it creates them ("Can add
  rectification order"); the user and group forms name them from the model's own verbose name,
  in the reader's language (``permission_label``, ``TranslatedPermissions``).
- Log-in lockouts (django-axes): its words are in the project's catalogue; its app is named here.
- Authenticator devices (django-otp's TOTP devices) are not offered: each holds a secret key,
  their words cannot be translated, and the desk manages two-step log-in itself (the profile
  pages, and the user administrators' reset action on the users' list).
- The scheduler's tasks (django-celery-beat): the task and the schedule in words, in the
  reader's language (``crontab_words``); its other words are in the catalogue.
"""

from cron_descriptor import (
    FormatException,
    MissingFieldException,
    Options,
    WrongArgumentException,
    get_description,
)
from django.apps import apps
from django.contrib import admin
from django.utils.translation import get_language
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from django_otp.plugins.otp_totp.models import TOTPDevice

# --- Permissions ---------------------------------------------------------------------------------

ACTIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def permission_label(permission) -> str:
    """``app | model | what it allows``, in the reader's language."""
    model = permission.content_type.model_class()
    if model is None:  # a model that is gone
        return str(permission)
    original = getattr(model, "instance_type", None)  # simple_history's history of a model
    if original is not None:
        name = gettext_now("history of %(model)s") % {"model": original._meta.verbose_name}
    else:
        name = str(model._meta.verbose_name)
    action, _sep, rest = permission.codename.partition("_")
    if action in ACTIONS and rest == model._meta.model_name:
        allows = str(ACTIONS[action]) % {"model": name}
    else:
        allows = gettext_now(permission.name)
    return f"{model._meta.app_config.verbose_name} | {name} | {allows}"


class TranslatedPermissions:
    """A user's or group's permissions listed in the reader's language."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
            # The authenticator devices are not in the admin (below): nothing to allow on them.
            field.queryset = field.queryset.exclude(content_type__app_label=TOTPDevice._meta.app_label)
        return field


# --- Log-in lockouts and authenticators ------------------------------------------------------------

apps.get_app_config("axes").verbose_name = _("Log-in lockouts")

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


# --- The scheduler's tasks -----------------------------------------------------------------------


def crontab_words(crontab) -> str:
    """A crontab schedule in words, in the reader's language (``每 5 分钟``), with its zone."""
    expression = " ".join(
        [crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year, crontab.day_of_week]
    )
    options = Options()
    options.locale_code = "zh_CN" if (get_language() or "").startswith("zh") else "en_US"
    options.use_24hour_time_format = True
    try:
        words = get_description(expression, options)
    except (FormatException, MissingFieldException, WrongArgumentException):
        words = expression
    return f"{words} {crontab.timezone}"


class TaskInline(beat_admin.PeriodicTaskInline):
    fields = ("name", "task_name", "args", "kwargs")
    readonly_fields = fields

    @admin.display(description=_("task"))
    def task_name(self, obj):
        return obj.task


class ScheduleAdmin(beat_admin.ScheduleAdmin):
    inlines = [TaskInline]


class TaskFilter(admin.AllValuesFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("task")


def schedule_words(task) -> str:
    return crontab_words(task.crontab) if task.crontab_id else "—"


class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
    list_display = ("name", "enabled", "schedule", "start_time", "last_run_at", "one_off")
    list_filter = ["enabled", "one_off", ("task", TaskFilter), "start_time", "last_run_at"]

    @admin.display(description=_("Schedule"))
    def schedule(self, obj):
        return obj.scheduler

    @admin.display(description=_("schedule in words"))
    def crontab_translation(self, obj):
        return schedule_words(obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "task" in form.base_fields:
            form.base_fields["task"].label = _("task")
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The page's script shows the chosen crontab in words: in the reader's language here.
        words = {crontab.pk: crontab_words(crontab) for crontab in CrontabSchedule.objects.all()}
        extra_context = {**(extra_context or {}), "readable_crontabs": words}
        return admin.ModelAdmin.changeform_view(self, request, object_id, form_url, extra_context)


class CrontabScheduleAdmin(ScheduleAdmin):
    list_display = ("__str__", "words")
    fields = ("words", "minute", "hour", "day_of_month", "month_of_year", "day_of_week", "timezone")
    readonly_fields = ("words",)

    @admin.display(description=_("schedule in words"))
    def words(self, obj):
        return crontab_words(obj)


class ClockedScheduleAdmin(ScheduleAdmin, beat_admin.ClockedScheduleAdmin):
    pass


class IntervalScheduleAdmin(ScheduleAdmin):
    pass


class SolarScheduleAdmin(ScheduleAdmin):
    pass


for model, model_admin in (
    (PeriodicTask, PeriodicTaskAdmin),
    (CrontabSchedule, CrontabScheduleAdmin),
    (ClockedSchedule, ClockedScheduleAdmin),
    (IntervalSchedule, IntervalScheduleAdmin),
    (SolarSchedule, SolarScheduleAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)

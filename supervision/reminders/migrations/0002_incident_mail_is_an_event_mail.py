"""The mail about a major problem reported is an event mail now (``reporting.incident_reported``,
recorded by ``reporting.incidents.report``), no longer the reminder rule ``incident``: the
occasions recorded by the rule take the event mail's code and key, so that the mail log names
them and one still pending is sent; a timing set for the rule has nothing left to time."""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat

RULE, EVENT_MAIL, SUFFIX = "incident", "reporting.incident_reported", ":reported"


def forwards(apps, schema_editor):
    Occasion = apps.get_model("reminders", "Occasion")
    Occasion.objects.filter(rule=RULE).update(rule=EVENT_MAIL, object_key=Concat("object_key", Value(SUFFIX)))
    apps.get_model("reminders", "ReminderSetting").objects.filter(rule=RULE).delete()


def backwards(apps, schema_editor):
    Occasion = apps.get_model("reminders", "Occasion")
    for occasion in Occasion.objects.filter(rule=EVENT_MAIL, object_key__endswith=SUFFIX):
        occasion.rule, occasion.object_key = RULE, occasion.object_key.removesuffix(SUFFIX)
        occasion.save(update_fields=["rule", "object_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]

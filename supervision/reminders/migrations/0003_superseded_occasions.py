"""An occasion may be superseded: after downtime, of the reminders of one series that fell due
meanwhile only the latest is sent; the earlier ones are kept, marked superseded."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0002_incident_mail_is_an_event_mail"),
    ]

    operations = [
        migrations.AlterField(
            model_name="occasion",
            name="state",
            field=models.CharField(
                choices=[
                    ("pending", "Waiting to be sent"),
                    ("sending", "Being sent"),
                    ("sent", "Sent"),
                    ("failed", "Failed"),
                    ("dropped", "Dropped: no longer needed"),
                    ("superseded", "Superseded: a later reminder of the same series went instead"),
                ],
                default="pending",
                max_length=10,
                verbose_name="state",
            ),
        ),
    ]

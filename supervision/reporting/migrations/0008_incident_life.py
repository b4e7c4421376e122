"""Major problems have a life: the status (open, closed) becomes a state (reported, more
information asked, recovered, closed); an open one is "reported", its last update its report.
Each follow-up (续报), recovery, request for more and closing is an ``IncidentUpdate``."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def forwards(apps, schema_editor):
    Incident = apps.get_model("reporting", "Incident")
    Incident.objects.filter(state="open").update(state="reported")
    Incident.objects.update(updated_at=F("reported_at"))


def backwards(apps, schema_editor):
    Incident = apps.get_model("reporting", "Incident")
    Incident.objects.exclude(state="closed").update(state="open")


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0007_complaint_daily_counts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="incident", old_name="status", new_name="state"),
        migrations.AlterField(
            model_name="incident",
            name="state",
            field=models.CharField(
                choices=[
                    ("reported", "Reported"),
                    ("more_info", "More information asked"),
                    ("recovered", "Recovered"),
                    ("closed", "Closed"),
                ],
                default="reported",
                max_length=10,
                verbose_name="state",
            ),
        ),
        migrations.AddField(
            model_name="incident",
            name="updated_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="last update"),
        ),
        migrations.AddField(
            model_name="incident",
            name="recovered_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="recovered at"),
        ),
        migrations.AddField(
            model_name="incident",
            name="cause",
            field=models.TextField(blank=True, verbose_name="cause"),
        ),
        migrations.AddField(
            model_name="incident",
            name="recovery_measures",
            field=models.TextField(blank=True, verbose_name="measures against recurrence"),
        ),
        migrations.AddField(
            model_name="incident",
            name="closed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="closed by",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.CreateModel(
            name="IncidentUpdate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("follow_up", "Follow-up report"),
                            ("recovery", "Recovery"),
                            ("more_info", "More information asked"),
                            ("close", "Closed after review"),
                        ],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="at")),
                ("text", models.TextField(blank=True, verbose_name="text")),
                ("recovered_at", models.DateTimeField(blank=True, null=True, verbose_name="recovered at")),
                ("cause", models.TextField(blank=True, verbose_name="cause")),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="author",
                    ),
                ),
                (
                    "incident",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="updates",
                        to="reporting.incident",
                        verbose_name="major problem",
                    ),
                ),
            ],
            options={
                "verbose_name": "major problem update",
                "verbose_name_plural": "major problem updates",
                "ordering": ["at", "pk"],
            },
        ),
    ]

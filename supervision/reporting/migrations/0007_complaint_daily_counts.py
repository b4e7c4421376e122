"""The ledger counted per day of receipt (``ComplaintDaily``), filled from the stored complaints.

The 15日办结率 of a month whose 15-day windows are still closing sums these instead of reading
the ledger's rows on every page view; ``summaries.refresh_complaint_counts`` keeps them current
from now on, and this migration counts the complaints already stored, as it does.
"""

import datetime as dt

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, F, Q

TIMELY_DAYS = 15
BATCH = 5000


def count_days(apps, schema_editor):
    ComplaintRecord = apps.get_model("reporting", "ComplaintRecord")
    ComplaintDaily = apps.get_model("reporting", "ComplaintDaily")
    db = schema_editor.connection.alias
    rows = (
        ComplaintRecord.objects.using(db)
        .values("operator_id", "city_id", "category_id", "received_on")
        .annotate(
            n=Count("pk"),
            timely=Count(
                "pk",
                filter=Q(
                    status="RESOLVED",
                    resolved_on__lte=F("received_on") + dt.timedelta(days=TIMELY_DAYS),
                ),
            ),
        )
        # In the order of the unique index, which is then written from left to right, densely.
        .order_by("operator_id", "received_on", "city_id", "category_id")
    )
    batch = []
    for r in rows.iterator(chunk_size=BATCH):
        batch.append(
            ComplaintDaily(
                operator_id=r["operator_id"],
                city_id=r["city_id"],
                category_id=r["category_id"],
                day=r["received_on"],
                received=r["n"],
                resolved_timely=r["timely"],
            )
        )
        if len(batch) == BATCH:
            ComplaintDaily.objects.using(db).bulk_create(batch)
            batch = []
    ComplaintDaily.objects.using(db).bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_reference_data"),
        ("reporting", "0006_lock_exceptions_decisions_corrections"),
    ]

    operations = [
        migrations.CreateModel(
            name="ComplaintDaily",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                ("received", models.PositiveIntegerField(default=0)),
                ("resolved_timely", models.PositiveIntegerField(default=0)),
                (
                    "category",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="core.violationcategory",
                    ),
                ),
                (
                    "city",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="core.city"
                    ),
                ),
                (
                    "operator",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="core.operator",
                    ),
                ),
            ],
            options={
                "verbose_name": "daily complaint count",
                "verbose_name_plural": "daily complaint counts",
                "indexes": [
                    models.Index(
                        fields=["operator", "day", "received", "resolved_timely"],
                        name="complaint_daily_cover",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("operator", "day", "city", "category"), name="one_daily_count_per_cell"
                    )
                ],
            },
        ),
        migrations.RunPython(count_days, migrations.RunPython.noop, elidable=True),
    ]

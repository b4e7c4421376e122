# The yearly sequence of the briefings' numbers moves to core.DocumentSequence (series "briefing");
# the rows already there are copied first, so numbering goes on from them.

from django.db import migrations

from supervision.core.numbering import copy_into_core, copy_out_of_core

OLD_MODEL, SERIES = "briefings.NumberSequence", "briefing"


def copy_rows(apps, schema_editor):
    copy_into_core(apps, schema_editor.connection.alias, OLD_MODEL, SERIES)


def copy_rows_back(apps, schema_editor):
    copy_out_of_core(apps, schema_editor.connection.alias, OLD_MODEL, SERIES)


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0001_initial"),
        ("core", "0004_document_sequence"),
    ]

    operations = [
        migrations.RunPython(copy_rows, copy_rows_back),
        migrations.DeleteModel(name="NumberSequence"),
    ]

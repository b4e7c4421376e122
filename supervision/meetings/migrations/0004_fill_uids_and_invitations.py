import uuid

from django.db import migrations


def fill_uids_and_invitations(apps, schema_editor):
    """Existing occurrences get their own calendar identifier and the series' invitees."""
    Meeting = apps.get_model("meetings", "Meeting")
    Invitation = apps.get_model("meetings", "Invitation")
    for meeting in Meeting.objects.select_related("series").iterator():
        meeting.uid = uuid.uuid4()
        meeting.save(update_fields=["uid"])
        Invitation.objects.bulk_create(
            [Invitation(meeting=meeting, operator=op) for op in meeting.series.invited_operators.all()],
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0003_invitations_agenda_minutes_calendar'),
    ]

    operations = [
        migrations.RunPython(fill_uids_and_invitations, migrations.RunPython.noop),
    ]

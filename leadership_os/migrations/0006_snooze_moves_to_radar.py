"""Snoozes move to the radar app: the tables stay where they are (the radar's models keep their
names), only Django's idea of which app owns them changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("leadership_os", "0005_change_reason_text"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.RemoveField(
                model_name='historicalsnooze',
                name='by',
            ),
            migrations.RemoveField(
                model_name='historicalsnooze',
                name='history_user',
            ),
            migrations.RemoveIndex(
                model_name='snooze',
                name='leadership__until_7fb469_idx',
            ),
            migrations.DeleteModel(
                name='HistoricalSnooze',
            ),
            migrations.DeleteModel(
                name='Snooze',
            ),
            ],
            database_operations=[],
        ),
    ]

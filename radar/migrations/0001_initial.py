"""The snooze tables the kernel created (`leadership_os_snooze` and its history) now belong to the
radar: state only, the rows stay. Content types follow, so admin log entries and permissions keep
pointing at the same model."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def _relabel(apps, old: str, new: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in ("snooze", "historicalsnooze"):
        if not content_type.objects.filter(app_label=new, model=model).exists():
            content_type.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types(apps, schema_editor) -> None:
    _relabel(apps, "leadership_os", "radar")


def move_content_types_back(apps, schema_editor) -> None:
    _relabel(apps, "radar", "leadership_os")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("leadership_os", "0006_snooze_moves_to_radar"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalSnooze',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('rule', models.CharField(max_length=40)),
                        ('subject_type', models.CharField(max_length=20)),
                        ('subject_key', models.CharField(max_length=120)),
                        ('fingerprint', models.CharField(max_length=64)),
                        ('until', models.DateField()),
                        ('note', models.TextField()),
                        ('created_at', models.DateTimeField(blank=True, editable=False)),
                        ('cancelled_at', models.DateTimeField(blank=True, null=True)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical snooze',
                        'verbose_name_plural': 'historical snoozes',
                        'db_table': 'leadership_os_historicalsnooze',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Snooze',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('rule', models.CharField(max_length=40)),
                        ('subject_type', models.CharField(max_length=20)),
                        ('subject_key', models.CharField(max_length=120)),
                        ('fingerprint', models.CharField(max_length=64)),
                        ('until', models.DateField()),
                        ('note', models.TextField()),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('cancelled_at', models.DateTimeField(blank=True, null=True)),
                        ('by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'leadership_os_snooze',
                        'ordering': ['until', 'id'],
                        'indexes': [models.Index(fields=['until'], name='leadership__until_7fb469_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]

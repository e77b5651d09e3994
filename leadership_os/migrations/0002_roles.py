"""Create the roles of DESIGN.md as groups holding their permissions."""

from django.db import migrations

ROLE_PERMS = {
    "Principal": ["read_all", "record_outcome", "snooze_radar"],
    "Chief of staff": ["read_all", "edit_all", "snooze_radar", "write_context", "write_drafts", "post_own_updates"],
    "Contributor": ["read_all", "write_context", "write_drafts", "post_own_updates"],
    "Viewer": ["read_all"],
    "Staff": ["read_all", "load_sample"],
}
LABELS = {
    "read_all": "Read every artifact",
    "edit_all": "Create and edit every artifact",
    "record_outcome": "Record a decision's outcome",
    "snooze_radar": "Snooze radar items",
    "write_context": "Write context entries",
    "write_drafts": "Write draft decisions",
    "post_own_updates": "Post status updates and commitments on owned workstreams",
    "load_sample": "Load the sample organization",
}


def create_roles(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="leadership_os", model="rolegrant")
    perms = {}
    for codename, label in LABELS.items():
        perms[codename], _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": label}
        )
    for role, codenames in ROLE_PERMS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set([perms[c] for c in codenames])


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("leadership_os", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]

from django.apps import AppConfig


class OrgfilesConfig(AppConfig):
    """The whole org as one file: the snapshot format read and written with its history, the sample org,
    `load_sample`, `import_org`, `export_org`, `generate_org` and the sample reload for staff."""

    name = "orgfiles"
    verbose_name = "Org files"

from django.apps import AppConfig


class BriefsConfig(AppConfig):
    """The principal's context briefs: engagements and what the VP needs to walk into each one."""

    name = "briefs"
    verbose_name = "Engagements and briefs"

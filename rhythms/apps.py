from django.apps import AppConfig


class RhythmsConfig(AppConfig):
    """The operating rhythm: rituals, their occurrences and what each produced, the audit and the calendar feed."""

    name = "rhythms"
    verbose_name = "Operating rhythm"

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    """Intake: meeting notes, transcripts and chat threads become proposals the chief of staff reviews before anything is written."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "intake"
    verbose_name = "Intake"

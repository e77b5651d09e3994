from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    """The decision log: what was decided, what was rejected and why, and what would reopen it."""

    name = "decisions"
    verbose_name = "Decision log"

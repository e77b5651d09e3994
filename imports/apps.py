"""Imports of existing records: a team's folder of decision records (ADRs) brought into the log."""

from django.apps import AppConfig


class ImportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "imports"
    verbose_name = "Imports"

    def ready(self) -> None:
        from imports import panels

        panels.register()

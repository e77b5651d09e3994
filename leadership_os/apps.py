from django.apps import AppConfig


class LeadershipOsConfig(AppConfig):
    name = "leadership_os"
    verbose_name = "Leadership OS"

    def ready(self) -> None:
        from leadership_os import (
            checks,  # noqa: F401  (registers the system checks)
            signals,
        )

        signals.connect()

from django.apps import AppConfig


class LeadershipOsConfig(AppConfig):
    """The kernel: settings and URLs, people, surfaces, tags, roles, Markdown, htmx helpers and the shell."""

    name = "leadership_os"
    verbose_name = "Leadership OS"

    def ready(self) -> None:
        from leadership_os import signals

        signals.connect()

from django.apps import AppConfig


class ContextRepoConfig(AppConfig):
    """The shared context repository: strategy bets, customer signals, open questions, the start-here path and search."""

    name = "context_repo"
    verbose_name = "Context repository"

    def ready(self) -> None:
        from context_repo import search

        search.connect_signals()

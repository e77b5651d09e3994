from django.apps import AppConfig


class ContextRepoConfig(AppConfig):
    name = "context_repo"
    verbose_name = "Context repository"

    def ready(self) -> None:
        from context_repo import search

        search.connect_signals()

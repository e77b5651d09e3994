from django.apps import AppConfig


class ContextRepoConfig(AppConfig):
    name = "context_repo"
    verbose_name = "Context repository"

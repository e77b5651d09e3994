from django.apps import AppConfig


class LeadershipOsConfig(AppConfig):
    """The kernel: settings and URLs, people, surfaces, tags, roles, Markdown, htmx helpers and the shell."""

    name = "leadership_os"
    verbose_name = "Leadership OS"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from leadership_os import signals

        signals.connect()
        post_migrate.connect(_create_cache_table, sender=self, dispatch_uid="leadership-os-cache-table")


def _create_cache_table(using: str = "default", **kwargs: object) -> None:
    """`migrate` (and so `make run`, the tests' databases, the bench) creates the database cache's
    table when the cache is kept in the database; it does nothing if the table is there."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)

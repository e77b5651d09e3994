from django.apps import AppConfig


class RadarConfig(AppConfig):
    """The pure rules engine (`radar.engine`), the adapter that feeds it from the database, and the
    pages that read its result: the dashboard, the radar with its snoozes, the queue and the rules."""

    name = "radar"
    verbose_name = "Radar"

    def ready(self) -> None:
        from leadership_os import thresholds
        from radar import checks  # registers the start-up check of the thresholds

        thresholds.provide(checks.rule_thresholds)

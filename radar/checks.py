"""Start-up checks: a bad threshold is a clear error naming the setting, not a crash later."""

from typing import Any

from django.conf import settings
from django.core import checks

from radar.engine import ThresholdError, Thresholds


def rule_thresholds() -> dict[str, int]:
    """The rules engine's thresholds as validated whole numbers, keyed like RULES.md (`STALE_DAYS`).
    Raises ThresholdError naming the bad setting."""
    return Thresholds.from_settings(settings.LEADERSHIP_OS_RULES).as_settings()


@checks.register()
def check_rule_thresholds(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        rule_thresholds()
    except ThresholdError as error:
        return [checks.Error(str(error), id="leadership_os.E001")]
    return []

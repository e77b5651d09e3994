"""Start-up checks: a bad threshold is a clear error naming the setting, not a crash later."""

from typing import Any

from django.conf import settings
from django.core import checks


def rule_thresholds() -> dict[str, int]:
    """The rules engine's thresholds as validated whole numbers (raises ValueError naming the setting)."""
    values: dict[str, int] = {}
    for name, raw in settings.LEADERSHIP_OS_RULES.items():
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise ValueError(f"RULES_{name} must be a whole number of days or items, not {raw!r}") from None
        if value < 1:
            raise ValueError(f"RULES_{name} must be at least 1, not {value}")
        values[name] = value
    if values.get("STALE_HIGH_DAYS", 0) < values.get("STALE_DAYS", 0):
        raise ValueError("RULES_STALE_HIGH_DAYS must not be smaller than RULES_STALE_DAYS")
    return values


@checks.register()
def check_rule_thresholds(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        rule_thresholds()
    except ValueError as error:
        return [checks.Error(str(error), id="leadership_os.E001")]
    return []

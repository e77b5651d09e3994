"""Thresholds: RULES.md's defaults, validated, and a bad setting named in the error."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from radar.engine import OrgSnapshot, ThresholdError, Thresholds, describe_rules, evaluate

from .builders import AS_OF, RULE_ROWS, ago, ws

DEFAULTS = {
    "BLOCKED_ESCALATE_DAYS": 3,
    "ESCALATION_STALL_DAYS": 5,
    "STALE_DAYS": 7,
    "STALE_HIGH_DAYS": 14,
    "PREP_WINDOW_DAYS": 2,
    "SLIP_HIGH_DAYS": 7,
    "SIGNAL_CLUSTER_MIN": 3,
    "SIGNAL_WINDOW_DAYS": 14,
    "THEATER_WINDOW": 4,
    "QUEUE_SOON_DAYS": 7,
}


def test_the_defaults_are_rules_md_s() -> None:
    assert Thresholds().as_settings() == DEFAULTS
    assert Thresholds.from_settings({}) == Thresholds()


def test_settings_are_read_by_name_with_or_without_prefix_and_from_text() -> None:
    thresholds = Thresholds.from_settings({"STALE_DAYS": "10", "RULES_STALE_HIGH_DAYS": 21})
    assert (thresholds.stale_days, thresholds.stale_high_days) == (10, 21)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"STALE_DAYS": "seven"}, "RULES_STALE_DAYS must be a whole number of at least 1, not 'seven'"),
        ({"THEATER_WINDOW": 0}, "RULES_THEATER_WINDOW must be at least 1, not 0"),
        ({"QUEUE_SOON_DAYS": "-2"}, "RULES_QUEUE_SOON_DAYS must be at least 1, not -2"),
        ({"SLIP_HIGH_DAYS": 2.5}, "RULES_SLIP_HIGH_DAYS must be a whole number of at least 1, not 2.5"),
        ({"PREP_WINDOW_DAYS": True}, "RULES_PREP_WINDOW_DAYS must be a whole number"),
        ({"SIGNAL_CLUSTER_MIN": None}, "RULES_SIGNAL_CLUSTER_MIN must be a whole number"),
        ({"STALE_DAYS": 20}, "RULES_STALE_HIGH_DAYS must not be smaller than RULES_STALE_DAYS"),
        ({"STALE_DAYZ": 3}, "RULES_STALE_DAYZ is not a rules threshold"),
    ],
)
def test_a_bad_setting_is_a_clear_error_naming_it(values: dict[str, object], message: str) -> None:
    with pytest.raises(ThresholdError) as error:
        Thresholds.from_settings(values)
    assert message in str(error.value)


def test_thresholds_are_validated_when_built_directly_too() -> None:
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        Thresholds(stale_days=0)
    with pytest.raises(ValidationError, match="RULES_STALE_HIGH_DAYS"):
        Thresholds(stale_days=15)


def test_thresholds_change_what_fires() -> None:
    snapshot = OrgSnapshot(workstreams=(ws(last_update_on=ago(9)),))
    assert [i.severity for i in evaluate(snapshot, AS_OF).radar] == ["medium"]
    assert evaluate(snapshot, AS_OF, Thresholds(stale_days=10)).radar == ()
    assert [i.severity for i in evaluate(snapshot, AS_OF, Thresholds(stale_high_days=9)).radar] == ["high"]


def test_the_rules_page_words_carry_the_current_thresholds() -> None:
    words = {r.id: r for r in describe_rules(Thresholds(stale_days=10, stale_high_days=30, theater_window=6))}
    assert list(words) == RULE_ROWS
    assert "10 days" in words["stale-update"].description
    assert words["stale-update"].severity == "medium; high from 30 days"
    assert "last 6 held occurrences" in words["ritual-theater"].description
    assert words["signal-cluster-undecided"].subject == "theme"
    assert all("{" not in r.description and "{" not in r.severity for r in words.values())

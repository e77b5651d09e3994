"""The sample org is alive on any day: loaded on that day, every radar rule fires and every queue
bucket holds a decision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from orgfiles import snapshot
from radar.engine import BUCKETS, RULES, evaluate
from radar.engine_adapter import configured_thresholds, org_snapshot

pytestmark = pytest.mark.django_db

# A Monday, a Friday, a Sunday, the days around both daylight-saving changes, and a leap day.
LOAD_DAYS = [
    dt.date(2026, 11, 23),
    dt.date(2026, 11, 27),
    dt.date(2027, 3, 14),
    dt.date(2026, 11, 1),
    dt.date(2028, 2, 29),
]


@pytest.mark.parametrize("day", LOAD_DAYS, ids=str)
def test_on_the_day_it_is_loaded_every_rule_fires_and_every_bucket_is_filled(day, monkeypatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
    snapshot.load(snapshot.read_path(snapshot.DEFAULT_SAMPLE), today=day)
    result = evaluate(org_snapshot(), day, configured_thresholds())
    fired = {item.rule for item in result.radar}
    missing_rules = [rule.id for rule in RULES if rule.id not in fired]
    assert not missing_rules, f"rules that do not fire on {day}: {missing_rules}"
    filled = {item.bucket for item in result.queue}
    missing_buckets = [bucket for bucket in BUCKETS if bucket not in filled]
    assert not missing_buckets, f"empty buckets on {day}: {missing_buckets}"


def test_the_sample_org_is_a_story_not_a_test_fixture() -> None:
    document = snapshot.read_path(snapshot.DEFAULT_SAMPLE)
    text = str(document).lower()
    for placeholder in ("lorem", "ipsum", "foo", "todo", "xxx", "decision 1", "test decision"):
        assert placeholder not in text
    counts = {name: len(items) for name, items in document.items() if isinstance(items, list)}
    assert counts["decisions"] >= 25
    assert counts["workstreams"] >= 15
    assert counts["engagements"] >= 8
    assert counts["rituals"] >= 8
    assert counts["context"] >= 35

"""The translatable rule titles stay in step with rules.csv."""

from __future__ import annotations

from ccops.core.ruleset import all_rules
from ccops.policy import rule_titles


def test_every_rule_title_and_area_is_marked_for_translation() -> None:
    rules = all_rules().values()
    assert [r.title for r in rules] == rule_titles.TITLES
    assert {r.area for r in rules} == set(rule_titles.AREAS)

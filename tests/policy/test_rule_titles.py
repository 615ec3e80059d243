"""The translatable rule titles stay in step with rules.csv."""

from __future__ import annotations

from typing import Any

from ccops.core.ruleset import all_rules
from ccops.policy import rule_titles


def test_every_rule_title_and_area_is_marked_for_translation() -> None:
    rules = all_rules().values()
    assert [r.title for r in rules] == rule_titles.TITLES
    assert {r.area for r in rules} == set(rule_titles.AREAS)


def test_rule_pages_speak_chinese(center: Any, admin_client: Any) -> None:
    admin_client.cookies["django_language"] = "zh-hans"
    page = admin_client.get("/rules/").content.decode()
    assert "班长与客服代表配比" in page and "考勤" in page
    rule = admin_client.get("/api/policy/rules/ORG-01").json()
    assert rule["title"] == "班长与客服代表配比"

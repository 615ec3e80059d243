"""Pytest plugin: `@pytest.mark.rule("ATT-08")` and a summary of how many rule ids ran.

Rule ids travel on each report's user_properties, so the count also works under xdist.
"""

from __future__ import annotations

from typing import Any

import pytest

RULE_TOTAL = 77
_seen: set[str] = set()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "rule(id): the test exercises a rule from rules.csv")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Any:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        for marker in item.iter_markers("rule"):
            for rule_id in marker.args:
                report.user_properties.append(("rule", rule_id))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and report.passed:
        _seen.update(value for name, value in report.user_properties if name == "rule")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _seen:
        ids = ", ".join(sorted(_seen))
        terminalreporter.write_line(f"rule ids exercised: {len(_seen)} of {RULE_TOTAL} ({ids})")
    else:
        terminalreporter.write_line(f"rule ids exercised: 0 of {RULE_TOTAL}")

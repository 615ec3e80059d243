"""Leave rules (ATT-02..07) in the core: approver by length, lead times, blackout days,
night shifts counted double, sick leave without a certificate, entitlements."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ccops.core.errors import InputError
from ccops.core.leave import (
    LeaveKind,
    LeaveRequest,
    LeaveRules,
    counted_kind,
    entitlement,
    is_late_marriage,
    leave_approver_for,
    leave_days,
    paperwork_due,
    refusals,
)
from ccops.core.ruleset import DEFAULTS

RULES = LeaveRules.of(
    {rule: DEFAULTS[rule] for rule in ("ATT-02", "ATT-03", "ATT-05", "ATT-06", "ATT-07")}
)
MONDAY = dt.date(2026, 12, 7)


def ask(kind: LeaveKind, days: int = 1, ahead: int = 10, **facts: object) -> LeaveRequest:
    first = MONDAY + dt.timedelta(days=ahead)
    return LeaveRequest(
        kind,
        first,
        first + dt.timedelta(days=days - 1),
        asked_on=MONDAY,
        **facts,  # type: ignore[arg-type]
    )


@pytest.mark.rule("ATT-02")
@pytest.mark.parametrize(
    ("days", "level"),
    [
        (0.5, "area_manager"),
        (1, "area_manager"),
        (1.5, "operations_supervisor"),
        (3, "operations_supervisor"),
        (4, "center_director"),
        (7, "center_director"),
        (8, "department_manager"),
        (90, "department_manager"),
    ],
)
def test_the_approver_follows_the_length(days, level):
    assert leave_approver_for(days, RULES)[0] == level


@pytest.mark.rule("ATT-02")
@given(st.floats(min_value=0.5, max_value=400), st.floats(min_value=0.5, max_value=400))
def test_a_longer_request_never_goes_to_a_lower_level(a, b):
    order = [level for _, level in RULES.approvers]
    short, long_ = sorted((a, b))
    assert order.index(leave_approver_for(short, RULES)[0]) <= order.index(
        leave_approver_for(long_, RULES)[0]
    )


@pytest.mark.rule("ATT-03")
def test_lead_times_by_kind():
    assert refusals(ask(LeaveKind.PERSONAL, ahead=1), RULES, {}) == []
    late = refusals(ask(LeaveKind.PERSONAL, ahead=0), RULES, {})
    assert [(r.rule, r.words) for r in late] == [
        ("ATT-03", "personal leave is asked 1 days ahead, this is 0")
    ]
    assert refusals(ask(LeaveKind.MARRIAGE, days=3, ahead=7), RULES, {}) == []
    assert [r.rule for r in refusals(ask(LeaveKind.MARRIAGE, days=3, ahead=6), RULES, {})] == [
        "ATT-03"
    ]
    assert [r.rule for r in refusals(ask(LeaveKind.MATERNITY, days=90, ahead=3), RULES, {})] == [
        "ATT-03"
    ]


@pytest.mark.rule("ATT-03")
def test_sudden_illness_is_asked_on_the_day_and_its_papers_follow_within_two_days():
    sudden = ask(LeaveKind.SICK, ahead=0, sudden=True, certificate=True)
    assert refusals(sudden, RULES, {}) == []
    assert paperwork_due(sudden, RULES) == sudden.first_day + dt.timedelta(days=2)
    assert paperwork_due(ask(LeaveKind.PERSONAL), RULES) is None


@pytest.mark.rule("ATT-04")
def test_sick_leave_without_a_certificate_counts_as_personal():
    assert counted_kind(ask(LeaveKind.SICK, certificate=False)) == LeaveKind.PERSONAL
    assert counted_kind(ask(LeaveKind.SICK, certificate=True)) == LeaveKind.SICK
    assert counted_kind(ask(LeaveKind.MARRIAGE)) == LeaveKind.MARRIAGE


@pytest.mark.rule("ATT-05")
def test_blackout_days_refuse_with_the_reason_and_the_swap():
    request = ask(LeaveKind.PERSONAL, days=3)
    blocked = {request.first_day + dt.timedelta(days=1): "billing_day"}
    found = refusals(request, RULES, blocked)
    day = (request.first_day + dt.timedelta(days=1)).isoformat()
    assert [(r.rule, r.words) for r in found] == [
        ("ATT-05", f"no leave on {day} (billing_day): swap shifts with a colleague")
    ]
    other = {request.first_day: "team_outing"}  # not a blackout kind of the rules
    assert refusals(request, RULES, other) == []


@pytest.mark.rule("ATT-06")
def test_a_night_shift_of_leave_counts_as_two_days():
    request = ask(LeaveKind.PERSONAL, days=3)
    assert leave_days(request, [], RULES) == 3
    assert leave_days(request, [request.first_day, MONDAY], RULES) == 4  # one night inside
    assert leave_approver_for(leave_days(request, [request.first_day], RULES), RULES)[0] == (
        "center_director"
    )


@pytest.mark.rule("ATT-07")
def test_entitlements():
    assert entitlement(ask(LeaveKind.MARRIAGE, days=3), RULES) == 3
    assert entitlement(ask(LeaveKind.MARRIAGE, late_marriage=True), RULES) == 10
    assert entitlement(ask(LeaveKind.MATERNITY), RULES) == 90
    assert entitlement(ask(LeaveKind.MATERNITY, difficult_birth=True, babies=2), RULES) == 120
    assert entitlement(ask(LeaveKind.BEREAVEMENT), RULES) == 3
    assert entitlement(ask(LeaveKind.PERSONAL), RULES) is None
    assert is_late_marriage(25, "m", RULES) and not is_late_marriage(24, "m", RULES)
    assert is_late_marriage(23, "f", RULES) and not is_late_marriage(22, "f", RULES)
    too_long = refusals(ask(LeaveKind.BEREAVEMENT, days=4), RULES, {})
    assert [(r.rule, r.words) for r in too_long] == [
        ("ATT-07", "4 days asked, bereavement leave gives at most 3")
    ]
    annual = refusals(ask(LeaveKind.ANNUAL), RULES, {})
    assert [r.words for r in annual] == ["this center gives no annual leave"]


def test_a_request_ending_before_it_starts_is_refused():
    backwards = LeaveRequest(LeaveKind.PERSONAL, MONDAY, MONDAY - dt.timedelta(days=1), MONDAY)
    with pytest.raises(InputError):
        refusals(backwards, RULES, {})

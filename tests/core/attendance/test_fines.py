"""A month's fines: bands, half days, surcharges, absences, dismissal, explained lines."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccops.core.attendance import default_policy, month_fines, policy_from_rules
from ccops.core.attendance.fines import DISMISSAL, NO_MONTHLY_BONUS
from ccops.core.ruleset import DEFAULTS
from tests.core.attendance.builders import absent, early, late, late_and_early, worked

POLICY = default_policy()


def fines_of(*days):
    return month_fines("A", days, POLICY)


def surcharges(result) -> list[Decimal]:
    return [line.amount for line in result.lines if "surcharge" in line.reason]


@pytest.mark.rule("ATT-08", "ATT-09")
@pytest.mark.parametrize(
    ("minutes", "rule", "amount"),
    [
        (1, "ATT-08", "2"),
        (5, "ATT-08", "2"),
        (6, "ATT-08", "5"),
        (10, "ATT-08", "5"),
        (11, "ATT-08", "5"),
        (30, "ATT-08", "5"),
        (31, "ATT-09", "25"),
    ],
)
@pytest.mark.parametrize("side", [late, early])
def test_each_late_arrival_or_early_leave_is_fined_by_its_band(side, minutes, rule, amount) -> None:
    result = fines_of(side("2026-10-05", minutes))
    [line] = result.lines
    assert (line.rule, line.amount) == (rule, Decimal(amount))
    assert [(e.kind, e.minutes) for e in line.events] == [(side.__name__, minutes)]
    assert str(minutes) in line.reason


@pytest.mark.rule("ATT-08")
def test_on_time_costs_nothing() -> None:
    result = fines_of(worked("2026-10-05", "07:58", "17:02"))
    assert (result.lines, result.total, result.late_count, result.early_count) == ((), 0, 0, 0)


@pytest.mark.rule("ATT-08")
def test_late_and_early_the_same_day_are_two_fines() -> None:
    result = fines_of(worked("2026-10-05", "08:04", "16:52"))
    assert [(line.rule, line.amount, line.events[0].kind) for line in result.lines] == [
        ("ATT-08", Decimal("2"), "late"),
        ("ATT-08", Decimal("5"), "early"),
    ]
    assert (result.late_count, result.early_count, result.total) == (1, 1, Decimal("7"))


@pytest.mark.rule("ATT-08")
def test_eleven_to_thirty_minutes_follow_the_setting() -> None:
    policy = policy_from_rules(
        {**DEFAULTS["ATT-08"], "fine_above_last_band": "8"}, DEFAULTS["ATT-09"], DEFAULTS["ATT-10"]
    )
    days = [late("2026-10-05", 10), late("2026-10-07", 11), late("2026-10-09", 30)]
    lines = month_fines("A", days, policy).lines[:3]  # then the run's surcharge
    assert [line.amount for line in lines] == [5, 8, 8]
    assert "11-30 min" in lines[1].reason


@pytest.mark.rule("ATT-08")
def test_three_scheduled_days_in_a_row_across_a_day_off_add_20() -> None:
    # the 7th is not scheduled: the 6th and the 8th are consecutive scheduled days
    result = fines_of(late("2026-10-05", 3), late("2026-10-06", 3), late("2026-10-08", 3))
    [surcharge] = [line for line in result.lines if "surcharge" in line.reason]
    assert (surcharge.rule, surcharge.amount) == ("ATT-08", Decimal("20"))
    assert [e.day.day for e in surcharge.events] == [5, 6, 8]
    assert "3 scheduled days in a row" in surcharge.reason
    assert result.total == 2 + 2 + 2 + 20


@pytest.mark.rule("ATT-08")
def test_a_scheduled_day_on_time_breaks_the_run() -> None:
    days = [
        late("2026-10-05", 3),
        late("2026-10-06", 3),
        worked("2026-10-07"),
        late("2026-10-08", 3),
    ]
    assert surcharges(fines_of(*days)) == []


@pytest.mark.rule("ATT-08", "ATT-09")
def test_half_day_absences_are_not_lateness_incidents() -> None:
    days = [late("2026-10-05", 31), late("2026-10-06", 45), late("2026-10-07", 60)]
    result = fines_of(*days)
    assert surcharges(result) == []
    assert (result.late_count, len(result.half_days)) == (0, 3)


@pytest.mark.rule("ATT-08")
def test_a_surcharge_is_paid_once_a_month_however_long_the_run() -> None:
    days = [late(f"2026-10-{d:02d}", 3) for d in (5, 6, 7, 8)]
    assert surcharges(fines_of(*days)) == [20]


@pytest.mark.rule("ATT-08")
def test_five_in_a_row_reaches_both_surcharges_and_they_add_up() -> None:
    days = [late(f"2026-10-{d:02d}", 3) for d in (5, 6, 7, 8, 9)]
    result = fines_of(*days)
    assert surcharges(result) == [20, 50]
    assert result.total == 5 * 2 + 70


@pytest.mark.rule("ATT-08")
def test_five_and_ten_in_the_month_reach_the_surcharges_without_a_run() -> None:
    days = [
        late(f"2026-10-{d:02d}", 3) if d % 2 else worked(f"2026-10-{d:02d}") for d in range(1, 21)
    ]
    result = fines_of(*days)
    twenty, fifty = (line for line in result.lines if "surcharge" in line.reason)
    assert (twenty.amount, fifty.amount) == (20, 50)
    assert "5 lateness or early leave incidents in the month" in twenty.reason
    assert [e.day.day for e in twenty.events] == [1, 3, 5, 7, 9]
    assert len(fifty.events) == 10


@pytest.mark.rule("ATT-08")
def test_late_and_early_count_apart_in_the_month() -> None:
    days = [worked(f"2026-10-{d:02d}", "08:03", "16:58") for d in (1, 3, 5)]
    result = fines_of(*days)  # 3 scheduled days in a row, 6 incidents
    assert (result.late_count, result.early_count) == (3, 3)
    [line] = [line for line in result.lines if "surcharge" in line.reason]
    assert "in a row" in line.reason and "in the month" in line.reason
    assert len(line.events) == 6


@pytest.mark.rule("ATT-10")
def test_an_absent_day_costs_the_day_fine_and_the_monthly_bonus() -> None:
    result = fines_of(absent("2026-10-05"), worked("2026-10-06"))
    [line] = result.lines
    assert (line.rule, line.amount, line.events[0].kind) == ("ATT-10", Decimal("50"), "absent")
    assert result.no_monthly_bonus and not result.dismissal
    assert [c.kind for c in result.consequences] == [NO_MONTHLY_BONUS]


@pytest.mark.rule("ATT-09", "ATT-10")
def test_a_half_day_costs_half_and_the_monthly_bonus() -> None:
    result = fines_of(late("2026-10-05", 31))
    assert [(line.rule, line.amount) for line in result.lines] == [("ATT-09", Decimal("25"))]
    assert result.no_monthly_bonus and result.absence_days == Decimal("0.5")


@pytest.mark.rule("ATT-09")
def test_very_late_and_very_early_the_same_day_are_two_half_days() -> None:
    result = fines_of(worked("2026-10-05", "08:40", "16:00"))
    assert [line.amount for line in result.lines] == [25, 25]
    assert result.absence_days == 1


@pytest.mark.rule("ATT-10")
@pytest.mark.parametrize(
    ("full", "half", "dismissed"),
    [(3, 0, True), (2, 0, False), (2, 2, True), (2, 1, False), (0, 6, True)],
)
def test_three_absence_days_in_a_month_flag_dismissal(full, half, dismissed) -> None:
    days = [absent(f"2026-10-{d:02d}") for d in range(1, full + 1)]
    days += [late(f"2026-10-{d:02d}", 45) for d in range(11, 11 + half)]
    result = fines_of(*days)
    assert result.dismissal is dismissed
    if dismissed:
        [consequence] = [c for c in result.consequences if c.kind == DISMISSAL]
        assert consequence.rule == "ATT-10" and len(consequence.events) == full + half


@pytest.mark.rule("ATT-08")
def test_every_line_explains_itself() -> None:
    result = fines_of(late("2026-10-05", 7))
    assert (
        result.lines[0].explain()
        == "ATT-08 5.00: late 7 min (up to 10 min) [2026-10-05 late 7 min]"
    )


day_shapes = st.one_of(
    st.tuples(st.integers(-20, 90), st.integers(-20, 90)),
    st.just(None),
)


@pytest.mark.rule("ATT-08", "ATT-09", "ATT-10")
@settings(max_examples=60, deadline=None)
@given(st.lists(day_shapes, max_size=31))
def test_fines_are_never_negative_and_the_total_is_the_sum_of_lines(shapes) -> None:
    days = [
        absent(f"2026-10-{number:02d}")
        if shape is None
        else late_and_early(f"2026-10-{number:02d}", *shape)
        for number, shape in enumerate(shapes, start=1)
    ]
    result = fines_of(*days)
    assert all(line.amount >= 0 for line in result.lines)
    assert result.total == sum(line.amount for line in result.lines)
    assert result.total.as_tuple().exponent == -2
    assert len(surcharges(result)) <= len(POLICY.surcharges)
    assert result.late_count + result.early_count == len(result.incidents)
    assert all(line.rule in {"ATT-08", "ATT-09", "ATT-10"} and line.events for line in result.lines)

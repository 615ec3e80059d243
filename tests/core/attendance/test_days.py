"""What a shift's punches say: minutes late and early, absence, flags, contradictions."""

from __future__ import annotations

import pytest

from ccops.core.attendance import assess_shift, early_minutes, late_minutes
from ccops.core.attendance.days import MISSING_IN, MISSING_OUT
from ccops.core.errors import InputError
from tests.core.attendance.builders import punch, shift


@pytest.mark.rule("ATT-08")
def test_minutes_late_count_from_the_start_to_the_first_in() -> None:
    day = assess_shift(
        shift(),
        [punch("2026-10-05 08:07"), punch("2026-10-05 08:09"), punch("2026-10-05 17:00", "out")],
    )
    assert (day.late_minutes, day.early_minutes, day.flags, day.absent) == (7, 0, (), False)


@pytest.mark.rule("ATT-08")
def test_minutes_early_count_from_the_last_out_to_the_end() -> None:
    day = assess_shift(
        shift(),
        [
            punch("2026-10-05 07:50"),
            punch("2026-10-05 12:00", "out"),  # lunch
            punch("2026-10-05 12:30"),
            punch("2026-10-05 16:48", "out"),
        ],
    )
    assert (day.late_minutes, day.early_minutes, day.flags) == (0, 12, ())


@pytest.mark.rule("ATT-08")
def test_seconds_are_dropped_as_the_clock_shows_the_minute() -> None:
    assert late_minutes(shift(), punch("2026-10-05 08:05:59")) == 5
    assert early_minutes(shift(), punch("2026-10-05 16:54:30", "out")) == 6
    assert late_minutes(shift(), punch("2026-10-05 07:59:59")) == 0


@pytest.mark.rule("ATT-08")
def test_overnight_shift_measures_across_midnight() -> None:
    night = shift("2026-10-06", "22:00", "06:00")
    day = assess_shift(night, [punch("2026-10-06 22:04"), punch("2026-10-07 05:31", "out")])
    assert (day.late_minutes, day.early_minutes) == (4, 29)


@pytest.mark.rule("ATT-10")
def test_a_day_without_punches_is_an_absence_not_a_flag() -> None:
    day = assess_shift(shift(), [])
    assert day.absent and day.flags == ()
    assert (day.late_minutes, day.early_minutes) == (None, None)


@pytest.mark.rule("ATT-08")
def test_a_missing_out_is_flagged_and_early_leave_is_not_guessed() -> None:
    day = assess_shift(shift(), [punch("2026-10-05 08:03")])
    assert day.flags == (MISSING_OUT,)
    assert (day.late_minutes, day.early_minutes) == (3, None)


@pytest.mark.rule("ATT-08")
def test_a_missing_in_is_flagged_and_lateness_is_not_guessed() -> None:
    day = assess_shift(shift(), [punch("2026-10-05 16:40", "out")])
    assert day.flags == (MISSING_IN,)
    assert (day.late_minutes, day.early_minutes) == (None, 20)


def test_an_out_before_the_first_in_flags_a_missing_in() -> None:
    day = assess_shift(
        shift(),
        [
            punch("2026-10-05 07:55", "out"),
            punch("2026-10-05 08:20"),
            punch("2026-10-05 17:00", "out"),
        ],
    )
    assert day.flags == (MISSING_IN,) and day.late_minutes is None


def test_an_in_after_the_last_out_flags_a_missing_out() -> None:
    day = assess_shift(
        shift(),
        [punch("2026-10-05 08:00"), punch("2026-10-05 12:00", "out"), punch("2026-10-05 12:30")],
    )
    assert day.flags == (MISSING_OUT,) and day.early_minutes is None


def test_an_out_before_the_in_of_its_pair_is_an_error() -> None:
    swapped = [punch("2026-10-05 17:00", row=3), punch("2026-10-05 08:00", "out", row=4)]
    with pytest.raises(InputError) as caught:
        assess_shift(shift(), swapped)
    error = caught.value
    assert (error.field, error.code, error.row) == ("punch_time", "out_before_in", 4)
    assert "row 3" in error.reason

"""Punches attributed to their shift day; rosters and punches that cannot be trusted."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccops.core.attendance import Punch, attribute, shift_day_of
from ccops.core.attendance.punches import check_punches, check_roster
from ccops.core.errors import InputError
from tests.core.attendance.builders import punch, shift


def test_punches_after_midnight_belong_to_the_night_shift_day() -> None:
    night = shift("2026-10-06", "22:00", "06:00")
    found = attribute(
        [night], [punch("2026-10-06 21:55"), punch("2026-10-07 06:01", "out")]
    ).by_shift[night]
    assert [p.at.date() for p in found] == [dt.date(2026, 10, 6), dt.date(2026, 10, 7)]
    assert night.day == dt.date(2026, 10, 6)


def test_a_punch_near_no_shift_is_listed_not_dropped() -> None:
    day = shift("2026-10-05")
    stray = punch("2026-10-05 21:01", "out")  # 4 h 1 min after the end
    near = punch("2026-10-05 21:00", "out")  # exactly on the window's edge
    result = attribute([day], [stray, near])
    assert result.unattributed == (stray,)
    assert result.by_shift[day] == (near,)


def test_the_window_is_a_parameter() -> None:
    day = shift("2026-10-05")
    result = attribute([day], [punch("2026-10-05 06:30")], window=dt.timedelta(hours=1))
    assert result.by_shift[day] == ()
    assert len(result.unattributed) == 1


def test_between_close_shifts_an_in_goes_to_the_nearer_start_an_out_to_the_nearer_end() -> None:
    evening, morning = shift("2026-10-05", "14:00", "22:00"), shift("2026-10-06", "04:00", "12:00")
    shifts = [morning, evening]  # any order
    assert shift_day_of(punch("2026-10-06 01:00", "out"), shifts) is evening
    assert shift_day_of(punch("2026-10-06 01:00", "in"), shifts) is morning


def test_every_shift_is_in_the_attribution_even_without_punches() -> None:
    shifts = [shift("2026-10-05"), shift("2026-10-06"), shift("2026-10-05", employee="B")]
    assert list(attribute(shifts, []).by_shift) == shifts


def test_punches_of_people_not_on_the_roster_are_refused() -> None:
    with pytest.raises(InputError) as caught:
        attribute([shift()], [punch("2026-10-05 08:00", employee="Z", row=4)])
    assert (caught.value.field, caught.value.code, caught.value.row) == ("employee", "unknown", 4)


def test_an_exact_duplicate_punch_is_refused_on_its_second_row() -> None:
    twice = [punch("2026-10-05 08:00", row=2), punch("2026-10-05 08:00", row=5)]
    with pytest.raises(InputError) as caught:
        check_punches(twice, ["A"])
    assert (caught.value.code, caught.value.row) == ("duplicate", 5)
    assert "row 2" in caught.value.reason


def test_the_same_time_in_and_out_is_not_a_duplicate() -> None:
    check_punches([punch("2026-10-05 08:00"), punch("2026-10-05 08:00", "out")], ["A"])


def test_a_roster_overlapping_itself_is_refused() -> None:
    night = shift("2026-10-05", "22:00", "06:00")
    morning = shift("2026-10-06", "05:00", "13:00")
    with pytest.raises(InputError) as caught:
        check_roster([morning, night])
    assert (caught.value.field, caught.value.code) == ("shift_start", "overlap")
    assert caught.value.value == morning.start


def test_two_shifts_of_one_person_on_one_day_are_refused() -> None:
    with pytest.raises(InputError) as caught:
        check_roster([shift("2026-10-05", "08:00", "10:00"), shift("2026-10-05", "18:00", "20:00")])
    assert (caught.value.field, caught.value.code) == ("date", "duplicate")


def test_other_peoples_shifts_may_overlap() -> None:
    check_roster([shift(), shift(employee="B")])


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 60 * 24 * 10), st.sampled_from(["in", "out"])),
        unique=True,
        max_size=40,
    )
)
def test_every_punch_ends_in_exactly_one_bucket(offsets) -> None:
    shifts = [shift(f"2026-10-{d:02d}", "22:00", "06:00") for d in (1, 3, 4, 8)]
    start = dt.datetime(2026, 10, 1)
    punches = [Punch("A", start + dt.timedelta(minutes=m), d) for m, d in offsets]
    result = attribute(shifts, punches)
    placed = [p for found in result.by_shift.values() for p in found] + list(result.unattributed)
    assert sorted(placed, key=repr) == sorted(punches, key=repr)
    window = dt.timedelta(hours=4)
    for owner, found in result.by_shift.items():
        assert all(owner.start - window <= p.at <= owner.end + window for p in found)

"""ATT-01: shift days reconciled against ACD states; FLOOR-03: breaks overrun."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccops.core.attendance import assess_shift
from ccops.core.attendance.acd import STATES, AgentState, StateName
from ccops.core.attendance.activity import Away, Window, breakdown, first_login, last_logout
from ccops.core.attendance.audit import (
    ABSENT_BUT_LOGGED_IN,
    BREAK_OVERRUN,
    LOGGED_IN_WHILE_CLOCKED_OUT,
    LOGIN_AFTER_CLOCK_IN,
    LOGIN_BEFORE_CLOCK_IN,
    LOGIN_WITHOUT_SHIFT,
    LOGOUT_AFTER_CLOCK_OUT,
    LOGOUT_BEFORE_CLOCK_OUT,
    NEVER_LOGGED_IN,
    UNAPPROVED_OVERTIME,
    ReconcileSettings,
)
from ccops.core.attendance.days import MISSING_IN, MISSING_OUT, ShiftDay
from ccops.core.attendance.reconcile import DayReconciliation, reconcile_day, reconcile_month
from ccops.core.errors import InputError
from tests.core.attendance.builders import at, punch, shift

DAY = "2026-10-05"
NOW = at("2026-11-01 00:00")
HOUR = 3600


def state(
    start: str,
    end: str | None,
    name: StateName = "ready",
    reason: str = "",
    agent: str = "A",
    day: str = DAY,
) -> AgentState:
    """A state from ``start`` to ``end`` (HH:MM on ``day``, or a full date and time;
    an end before the start is on the next day)."""
    begins = at(start if " " in start else f"{day} {start}")
    ends = None if end is None else at(end if " " in end else f"{day} {end}")
    if ends is not None and ends < begins:
        ends += dt.timedelta(days=1)
    return AgentState(agent, name, begins, ends, reason)


def clocked(arrive: str | None = "08:00", leave: str | None = "17:00", day: str = DAY) -> ShiftDay:
    """The 08:00-17:00 shift of ``day`` with an in at ``arrive`` and an out at ``leave``."""
    punches = []
    if arrive:
        punches.append(punch(f"{day} {arrive}", "in"))
    if leave:
        punches.append(punch(f"{day} {leave}", "out"))
    return assess_shift(shift(day), punches)


def planned(day: str = DAY) -> tuple[Away, ...]:
    """Two 15-minute breaks and an hour's lunch."""
    return (
        Away("break", at(f"{day} 10:00"), 15),
        Away("lunch", at(f"{day} 12:00"), 60),
        Away("break", at(f"{day} 15:00"), 15),
    )


def perfect_states(day: str = DAY) -> list[AgentState]:
    return [
        state("08:00", "10:00", day=day),
        state("10:00", "10:15", "not_ready", "break", day=day),
        state("10:15", "12:00", day=day),
        state("12:00", "13:00", "not_ready", "lunch", day=day),
        state("13:00", "14:00", "on_call", day=day),
        state("14:00", "14:10", "acw", day=day),
        state("14:10", "15:00", day=day),
        state("15:00", "15:15", "not_ready", "break", day=day),
        state("15:15", "17:00", day=day),
        state("17:00", None, "logged_out", day=day),
    ]


def kinds(result: DayReconciliation) -> list[str]:
    return [found.kind for found in result.discrepancies]


def only(result: DayReconciliation, kind: str) -> tuple[int | None, str]:
    (found,) = [found for found in result.discrepancies if found.kind == kind]
    return found.minutes, found.detail


@pytest.mark.rule("ATT-01")
def test_a_perfect_day_adheres_fully_with_nothing_to_audit() -> None:
    result = reconcile_day(clocked(), perfect_states(), now=NOW, away=planned())
    assert result.adherence.value == 1 and result.conformance.value == 1
    assert (result.adherence.numerator, result.adherence.denominator) == (9 * HOUR, 9 * HOUR)
    assert (result.conformance.numerator, result.conformance.denominator) == (7.5 * HOUR,) * 2
    assert result.discrepancies == ()
    assert (result.first_login, result.last_logout) == (at(f"{DAY} 08:00"), at(f"{DAY} 17:00"))
    assert (result.login_before_start, result.logout_after_end) == (0, 0)
    assert result.states.ready == 6.5 * HOUR - 600 and result.states.not_ready == 1.5 * HOUR
    assert (result.states.on_call, result.states.acw) == (HOUR, 600)
    assert result.logged_in_seconds == result.scheduled_seconds == 9 * HOUR
    assert result.overtime.worked_seconds == 0


@pytest.mark.rule("ATT-01")
def test_first_login_and_last_logout_skip_logged_out_time() -> None:
    found = [(-600, -300, "logged_out", ""), (-300, 100, "ready", ""), (100, 900, "acw", "")]
    found += [(900, 2000, "logged_out", "")]
    assert (first_login(found), last_logout(found)) == (-300, 900)
    seen = breakdown(found, 1000, [(0, 100)])
    assert (seen.first_login, seen.last_logout) == (-300, 900)
    assert (seen.overtime.before_seconds, seen.states.ready, seen.states.acw) == (300, 100, 800)
    assert (seen.on_phones, seen.busy_on_break, seen.worked) == (800, 100, 800)
    assert (first_login([]), last_logout([(0, 5, "logged_out", "")])) == (None, None)


@pytest.mark.rule("ATT-01")
def test_a_late_login_lowers_adherence_and_is_audited_against_the_clock_in() -> None:
    result = reconcile_day(clocked("07:58"), [state("08:20", "17:00")], now=NOW)
    assert result.login_before_start == -20 * 60
    assert result.adherence.value == Fraction(9 * 60 - 20, 9 * 60)
    assert result.conformance.value == Fraction(9 * 60 - 20, 9 * 60)
    minutes, detail = only(result, LOGIN_AFTER_CLOCK_IN)
    assert minutes == 22
    assert detail == "clocked in at 07:58, logged in only at 08:20, 22 minutes later"


@pytest.mark.rule("ATT-01")
def test_an_early_logout_is_measured_and_audited_against_the_clock_out() -> None:
    states = [state("08:00", "16:30"), state("16:30", "18:00", "logged_out")]
    result = reconcile_day(clocked(), states, now=NOW)
    assert result.logout_after_end == -30 * 60
    assert result.logged_in_seconds == 8.5 * HOUR
    minutes, detail = only(result, LOGOUT_BEFORE_CLOCK_OUT)
    assert minutes == 30
    assert detail == "logged out at 16:30, 30 minutes before clocking out at 17:00"


@pytest.mark.rule("ATT-01")
def test_clocked_in_but_never_logged_in() -> None:
    result = reconcile_day(clocked(), [], now=NOW, away=planned())
    assert kinds(result) == [NEVER_LOGGED_IN]
    assert only(result, NEVER_LOGGED_IN)[0] == 9 * 60
    assert (result.first_login, result.login_before_start) == (None, None)
    assert result.adherence.numerator == 1.5 * HOUR  # off the phones on the breaks, as planned
    assert result.conformance.value == 0


@pytest.mark.rule("ATT-01")
def test_logging_in_long_before_clocking_in_is_audited_past_the_threshold() -> None:
    states = [state("07:30", "17:00")]
    result = reconcile_day(clocked("07:50"), states, now=NOW)
    assert result.login_before_start == 30 * 60
    assert only(result, LOGIN_BEFORE_CLOCK_IN) == (
        20,
        "logged in at 07:30, 20 minutes before clocking in at 07:50",
    )
    assert only(result, UNAPPROVED_OVERTIME)[0] == 30
    at_threshold = reconcile_day(clocked("07:45"), states, now=NOW)
    assert LOGIN_BEFORE_CLOCK_IN not in kinds(at_threshold)


@pytest.mark.rule("ATT-01")
def test_the_thresholds_come_from_the_settings() -> None:
    strict = ReconcileSettings(login_before_clock_in_minutes=5, unapproved_overtime_minutes=60)
    result = reconcile_day(clocked("07:50"), [state("07:40", "17:00")], now=NOW, settings=strict)
    assert kinds(result) == [LOGIN_BEFORE_CLOCK_IN]


@pytest.mark.rule("ATT-01")
def test_overtime_inside_an_approved_window_is_not_audited() -> None:
    states = [state("07:00", "18:30"), state("18:30", "19:00", "logged_out")]
    approved = [Window(at(f"{DAY} 07:00"), at(f"{DAY} 08:00"))]
    result = reconcile_day(clocked("06:58", "18:31"), states, now=NOW, approved=approved)
    extra = result.overtime
    assert (extra.before_seconds, extra.after_seconds) == (HOUR, 1.5 * HOUR)
    assert (extra.approved_seconds, extra.unapproved_seconds) == (HOUR, 1.5 * HOUR)
    assert kinds(result) == [UNAPPROVED_OVERTIME]
    assert only(result, UNAPPROVED_OVERTIME)[0] == 90


@pytest.mark.rule("ATT-01", "FLOOR-03")
def test_a_break_overrun_past_the_away_limit_is_audited() -> None:
    states = [
        state("08:00", "10:00"),
        state("10:00", "10:10", "not_ready", "break"),
        state("10:10", "10:21", "not_ready", "toilet"),
        state("10:21", "17:00"),
    ]
    away = (Away("break", at(f"{DAY} 10:00"), 15),)
    result = reconcile_day(clocked(), states, now=NOW, away=away)
    (found,) = result.discrepancies
    assert (found.kind, found.rule, found.minutes) == (BREAK_OVERRUN, "FLOOR-03", 6)
    assert found.detail == (
        "not ready (break, toilet) from 10:00 to 10:21, 6 minutes over the 15 minutes "
        "planned; at most 5 minutes over"
    )
    assert result.adherence.numerator == 9 * HOUR - 6 * 60


@pytest.mark.rule("FLOOR-03")
def test_away_within_five_minutes_of_the_plan_or_unplanned_up_to_five_is_fine() -> None:
    states = [
        state("08:00", "10:00"),
        state("10:00", "10:20", "not_ready", "break"),
        state("10:20", "14:00"),
        state("14:00", "14:05", "not_ready", "toilet"),
        state("14:05", "17:00"),
    ]
    away = (Away("break", at(f"{DAY} 10:00"), 15),)
    assert reconcile_day(clocked(), states, now=NOW, away=away).discrepancies == ()
    states[3:] = [state("14:00", "14:06", "not_ready", "toilet"), state("14:06", "17:00")]
    result = reconcile_day(clocked(), states, now=NOW, away=away)
    assert only(result, BREAK_OVERRUN)[0] == 6


@pytest.mark.rule("FLOOR-03")
def test_not_ready_outside_the_shift_is_not_time_away() -> None:
    states = [state("07:30", "07:50", "not_ready", "coffee"), state("07:50", "17:00")]
    result = reconcile_day(clocked("07:49"), states, now=NOW)
    assert BREAK_OVERRUN not in kinds(result)
    states = [state("07:50", "16:50"), state("16:50", "17:30", "not_ready", "coffee")]
    result = reconcile_day(clocked("07:49", "17:31"), states, now=NOW)
    assert only(result, BREAK_OVERRUN)[0] == 10  # 16:50-17:00, inside the shift


@pytest.mark.rule("ATT-01")
def test_an_overnight_shift_keeps_its_states_across_midnight() -> None:
    night = assess_shift(
        shift("2026-10-06", "22:00", "06:00"),
        [punch("2026-10-06 21:57"), punch("2026-10-07 06:02", "out")],
    )
    states = [
        state("2026-10-06 21:58", "2026-10-07 01:00"),
        state("2026-10-07 01:00", "2026-10-07 01:30", "not_ready", "lunch"),
        state("2026-10-07 01:30", "2026-10-07 06:00"),
    ]
    away = (Away("lunch", at("2026-10-07 01:00"), 30),)
    result = reconcile_day(night, states, now=NOW, away=away)
    assert result.day == dt.date(2026, 10, 6)
    assert (result.logged_in_seconds, result.adherence.value) == (8 * HOUR, 1)
    assert result.last_logout == at("2026-10-07 06:00")
    assert result.login_before_start == 120 and result.discrepancies == ()


@pytest.mark.rule("ATT-01")
def test_a_state_spanning_two_shifts_is_split_between_them() -> None:
    night = assess_shift(shift("2026-10-06", "22:00", "06:00"), [])
    late = assess_shift(shift("2026-10-07", "14:00", "22:00"), [])
    states = [state("2026-10-07 05:00", "2026-10-07 15:00")]
    result = reconcile_month([night, late], states, now=NOW)
    first, second = result.days
    assert first.overtime.after_seconds == 4 * HOUR  # 06:00-10:00, up to the midpoint
    assert second.overtime.before_seconds == 4 * HOUR  # 10:00-14:00
    assert (first.logged_in_seconds, second.logged_in_seconds) == (HOUR, HOUR)
    assert result.off_shift == ()


@pytest.mark.rule("ATT-01")
def test_a_state_still_open_is_cut_at_now() -> None:
    now = at(f"{DAY} 12:00")
    result = reconcile_day(clocked("07:59", None), [state("08:00", None)], now=now)
    assert result.logged_in_seconds == 4 * HOUR
    assert result.last_logout == now
    assert result.adherence.value == Fraction(4, 9)
    assert kinds(result) == [MISSING_OUT]


@pytest.mark.rule("ATT-01")
def test_a_state_left_open_ends_where_the_next_one_starts() -> None:
    states = [state("08:00", None), state("12:00", "13:00", "logged_out"), state("13:00", "17:00")]
    result = reconcile_day(clocked(), states, now=NOW, away=planned())
    assert result.logged_in_seconds == 8 * HOUR
    # logged out for lunch is off the phones, as planned; ready on the breaks is not
    assert result.adherence.value == Fraction(9 * 60 - 30, 9 * 60)
    assert result.conformance.value == 1


@pytest.mark.rule("ATT-01")
def test_a_missing_punch_is_carried_with_what_the_phones_show() -> None:
    result = reconcile_day(clocked("08:00", None), [state("08:00", "17:00")], now=NOW)
    assert only(result, MISSING_OUT) == (
        None,
        "no clock-out; the phones show the last logout at 17:00",
    )
    never = reconcile_day(clocked(None, "17:00"), [], now=NOW)
    assert only(never, MISSING_IN) == (None, "no clock-in and no login")


@pytest.mark.rule("ATT-01")
def test_absent_by_the_clock_but_logged_in() -> None:
    result = reconcile_day(clocked(None, None), [state("09:00", "10:30")], now=NOW)
    assert kinds(result) == [ABSENT_BUT_LOGGED_IN]
    assert only(result, ABSENT_BUT_LOGGED_IN) == (
        90,
        "no clock punch, yet logged in for 90 minutes",
    )


@pytest.mark.rule("ATT-01")
def test_logged_in_between_a_clock_out_and_the_next_clock_in() -> None:
    day = assess_shift(
        shift(),
        [punch(f"{DAY} {t}", d) for t, d in (("08:00", "in"), ("12:00", "out"))]
        + [punch(f"{DAY} {t}", d) for t, d in (("13:00", "in"), ("17:00", "out"))],
    )
    result = reconcile_day(day, [state("08:00", "17:00")], now=NOW)
    assert only(result, LOGGED_IN_WHILE_CLOCKED_OUT) == (
        60,
        "clocked out at 12:00 and in at 13:00, logged in for 60 minutes in between",
    )


@pytest.mark.rule("ATT-01")
def test_staying_logged_in_after_clocking_out() -> None:
    result = reconcile_day(clocked(), [state("08:00", "17:40")], now=NOW)
    assert only(result, LOGOUT_AFTER_CLOCK_OUT)[0] == 40


@pytest.mark.rule("ATT-01")
def test_logins_on_a_day_off_or_with_no_shift_at_all() -> None:
    states = [
        state("08:00", "17:00"),
        state("2026-10-07 09:00", "2026-10-07 10:30"),
        state("2026-10-07 23:00", "2026-10-08 00:30"),
        state("2026-10-08 00:30", "2026-10-08 02:00", "logged_out"),
        state("10:00", "10:05", agent="B"),
    ]
    result = reconcile_month([clocked()], states, now=NOW)
    assert [d.kind for d in result.days[0].discrepancies] == []
    assert [(d.employee, d.day, d.kind, d.minutes) for d in result.off_shift] == [
        ("A", dt.date(2026, 10, 7), LOGIN_WITHOUT_SHIFT, 150),
        ("A", dt.date(2026, 10, 8), LOGIN_WITHOUT_SHIFT, 30),
        ("B", dt.date(2026, 10, 5), LOGIN_WITHOUT_SHIFT, 5),
    ]
    assert result.off_shift[0].detail == "logged in for 150 minutes with no shift that day"


@pytest.mark.rule("ATT-01")
def test_the_month_reconciles_each_day_as_a_single_day_would() -> None:
    days = [clocked(day=f"2026-10-{d:02d}") for d in range(5, 10)]
    states = [s for d in range(5, 10) for s in perfect_states(f"2026-10-{d:02d}")]
    states[4] = state("13:00", "14:00", "not_ready", "coaching", day=DAY)
    states += [state("09:00", "17:00", agent="B")]
    plans = {day.shift: planned(day.shift.day.isoformat()) for day in days}
    month = reconcile_month(days, states, now=NOW, away=plans)
    assert [d.employee for d in month.days] == ["A"] * 5
    for result in month.days:
        own = [s for s in states if s.agent == "A"]
        alone = reconcile_day(result.shift_day, own, now=NOW, away=plans[result.shift])
        assert alone == result
    assert [d.kind for d in month.discrepancies] == [BREAK_OVERRUN, LOGIN_WITHOUT_SHIFT]


@pytest.mark.rule("ATT-01")
def test_states_not_sorted_by_agent_or_start_are_refused() -> None:
    with pytest.raises(InputError) as caught:
        reconcile_month(
            [],
            [state("08:00", "09:00"), state("08:00", "09:00", agent="B"), state("10:00", "11:00")],
            now=NOW,
        )
    assert (caught.value.field, caught.value.code) == ("agent", "unsorted")
    with pytest.raises(InputError) as caught:
        reconcile_month([], [state("10:00", "11:00"), state("08:00", "09:00")], now=NOW)
    assert (caught.value.field, caught.value.code) == ("start", "unsorted")


@pytest.mark.rule("ATT-01")
def test_an_unknown_state_or_an_end_before_the_start_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        reconcile_day(clocked(), [state("08:00", "09:00", "lunching")], now=NOW)
    assert (caught.value.field, caught.value.code) == ("state", "unknown")
    backwards = AgentState("A", "ready", at(f"{DAY} 09:00"), at(f"{DAY} 08:00"))
    with pytest.raises(InputError) as caught:
        reconcile_day(clocked(), [backwards], now=NOW)
    assert (caught.value.field, caught.value.code) == ("end", "out_of_range")


@pytest.mark.rule("ATT-01")
def test_a_discrepancy_reads_as_a_sentence_naming_who_and_when() -> None:
    result = reconcile_day(clocked("07:58"), [state("08:20", "17:00")], now=NOW)
    (found,) = result.discrepancies
    assert found.words == (
        "A on 2026-10-05: clocked in at 07:58, logged in only at 08:20, 22 minutes later"
    )
    assert dict(found.facts) == {"login": "08:20", "clock_in": "07:58", "minutes": 22}


@pytest.mark.rule("ATT-01")
def test_a_break_outside_the_shift_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        reconcile_day(clocked(), [], now=NOW, away=(Away("break", at(f"{DAY} 16:50"), 15),))
    assert (caught.value.field, caught.value.code) == ("break", "out_of_range")


@pytest.mark.rule("ATT-01")
def test_breaks_planned_for_a_shift_not_reconciled_are_refused() -> None:
    other = shift("2026-10-06")
    with pytest.raises(InputError) as caught:
        reconcile_month([clocked()], [], now=NOW, away={other: planned("2026-10-06")})
    assert (caught.value.field, caught.value.code) == ("away", "unknown")


@pytest.mark.rule("ATT-01")
def test_a_month_of_many_agents_runs_through_one_pass_each() -> None:
    """Exercises the bulk path on a moderate month (not timed: see the report)."""
    agents = [f"A{n:03d}" for n in range(40)]
    days, states = [], []
    for agent in agents:
        for d in range(1, 29):
            day = f"2026-10-{d:02d}"
            days.append(
                assess_shift(shift(day, employee=agent), [punch(f"{day} 07:58", "in", agent)])
            )
            for hour in range(8, 17):
                states.append(state(f"{hour:02d}:00", f"{hour:02d}:55", agent=agent, day=day))
                states.append(
                    state(f"{hour:02d}:55", f"{hour + 1:02d}:00", "not_ready", "x", agent, day)
                )
    result = reconcile_month(days, states, now=NOW)
    assert len(result.days) == 40 * 28
    assert all(r.logged_in_seconds == 9 * HOUR for r in result.days)
    assert {d.kind for d in result.discrepancies} == {MISSING_OUT}


# Property tests: minutes from 04:00 of the shift day, each a run of one state.
runs = st.lists(st.tuples(st.integers(1, 180), st.sampled_from(STATES)), max_size=20)
breaks = st.lists(st.tuples(st.integers(0, 9 * 60 - 1), st.integers(1, 60)), max_size=3)


def states_of(spans: list[tuple[int, str]], open_last: bool) -> list[AgentState]:
    start, found = at(f"{DAY} 04:00"), []
    for index, (minutes, name) in enumerate(spans):
        end = start + dt.timedelta(minutes=minutes)
        is_last = index == len(spans) - 1
        found.append(AgentState("A", name, start, None if open_last and is_last else end))
        start = end
    return found


def minute_by_minute(spans: list[tuple[int, str]], now: int) -> dict[int, str]:
    """Each minute from 04:00 (0) to its state, up to ``now``."""
    found, minute = {}, 0
    for length, name in spans:
        for offset in range(length):
            if minute + offset < now:
                found[minute + offset] = name
        minute += length
    return found


@pytest.mark.rule("ATT-01")
@settings(max_examples=80, deadline=None)
@given(runs, breaks, st.booleans(), st.integers(0, 24 * 60))
def test_adherence_and_conformance_are_shares_and_states_add_up(
    spans, raw_breaks, open_last, now
) -> None:
    away = [
        Away("break", at(f"{DAY} 08:00") + dt.timedelta(minutes=start), min(length, 540 - start))
        for start, length in raw_breaks
    ]
    cut = at(f"{DAY} 04:00") + dt.timedelta(minutes=now)
    result = reconcile_day(clocked(), states_of(spans, open_last), now=cut, away=away)
    for ratio in (result.adherence, result.conformance):
        assert ratio.value is None or 0 <= ratio.value <= 1
    if open_last and spans:
        spans = [*spans[:-1], (24 * 60, spans[-1][1])]  # runs on until ``now``
    seen = minute_by_minute(spans, now)
    on_break = {m for a in away for m in range(_minute(a.start), _minute(a.start) + a.minutes)}
    shift_minutes = range(4 * 60, 13 * 60)  # 08:00-17:00
    logged = sum(seen.get(m, "logged_out") != "logged_out" for m in shift_minutes)
    assert result.states.total == result.logged_in_seconds == logged * 60
    adherent = sum(
        seen.get(m, "logged_out") in (AWAY if m in on_break else PHONES) for m in shift_minutes
    )
    assert result.adherence.numerator == adherent * 60
    logged_minutes = [m for m, name in seen.items() if name != "logged_out" and 0 <= m < 17 * 60]
    first = _minute(result.first_login) if result.first_login else None
    assert first == (min(logged_minutes) if logged_minutes else None)


AWAY = ("not_ready", "logged_out")
PHONES = ("ready", "on_call", "acw")


def _minute(moment: dt.datetime) -> int:
    """Minutes from 04:00 of the shift day, the property tests' minute 0."""
    return (moment - at(f"{DAY} 04:00")) // dt.timedelta(minutes=1)


@pytest.mark.rule("ATT-01")
@settings(max_examples=60, deadline=None)
@given(runs, st.integers(0, 3))
def test_no_logged_in_second_is_lost_or_counted_twice_across_shift_days(spans, gap_days) -> None:
    shifts = [shift("2026-10-04", "22:00", "06:00"), shift(DAY, "14:00", "22:00")]
    shifts.append(shift(f"2026-10-{6 + gap_days:02d}", "06:00", "14:00"))
    days = [assess_shift(s, []) for s in shifts]
    states = states_of(spans, open_last=False)
    result = reconcile_month(
        days, states, now=NOW, settings=ReconcileSettings(off_shift_minutes=-1)
    )
    claimed = sum(r.logged_in_seconds + r.overtime.worked_seconds for r in result.days)
    loose = sum(60 * (d.minutes or 0) for d in result.off_shift)
    total = sum(60 * m for m, name in spans if name != "logged_out")
    assert claimed + loose == total

"""Who works when: the demo center's day-off pattern, shifts, breaks and attendance quirks.

Times are whole seconds after the day's local midnight. Patterns depend only on an
agent's place in the team and the calendar, never on how much history is built, so
the same seed gives the same day whether 2 or 12 weeks are generated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from ccops.demo.traffic import DayKind, day_kind

MINUTE = 60
HOUR = 60 * MINUTE

# Not-ready reasons as agents pick them on the phone.
MEETING = "班前会"
BREAK = "小休"
MEAL = "用餐"
TRAINING = "培训"

MEETING_MINUTES = 10
MEAL_MINUTES = 30
TRAINING_MINUTES = 60
PAID_HOURS = 8  # an 8.5-hour shift less the meal
LOGIN_SECONDS = 30  # logging in to the phone system before going ready

SICK_SHARE = 0.03  # scheduled days not worked (sick or personal leave)
LATE_SHARE = 0.03
EARLY_LEAVE_SHARE = 0.02
MISSING_PUNCH_SHARE = 0.01  # per direction
TRAINING_SHARE = 0.05  # agent-days with an hour of refresher training


@dataclass(frozen=True)
class Shift:
    """A shift pattern: start and end, minutes after midnight."""

    code: str
    start: int
    end: int

    @property
    def label(self) -> str:
        """Like 08:00-16:30."""
        start, end = divmod(self.start, 60), divmod(self.end, 60)
        return f"{start[0]:02d}:{start[1]:02d}-{end[0]:02d}:{end[1]:02d}"


SHIFTS = {
    "A": Shift("A", 8 * 60, 16 * 60 + 30),
    "B": Shift("B", 9 * 60, 17 * 60 + 30),
    "C": Shift("C", 10 * 60, 18 * 60 + 30),
    "D": Shift("D", 12 * 60 + 30, 21 * 60),
}
# Twenty slots, shaped to the intraday curve: a team of twenty covers the day as
# 7 early, 4 mid, 2 late-mid and 7 late.
SHIFT_ROTA = "AAAAAAABBBBCCDDDDDDD"
# Two days off a week (Monday=0). Twenty patterns: 7 off at the weekend, 7 working
# Saturday, 5 working Sunday, 1 working both, so about 40 % work Saturday, 30 % Sunday.
OFF_PATTERNS = (
    *[(5, 6)] * 7,
    (6, 0),
    (6, 1),
    (6, 2),
    (6, 3),
    (6, 4),
    (6, 0),
    (6, 2),
    (5, 0),
    (5, 1),
    (5, 2),
    (5, 3),
    (5, 4),
    (1, 3),
)
HOLIDAY_WORKING = 3  # of every 10 agents on a statutory holiday


@dataclass(frozen=True)
class FloorAgent:
    """An agent who takes calls: caller's key, place in the team, shift class."""

    key: int
    position: int
    shift_class: str = ""


@dataclass
class AgentDay:
    """One agent's planned day on the phones, with the attendance record around it."""

    key: int
    shift: Shift
    login: int
    logout: int
    meeting: int
    breaks: list[tuple[int, int, str]]
    clock_in: int | None
    clock_out_delay: int | None
    logged_out: int = field(default=0)

    @property
    def clock_out(self) -> int | None:
        if self.clock_out_delay is None:
            return None
        return self.logged_out + self.clock_out_delay


def week_number(day: dt.date) -> int:
    """Weeks since year 1, changing on Mondays."""
    return (day.toordinal() - 1) // 7


def scheduled(position: int, day: dt.date) -> bool:
    """Whether the rota puts this place in the team on duty on `day`."""
    kind = day_kind(day)
    if kind == DayKind.HOLIDAY:
        return (position + day.toordinal()) % 10 < HOLIDAY_WORKING
    if kind == DayKind.MAKEUP_WORKDAY:
        return (position + day.toordinal()) % 7 != 0
    pattern = OFF_PATTERNS[(position + week_number(day)) % len(OFF_PATTERNS)]
    return day.weekday() not in pattern


def shift_for(agent: FloorAgent, day: dt.date) -> Shift:
    """The rota's shift for the week, bent to the agent's employee-friendly class."""
    code = SHIFT_ROTA[(agent.position * 7 + week_number(day)) % len(SHIFT_ROTA)]
    if agent.shift_class == "family_hours" and code in "CD":
        code = "A" if code == "D" else "B"
    elif agent.shift_class == "no_night" and code == "D":
        code = "B"
    elif agent.shift_class == "class_timetable":
        code = "D"
    return SHIFTS[code]


def break_lengths(break_minutes_per_hour: float) -> list[int]:
    """The FLOOR-01 allowance for an 8-hour day, as three breaks in whole minutes."""
    total = round(break_minutes_per_hour * PAID_HOURS)
    return [total // 3 + (1 if i < total % 3 else 0) for i in range(3)]


def plan_breaks(
    agent: FloorAgent, rng: np.random.Generator, lengths: list[int]
) -> list[tuple[int, int, str]]:
    """Short breaks, a staggered meal and sometimes training, as (seconds after the
    shift starts, length, reason), never overlapping."""
    jitter = rng.integers(0, 60, size=3) * MINUTE  # staggered, so the floor never empties
    planned = [
        (90 * MINUTE + int(jitter[0]), lengths[0] * MINUTE, BREAK),
        ((210 + (agent.position % 4) * 15) * MINUTE, MEAL_MINUTES * MINUTE, MEAL),
        (310 * MINUTE + int(jitter[1]), lengths[1] * MINUTE, BREAK),
        (400 * MINUTE + int(jitter[2]) * 2 // 3, lengths[2] * MINUTE, BREAK),
    ]
    if rng.random() < TRAINING_SHARE:
        planned.append((280 * MINUTE, TRAINING_MINUTES * MINUTE, TRAINING))
    return spread_out(sorted(p for p in planned if p[1] > 0))


def spread_out(planned: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Push each break to at least ten minutes after the previous one ends."""
    result: list[tuple[int, int, str]] = []
    for start, length, reason in planned:
        if result:
            start = max(start, result[-1][0] + result[-1][1] + 10 * MINUTE)
        result.append((start, length, reason))
    return result


def plan_agent_day(
    agent: FloorAgent, day: dt.date, rng: np.random.Generator, lengths: list[int]
) -> AgentDay | None:
    """The agent's day, or None when off or absent.

    The same numbers are drawn either way, so one agent's day off does not change
    what the rest of the team does.
    """
    chance = rng.random(5)
    minutes = rng.integers(0, 60, size=3)
    seconds = rng.integers(0, 60, size=2)
    breaks = plan_breaks(agent, rng, lengths)
    if not scheduled(agent.position, day) or chance[0] < SICK_SHARE:
        return None
    shift = shift_for(agent, day)
    start, end = shift.start * MINUTE, shift.end * MINUTE
    if chance[1] < LATE_SHARE:
        clock_in = start + (3 + minutes[0] % 23) * MINUTE
        login = clock_in + (1 + minutes[1] % 4) * MINUTE
    else:
        clock_in = start - (8 + minutes[0] % 18) * MINUTE
        login = start - (minutes[1] % 5) * MINUTE
    if chance[2] < EARLY_LEAVE_SHARE:
        logout = end - (10 + minutes[2] % 36) * MINUTE
    else:
        logout = end + (minutes[2] % 4) * MINUTE
    return AgentDay(
        key=agent.key,
        shift=shift,
        login=int(login + seconds[0]),
        logout=int(logout + seconds[1]),
        # Pre-shift meetings on working weekdays, except for the opening shift.
        meeting=MEETING_MINUTES * MINUTE
        if shift.code != "A" and day_kind(day) == DayKind.WEEKDAY
        else 0,
        breaks=[(start + at, length, reason) for at, length, reason in breaks],
        clock_in=None if chance[3] < MISSING_PUNCH_SHARE else int(clock_in + seconds[1]),
        clock_out_delay=None
        if chance[4] < MISSING_PUNCH_SHARE
        else int(2 + minutes[2] % 11) * MINUTE,
    )


def plan_team_day(
    agents: list[FloorAgent], day: dt.date, rng: np.random.Generator, lengths: list[int]
) -> list[AgentDay]:
    """Every working agent's day for one team."""
    plans = (plan_agent_day(agent, day, rng, lengths) for agent in agents)
    return [plan for plan in plans if plan is not None]

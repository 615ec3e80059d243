"""Breaks and lunch for one shift put in by hand: the placement the rules allow that
costs the cover least, given who else is on the phones, and that keeps the team's
break tokens where it can."""

from __future__ import annotations

from collections.abc import Mapping

from ccops.core.roster.problem import MINUTES_A_DAY, IntervalCover, RosterProblem, ShiftType
from ccops.core.roster.tours import break_patterns


def place_one(
    problem: RosterProblem,
    shift: ShiftType,
    day: int,
    on_duty: Mapping[int, int],
    team_breaks: Mapping[int, int] | None = None,
) -> tuple[tuple[int, ...], int | None]:
    """(break starts, lunch start), minutes from that day's midnight, for ``shift`` on
    ``day``. ``on_duty`` counts the others on the phones answering its skill and
    ``team_breaks`` the team's breaks starting, per moment from day 0's midnight."""
    patterns = break_patterns(problem, shift)
    if not patterns:
        return (), None
    cover: dict[int, IntervalCover] = {
        c.moment: c for c in problem.interval_cover if c.skill == shift.skill
    }
    base, step = day * MINUTES_A_DAY, problem.interval_minutes
    lunch = problem.lunch.minutes if problem.lunch else 0
    rule = problem.breaks
    cap = rule.breaks_per_interval(step) if rule else None

    def loss(moment: int) -> int:
        """What taking this person off the phones at ``moment`` costs."""
        c = cover.get(moment)
        if c is None:
            return 0
        have = on_duty.get(moment, 0) + c.present + 1
        return c.under_weight if have <= c.required else -c.over_weight

    def rank(index: int) -> tuple[int, int]:
        q = patterns[index]
        over_tokens = sum(
            (team_breaks or {}).get(base + t, 0) >= cap for t in q.breaks if cap is not None
        )
        return over_tokens, sum(loss(base + t) for t in q.away(lunch, step))

    best = patterns[min(range(len(patterns)), key=rank)]
    return best.breaks, best.lunch

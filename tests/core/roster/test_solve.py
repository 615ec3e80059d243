"""The roster engine: every hard rule family holds (by the independent checker), the
search reports progress and stops on request, and a roster that cannot exist says which
rules conflict."""

from __future__ import annotations

import random
import time

import pytest

from ccops.core.roster.checker import score_curtois
from ccops.core.roster.curtois import read_curtois, roster_rows
from ccops.core.roster.solve import explain_infeasible, solve
from tests.core.roster.test_curtois import DATA, TINY


def random_instance(seed: int) -> str:
    """A small instance in the benchmark format with every kind of rule in play."""
    rnd = random.Random(seed)
    days, people = 14, rnd.randint(4, 7)
    shifts = [("E", 480, ""), ("L", 480, "E"), ("N", 600, "E|L")]
    lines = ["SECTION_HORIZON", str(days), "SECTION_SHIFTS"]
    lines += [f"{code},{minutes},{banned}" for code, minutes, banned in shifts]
    lines.append("SECTION_STAFF")
    for p in range(people):
        night = rnd.choice([0, 2, 4])
        lines.append(f"P{p},E=14|L=14|N={night},4800,2880,{rnd.randint(3, 5)},2,2,1")
    lines.append("SECTION_DAYS_OFF")
    lines += [f"P{p},{rnd.randrange(days)}" for p in range(people)]
    lines.append("SECTION_SHIFT_ON_REQUESTS")
    lines += [
        f"P{rnd.randrange(people)},{rnd.randrange(days)},E,{rnd.randint(1, 3)}" for _ in range(6)
    ]
    lines.append("SECTION_SHIFT_OFF_REQUESTS")
    lines += [
        f"P{rnd.randrange(people)},{rnd.randrange(days)},L,{rnd.randint(1, 3)}" for _ in range(6)
    ]
    lines.append("SECTION_COVER")
    for d in range(days):
        for code, _, _ in shifts:
            lines.append(f"{d},{code},{rnd.randint(0, 2)},100,1")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", range(6))
def test_every_hard_rule_holds_and_the_cost_is_the_checkers(seed):
    text = random_instance(seed)
    result = solve(read_curtois(text), time_limit=8)
    assert result.status in ("OPTIMAL", "FEASIBLE")
    score = score_curtois(text, roster_rows(result.assignment))
    assert score.feasible, score.violations
    assert score.objective == result.objective
    assert sum(p.cost for p in result.penalties) == result.objective
    if result.status == "OPTIMAL":
        assert result.lower_bound == pytest.approx(result.objective) and result.gap == 0


def test_progress_is_reported_and_the_search_stops_on_request():
    text = (DATA / "Instance8.txt").read_text()
    heard: list[tuple[float, float, float]] = []

    def stop() -> bool:
        return len(heard) >= 2

    started = time.perf_counter()
    result = solve(
        read_curtois(text), time_limit=60, progress=lambda *a: heard.append(a), stop=stop
    )
    assert time.perf_counter() - started < 30
    assert result.status == "FEASIBLE" and result.assignment
    assert len(heard) >= 2 and heard[-1][1] <= heard[0][1]  # costs only go down
    assert all(bound <= cost for _, cost, bound in heard)


def test_a_roster_that_cannot_exist_names_the_rules_in_conflict():
    # B may work 3 days in a row, then needs 2 off: at most 9 of 14 days, 4320 minutes.
    impossible = TINY.replace("B,D=14|N=0,4800,960,3,1,1,2", "B,D=14|N=0,6720,4800,3,1,2,2")
    result = solve(read_curtois(impossible), time_limit=10)
    assert result.status == "INFEASIBLE" and not result.assignment
    (conflict,) = result.conflicts
    assert conflict.employee == "B"
    assert set(conflict.rules) == {"max_consecutive", "min_days_off", "min_minutes"}
    assert "the most working days in a row" in conflict.words


def test_a_feasible_problem_has_no_conflicts():
    assert explain_infeasible(read_curtois(TINY)) == ()

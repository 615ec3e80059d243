"""Skills and multi-skill agents: each shift answers one seat type, counts only for that
seat type's cover, and only someone holding the skill may work it; both engines and
the independent rule check agree."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from ccops.core.roster.breaches import breaches
from ccops.core.roster.problem import (
    Contract,
    Employee,
    IntervalCover,
    RosterProblem,
    ShiftRequest,
    ShiftType,
)
from ccops.core.roster.solve import explain_infeasible, solve
from ccops.core.roster.tours import solve_tours, unsuited

pytestmark = pytest.mark.rule("PLAN-05")

WEEK = Contract(days_per_week=5, max_consecutive=5)
SKILLS = ("GEN", "VIP")


def shifts_for(skills: tuple[str, ...] = SKILLS) -> tuple[ShiftType, ...]:
    return tuple(
        ShiftType(f"{start // 60:02d}-{skill}", 8 * 60, start=start, skill=skill)
        for skill in skills
        for start in (7 * 60, 9 * 60, 12 * 60)
    )


def people(count: int, skills: set[str], prefix: str) -> tuple[Employee, ...]:
    return tuple(Employee(f"{prefix}{i:02d}", WEEK, skills=frozenset(skills)) for i in range(count))


def two_seat_week(employees: tuple[Employee, ...], gen: int, vip: int) -> RosterProblem:
    """Flat demand of ``gen`` and ``vip`` agents from 9:00 to 17:00 every day."""
    return RosterProblem(
        days=7,
        shifts=shifts_for(),
        employees=employees,
        interval_cover=tuple(
            IntervalCover(d, m, need, 3, 1, skill=skill)
            for skill, need in (("GEN", gen), ("VIP", vip))
            for d in range(7)
            for m in range(9 * 60, 17 * 60, 30)
        ),
        interval_minutes=30,
        min_rest_minutes=11 * 60,
    )


def served(p: RosterProblem, assignment: dict[tuple[str, int], str]) -> Counter[tuple[str, int]]:
    """Agents answering each (skill, moment) of the cover."""
    on: Counter[tuple[str, int]] = Counter()
    for (_, day), code in assignment.items():
        shift = p.shift(code)
        begin, end = shift.span(day)
        on.update((shift.skill, c.moment) for c in p.interval_cover if begin <= c.moment < end)
    return on


def test_a_shift_counts_only_for_its_own_seat_type():
    p = two_seat_week(people(1, {"GEN", "VIP"}, "m"), gen=1, vip=0)
    on_gen = {("m00", 0): "09-GEN"}
    on_vip = {("m00", 0): "09-VIP"}
    day0 = sum(1 for c in p.interval_cover if c.day == 0 and c.skill == "GEN")
    assert p.cost(on_vip) - p.cost(on_gen) == day0 * (3 + 1)


def test_the_rule_check_names_a_shift_of_a_skill_not_held():
    p = two_seat_week(people(1, {"GEN"}, "g"), gen=1, vip=1)
    found = breaches(p, {("g00", 2): "09-VIP"})
    named = [(b.rule, b.day, b.detail) for b in found if b.rule != "days_per_week"]
    assert named == [("skills", 2, "not skilled for VIP")]


def test_multi_skill_agents_go_where_the_single_skilled_cannot():
    """Ten agents hold only GEN, four hold both; VIP needs three a day, GEN five: the
    multi-skilled must answer VIP nearly every day they work."""
    team = people(10, {"GEN"}, "g") + people(4, {"GEN", "VIP"}, "m")
    p = two_seat_week(team, gen=5, vip=2)
    assert unsuited(p) == []
    result = solve_tours(p, time_limit=20)
    assert result.status in ("OPTIMAL", "FEASIBLE")
    assert breaches(p, result.assignment) == []
    vip = [key for key, code in result.assignment.items() if p.shift(code).skill == "VIP"]
    assert vip and all(person.startswith("m") for person, _ in vip)
    on = served(p, result.assignment)
    short = sum(max(c.required - on[c.skill, c.moment], 0) for c in p.interval_cover)
    # 14 agents x 5 days = 70 shifts for 49 shift-days of cover: none short anywhere.
    assert short == 0
    assert result.objective == pytest.approx(p.cost(result.assignment))
    assert result.lower_bound is not None and result.lower_bound <= result.objective + 1e-6


def test_the_per_employee_engine_keeps_skills_too():
    """Shift requests send the problem to the per-employee engine; a GEN-only agent's
    wish for a VIP shift cannot be granted."""
    team = people(3, {"GEN"}, "g") + people(2, {"GEN", "VIP"}, "m")
    p = two_seat_week(team, gen=2, vip=1)
    p = replace(p, requests=(ShiftRequest("g00", 0, "09-VIP", 5, on=True),))
    assert unsuited(p)
    result = solve(p, time_limit=10)
    assert result.status in ("OPTIMAL", "FEASIBLE")
    assert breaches(p, result.assignment) == []
    assert result.assignment.get(("g00", 0)) != "09-VIP"
    assert result.objective == pytest.approx(p.cost(result.assignment))


def test_an_agent_with_no_skill_of_any_shift_cannot_be_rostered_and_is_told_why():
    team = people(1, {"FIN"}, "f")
    p = two_seat_week(team, gen=1, vip=1)
    conflicts = explain_infeasible(p)
    assert conflicts and any("skills" in c.rules for c in conflicts)
    assert "seat types they are skilled for" in conflicts[0].words

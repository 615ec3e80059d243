"""Benchmark: a week's roster of tours for 600 agents against 15-minute demand.

The instance: one week (Monday to Sunday) of 15-minute intervals with morning, afternoon
and evening peaks (about 300 agents wanted at the peak; the weekend lower and later),
600 agents, 8 h and 9 h shifts starting every 30 minutes round the clock (late and
overnight starts too), 5 working days each, 11 h rest between shifts, breaks of 5
minutes per hour in 15-minute segments (FLOOR-01) and a 30-minute lunch on shifts over
6 h. Every agent-interval short or over costs the same.

ccops's tour engine (`ccops.core.roster.tours.solve_tours`, the product's engine for
large teams) gets 120 s; its roster is scored by the problem's own cost function and
checked by the independent rule check, and its lower bound is the linear relaxation of
the tour model (HiGHS). Target: gap <= 2 % within 120 s on 2 cores, peak memory <=
4 GB. The peer is pyworkforce 0.5.1 (`MinAbsDifference` for shift counts, then
`MinHoursRoster` for named agents with the rest rule), installed in a throw-away venv
and given the same instance (it cannot place breaks or run shifts past midnight).

    .venv/bin/python benchmarks/roster_tours.py [--time-limit 120] [--peer-seconds 300]
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import resource
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ccops.core.roster.breaches import breaches  # noqa: E402
from ccops.core.roster.problem import (  # noqa: E402
    MINUTES_A_DAY,
    BreakRule,
    Contract,
    Employee,
    IntervalCover,
    LunchRule,
    RosterProblem,
    ShiftType,
    rest_too_short,
)
from ccops.core.roster.tours import solve_tours  # noqa: E402

AGENTS, DAYS, STEP = 600, 7, 15
PEAK = 300
PEER = "pyworkforce==0.5.1"
GAP_TARGET, MEMORY_TARGET_GB = 0.02, 4.0


def demand(day: int, minute: int) -> int:
    """Agents wanted: three peaks on weekdays, the weekend lower and an hour later."""
    hour = minute / 60 - (1.0 if day >= 5 else 0.0)
    curve = (
        0.08
        + 0.92 * math.exp(-(((hour - 10.0) / 1.8) ** 2))
        + 0.80 * math.exp(-(((hour - 15.0) / 2.0) ** 2))
        + 0.55 * math.exp(-(((hour - 20.5) / 1.6) ** 2))
    )
    scale = 0.7 if day >= 5 else 1.0
    return round(PEAK * min(curve, 1.0) * scale)


def instance(agents: int = AGENTS) -> RosterProblem:
    shifts = tuple(
        ShiftType(f"{hours}h{start // 60:02d}{start % 60:02d}", hours * 60, start=start)
        for hours in (8, 9)
        for start in range(0, MINUTES_A_DAY, 30)
    )
    week = Contract(days_per_week=5)
    return RosterProblem(
        days=DAYS,
        shifts=shifts,
        employees=tuple(Employee(f"A{i:03d}", week) for i in range(agents)),
        interval_cover=tuple(
            IntervalCover(day, minute, demand(day, minute), 1, 1)
            for day in range(DAYS)
            for minute in range(0, MINUTES_A_DAY, STEP)
        ),
        interval_minutes=STEP,
        min_rest_minutes=11 * 60,
        breaks=BreakRule(minutes_per_hour=5, segment=15, margin=60, spacing=60),
        lunch=LunchRule(minutes=30, over=360, earliest=180, latest=300),
    )


def on_duty(problem: RosterProblem, assignment: dict, away: dict) -> dict[int, int]:
    """Agents on the phones per interval start (minutes from day 0)."""
    have: dict[int, int] = {}
    for (code, day), shift in assignment.items():
        begin, end = problem.shift(shift).span(day)
        gone = set(away.get((code, day), ()))
        for moment in range(begin, end, STEP):
            if moment - day * MINUTES_A_DAY not in gone:
                have[moment] = have.get(moment, 0) + 1
    return have


def cover_hours(problem: RosterProblem, have: dict[int, int]) -> tuple[float, float]:
    """Agent-hours short of demand and over it."""
    under = over = 0
    for c in problem.interval_cover:
        got = have.get(c.day * MINUTES_A_DAY + c.minute, 0)
        under += max(c.required - got, 0)
        over += max(got - c.required, 0)
    return under * STEP / 60, over * STEP / 60


def run_ccops(problem: RosterProblem, time_limit: float) -> dict:
    started = time.perf_counter()
    result = solve_tours(problem, time_limit=time_limit)
    seconds = time.perf_counter() - started
    away: dict = {}
    for key, moments in result.breaks.items():
        away[key] = list(moments)
    length = problem.lunch.minutes if problem.lunch else 0
    for key, start in result.lunches.items():
        away.setdefault(key, []).extend(range(start, start + length, STEP))
    under, over = cover_hours(problem, on_duty(problem, result.assignment, away))
    broken = breaches(problem, result.assignment, result.breaks, result.lunches)
    bound = result.lower_bound or 0.0
    return {
        "status": result.status,
        "objective": result.objective,
        "under_hours": under,
        "over_hours": over,
        "lp_bound_hours": bound * STEP / 60,
        "gap": result.gap,
        "seconds": seconds,
        "peak_memory_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2,
        "breaches": len(broken),
    }


PEER_SCRIPT = """
import json, sys, time
from pyworkforce.scheduling import MinAbsDifference
from pyworkforce.rostering.binary_programming import MinHoursRoster

spec = json.load(open(sys.argv[1]))
limit = spec["seconds"] / 2
started = time.perf_counter()
counts = MinAbsDifference(
    num_days=spec["days"], periods=spec["periods"], shifts_coverage=spec["coverage"],
    required_resources=spec["required"], max_period_concurrency=spec["agents"],
    max_shift_concurrency=spec["agents"], max_search_time=limit, num_search_workers=2,
).solve()
out = {"scheduling_status": counts["status"], "scheduling_seconds": time.perf_counter() - started,
       "scheduling_abs_difference_agent_hours": counts["cost"] * spec["step"] / 60}
if counts["status"] in ("OPTIMAL", "FEASIBLE"):
    wanted = {s: [0] * spec["days"] for s in spec["coverage"]}
    for row in counts["resources_shifts"]:
        wanted[row["shift"]][row["day"]] = row["resources"]
    started = time.perf_counter()
    roster = MinHoursRoster(
        num_days=spec["days"], resources=spec["names"], shifts=list(spec["coverage"]),
        shifts_hours=spec["hours"], min_working_hours=spec["min_hours"], banned_shifts=[],
        max_resting=spec["days"] - spec["working_days"], required_resources=wanted,
        non_sequential_shifts=spec["not_after"], max_search_time=limit, num_search_workers=2,
    ).solve()
    out["rostering_status"] = roster["status"]
    out["rostering_seconds"] = time.perf_counter() - started
    out["roster"] = [[r["resource"], r["day"], r["shift"]] for r in roster["resource_shifts"]
                     if r["day"] >= 0]
print(json.dumps(out))
"""


def peer_spec(problem: RosterProblem, seconds: float) -> dict:
    """The instance in pyworkforce's terms: each shift's periods within its own day (it
    has no way to run past midnight or to take breaks)."""
    periods = MINUTES_A_DAY // STEP
    coverage = {}
    for shift in problem.shifts:
        start = shift.start or 0
        coverage[shift.code] = [
            int(start <= k * STEP < start + shift.minutes) for k in range(periods)
        ]
    required = [[0] * periods for _ in range(problem.days)]
    for c in problem.interval_cover:
        required[c.day][c.minute // STEP] = c.required
    not_after = [
        {"origin": a.code, "destination": b.code}
        for a in problem.shifts
        for b in problem.shifts
        if rest_too_short(problem, a, b)
    ]
    return {
        "days": problem.days,
        "periods": periods,
        "coverage": coverage,
        "required": required,
        "agents": len(problem.employees),
        "names": [e.code for e in problem.employees],
        "hours": [s.minutes // 60 for s in problem.shifts],
        "min_hours": 5 * 8,
        "working_days": 5,
        "not_after": not_after,
        "seconds": seconds,
        "step": STEP,
    }


def run_peer(problem: RosterProblem, seconds: float) -> dict:
    with tempfile.TemporaryDirectory() as workdir:
        home = Path(workdir)
        venv.create(home / "peer-venv", with_pip=True)
        python = str(home / "peer-venv" / "bin" / "python")
        subprocess.run([python, "-m", "pip", "install", "-q", PEER], check=True)
        (home / "spec.json").write_text(json.dumps(peer_spec(problem, seconds)))
        (home / "peer.py").write_text(PEER_SCRIPT)
        started = time.perf_counter()
        try:
            done = subprocess.run(
                [python, str(home / "peer.py"), str(home / "spec.json")],
                capture_output=True,
                text=True,
                timeout=seconds * 2 + 60,
            )
        except subprocess.TimeoutExpired:
            return {"status": "no answer", "seconds": time.perf_counter() - started}
        wall = time.perf_counter() - started
        if done.returncode:
            return {"status": f"error: {done.stderr.strip().splitlines()[-1]}", "seconds": wall}
        out = json.loads(done.stdout.strip().splitlines()[-1])
    out["seconds"] = wall
    roster = out.pop("roster", None)
    if roster:
        assignment = {(code, day): shift for code, day, shift in roster}
        under, over = cover_hours(problem, on_duty(problem, assignment, {}))
        out.update(under_hours=under, over_hours=over, breaks_taken=False)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--peer-seconds", type=float, default=300.0)
    parser.add_argument("--agents", type=int, default=AGENTS)
    parser.add_argument("--no-peer", action="store_true")
    args = parser.parse_args()
    problem = instance(args.agents)
    wanted = sum(c.required for c in problem.interval_cover) * STEP / 60
    print(
        f"{platform.node()} {platform.processor() or platform.machine()}, "
        f"{time.strftime('%Y-%m-%d')}: {len(problem.employees)} agents, {len(problem.shifts)} "
        f"shift types, {len(problem.interval_cover)} intervals, {wanted:,.0f} agent-hours wanted, "
        f"peak {max(c.required for c in problem.interval_cover)}"
    )
    ours = run_ccops(problem, args.time_limit)
    print(
        f"ccops tours   {ours['status']:<9} under {ours['under_hours']:8.1f} h  over "
        f"{ours['over_hours']:8.1f} h  LP bound {ours['lp_bound_hours']:8.1f} h  "
        f"gap {100 * (ours['gap'] or 0):5.2f} %  {ours['seconds']:6.1f} s  "
        f"peak {ours['peak_memory_gb']:.2f} GB  rules broken {ours['breaches']}"
    )
    met = (
        ours["gap"] is not None
        and ours["gap"] <= GAP_TARGET
        and ours["seconds"] <= args.time_limit * 1.05
        and ours["peak_memory_gb"] <= MEMORY_TARGET_GB
        and not ours["breaches"]
    )
    print(f"target (gap <= 2 % in {args.time_limit:g} s, <= 4 GB): {'met' if met else 'MISSED'}")
    if not args.no_peer:
        peer = run_peer(problem, args.peer_seconds)
        print(f"pyworkforce   {json.dumps(peer)}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())

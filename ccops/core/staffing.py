"""From agents on the phones to people on the payroll: shrinkage, FTE, the busy-hour seat
table (PLAN-03), the beta rule (PLAN-04), the role ratios (ORG-01..07) and scenarios.

Every number a center may change arrives as an argument (the rule store's value in the
app, the rule's default otherwise); nothing here reads a setting.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import numpy.typing as npt

from ccops.core import erlang
from ccops.core.errors import InputError
from ccops.core.ruleset import DEFAULTS

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: China's standard working month: 21.75 days of 8 hours (Labour Law, 2008 notice).
HOURS_PER_FTE_DAY = 8.0
HOURS_PER_FTE_MONTH = 174.0


# --- shrinkage ----------------------------------------------------------------------


@dataclass(frozen=True)
class Shrinkage:
    """Shares of paid time in which agents are not available for calls, by cause.

    Planned: breaks (FLOOR-01: 5 minutes per hour, i.e. 5/60), briefings, training,
    leave. Unplanned: absence. The total is the sum, as planners quote it ("30 %").
    """

    breaks: float = DEFAULTS["FLOOR-01"]["break_minutes_per_hour"] / 60.0
    briefings: float = 0.0
    training: float = 0.0
    leave: float = 0.0
    absence: float = 0.0

    def __post_init__(self) -> None:
        for name in ("breaks", "briefings", "training", "leave", "absence"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
                raise InputError(name, value, "negative", "must be a share of at least 0")
        if self.total >= 1:
            raise InputError("shrinkage", self.total, "out_of_range", "must total less than 1")

    @classmethod
    def of_total(cls, total: float) -> Shrinkage:
        """A single overall share, as `ccops staff --shrinkage 0.3` gives it."""
        if not (isinstance(total, int | float) and math.isfinite(total)) or not 0 <= total < 1:
            raise InputError("shrinkage", total, "out_of_range", "must lie in [0, 1)")
        return cls(breaks=0.0, absence=float(total))

    @classmethod
    def with_breaks(cls, break_minutes_per_hour: float, **others: float) -> Shrinkage:
        """Breaks from the minutes per hour of FLOOR-01, plus the other causes."""
        return cls(breaks=break_minutes_per_hour / 60.0, **others)

    @property
    def planned(self) -> float:
        return self.breaks + self.briefings + self.training + self.leave

    @property
    def total(self) -> float:
        return self.planned + self.absence


def scheduled_agents(required: npt.ArrayLike, shrinkage: Shrinkage) -> FloatArray:
    """Agents to schedule so that `required` remain on the phones after shrinkage."""
    return np.asarray(required, dtype=np.float64) / (1.0 - shrinkage.total)


# --- intervals ----------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceTarget:
    """What the interval staffing aims at (PLAN-10 by default)."""

    service_level: float | None = DEFAULTS["PLAN-10"]["service_level"]
    threshold: float = DEFAULTS["PLAN-10"]["threshold_seconds"]
    asa: float | None = None
    max_occupancy: float | None = None
    patience: float | None = None


@dataclass(frozen=True)
class IntervalStaffing:
    """Staffing per interval: needed on the phones, to schedule, and what it achieves."""

    calls: FloatArray
    aht: FloatArray
    required: IntArray  # agents on the phones (Erlang)
    scheduled: FloatArray  # required / (1 - shrinkage), unrounded
    scheduled_heads: IntArray  # scheduled, rounded up per interval
    service_level: FloatArray
    asa: FloatArray
    occupancy: FloatArray
    interval_minutes: int

    @property
    def scheduled_hours(self) -> float:
        """Agent-hours to schedule over all intervals."""
        return float(self.scheduled.sum()) * self.interval_minutes / 60.0


def pool_queues(calls: npt.ArrayLike, aht: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """One queue from several answered by the same agents (first axis = queue).

    Calls add up and handle times are averaged by calls, so the load is the sum of the
    queues' loads: staffing the pool needs fewer agents than rounding each queue up and
    adding the head-counts.
    """
    c = np.asarray(calls, dtype=np.float64)
    h = np.broadcast_to(np.asarray(aht, dtype=np.float64), c.shape)
    total = c.sum(axis=0)
    load = (c * h).sum(axis=0)
    mean_aht = np.where(total > 0, load / np.where(total > 0, total, 1.0), h.mean(axis=0))
    return total, mean_aht


def staff_intervals(
    calls: npt.ArrayLike,
    aht: npt.ArrayLike,
    interval_minutes: int,
    *,
    target: ServiceTarget | None = None,
    shrinkage: Shrinkage | None = None,
) -> IntervalStaffing:
    """Required and scheduled agents for every interval of a forecast.

    Raises:
        InputError: negative or non-numeric calls, an AHT or interval of zero, a target
            out of range.
    """
    target = target or ServiceTarget()
    shrinkage = shrinkage if shrinkage is not None else Shrinkage()
    metrics = erlang.required_agents(
        calls,
        aht,
        interval_minutes,
        service_level=target.service_level,
        threshold=target.threshold,
        asa=target.asa,
        max_occupancy=target.max_occupancy,
        patience=target.patience,
    )
    scheduled = scheduled_agents(metrics.agents, shrinkage)
    return IntervalStaffing(
        calls=np.broadcast_to(np.asarray(calls, dtype=np.float64), metrics.agents.shape),
        aht=np.broadcast_to(np.asarray(aht, dtype=np.float64), metrics.agents.shape),
        required=metrics.agents,
        scheduled=scheduled,
        scheduled_heads=np.ceil(scheduled - 1e-9).astype(np.int64),
        service_level=metrics.service_level,
        asa=metrics.asa,
        occupancy=metrics.occupancy,
        interval_minutes=int(interval_minutes),
    )


def fte_by_period(
    periods: npt.ArrayLike,
    scheduled: npt.ArrayLike,
    interval_minutes: int,
    hours_per_fte: float,
) -> tuple[npt.NDArray[Any], FloatArray]:
    """Full-time equivalents per period (day or month): scheduled agent-hours / FTE hours.

    Args:
        periods: the period of each interval (e.g. its date or 'YYYY-MM'), any sortable.
        scheduled: scheduled agents per interval.
        interval_minutes: interval length.
        hours_per_fte: paid hours of one FTE in such a period (8 a day, 174 a month).

    Returns:
        (sorted distinct periods, FTE of each).
    """
    keys, inverse = np.unique(np.asarray(periods), return_inverse=True)
    hours = np.bincount(inverse, weights=np.asarray(scheduled, dtype=np.float64))
    return keys, hours * interval_minutes / 60.0 / hours_per_fte


# --- PLAN-03 and PLAN-04: the seat table and beta --------------------------------------


def busy_hour_seats(
    requests: float,
    table: Sequence[Sequence[float]] = DEFAULTS["PLAN-03"]["table"],
    seats_per_further_100: float = DEFAULTS["PLAN-03"]["seats_per_further_100"],
) -> int:
    """Seats for the busy hour's requests by the seat table of PLAN-03.

    Requests between two rows of the table take the higher row; above the last row each
    further 100 requests (or part of 100) adds `seats_per_further_100` seats.
    """
    if not (math.isfinite(requests) and requests >= 0):
        raise InputError("requests", requests, "negative", "must be a number of at least 0")
    rows = sorted((float(r), int(s)) for r, s in table)
    for upto, seats in rows:
        if requests <= upto:
            return seats
    last_requests, last_seats = rows[-1]
    further = math.ceil((requests - last_requests) / 100.0)
    return int(last_seats + further * seats_per_further_100)


def beta_for(
    daily_requests: float,
    bands: Sequence[Sequence[float]] = DEFAULTS["PLAN-04"]["bands"],
    beta_above: float = DEFAULTS["PLAN-04"]["beta_above_5000"],
) -> float:
    """PLAN-04's beta for a day's manual requests: 4 under 1,000, 3 from 1,000 to 5,000,
    a setting above (the source leaves it open)."""
    if not (math.isfinite(daily_requests) and daily_requests >= 0):
        raise InputError("daily_requests", daily_requests, "negative", "must be at least 0")
    ordered = sorted((float(lo), float(hi), float(b)) for lo, hi, b in bands)
    for position, (low, high, beta) in enumerate(ordered):
        last = position == len(ordered) - 1
        if low <= daily_requests < high or (last and daily_requests == high):
            return beta
    return float(beta_above)


def front_line_by_beta(busy_hour_requests: float, daily_requests: float, **rules: Any) -> int:
    """Front-line agents = busy-hour seats x beta (PLAN-03 and PLAN-04), the sizing method
    of the operations manual, shown beside the Erlang plan."""
    seat_rules = {k: rules[k] for k in ("table", "seats_per_further_100") if k in rules}
    beta_rules = {k: rules[k] for k in ("bands", "beta_above") if k in rules}
    seats = busy_hour_seats(busy_hour_requests, **seat_rules)
    return math.ceil(seats * beta_for(daily_requests, **beta_rules))


# --- ORG-01..07: every role from the ratios ------------------------------------------


@dataclass(frozen=True)
class Ratios:
    """The role ratios of ORG-01..07 ("people per one" unless said otherwise)."""

    agents_per_team_lead: float = DEFAULTS["ORG-01"]["agents_per_team_lead"]
    teams_per_supervisor: float = DEFAULTS["ORG-02"]["teams_per_supervisor"]
    min_supervisors_at_start: int = DEFAULTS["ORG-02"]["min_supervisors_at_start"]
    agents_per_coach: float = DEFAULTS["ORG-03"]["agents_per_coach"]
    business_supervisors_per_city: int = DEFAULTS["ORG-04"]["business_supervisors_per_city"]
    agents_per_qa_inspector: float = DEFAULTS["ORG-05"]["agents_per_qa_inspector"]
    front_line_per_back_office: float = DEFAULTS["ORG-06"]["front_line_per_back_office"]
    standby_share: float = DEFAULTS["ORG-07"]["standby_share"]

    @classmethod
    def from_rules(cls, values: Mapping[str, Mapping[str, Any]]) -> Ratios:
        """Ratios from rule values keyed by rule id (the rule store's current values)."""
        merged: dict[str, Any] = {}
        for rule in ("ORG-01", "ORG-02", "ORG-03", "ORG-04", "ORG-05", "ORG-06", "ORG-07"):
            merged |= dict(values.get(rule, DEFAULTS[rule]))
        return cls(**{f.name: merged[f.name] for f in fields(cls)})


@dataclass(frozen=True)
class RoleLine:
    """One line of a head-count plan: a role, how many, and the rule that set it."""

    role: str
    count: int
    rule: str
    basis: str
    side: str = "vendor"  # who staffs it: "vendor" or "client"


@dataclass(frozen=True)
class HeadcountPlan:
    """People to staff for a site, vendor and seat type in one month."""

    front_line_fte: float
    lines: tuple[RoleLine, ...] = field(default_factory=tuple)

    @property
    def total(self) -> int:
        return sum(line.count for line in self.lines)

    def count(self, role: str) -> int:
        return sum(line.count for line in self.lines if line.role == role)


def _up(value: float) -> int:
    """Round a head-count up, forgiving float noise (20.000000000001 is 20)."""
    return math.ceil(value - 1e-9)


def headcount_plan(
    front_line_fte: float,
    *,
    ratios: Ratios | None = None,
    cities: int = 1,
    starting: bool = False,
) -> HeadcountPlan:
    """Every role of a month's plan from the front-line FTE the forecast needs.

    Args:
        front_line_fte: scheduled front-line FTE for the month (from the Erlang plan).
        ratios: ORG-01..07 values; the rules' defaults when None.
        cities: cities the plan covers (ORG-04: business supervisors per city).
        starting: the project is starting (ORG-02's minimum of supervisors applies).
    """
    if not (math.isfinite(front_line_fte) and front_line_fte >= 0):
        raise InputError("front_line_fte", front_line_fte, "negative", "must be at least 0")
    r = ratios or Ratios()
    agents = _up(front_line_fte)
    teams = _up(agents / r.agents_per_team_lead)
    supervisors = _up(teams / r.teams_per_supervisor)
    lines = (
        RoleLine("agent", agents, "", f"{front_line_fte:.1f} FTE from the interval plan"),
        RoleLine(
            "standby", _up(agents * r.standby_share), "ORG-07", f"{r.standby_share:.0%} of agents"
        ),
        RoleLine(
            "back_office",
            _up(agents / r.front_line_per_back_office),
            "ORG-06",
            f"1 per {r.front_line_per_back_office:g} agents",
        ),
        RoleLine("team_lead", teams, "ORG-01", f"1 per {r.agents_per_team_lead:g} agents"),
        RoleLine(
            "supervisor",
            max(supervisors, r.min_supervisors_at_start) if starting and agents else supervisors,
            "ORG-02",
            f"1 per {r.teams_per_supervisor:g} teams"
            + (f", at least {r.min_supervisors_at_start} at start" if starting else ""),
        ),
        RoleLine(
            "coach",
            _up(agents / r.agents_per_coach),
            "ORG-03",
            f"1 per {r.agents_per_coach:g} agents",
            "client",
        ),
        RoleLine(
            "business_supervisor",
            cities * r.business_supervisors_per_city if agents else 0,
            "ORG-04",
            f"{r.business_supervisors_per_city} per city",
            "client",
        ),
        RoleLine(
            "qa_inspector",
            _up(agents / r.agents_per_qa_inspector),
            "ORG-05",
            f"1 per {r.agents_per_qa_inspector:g} agents",
            "client",
        ),
    )
    return HeadcountPlan(front_line_fte=front_line_fte, lines=lines)


# --- scenarios ----------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """A named what-if: a service target and a shrinkage."""

    name: str
    target: ServiceTarget
    shrinkage: Shrinkage


@dataclass(frozen=True)
class ScenarioResult:
    """What a scenario costs and achieves over the same forecast."""

    name: str
    required_hours: float
    scheduled_hours: float
    fte_month: float
    peak_scheduled: int
    service_level: float  # calls-weighted over the intervals


def compare_scenarios(
    calls: npt.ArrayLike,
    aht: npt.ArrayLike,
    interval_minutes: int,
    scenarios: Sequence[Scenario],
    *,
    hours_per_fte_month: float = HOURS_PER_FTE_MONTH,
    months: float = 1.0,
) -> list[ScenarioResult]:
    """Each scenario over the same intervals, side by side (e.g. 80/20 vs 90/15, 30 %
    vs 35 % shrinkage)."""
    results = []
    for scenario in scenarios:
        plan = staff_intervals(
            calls, aht, interval_minutes, target=scenario.target, shrinkage=scenario.shrinkage
        )
        weights = plan.calls if plan.calls.sum() > 0 else np.ones(plan.calls.shape)
        results.append(
            ScenarioResult(
                name=scenario.name,
                required_hours=float(plan.required.sum()) * interval_minutes / 60.0,
                scheduled_hours=plan.scheduled_hours,
                fte_month=plan.scheduled_hours / hours_per_fte_month / months,
                peak_scheduled=int(plan.scheduled_heads.max(initial=0)),
                service_level=float(np.average(plan.service_level, weights=weights)),
            )
        )
    return results

"""Erlang B, C and A: the queueing maths of staffing, vectorised over intervals.

Units: the offered load is in Erlangs (calls x handle time / interval length); handle
time, threshold, patience and ASA are in seconds. Every function takes numbers or numpy
arrays that broadcast together and returns float64 (or int64 for head-counts) arrays of
the broadcast shape.

Accuracy: Erlang B comes from the recursion on its inverse, R(n) = 1 + (n / A) R(n - 1),
which damps rounding errors at every step. For large loads the recursion starts ten
standard deviations below the load, where any starting error has been damped by a factor
under exp(-50) by the time it reaches the agents that matter; so loads up to 100,000
Erlangs cost a few thousand steps and keep full double precision. The other measures are
written as sums and ratios of positive terms (no "1 - x" of nearly equal numbers).

Overload: with Erlang C, agents <= load is an unstable queue: the probability of waiting
is 1, the service level 0, ASA infinite and occupancy 1, never NaN or an exception.
Erlang A (callers abandon after an exponential patience) is stable at any head-count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
from scipy.special import gammaln

from ccops.core.errors import InputError

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.int64]
ArrayLike: TypeAlias = npt.ArrayLike

#: Default service target (rule PLAN-10): 80 % of calls answered within 20 seconds.
DEFAULT_SERVICE_LEVEL = 0.8
DEFAULT_THRESHOLD_SECONDS = 20.0

_BURN_IN_SIGMAS = 10.0  # exp(-10**2 / 2) ~ 2e-22: the damping of the recursion's start
_RESCALE_AT = 1e250  # series sums are rescaled before they can overflow
_SERIES_EPSILON = 1e-18
_LOG_NEGLIGIBLE = -800.0  # Erlang B below e^-800 is 0 in double precision anyway
_NO_LOAD = 1e-250  # loads under this many Erlangs are no load at all


@dataclass(frozen=True)
class QueueMetrics:
    """What a queue achieves with a head-count, one value per interval.

    Attributes:
        agents: agents on the phones (productive, after shrinkage).
        load: offered load in Erlangs.
        p_wait: probability that a caller waits at all.
        service_level: share of callers answered within the threshold (Erlang A: of all
            callers, abandoned ones count as not answered in time).
        asa: average speed of answer in seconds (Erlang A: mean wait of all callers,
            answered and abandoned).
        occupancy: share of the agents' time spent on calls.
        p_abandon: probability of abandoning (Erlang A only, else None).
    """

    agents: IntArray
    load: FloatArray
    p_wait: FloatArray
    service_level: FloatArray
    asa: FloatArray
    occupancy: FloatArray
    p_abandon: FloatArray | None = None


# --- input checks -------------------------------------------------------------------


def _checked(name: str, value: ArrayLike, *, positive: bool = False) -> FloatArray:
    """Float array of a non-negative (or positive) finite input, or InputError naming it."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError(name, value, "not_numeric", "must be a number") from exc
    bad = ~np.isfinite(array)
    if bad.any():
        raise _error_at(name, array, bad, "not_numeric", "must be a finite number")
    if positive and (array <= 0).any():
        raise _error_at(name, array, array <= 0, "not_positive", "must be greater than zero")
    if (array < 0).any():
        raise _error_at(name, array, array < 0, "negative", "must not be negative")
    return array


def _error_at(
    name: str, array: FloatArray, bad: npt.NDArray[np.bool_], code: str, reason: str
) -> InputError:
    flat = int(np.flatnonzero(bad.ravel())[0])
    row = flat + 1 if array.ndim else None
    return InputError(name, array.ravel()[flat].item(), code, reason, row=row)


def _checked_share(name: str, value: float, *, closed: bool = False) -> float:
    """A share in (0, 1) (or (0, 1] when closed), or InputError naming it."""
    share = float(_checked(name, value))
    if not (0 < share < 1 or (closed and share == 1)):
        interval = "(0, 1]" if closed else "(0, 1)"
        raise InputError(name, value, "out_of_range", f"must lie in {interval}")
    return share


def _checked_load(value: ArrayLike) -> FloatArray:
    """Offered load in Erlangs; loads too small to matter (denormals) count as none."""
    load = _checked("load", value)
    return np.where(load < _NO_LOAD, 0.0, load)


def _checked_agents(value: ArrayLike) -> IntArray:
    agents = _checked("agents", value)
    if (agents != np.floor(agents)).any():
        raise _error_at(
            "agents", agents, agents != np.floor(agents), "not_integer", "must be whole"
        )
    return agents.astype(np.int64)


# --- Erlang B -----------------------------------------------------------------------


def offered_load(calls: ArrayLike, aht: ArrayLike, interval_seconds: ArrayLike) -> FloatArray:
    """Offered load in Erlangs: calls x handle time / interval length."""
    calls_ = _checked("calls", calls)
    aht_ = _checked("aht", aht, positive=True)
    interval = _checked("interval_minutes", interval_seconds, positive=True)
    load = calls_ * aht_ / interval
    return np.asarray(np.where(load < _NO_LOAD, 0.0, load), dtype=np.float64)


def _burn_in_start(agents: IntArray, load: FloatArray) -> IntArray:
    """Where the inverse-blocking recursion may start without losing precision."""
    start = np.floor(np.minimum(agents, load) - _BURN_IN_SIGMAS * np.sqrt(load))
    return np.clip(start, 0, agents).astype(np.int64)


def _inverse_blocking(agents: IntArray, load: FloatArray) -> tuple[FloatArray, FloatArray]:
    """R = 1 / B(n, A) and R - 1 for positive loads, vectorised (inf when B underflows)."""
    start = _burn_in_start(agents, load)
    # above the load the Poisson cdf is over 1/2, so B < 2 x pmf
    negligible = (agents > load) & (_log_poisson(agents, load) < _LOG_NEGLIGIBLE)
    steps = np.where(negligible, 0, agents - start)
    order = np.argsort(-steps, kind="stable")
    steps_sorted, start_sorted, load_sorted = steps[order], start[order], load[order]
    r = np.ones(agents.shape)
    r_minus_1 = np.zeros(agents.shape)
    live = len(order)
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(1, int(steps.max(initial=0)) + 1):
            while live and steps_sorted[live - 1] < step:
                live -= 1
            n = start_sorted[:live] + step
            r_minus_1[:live] = n / load_sorted[:live] * r[:live]
            r[:live] = 1.0 + r_minus_1[:live]
    inverse, inverse_minus_1 = np.empty_like(r), np.empty_like(r)
    inverse[order], inverse_minus_1[order] = r, r_minus_1
    inverse[negligible] = inverse_minus_1[negligible] = np.inf
    return inverse, inverse_minus_1


def _log_poisson(agents: IntArray, load: FloatArray) -> FloatArray:
    """log of A^n e^-A / n!, which bounds Erlang B from above."""
    n = agents.astype(np.float64)
    return np.asarray(n * np.log(load) - load - gammaln(n + 1.0), dtype=np.float64)


def erlang_b(agents: ArrayLike, load: ArrayLike) -> FloatArray:
    """Blocking probability of a loss system with `agents` servers (Erlang B).

    Args:
        agents: number of servers (whole numbers >= 0).
        load: offered load in Erlangs (>= 0).

    Returns:
        B(n, A); 1 for zero servers, 0 for zero load with servers.
    """
    n, a = np.broadcast_arrays(_checked_agents(agents), _checked_load(load))
    blocking = np.where(n == 0, 1.0, 0.0)
    busy = (a > 0) & (n > 0)
    inverse, _ = _inverse_blocking(n[busy], a[busy])
    blocking[busy] = 1.0 / inverse
    return blocking


# --- Erlang C -----------------------------------------------------------------------


def _erlang_c_from_inverse(
    n: IntArray,
    a: FloatArray,
    aht: FloatArray,
    threshold: FloatArray,
    r: FloatArray,
    r_minus_1: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """P(wait), service level and ASA of stable queues (n > A > 0) from R(n)."""
    gap = n - a
    with np.errstate(over="ignore", invalid="ignore"):
        denominator = r * gap + a
        never = np.isinf(denominator)  # R(n) so large that nobody waits, as far as floats go
        p_wait = np.where(never, 0.0, n / denominator)
        p_no_wait = np.where(never, 1.0, r_minus_1 * gap / denominator)
        service = p_no_wait + p_wait * -np.expm1(-gap * threshold / aht)
        asa = p_wait * aht / gap
    return p_wait, np.minimum(service, 1.0), asa


def erlang_c(
    agents: ArrayLike,
    load: ArrayLike,
    aht: ArrayLike,
    threshold: ArrayLike = DEFAULT_THRESHOLD_SECONDS,
) -> QueueMetrics:
    """Erlang C measures of a head-count: the reverse question of `required_agents`.

    Args:
        agents: agents on the phones.
        load: offered load in Erlangs.
        aht: average handle time in seconds.
        threshold: service-level threshold in seconds (20 by default, PLAN-10).

    Returns:
        QueueMetrics; overloaded intervals (agents <= load) have p_wait 1, service level
        0, ASA inf and occupancy 1; intervals without load have p_wait 0, service level 1,
        ASA 0 and occupancy 0.
    """
    n, a, h, t = np.broadcast_arrays(
        _checked_agents(agents),
        _checked_load(load),
        _checked("aht", aht, positive=True),
        _checked("threshold", threshold),
    )
    shape = n.shape
    n, a, h, t = (np.ravel(v) for v in (n, a, h, t))
    stable = (n > a) & (a > 0)
    idle = a == 0
    p_wait = np.where(idle, 0.0, 1.0)
    service = np.where(idle, 1.0, 0.0)
    asa = np.where(idle, 0.0, np.inf)
    r, r_minus_1 = _inverse_blocking(n[stable], a[stable])
    p_wait[stable], service[stable], asa[stable] = _erlang_c_from_inverse(
        n[stable], a[stable], h[stable], t[stable], r, r_minus_1
    )
    occupancy = np.where(idle, 0.0, np.where(stable, a / np.maximum(n, 1), 1.0))
    return QueueMetrics(
        agents=n.reshape(shape),
        load=a.reshape(shape),
        p_wait=p_wait.reshape(shape),
        service_level=service.reshape(shape),
        asa=asa.reshape(shape),
        occupancy=occupancy.reshape(shape),
    )


def _search_erlang_c(
    a: FloatArray,
    aht: FloatArray,
    threshold: FloatArray,
    service_target: float | None,
    asa_target: float | None,
) -> IntArray:
    """Fewest agents meeting the targets (Erlang C): Erlang B at the largest unstable
    head-count, then every interval walks up at once until its targets are met."""
    found = np.zeros(a.shape, dtype=np.int64)
    index = np.flatnonzero(a > 0)
    la, lh, lt = a[index], aht[index], threshold[index]
    n = np.floor(la).astype(np.int64)
    r, r_minus_1 = _inverse_blocking(n, la)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        while len(index):
            n = n + 1
            r_minus_1 = n / la * r
            r = 1.0 + r_minus_1
            _, service, asa = _erlang_c_from_inverse(n, la, lh, lt, r, r_minus_1)
            done = np.ones(len(index), dtype=bool)
            if service_target is not None:
                done &= service >= service_target
            if asa_target is not None:
                done &= asa <= asa_target
            if done.any():
                found[index[done]] = n[done]
                keep = ~done
                index, n, r, r_minus_1 = index[keep], n[keep], r[keep], r_minus_1[keep]
                la, lh, lt = la[keep], lh[keep], lt[keep]
    return found


# --- Erlang A -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Series:
    """Sums over k >= 0 of t_k = y^k / ((x+1)(x+2)...(x+k)), scaled by exp(-log_scale)."""

    total: FloatArray
    tail: FloatArray  # the sum without its k = 0 term
    abandon: FloatArray  # sum of t_k (k + 1) / (x + k + 1)
    log_scale: FloatArray


def _series(x: FloatArray, y: FloatArray) -> _Series:
    """The positive series behind Erlang A, summed until its terms stop mattering."""
    size = x.shape
    total, tail, abandon = np.ones(size), np.zeros(size), 1.0 / (x + 1.0)
    log_scale = np.zeros(size)
    index = np.arange(size[0])
    term = np.ones(size)
    k = 0
    while len(index):
        k += 1
        lx, ly = x[index], y[index]
        term[index] = term[index] * ly / (lx + k)
        total[index] += term[index]
        tail[index] += term[index]
        abandon[index] += term[index] * (k + 1) / (lx + k + 1)
        big = total[index] > _RESCALE_AT
        if big.any():
            rows = index[big]
            scale = total[rows]
            for array in (term, total, tail, abandon):
                array[rows] /= scale
            log_scale[rows] += np.log(scale)
        past_peak = k + lx > ly
        small = term[index] < _SERIES_EPSILON * total[index]
        index = index[~(past_peak & small)]
    return _Series(total, tail, abandon, log_scale)


def _subset(series: _Series, mask: npt.NDArray[np.bool_]) -> _Series:
    return _Series(
        series.total[mask], series.tail[mask], series.abandon[mask], series.log_scale[mask]
    )


def erlang_a(
    agents: ArrayLike,
    load: ArrayLike,
    aht: ArrayLike,
    patience: ArrayLike,
    threshold: ArrayLike = DEFAULT_THRESHOLD_SECONDS,
) -> QueueMetrics:
    """Erlang A (M/M/n+M) measures: callers abandon after an exponential patience.

    Formulas of Mandelbaum and Zeltyn for exponential patience, written as positive
    series so that they keep full precision at any load.

    Args:
        agents: agents on the phones.
        load: offered load in Erlangs.
        aht: average handle time in seconds.
        patience: callers' mean patience in seconds (> 0).
        threshold: service-level threshold in seconds.

    Returns:
        QueueMetrics with p_abandon; service_level is the share of all callers answered
        within the threshold and asa the mean wait of all callers.
    """
    n, a, h, w, t = np.broadcast_arrays(
        _checked_agents(agents),
        _checked_load(load),
        _checked("aht", aht, positive=True),
        _checked("patience", patience, positive=True),
        _checked("threshold", threshold),
    )
    shape = n.shape
    n, a, h, w, t = (np.ravel(v) for v in (n, a, h, w, t))
    busy = a > 0
    p_wait, p_abandon, service = np.zeros(n.shape), np.zeros(n.shape), np.ones(n.shape)
    p_wait[busy], p_abandon[busy], service[busy] = _erlang_a_busy(
        n[busy], a[busy], h[busy], w[busy], t[busy]
    )
    carried = a * (1.0 - p_abandon)  # can exceed n by rounding when nearly all abandon
    occupancy = np.where(n > 0, np.minimum(carried / np.maximum(n, 1), 1.0), 0.0)
    return QueueMetrics(
        agents=n.reshape(shape),
        load=a.reshape(shape),
        p_wait=p_wait.reshape(shape),
        service_level=service.reshape(shape),
        asa=(p_abandon * w).reshape(shape),
        occupancy=occupancy.reshape(shape),
        p_abandon=p_abandon.reshape(shape),
    )


def _erlang_a_busy(
    n: IntArray, a: FloatArray, aht: FloatArray, patience: FloatArray, threshold: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """P(wait), P(abandon) and service level for positive loads."""
    x = n * patience / aht  # n mu / theta
    y = a * patience / aht  # lambda / theta
    _, r_minus_1 = _inverse_blocking(n, a)
    s0 = _series(x, y)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        ratio = np.where(np.isinf(r_minus_1), np.inf, r_minus_1 / s0.total * np.exp(-s0.log_scale))
        p_wait = 1.0 / (1.0 + ratio)
        served_if_waiting = np.where(x > 0, x / y * s0.tail / s0.total, 0.0)
        p_abandon = p_wait * s0.abandon / s0.total
        theta_t = threshold / patience
        answered_in_time = served_if_waiting - _served_late(x, y, theta_t, s0)
        beyond_mode = (x > 0) & (y * np.exp(-theta_t) > x + 1.0)
        if beyond_mode.any():
            answered_in_time[beyond_mode] = _answered_in_time_overloaded(
                x[beyond_mode], y[beyond_mode], theta_t[beyond_mode], _subset(s0, beyond_mode)
            )
    answered_in_time = np.clip(answered_in_time, 0.0, 1.0)
    service = (1.0 - p_wait) + p_wait * answered_in_time
    return p_wait, p_abandon, np.clip(service, 0.0, 1.0)


def _served_late(x: FloatArray, y: FloatArray, theta_t: FloatArray, s0: _Series) -> FloatArray:
    """Share of waiting callers answered after the threshold (they did not abandon)."""
    z = y * np.exp(-theta_t)
    s1 = _series(x + 1.0, z)
    log_late = (
        np.log(x / (x + 1.0))
        - (x + 1.0) * theta_t
        - y * np.expm1(-theta_t)
        + np.log(s1.total)
        + s1.log_scale
        - np.log(s0.total)
        - s0.log_scale
    )
    return np.where(x > 0, np.exp(log_late), 0.0)


def _answered_in_time_overloaded(
    x: FloatArray, y: FloatArray, theta_t: FloatArray, s0: _Series
) -> FloatArray:
    """Share of waiting callers answered within the threshold, when every offered wait
    up to the threshold lies beyond the mode (y e^-theta t > x + 1): written with upper
    incomplete gammas, which do not cancel there as the lower ones do.
    """
    z = y * np.exp(-theta_t)
    log_factor = -(x + 1.0) * theta_t - y * np.expm1(-theta_t)  # log of p^(x+1) e^(y(1-p))
    upper_z, upper_y = _upper_gamma_ratio(x + 1.0, z), _upper_gamma_ratio(x + 1.0, y)
    log_first = log_factor + np.log(upper_z)
    with np.errstate(divide="ignore"):
        log_value = (
            np.log(x)
            + log_first
            + np.log1p(-np.exp(np.log(upper_y) - log_first))
            - np.log(s0.total)
            - s0.log_scale
        )
    return np.exp(log_value)


def _upper_gamma_ratio(s: FloatArray, a: FloatArray) -> FloatArray:
    """Gamma(s, a) e^a / a^s by its continued fraction (modified Lentz), for a > s - 1."""
    tiny = 1e-300
    b = a + 1.0 - s
    c = np.full(a.shape, 1.0 / tiny)
    d = 1.0 / b
    h = d.copy()
    for i in range(1, 100_000):
        an = -i * (i - s)
        b = b + 2.0
        d = an * d + b
        d = np.where(np.abs(d) < tiny, tiny, d)
        c = b + an / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        d = 1.0 / d
        delta = d * c
        h = h * delta
        if (np.abs(delta - 1.0) < 1e-16).all():
            break
    return h


# --- required agents ----------------------------------------------------------------


Meets: TypeAlias = Callable[[IntArray, IntArray], npt.NDArray[np.bool_]]


def _bracket_down(meets: Meets, high: IntArray) -> tuple[IntArray, IntArray]:
    """(low, high): `meets` fails at low (or low is -1) and holds at high, galloping down
    from a head-count where it holds."""
    low = np.full(high.shape, -1, dtype=np.int64)
    step, index = 1, np.flatnonzero(high > 0)
    while len(index):
        probe = np.maximum(high[index] - step, 0)
        ok = meets(probe, index)
        high[index[ok]] = probe[ok]
        low[index[~ok]] = probe[~ok]
        index = index[ok & (probe > 0)]
        step *= 2
    return low, high


def _bisect_agents(meets: Meets, low: IntArray, high: IntArray) -> IntArray:
    """Fewest agents in (low, high] for which `meets` holds, given it holds at `high`."""
    low, high = low.copy(), high.copy()
    while len(index := np.flatnonzero(high - low > 1)):
        middle = (low[index] + high[index]) // 2
        ok = meets(middle, index)
        high[index[ok]] = middle[ok]
        low[index[~ok]] = middle[~ok]
    return high


def _search_erlang_a(
    a: FloatArray,
    aht: FloatArray,
    threshold: FloatArray,
    patience: FloatArray,
    service_target: float | None,
    asa_target: float | None,
) -> IntArray:
    """Fewest agents meeting the targets with abandonment (Erlang A), searched from the
    Erlang C answer, which is close."""

    def meets(agents: IntArray, index: IntArray) -> npt.NDArray[np.bool_]:
        metrics = erlang_a(agents, a[index], aht[index], patience[index], threshold[index])
        ok = np.ones(len(index), dtype=bool)
        if service_target is not None:
            ok &= metrics.service_level >= service_target
        if asa_target is not None:
            ok &= metrics.asa <= asa_target
        return np.asarray(ok | (a[index] == 0), dtype=np.bool_)

    guess = _search_erlang_c(a, aht, threshold, service_target, asa_target)
    high = guess.copy()
    index = np.arange(len(a))
    while len(index):  # gallop up where the guess falls short
        ok = meets(high[index], index)
        step = np.maximum(1, high[index] // 8)
        high[index[~ok]] += step[~ok]
        index = index[~ok]
    return _bisect_agents(meets, *_bracket_down(meets, high))


def required_agents(
    calls: ArrayLike,
    aht: ArrayLike,
    interval_minutes: ArrayLike,
    *,
    service_level: float | None = DEFAULT_SERVICE_LEVEL,
    threshold: ArrayLike = DEFAULT_THRESHOLD_SECONDS,
    asa: float | None = None,
    max_occupancy: float | None = None,
    patience: ArrayLike | None = None,
) -> QueueMetrics:
    """Fewest agents on the phones that meet every target given, per interval.

    Args:
        calls: calls offered in each interval (>= 0, fractions allowed: a forecast).
        aht: average handle time in seconds (> 0).
        interval_minutes: interval length in minutes (> 0).
        service_level: share to answer within `threshold` (PLAN-10: 0.8), or None.
        threshold: service-level threshold in seconds (PLAN-10: 20).
        asa: average speed of answer target in seconds, or None.
        max_occupancy: cap on occupancy in (0, 1], or None for no cap.
        patience: callers' mean patience in seconds: switches to Erlang A.

    Returns:
        QueueMetrics at the required head-count (0 agents where no calls come).

    Raises:
        InputError: a negative or non-numeric number, an AHT or interval of zero, a
            target outside its range.
    """
    aht_ = _checked("aht", aht, positive=True)
    load = offered_load(
        calls, aht_, _checked("interval_minutes", interval_minutes, positive=True) * 60.0
    )
    service_target = None if service_level is None else _checked_share("sl", service_level)
    asa_target = None if asa is None else float(_checked("asa", asa, positive=True))
    occupancy_cap = (
        None
        if max_occupancy is None
        else _checked_share("max_occupancy", max_occupancy, closed=True)
    )
    patience_ = None if patience is None else _checked("patience", patience, positive=True)
    arrays = np.broadcast_arrays(
        load, aht_, _checked("threshold", threshold), 1.0 if patience_ is None else patience_
    )
    shape = arrays[0].shape
    a, h, t, w = (np.ravel(v) for v in arrays)
    if patience_ is None:
        agents = _search_erlang_c(a, h, t, service_target, asa_target)
    else:
        agents = _search_erlang_a(a, h, t, w, service_target, asa_target)
    if occupancy_cap is not None:
        agents = np.maximum(agents, _occupancy_floor(a, occupancy_cap))
    metrics = erlang_c(agents, a, h, t) if patience_ is None else erlang_a(agents, a, h, w, t)
    return _reshaped(metrics, shape)


def _occupancy_floor(load: FloatArray, cap: float) -> IntArray:
    """Fewest agents whose occupancy stays at or under the cap."""
    return np.ceil(load / cap).astype(np.int64)


def _reshaped(metrics: QueueMetrics, shape: tuple[int, ...]) -> QueueMetrics:
    """The same metrics in the callers' shape."""
    changes = {
        field.name: getattr(metrics, field.name).reshape(shape)
        for field in fields(metrics)
        if getattr(metrics, field.name) is not None
    }
    return replace(metrics, **changes)

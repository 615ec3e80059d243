"""Prediction bands: calls per interval as a gamma distribution whose variance grows
with the mean as ``a * mean + b * mean**2`` (Poisson noise and level error), fitted to
the back-test's errors."""

from __future__ import annotations

import numpy as np
from scipy.optimize import nnls
from scipy.stats import gamma

from ccops.core.forecast.history import FloatArray


def dispersion(forecast: FloatArray, actual: FloatArray) -> tuple[float, float]:
    """``(a, b)`` of the variance ``a * m + b * m**2``; ``a`` at least 1 (Poisson).

    Fitted by non-negative least squares of ``error**2 / m`` on ``1, m``, which weighs
    quiet and busy intervals alike.
    """
    keep = forecast > 0
    if keep.sum() < 2:
        return 1.0, 0.0
    mean = forecast[keep]
    target = (actual[keep] - mean) ** 2 / mean
    design = np.column_stack([np.ones(len(mean)), mean])
    (a, b), _ = nnls(design, target)
    return max(float(a), 1.0), float(b)


def weekly_dispersion(totals: FloatArray) -> tuple[float, float]:
    """``(1, b)`` from the week-on-week changes of daily totals, for histories too short
    to back-test."""
    now, before = totals[7:], totals[:-7]
    keep = (now > 0) & (before > 0)
    if keep.sum() < 2:
        return 1.0, 0.0
    return 1.0, float(np.var(np.log(now[keep] / before[keep])) / 2)


def band(mean: FloatArray, a: float, b: float, level: float) -> tuple[FloatArray, FloatArray]:
    """Lower and upper bounds holding ``level`` of the calls, never below zero."""
    flat = mean.reshape(-1)
    lower, upper = np.zeros(len(flat)), np.zeros(len(flat))
    busy = flat > 0
    if busy.any():
        m = flat[busy]
        variance = a * m + b * m**2
        shape, scale = m**2 / variance, variance / m
        lower[busy] = gamma.ppf((1 - level) / 2, shape, scale=scale)
        upper[busy] = gamma.ppf((1 + level) / 2, shape, scale=scale)
    clean_lower = np.clip(np.nan_to_num(lower), 0.0, flat)
    clean_upper = np.maximum(np.nan_to_num(upper), flat)
    return clean_lower.reshape(mean.shape), clean_upper.reshape(mean.shape)


def coverage(forecast: FloatArray, actual: FloatArray, a: float, b: float, level: float) -> float:
    """Share of ``actual`` inside the band around ``forecast``."""
    lower, upper = band(forecast, a, b, level)
    return float(((actual >= lower) & (actual <= upper)).mean())


def calibrate(
    forecast: FloatArray,
    actual: FloatArray,
    a: float,
    b: float,
    level: float,
    *,
    steps: int = 20,
    widest: float = 16.0,
) -> float:
    """The factor on the variance that makes the band hold ``level`` of the back-test's
    actual calls (bisection on a log scale between ``1 / widest`` and ``widest``)."""
    low, high = -np.log(widest), np.log(widest)
    if not len(forecast):
        return 1.0
    for _ in range(steps):
        middle = (low + high) / 2
        if coverage(forecast, actual, a * np.exp(middle), b * np.exp(middle), level) < level:
            low = middle
        else:
            high = middle
    return float(np.exp(high))

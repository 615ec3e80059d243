"""Special days in the horizon: holidays, swapped working days, billing days, events.

What the history teaches is used when it has such days: the median ratio of a holiday's
(or billing day's) calls to what a normal day would have brought, and the holidays'
intraday shape. Without them a holiday looks like the quietest weekday and a billing day
like a normal day. Events multiply whatever the day would have been by their uplift.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ccops.core.forecast.calendar import DayKind
from ccops.core.forecast.cleaning import Prepared, weekdays_of
from ccops.core.forecast.history import BoolArray, DayArray, FloatArray
from ccops.core.forecast.methods import IntradayProfile
from ccops.core.forecast.settings import ForecastSettings

WORKING_WEEKDAYS = np.arange(5)


@dataclass(frozen=True)
class SpecialEffects:
    """What was learnt about special days.

    Attributes:
        holiday_factor: a holiday's calls over a normal day's (None: not in history).
        holiday_shares: intraday shares of holidays in history (None: not in history).
        billing_factor: a billing day's calls over a normal day's (1 when not learnt).
        weekday_means: recent mean daily calls per weekday (Monday first).
        weekday_shares: recent intraday shares per weekday.
        workday: a typical recent working day (Monday to Friday), per interval.
    """

    holiday_factor: float | None
    holiday_shares: FloatArray | None
    billing_factor: float
    weekday_means: FloatArray
    weekday_shares: FloatArray
    workday: FloatArray


def _ratios(prepared: Prepared, kind: DayKind) -> tuple[FloatArray, BoolArray]:
    rows = prepared.kinds == kind
    actual = prepared.raw[rows].sum(axis=1)
    expected = prepared.training.calls[rows].sum(axis=1)
    known = expected > 0
    mask = np.zeros(len(rows), dtype=bool)
    mask[np.flatnonzero(rows)[known]] = True
    return actual[known] / expected[known], mask


def learn_effects(prepared: Prepared, settings: ForecastSettings) -> SpecialEffects:
    """Holiday and billing-day factors, and the typical days they fall back on."""
    training = prepared.training
    holiday, holiday_rows = _ratios(prepared, DayKind.HOLIDAY)
    billing, _ = _ratios(prepared, DayKind.BILLING)
    shares = None
    if len(holiday):
        calls = prepared.raw[holiday_rows].sum(axis=0)
        shares = calls / calls.sum() if calls.sum() > 0 else None
    weekdays = training.weekdays
    recent = np.zeros(len(weekdays), dtype=bool)
    recent[-7 * settings.weekday_weeks :] = True
    totals = training.calls.sum(axis=1)
    means = np.array(
        [
            totals[recent & (weekdays == day)].mean() if (recent & (weekdays == day)).any() else 0.0
            for day in range(7)
        ]
    )
    working = recent & training.observed & (weekdays < 5)
    if not working.any():
        working = recent & (weekdays < 5)
    workday = (
        training.calls[working].mean(axis=0) if working.any() else np.zeros(training.calls.shape[1])
    )
    return SpecialEffects(
        holiday_factor=float(np.median(holiday)) if len(holiday) else None,
        holiday_shares=shares,
        billing_factor=float(np.median(billing)) if len(billing) else 1.0,
        weekday_means=means,
        weekday_shares=IntradayProfile(weeks=settings.profile_weeks).fit(training).shares_,
        workday=workday,
    )


def _shaped(total: float, shares: FloatArray, open_slots: BoolArray) -> FloatArray:
    masked = shares * open_slots
    return total * masked / masked.sum() if masked.sum() > 0 else np.zeros(len(shares))


def apply_effects(
    normal: FloatArray,
    days: DayArray,
    kinds: np.ndarray,
    uplift: FloatArray,
    effects: SpecialEffects,
    open_slots: BoolArray,
) -> tuple[FloatArray, BoolArray]:
    """The horizon's forecast with special days treated, and its open intervals.

    Args:
        normal: the method's forecast, every day taken as a normal day (days x intervals).
        days: the horizon's days.
        kinds: `DayKind` of each day.
        uplift: event uplift of each day.
        effects: what was learnt from the history.
        open_slots: open intervals of the week (7 x intervals).
    """
    weekdays = weekdays_of(days)
    result = normal.copy()
    is_open = open_slots[weekdays].copy()
    quiet = int(np.argmin(effects.weekday_means))
    for index in np.flatnonzero(kinds != DayKind.NORMAL):
        kind, weekday = int(kinds[index]), int(weekdays[index])
        total = float(normal[index].sum())
        if kind == DayKind.HOLIDAY:
            if effects.holiday_factor is not None:
                factor = effects.holiday_factor
            else:
                usual = effects.weekday_means[weekday]
                factor = effects.weekday_means[quiet] / usual if usual > 0 else 0.0
            shares = (
                effects.holiday_shares
                if effects.holiday_shares is not None
                else effects.weekday_shares[quiet]
            )
            result[index] = _shaped(total * factor, shares, is_open[index])
        elif kind == DayKind.WORKDAY:
            is_open[index] = open_slots[WORKING_WEEKDAYS].any(axis=0)
            result[index] = effects.workday * is_open[index]
        elif kind == DayKind.BILLING:
            result[index] = normal[index] * effects.billing_factor
    return result * uplift[:, None], is_open

"""Training data: special and anomalous days set aside, open intervals learnt.

A day is kept for training when it is a normal day (no holiday, swapped working day,
billing day or event) whose total is in line with the same weekday around it. Other
days are replaced by the average of the nearest kept same weekdays, so that methods that
need an unbroken series see a normal day there and averages never include them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ccops.core.forecast.calendar import DayKind, SpecialDays, day_kinds, in_any_event
from ccops.core.forecast.history import BoolArray, DayArray, FloatArray, History, IntArray
from ccops.core.forecast.settings import ForecastSettings

#: Calls within this many Poisson standard deviations of the level are never anomalous.
POISSON_GUARD = 3.0
MAD_TO_SD = 1.4826


@dataclass(frozen=True)
class Training:
    """History made ready for the methods.

    Attributes:
        first_day: first calendar day.
        calls: days x intervals; special and anomalous days replaced by expected values.
        observed: per day, True where the row is the history as observed.
        open_slots: 7 x intervals, Monday first: which intervals of the week are open.
    """

    first_day: np.datetime64
    calls: FloatArray
    observed: BoolArray
    open_slots: BoolArray

    @property
    def days(self) -> DayArray:
        return self.first_day + np.arange(self.calls.shape[0])

    @property
    def weekdays(self) -> IntArray:
        return weekdays_of(self.days)


@dataclass(frozen=True)
class Prepared:
    """The training data and what was learnt about each history day on the way."""

    training: Training
    raw: FloatArray
    kinds: npt.NDArray[np.int8]
    anomalous: BoolArray


def weekdays_of(days: DayArray) -> IntArray:
    """Monday = 0 ... Sunday = 6 for ``datetime64[D]`` days."""
    return ((days.astype("datetime64[D]").astype(np.int64) + 3) % 7).astype(np.int64)


def nearest_same_weekday(
    weekdays: IntArray, usable: BoolArray, count: int, *, radius: int | None = None
) -> list[IntArray]:
    """For every day, the indices of up to ``count`` nearest usable days of its weekday
    (never itself), nearer weeks first and the past before the future on a tie; within
    ``radius`` weeks when given."""
    found: list[IntArray] = [np.zeros(0, dtype=np.int64)] * len(weekdays)
    for weekday in range(7):
        same = np.flatnonzero(weekdays == weekday)
        good = same[usable[same]]
        for day in same:
            distance = np.abs(good - day) // 7
            order = np.lexsort((good > day, distance))
            chosen = good[order]
            chosen = chosen[chosen != day]
            if radius is not None:
                chosen = chosen[np.abs(chosen - day) // 7 <= radius]
            found[int(day)] = chosen[:count].astype(np.int64)
    return found


def anomalous_days(
    totals: FloatArray, weekdays: IntArray, candidate: BoolArray, settings: ForecastSettings
) -> BoolArray:
    """Days whose total is far from the same weekday's level around them.

    The level is the median of the same weekdays within ``anomaly_weeks`` weeks either
    side; the spread is the median absolute log ratio of that weekday, robust to the
    anomalies themselves. A day must also differ by more than Poisson noise.
    """
    flagged = np.zeros(len(totals), dtype=bool)
    for _ in range(2):  # a second pass no longer lets flagged days set the level
        usable = candidate & ~flagged
        neighbours = nearest_same_weekday(
            weekdays, usable, 2 * settings.anomaly_weeks, radius=settings.anomaly_weeks
        )
        level = np.array([np.median(totals[n]) if len(n) else np.nan for n in neighbours])
        known = candidate & ~np.isnan(level)
        ratio = np.zeros(len(totals))
        ratio[known] = np.log((totals[known] + 1.0) / (level[known] + 1.0))
        scale = np.full(7, settings.anomaly_min_scale)
        for weekday in range(7):
            mine = known & (weekdays == weekday)
            if mine.any():
                spread = MAD_TO_SD * float(np.median(np.abs(ratio[mine])))
                scale[weekday] = max(spread, settings.anomaly_min_scale)
        far = np.abs(ratio) > settings.anomaly_z * scale[weekdays]
        beyond_noise = np.abs(totals - np.nan_to_num(level)) > POISSON_GUARD * np.sqrt(
            np.nan_to_num(level) + 1.0
        )
        flagged = known & far & beyond_noise
    return flagged


def open_slots(
    calls: FloatArray, weekdays: IntArray, usable: BoolArray, settings: ForecastSettings
) -> BoolArray:
    """Intervals of the week (7 x intervals) that carried calls on at least
    ``open_share`` of the recent usable days of their weekday."""
    recent = np.zeros(len(usable), dtype=bool)
    recent[-7 * settings.open_weeks :] = True
    result = np.zeros((7, calls.shape[1]), dtype=bool)
    for weekday in range(7):
        mine = weekdays == weekday
        for rows in (mine & usable & recent, mine & usable, mine):
            if rows.any():
                share = (calls[rows] > 0).mean(axis=0)
                result[weekday] = share >= settings.open_share
                break
    return result


def prepare(history: History, calendar: SpecialDays | None, settings: ForecastSettings) -> Prepared:
    """Set special and anomalous days aside and learn the open intervals."""
    days = history.days
    weekdays = weekdays_of(days)
    kinds = day_kinds(days, calendar)
    normal = (kinds == DayKind.NORMAL) & ~in_any_event(days, calendar)
    totals = history.calls.sum(axis=1)
    anomalous = anomalous_days(totals, weekdays, normal, settings)
    observed = normal & ~anomalous
    if not observed.any():
        observed = normal if normal.any() else np.ones(len(days), dtype=bool)
    cleaned = history.calls.copy()
    neighbours = nearest_same_weekday(weekdays, observed, settings.neighbour_days)
    for day in np.flatnonzero(~observed):
        rows = neighbours[int(day)]
        cleaned[day] = history.calls[rows].mean(axis=0) if len(rows) else 0.0
    slots = open_slots(history.calls, weekdays, observed, settings)
    training = Training(history.first_day, cleaned, observed, slots)
    return Prepared(training, history.calls, kinds, anomalous)

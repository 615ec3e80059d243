"""`forecast_calls`: calls (and handle time) per open interval of the coming days.

The steps: check and grid the history; set special and anomalous days aside; back-test
every candidate method from several rolling origins and keep the lowest WAPE; fit it on
the whole history; treat the horizon's special days; add the prediction band and the
handle time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from ccops.core.errors import InputError
from ccops.core.forecast.accuracy import Level, Totals, totals
from ccops.core.forecast.band import band, calibrate, dispersion, weekly_dispersion
from ccops.core.forecast.calendar import DayKind, SpecialDays, day_kinds, event_uplift
from ccops.core.forecast.cleaning import Prepared, prepare, weekdays_of
from ccops.core.forecast.history import (
    FloatArray,
    History,
    build_history,
    check_horizon,
)
from ccops.core.forecast.methods import combine, make_method, members
from ccops.core.forecast.settings import METHODS, ForecastSettings
from ccops.core.forecast.special import apply_effects, learn_effects

Progress = Callable[[float], None]


@dataclass(frozen=True)
class Band:
    """A forecast with its prediction band, per interval.

    Attributes:
        mean: the forecast.
        lower: the bound below which ``(1 - level) / 2`` of outcomes are expected.
        upper: the bound above which ``(1 - level) / 2`` of outcomes are expected.
        level: the band's coverage, e.g. 0.8.
    """

    mean: FloatArray
    lower: FloatArray
    upper: FloatArray
    level: float


@dataclass(frozen=True)
class IntervalForecast:
    """Forecast calls (and handle time) for every open interval of the horizon.

    Attributes:
        starts: interval starts (``datetime64[m]``, naive local time), sorted.
        calls: forecast calls with their prediction band.
        aht: forecast average handle time in seconds (None without handle-time history).
        method: the method used (``seasonal_naive``, ``mstl``, ``auto_ets``, ``top_down``
            or ``ensemble``).
        backtest: back-test WAPE of each candidate method (empty when the history was
            too short to back-test).
        interval_minutes: interval length.
        history_start: first day of the history.
        history_end: last day of the history.
        horizon_start: first forecast day, the day after ``history_end``.
        horizon_days: forecast days.
        anomalous_days: history days kept out of training as anomalous.
        special_days: horizon days treated as special, with their kind (``holiday``,
            ``workday``, ``billing``, ``event``).
    """

    starts: npt.NDArray[np.datetime64]
    calls: Band
    aht: FloatArray | None
    method: str
    backtest: Mapping[str, float]
    interval_minutes: int
    history_start: dt.date
    history_end: dt.date
    horizon_start: dt.date
    horizon_days: int
    anomalous_days: tuple[dt.date, ...] = ()
    special_days: tuple[tuple[dt.date, str], ...] = field(default=())

    def rows(self) -> Iterator[tuple[dt.datetime, float, float, float, float | None]]:
        """``(start, calls, lower, upper, aht)`` per interval, starts as naive datetimes."""
        aht = self.aht.tolist() if self.aht is not None else [None] * len(self.starts)
        yield from zip(
            self.starts.astype("datetime64[m]").astype(dt.datetime).tolist(),
            self.calls.mean.tolist(),
            self.calls.lower.tolist(),
            self.calls.upper.tolist(),
            aht,
            strict=True,
        )

    def totals(self, level: Level) -> Totals:
        """Forecast calls summed per interval, day, month or year (PLAN-01)."""
        return totals(self.starts, self.calls.mean, level)


@dataclass(frozen=True)
class Backtest:
    """WAPE per method and, per method, the forecasts and actuals it was measured on."""

    wape: dict[str, float]
    pairs: dict[str, tuple[FloatArray, FloatArray]]


def _head(history: History, days: int) -> History:
    def cut(values: FloatArray | None) -> FloatArray | None:
        return None if values is None else values[:days]

    return History(
        history.first_day,
        history.calls[:days],
        cut(history.handled_calls),
        cut(history.handle_seconds),
        history.interval_minutes,
        history.source_minutes,
    )


def backtest_origins(total_days: int, window: int, settings: ForecastSettings) -> list[int]:
    """Days of training before each origin, latest origin first."""
    cuts = [
        total_days - window - k * settings.backtest_step_days
        for k in range(settings.backtest_origins)
    ]
    return [cut for cut in cuts if cut >= settings.min_train_days]


def run_backtest(
    history: History,
    prepared: Prepared,
    calendar: SpecialDays | None,
    names: tuple[str, ...],
    horizon_days: int,
    settings: ForecastSettings,
    report: Progress,
) -> Backtest:
    """Rolling-origin back-test of ``names`` (WAPE per interval over the normal days)."""
    window = min(horizon_days, settings.backtest_days)
    cuts = backtest_origins(history.calls.shape[0], window, settings)
    singles = tuple(dict.fromkeys(m for name in names for m in members(name)))
    error = dict.fromkeys(names, 0.0)
    actual_sum = dict.fromkeys(names, 0.0)
    pairs: dict[str, list[tuple[FloatArray, FloatArray]]] = {name: [] for name in names}
    failed: set[str] = set()
    steps, done = max(len(cuts) * len(singles), 1), 0
    for cut in cuts:
        training = prepare(_head(history, cut), calendar, settings).training
        scored = prepared.training.observed[cut : cut + window]
        actual = history.calls[cut : cut + window][scored]
        predictions: dict[str, FloatArray] = {}
        for single in singles:
            try:
                predictions[single] = make_method(single, settings).fit(training).predict(window)
            except Exception:  # a third-party model that cannot fit this history
                failed.add(single)
            done += 1
            report(done / steps)
        if not scored.any():
            continue
        for name in names:
            if any(m in failed for m in members(name)):
                continue
            forecast = combine(name, predictions)[scored]
            error[name] += float(np.abs(forecast - actual).sum())
            actual_sum[name] += float(actual.sum())
            pairs[name].append((forecast.ravel(), actual.ravel()))
    usable = [
        name
        for name in names
        if actual_sum[name] > 0 and not any(m in failed for m in members(name))
    ]
    return Backtest(
        {name: error[name] / actual_sum[name] for name in usable},
        {
            name: (
                np.concatenate([f for f, _ in pairs[name]]),
                np.concatenate([a for _, a in pairs[name]]),
            )
            for name in usable
        },
    )


def _fit_predict(
    names: list[str], prepared: Prepared, horizon: int, settings: ForecastSettings
) -> FloatArray:
    """The average forecast of ``names`` (each a single method or the ensemble)."""
    singles = dict.fromkeys(single for name in names for single in members(name))
    predictions = {
        single: make_method(single, settings).fit(prepared.training).predict(horizon)
        for single in singles
    }
    return np.mean([combine(name, predictions) for name in names], axis=0)  # type: ignore[no-any-return]


def aht_profile(history: History, prepared: Prepared, weeks: int) -> FloatArray | None:
    """Calls-weighted handle time per weekday and interval over recent observed weeks,
    falling back to the weekday's and then the overall average (None without data)."""
    if history.handled_calls is None or history.handle_seconds is None:
        return None
    if history.handled_calls.sum() <= 0:
        return None
    weekdays = prepared.training.weekdays
    recent = np.zeros(len(weekdays), dtype=bool)
    recent[-7 * weeks :] = True
    observed = prepared.training.observed
    overall = float(history.handle_seconds.sum() / history.handled_calls.sum())
    profile = np.full((7, history.slots), overall)
    for weekday in range(7):
        mine = weekdays == weekday
        for rows in (mine & recent & observed, mine & observed, mine):
            calls = history.handled_calls[rows].sum(axis=0)
            if calls.sum() > 0:
                seconds = history.handle_seconds[rows].sum(axis=0)
                day_mean = float(seconds.sum() / calls.sum())
                profile[weekday] = np.where(
                    calls > 0, seconds / np.where(calls > 0, calls, 1), day_mean
                )
                break
    return profile


def _check_method(method: str) -> str:
    if method != "auto" and method not in METHODS:
        raise InputError(
            "method", method, "out_of_range", f"must be auto or one of {', '.join(METHODS)}"
        )
    return method


def forecast_calls(
    starts: npt.ArrayLike,
    calls: npt.ArrayLike,
    *,
    interval_minutes: int,
    horizon_days: int,
    calendar: SpecialDays | None = None,
    method: str = "auto",
    aht: npt.ArrayLike | None = None,
    progress: Progress | None = None,
    settings: ForecastSettings | None = None,
) -> IntervalForecast:
    """Forecast calls per open interval for the days after the history.

    Args:
        starts: interval starts of the history, naive local wall-clock times
            (``datetime64[m]``, datetimes or ISO strings), at ``interval_minutes`` or a
            finer granularity that divides it; rows may be missing (no calls).
        calls: calls offered per row.
        interval_minutes: the forecast's interval, a divisor of 1440.
        horizon_days: days to forecast, starting the day after the last history day.
        calendar: holidays, swapped working days, billing days and events (None: none).
        method: ``auto`` (lowest back-test WAPE) or one of ``seasonal_naive``, ``mstl``,
            ``auto_ets``, ``top_down``, ``ensemble``.
        aht: average handle time per row in seconds (NaN where unknown), for an AHT
            forecast.
        progress: called with the share done, 0 to 1, for a progress bar.
        settings: the engine's tunable numbers.

    Returns:
        The forecast for every open interval of the horizon: never NaN, never negative.

    Raises:
        InputError: bad history (``interval_start``, ``calls``, ``aht``, ``history``),
            ``interval_minutes``, ``horizon_days`` or ``method``.
    """
    report: Progress = progress or (lambda share: None)
    settings = settings or ForecastSettings()
    horizon = check_horizon(horizon_days)
    chosen = _check_method(method)
    report(0.0)
    history = build_history(starts, calls, interval_minutes=interval_minutes, aht=aht)
    prepared = prepare(history, calendar, settings)
    report(0.05)
    names = METHODS if chosen == "auto" else (chosen,)
    tested = run_backtest(
        history,
        prepared,
        calendar,
        names,
        horizon,
        settings,
        lambda share: report(0.05 + 0.8 * share),
    )
    picked = [chosen]
    if chosen == "auto":
        ranked = sorted(tested.wape, key=lambda name: (tested.wape[name], names.index(name)))
        picked = ranked[: settings.combine_best] or [settings.fallback_method]
    try:
        normal = _fit_predict(picked, prepared, horizon, settings)
    except Exception:  # a third-party model failed on the full history
        picked = [settings.fallback_method]
        normal = _fit_predict(picked, prepared, horizon, settings)
    chosen = "+".join(picked)
    report(0.9)
    days = history.days[-1] + 1 + np.arange(horizon)
    kinds = day_kinds(days, calendar)
    effects = learn_effects(prepared, settings)
    mean, is_open = apply_effects(
        normal, days, kinds, event_uplift(days, calendar), effects, prepared.training.open_slots
    )
    mean = np.clip(np.nan_to_num(mean), 0.0, None)
    if all(name in tested.pairs for name in picked):
        forecast = np.mean([tested.pairs[name][0] for name in picked], axis=0)
        actual = tested.pairs[picked[0]][1]
        a, b = dispersion(forecast, actual)
        widen = calibrate(forecast, actual, a, b, settings.level)
    else:
        a, b = weekly_dispersion(prepared.training.calls.sum(axis=1))
        widen = 1.0
    lower, upper = band(mean, a * widen, b * widen, settings.level)
    profile = aht_profile(history, prepared, settings.aht_weeks)
    slot_starts = days.astype("datetime64[m]")[:, None] + np.arange(history.slots) * np.timedelta64(
        history.interval_minutes, "m"
    )
    weekdays = weekdays_of(days)
    report(1.0)
    return IntervalForecast(
        starts=slot_starts[is_open],
        calls=Band(mean[is_open], lower[is_open], upper[is_open], settings.level),
        aht=None if profile is None else profile[weekdays][is_open],
        method=chosen,
        backtest=dict(tested.wape),
        interval_minutes=history.interval_minutes,
        history_start=_date(history.days[0]),
        history_end=_date(history.days[-1]),
        horizon_start=_date(days[0]),
        horizon_days=horizon,
        anomalous_days=tuple(_date(d) for d in history.days[prepared.anomalous]),
        special_days=tuple(
            (_date(d), DayKind(int(k)).name.lower())
            for d, k in zip(days, kinds, strict=True)
            if k != DayKind.NORMAL
        ),
    )


def _date(day: np.datetime64) -> dt.date:
    value: dt.date = day.astype("datetime64[D]").astype(dt.date)
    return value


__all__ = ["Band", "IntervalForecast", "forecast_calls"]

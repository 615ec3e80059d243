"""The forecasting methods: each fits on `Training` and predicts days x intervals.

Estimators keep their settings in ``__init__``, ``fit`` returns the estimator, fitted
state ends in ``_``. Predictions are for the days right after the training history,
normal days only (special days are dealt with afterwards), never negative.

* ``seasonal_naive``: the last (cleaned) week again.
* ``mstl``: statsforecast MSTL with a daily and a weekly season on the interval series.
* ``auto_ets``: statsforecast AutoETS (weekly season) on daily totals, spread over the
  day by the intraday profile.
* ``top_down``: daily totals as level x weekday factor x day-of-month cycle, spread by the
  intraday profile of recent weeks per weekday.
* ``ensemble``: the average of MSTL, AutoETS and top-down.
"""

from __future__ import annotations

import warnings
from typing import Protocol, Self

import numpy as np

from ccops.core.forecast.cleaning import Training, weekdays_of
from ccops.core.forecast.history import BoolArray, DayArray, FloatArray, IntArray
from ccops.core.forecast.settings import ENSEMBLE_MEMBERS, ForecastSettings

DAYS_OF_MONTH = 31


class Method(Protocol):
    """What the engine needs of a forecasting method."""

    name: str

    def fit(self, training: Training) -> Self: ...

    def predict(self, horizon_days: int) -> FloatArray: ...


def _future_days(training: Training, horizon_days: int) -> DayArray:
    days: DayArray = training.days[-1] + 1 + np.arange(horizon_days)
    return days


def _open_only(forecast: FloatArray, training: Training, days: DayArray) -> FloatArray:
    """Clip at zero and close the intervals closed on each day's weekday."""
    result: FloatArray = np.clip(np.nan_to_num(forecast), 0.0, None)
    return result * training.open_slots[weekdays_of(days)]


# --- seasonal naive -------------------------------------------------------------------


class SeasonalNaive:
    """Each interval as it was on the same weekday of the last (cleaned) week."""

    name = "seasonal_naive"

    def fit(self, training: Training) -> Self:
        self.training_ = training
        self.last_week_ = training.calls[-7:]
        return self

    def predict(self, horizon_days: int) -> FloatArray:
        rows = self.last_week_[np.arange(horizon_days) % 7]
        return _open_only(rows, self.training_, _future_days(self.training_, horizon_days))


# --- MSTL -----------------------------------------------------------------------------


class Mstl:
    """statsforecast MSTL, seasons of one day and one week, trend by AutoETS (ZZN)."""

    name = "mstl"

    def __init__(self, *, weeks: int = 16) -> None:
        self.weeks = weeks

    def fit(self, training: Training) -> Self:
        from statsforecast.models import MSTL

        slots = training.calls.shape[1]
        series = training.calls[-7 * self.weeks :].ravel()
        seasons = [season for season in (slots, 7 * slots) if season > 1]
        self.training_ = training
        self.slots_ = slots
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.model_ = MSTL(season_length=seasons).fit(series)
        return self

    def predict(self, horizon_days: int) -> FloatArray:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mean = np.asarray(self.model_.predict(horizon_days * self.slots_)["mean"], float)
        rows = mean.reshape(horizon_days, self.slots_)
        return _open_only(rows, self.training_, _future_days(self.training_, horizon_days))


# --- intraday profile and daily totals --------------------------------------------------


class IntradayProfile:
    """Share of a day's calls in each interval, per weekday, from recent weeks.

    A share is calls summed over the weekday's recent observed days divided by their
    totals (robust for quiet intervals), renormalised over the open intervals.
    """

    def __init__(self, *, weeks: int = 8) -> None:
        self.weeks = weeks

    def fit(self, training: Training) -> Self:
        weekdays = training.weekdays
        recent = np.zeros(len(weekdays), dtype=bool)
        recent[-7 * self.weeks :] = True
        slots = training.calls.shape[1]
        shares = np.zeros((7, slots))
        for weekday in range(7):
            mine = weekdays == weekday
            for rows in (mine & recent & training.observed, mine & recent, mine):
                calls = training.calls[rows].sum(axis=0) * training.open_slots[weekday]
                if calls.sum() > 0:
                    shares[weekday] = calls / calls.sum()
                    break
        self.shares_ = shares
        return self

    def spread(self, totals: FloatArray, days: DayArray) -> FloatArray:
        """Daily totals over the intervals of each day."""
        return np.clip(totals, 0.0, None)[:, None] * self.shares_[weekdays_of(days)]


def centred_mean(values: FloatArray, width: int) -> FloatArray:
    """Moving mean over ``width`` (odd) days centred on each day; 0 where the window
    does not fit inside the series."""
    half = width // 2
    padded = np.concatenate(([0.0], np.cumsum(values)))
    index = np.arange(len(values))
    fits = (index >= half) & (index + half < len(values))
    low = np.clip(index - half, 0, len(values))
    high = np.clip(index + half + 1, 0, len(values))
    return np.where(fits, (padded[high] - padded[low]) / width, 0.0)


def day_of_month(days: DayArray) -> IntArray:
    """0 for the first of the month ... 30 for the 31st."""
    months = days.astype("datetime64[M]").astype("datetime64[D]")
    offsets: IntArray = (days.astype("datetime64[D]") - months).astype(np.int64)
    return offsets


class DailyLevel:
    """Daily totals as level x weekday factor x day-of-month cycle.

    Weekday factors come from the last ``weekday_weeks`` weeks (each day against the
    centred weekly mean); the day-of-month cycle (bills, pay days) from all of the
    history against a centred monthly mean, smoothed over neighbouring days and shrunk
    towards no cycle by how much of it noise alone would explain; the level is the
    last ``level_days`` days' total over the sum of their factors.
    """

    def __init__(
        self,
        *,
        weekday_weeks: int = 12,
        level_days: int = 28,
        monthly_cycle: bool = True,
        min_cycle_days: int = 120,
    ) -> None:
        self.weekday_weeks = weekday_weeks
        self.level_days = level_days
        self.monthly_cycle = monthly_cycle
        self.min_cycle_days = min_cycle_days

    def fit(self, totals: FloatArray, days: DayArray, observed: BoolArray) -> Self:
        weekdays = weekdays_of(days)
        dom = day_of_month(days)
        use_cycle = self.monthly_cycle and len(days) >= self.min_cycle_days
        cycle = np.ones(DAYS_OF_MONTH)
        weekday = np.ones(7)
        for _ in range(3 if use_cycle else 1):
            weekday = self._weekday_factors(totals / cycle[dom], weekdays, observed)
            if use_cycle:
                cycle = self._cycle(totals / weekday[weekdays], dom, observed)
        factors = weekday[weekdays] * cycle[dom]
        window = np.zeros(len(days), dtype=bool)
        window[-self.level_days :] = True
        rows = window & observed if (window & observed).any() else window
        weight = factors[rows].sum()
        self.level_ = float(totals[rows].sum() / weight) if weight > 0 else 0.0
        self.weekday_factors_ = weekday
        self.cycle_ = cycle
        return self

    def _weekday_factors(
        self, totals: FloatArray, weekdays: IntArray, observed: BoolArray
    ) -> FloatArray:
        weekly = centred_mean(totals, 7)
        recent = np.zeros(len(totals), dtype=bool)
        recent[-7 * self.weekday_weeks :] = True
        usable = recent & observed & (weekly > 0)
        factors = np.ones(7)
        for weekday in range(7):
            rows = usable & (weekdays == weekday)
            if rows.any():
                factors[weekday] = totals[rows].sum() / weekly[rows].sum()
        mean = factors.mean()
        return factors / mean if mean > 0 else np.ones(7)

    @staticmethod
    def _cycle(totals: FloatArray, dom: IntArray, observed: BoolArray) -> FloatArray:
        monthly = centred_mean(totals, DAYS_OF_MONTH)
        usable = observed & (monthly > 0)
        ratio = np.where(usable, totals / np.where(monthly > 0, monthly, 1.0), 0.0) - 1.0
        count = np.bincount(dom[usable], minlength=DAYS_OF_MONTH).astype(float)
        total = np.bincount(dom[usable], weights=ratio[usable], minlength=DAYS_OF_MONTH)
        near = np.array([-1, 0, 1])
        around = (np.arange(DAYS_OF_MONTH)[:, None] + near) % DAYS_OF_MONTH
        smooth_count = count[around].sum(axis=1)
        if (smooth_count <= 1).any():
            return np.ones(DAYS_OF_MONTH)
        effect = total[around].sum(axis=1) / smooth_count
        residual = ratio[usable] - effect[dom[usable]]
        noise = float(residual.var()) / smooth_count
        signal = max(float(effect.var()) - float(noise.mean()), 0.0)
        shrunk = effect * (signal / (signal + noise))
        cycle = 1.0 + shrunk - shrunk.mean()
        return np.clip(cycle, 0.0, None)  # type: ignore[no-any-return]

    def predict(self, days: DayArray) -> FloatArray:
        factors = self.weekday_factors_[weekdays_of(days)] * self.cycle_[day_of_month(days)]
        return self.level_ * factors


class TopDown:
    """Daily totals (`DailyLevel`) spread over the day by the `IntradayProfile`."""

    name = "top_down"

    def __init__(self, settings: ForecastSettings) -> None:
        self.settings = settings

    def fit(self, training: Training) -> Self:
        s = self.settings
        self.training_ = training
        self.daily_ = DailyLevel(
            weekday_weeks=s.weekday_weeks,
            level_days=s.level_days,
            monthly_cycle=s.monthly_cycle,
            min_cycle_days=s.min_cycle_days,
        ).fit(training.calls.sum(axis=1), training.days, training.observed)
        self.profile_ = IntradayProfile(weeks=s.profile_weeks).fit(training)
        return self

    def predict(self, horizon_days: int) -> FloatArray:
        days = _future_days(self.training_, horizon_days)
        return self.profile_.spread(self.daily_.predict(days), days)


class DailyAutoEts:
    """statsforecast AutoETS with a weekly season on daily totals, spread by the
    `IntradayProfile`."""

    name = "auto_ets"

    def __init__(self, *, weeks: int = 52, profile_weeks: int = 8) -> None:
        self.weeks = weeks
        self.profile_weeks = profile_weeks

    def fit(self, training: Training) -> Self:
        from statsforecast.models import AutoETS

        totals = training.calls.sum(axis=1)[-7 * self.weeks :]
        self.training_ = training
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.model_ = AutoETS(season_length=7).fit(totals)
        self.profile_ = IntradayProfile(weeks=self.profile_weeks).fit(training)
        return self

    def predict(self, horizon_days: int) -> FloatArray:
        days = _future_days(self.training_, horizon_days)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            totals = np.asarray(self.model_.predict(horizon_days)["mean"], float)
        return self.profile_.spread(np.nan_to_num(totals), days)


def make_method(name: str, settings: ForecastSettings) -> Method:
    """A fresh, unfitted method by name (not the ensemble, which averages others)."""
    if name == "seasonal_naive":
        return SeasonalNaive()
    if name == "mstl":
        return Mstl(weeks=settings.mstl_weeks)
    if name == "auto_ets":
        return DailyAutoEts(weeks=settings.daily_weeks, profile_weeks=settings.profile_weeks)
    if name == "top_down":
        return TopDown(settings)
    raise ValueError(f"no single method called {name!r}")


def members(name: str) -> tuple[str, ...]:
    """The single methods a method name stands for (the ensemble: several)."""
    return ENSEMBLE_MEMBERS if name == "ensemble" else (name,)


def combine(name: str, predictions: dict[str, FloatArray]) -> FloatArray:
    """A method's forecast from its members' forecasts."""
    parts = [predictions[member] for member in members(name)]
    return np.mean(parts, axis=0)  # type: ignore[no-any-return]

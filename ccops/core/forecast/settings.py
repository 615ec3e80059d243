"""The forecast's tunable numbers: defaults a center may change, never constants."""

from __future__ import annotations

from dataclasses import dataclass

from ccops.core.errors import InputError

METHODS = ("seasonal_naive", "mstl", "auto_ets", "top_down", "ensemble")
#: What ``method="auto"`` chooses from; the ensemble averages ``ENSEMBLE_MEMBERS``.
ENSEMBLE_MEMBERS = ("mstl", "auto_ets", "top_down")


@dataclass(frozen=True)
class ForecastSettings:
    """Settings of the forecast engine, all with general-purpose defaults.

    Attributes:
        level: coverage of the prediction band (0.8 = 80 %: 10 % of intervals expected
            below ``lower`` and 10 % above ``upper``).
        backtest_origins: rolling origins of the back-test that picks the method.
        backtest_days: days forecast from each origin (at most the horizon).
        backtest_step_days: days between two origins.
        min_train_days: shortest training history of a back-test origin.
        anomaly_z: robust z-score (median absolute deviation of the log ratio to the
            same weekday's level) beyond which a history day is anomalous.
        anomaly_weeks: weeks either side whose same weekdays give a day's normal level.
        anomaly_min_scale: least spread of the log ratio assumed, so that very regular
            histories do not flag ordinary days.
        neighbour_days: same weekdays averaged to replace a special or anomalous day.
        open_weeks: recent weeks that decide the open intervals of the week.
        open_share: an interval of the week is open if it had calls on at least this
            share of those days ("never or practically never" = closed).
        profile_weeks: recent weeks behind the intraday profile per weekday.
        weekday_weeks: recent weeks behind the weekday factors of the daily totals.
        level_days: recent days behind the level of the daily totals.
        monthly_cycle: learn a day-of-month cycle of the daily totals (billing, pay days)
            when the history is long enough; it is shrunk to nothing when not significant.
        min_cycle_days: shortest history for the day-of-month cycle.
        mstl_weeks: recent weeks MSTL is fitted on.
        daily_weeks: recent weeks AutoETS is fitted on (daily totals).
        aht_weeks: recent weeks behind the handle-time profile.
        combine_best: ``auto`` averages this many of the best back-tested methods (1 =
            plain selection); averaging the best few is less at the mercy of a lucky
            back-test than taking the single best.
        fallback_method: the method used when the history is too short to back-test.
    """

    level: float = 0.8
    backtest_origins: int = 3
    backtest_days: int = 28
    backtest_step_days: int = 7
    min_train_days: int = 28
    anomaly_z: float = 3.5
    anomaly_weeks: int = 5
    anomaly_min_scale: float = 0.05
    neighbour_days: int = 4
    open_weeks: int = 12
    open_share: float = 0.1
    profile_weeks: int = 8
    weekday_weeks: int = 12
    level_days: int = 28
    monthly_cycle: bool = True
    min_cycle_days: int = 120
    mstl_weeks: int = 16
    daily_weeks: int = 52
    aht_weeks: int = 8
    combine_best: int = 2
    fallback_method: str = "top_down"

    def __post_init__(self) -> None:
        if not 0 < self.level < 1:
            raise InputError("level", self.level, "out_of_range", "must lie between 0 and 1")
        if self.combine_best < 1:
            raise InputError(
                "combine_best", self.combine_best, "not_positive", "must be at least one method"
            )
        if self.fallback_method not in METHODS:
            raise InputError(
                "fallback_method", self.fallback_method, "out_of_range", "is not a known method"
            )

"""The interval forecast: recovery of a weekly pattern, open hours, granularity, special
days, refusals, bands, handle time, forecast levels and the accuracy review."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from ccops.core.errors import InputError
from ccops.core.forecast import (
    METHODS,
    Event,
    ForecastSettings,
    SpecialDays,
    bias,
    forecast_calls,
    totals,
    wape,
    weekly_accuracy,
)
from ccops.core.forecast.methods import DailyLevel

SLOTS = 48
#: 2025-03-03 is a Monday; no Chinese statutory holiday from March to mid-April 2025
#: except Qingming (4 April).
MONDAY = np.datetime64("2025-03-03")
# Open 08:00-20:00 (slots 16..39); Sunday closed; busier early in the week.
WEEKDAY_LEVEL = np.array([1.3, 1.15, 1.0, 1.0, 0.9, 0.5, 0.0])
SHAPE = np.zeros(SLOTS)
SHAPE[16:40] = np.sin(np.linspace(0.2, np.pi - 0.2, 24)) + 0.3


def expected_day(weekday: int, scale: float = 20.0) -> np.ndarray:
    return scale * WEEKDAY_LEVEL[weekday] * SHAPE


def synthetic(days: int, *, first=MONDAY, noise: bool = True, seed: int = 7):
    """Calls per 30 minutes with a known weekly pattern; closed rows left out."""
    rng = np.random.default_rng(seed)
    day_list = first + np.arange(days)
    weekdays = (day_list.astype(np.int64) + 3) % 7
    mean = np.array([expected_day(int(w)) for w in weekdays])
    calls = rng.poisson(mean).astype(float) if noise else mean.copy()
    starts = day_list.astype("datetime64[m]")[:, None] + np.arange(SLOTS) * np.timedelta64(30, "m")
    open_rows = mean > 0
    return starts[open_rows], calls[open_rows]


def as_matrix(result, first_day, days):
    matrix = np.zeros((days, SLOTS))
    cells = (result.starts - first_day.astype("datetime64[m]")).astype(np.int64) // 30
    matrix.ravel()[cells] = result.calls.mean
    return matrix


def test_weekly_pattern_is_recovered_and_closed_hours_get_no_rows():
    starts, calls = synthetic(42)
    result = forecast_calls(
        starts, calls, interval_minutes=30, horizon_days=14, method="top_down", calendar=None
    )
    # The last history row is on Saturday 12 April (Sundays are closed): the horizon
    # starts the day after, on Sunday 13 April, which has no open interval.
    horizon_start = MONDAY + 41
    assert result.history_end == dt.date(2025, 4, 12)
    assert result.horizon_start == dt.date(2025, 4, 13)
    assert result.method == "top_down"
    forecast = as_matrix(result, horizon_start, 14)
    truth = np.array([expected_day((d + 6) % 7) for d in range(14)])
    assert wape(truth.ravel(), forecast.ravel()) < 0.09  # Poisson noise of ~20 calls
    # Sundays and the night are closed: no rows at all there.
    minutes_of_day = (result.starts - result.starts.astype("datetime64[D]")).astype(int)
    assert minutes_of_day.min() == 8 * 60 and minutes_of_day.max() == 19 * 60 + 30
    weekdays = (result.starts.astype("datetime64[D]").astype(np.int64) + 3) % 7
    assert 6 not in weekdays
    assert len(result.starts) == 12 * 24  # 12 open days x 24 open intervals
    assert np.isfinite(result.calls.mean).all() and (result.calls.mean >= 0).all()


def test_auto_backtests_every_method_and_reports_the_choice():
    starts, calls = synthetic(49)
    shares = []
    result = forecast_calls(
        starts, calls, interval_minutes=30, horizon_days=7, progress=shares.append
    )
    assert set(result.backtest) == set(METHODS)
    assert all(0 <= value < 0.5 for value in result.backtest.values())
    best = min(result.backtest, key=result.backtest.get)
    assert result.method.split("+")[0] == best
    assert shares[0] == 0.0 and shares[-1] == 1.0 and shares == sorted(shares)
    band = result.calls
    assert (band.lower <= band.mean).all() and (band.mean <= band.upper).all()
    assert (band.lower >= 0).all() and band.level == 0.8
    assert np.isfinite(band.lower).all() and np.isfinite(band.upper).all()


@pytest.mark.parametrize("method", ["seasonal_naive", "top_down", "auto_ets"])
def test_single_methods_forecast_every_open_interval(method):
    starts, calls = synthetic(35)
    result = forecast_calls(starts, calls, interval_minutes=30, horizon_days=7, method=method)
    assert result.method == method
    assert len(result.starts) == 6 * 24
    assert np.isfinite(result.calls.mean).all() and (result.calls.mean >= 0).all()
    daily = totals(result.starts, result.calls.mean, "daily").calls
    truth = np.array([expected_day(d).sum() for d in range(6)])
    assert np.abs(daily - truth).max() / truth.mean() < 0.15


def test_finer_history_is_summed_into_the_interval():
    starts, calls = synthetic(28, noise=False)
    # Split every 30-minute count into five 6-minute counts.
    fine_starts = (starts[:, None] + np.arange(5) * np.timedelta64(6, "m")).ravel()
    fine_calls = np.repeat(calls / 5, 5)
    coarse = forecast_calls(starts, calls, interval_minutes=30, horizon_days=7, method="top_down")
    fine = forecast_calls(
        fine_starts, fine_calls, interval_minutes=30, horizon_days=7, method="top_down"
    )
    assert (fine.starts == coarse.starts).all()
    assert fine.calls.mean == pytest.approx(coarse.calls.mean)
    hourly = forecast_calls(starts, calls, interval_minutes=60, horizon_days=7, method="top_down")
    assert hourly.calls.mean.sum() == pytest.approx(coarse.calls.mean.sum())
    assert len(hourly.starts) == len(coarse.starts) // 2


def test_missing_rows_are_no_calls_and_gaps_are_kept_out():
    starts, calls = synthetic(42, noise=False)
    # A whole day lost in the export (a Wednesday) and scattered missing rows.
    lost = starts.astype("datetime64[D]") == MONDAY + 16
    rng = np.random.default_rng(3)
    dropped = lost | (rng.random(len(starts)) < 0.01)
    result = forecast_calls(
        starts[~dropped], calls[~dropped], interval_minutes=30, horizon_days=7, method="top_down"
    )
    assert dt.date(2025, 3, 19) in result.anomalous_days
    daily = totals(result.starts, result.calls.mean, "daily").calls
    truth = np.array([expected_day(d).sum() for d in range(6)])
    assert np.abs(daily / truth - 1).max() < 0.05


def test_strings_and_datetimes_are_accepted_as_starts():
    starts, calls = synthetic(21, noise=False)
    as_text = [str(s).replace("T", " ") for s in starts]
    as_objects = starts.astype(dt.datetime).tolist()
    a = forecast_calls(as_text, calls, interval_minutes=30, horizon_days=2, method="top_down")
    b = forecast_calls(as_objects, calls, interval_minutes=30, horizon_days=2, method="top_down")
    assert (a.starts == b.starts).all() and a.calls.mean == pytest.approx(b.calls.mean)


def _refusal(**changes):
    starts, calls = synthetic(21)
    arguments = {"interval_minutes": 30, "horizon_days": 7, "method": "top_down"}
    starts = changes.pop("starts", starts)
    calls = changes.pop("calls", calls)
    arguments |= changes
    with pytest.raises(InputError) as caught:
        forecast_calls(starts, calls, **arguments)
    return caught.value


def test_negative_and_non_numeric_calls_are_refused_naming_the_row():
    starts, calls = synthetic(21)
    bad = calls.copy()
    bad[5] = -1
    error = _refusal(calls=bad)
    assert (error.field, error.code, error.row, error.value) == ("calls", "negative", 6, -1)
    text = calls.astype(object)
    text[9] = "many"
    error = _refusal(calls=text)
    assert (error.field, error.code, error.row) == ("calls", "not_numeric", 10)
    nan = calls.copy()
    nan[2] = np.nan
    assert _refusal(calls=nan).code == "not_numeric"
    aht = np.full(len(calls), 180.0)
    aht[4] = -3
    error = _refusal(aht=aht)
    assert (error.field, error.code, error.row) == ("aht", "negative", 5)


def test_misaligned_and_duplicate_starts_are_refused():
    starts, _ = synthetic(21)
    moved = starts.copy()
    moved[7] += np.timedelta64(7, "m")
    error = _refusal(starts=moved)
    assert (error.field, error.code, error.row) == ("interval_start", "misaligned", 8)
    twice = starts.copy()
    twice[11] = twice[10]
    error = _refusal(starts=twice)
    assert (error.field, error.code, error.row) == ("interval_start", "duplicate", 12)
    error = _refusal(starts=np.array(["2025-03-03 08:00", "soon"] + [""] * (len(starts) - 2)))
    assert (error.field, error.code, error.row) == ("interval_start", "not_a_time", 2)


def test_short_history_bad_horizon_and_intervals_are_refused():
    starts, calls = synthetic(13)
    error = _refusal(starts=starts, calls=calls)
    assert (error.field, error.code, error.value) == ("history", "too_short", 13)
    for horizon in (0, -3):
        error = _refusal(horizon_days=horizon)
        assert (error.field, error.code) == ("horizon_days", "not_positive")
    for minutes in (7, 0, 45.0):
        error = _refusal(interval_minutes=minutes)
        assert (error.field, error.code) == ("interval_minutes", "out_of_range")
    # 30-minute history cannot make a 15-minute forecast.
    error = _refusal(interval_minutes=15)
    assert (error.field, error.code) == ("interval_minutes", "out_of_range")
    assert _refusal(method="crystal_ball").field == "method"


def test_a_zero_call_holiday_in_history_does_not_drag_its_weekday_down():
    # Qingming, Friday 4 April 2025, with no calls at all: a statutory holiday.
    starts, calls = synthetic(49)
    holiday = starts.astype("datetime64[D]") == np.datetime64("2025-04-04")
    calls = np.where(holiday, 0.0, calls)
    with_calendar = forecast_calls(
        starts,
        calls,
        interval_minutes=30,
        horizon_days=7,
        method="top_down",
        calendar=SpecialDays(),
    )
    friday = with_calendar.totals("daily").calls[4]
    assert friday == pytest.approx(expected_day(4).sum(), rel=0.08)
    # Without the calendar the day is found as an anomaly and kept out all the same.
    without = forecast_calls(starts, calls, interval_minutes=30, horizon_days=7, method="top_down")
    assert dt.date(2025, 4, 4) in without.anomalous_days
    assert without.totals("daily").calls[4] == pytest.approx(friday, rel=0.03)


def daily_totals(result) -> dict[dt.date, float]:
    daily = result.totals("daily")
    return dict(zip(daily.periods.astype(dt.date).tolist(), daily.calls.tolist(), strict=True))


def test_holidays_and_swapped_working_days_in_the_horizon():
    # History 9 June .. 21 September 2025 holds no statutory holiday; the horizon holds
    # National Day (1-8 October) and the Sunday 28 September and Saturday 11 October
    # worked in exchange.
    starts, calls = synthetic(105, first=np.datetime64("2025-06-09"), noise=False)
    result = forecast_calls(
        starts,
        calls,
        interval_minutes=30,
        horizon_days=21,
        method="top_down",
        calendar=SpecialDays(),
    )
    assert result.horizon_start == dt.date(2025, 9, 21)  # the day after the last row
    kinds = dict(result.special_days)
    assert kinds[dt.date(2025, 10, 1)] == "holiday" and kinds[dt.date(2025, 10, 8)] == "holiday"
    assert kinds[dt.date(2025, 9, 28)] == "workday" and kinds[dt.date(2025, 10, 11)] == "workday"
    by_day = daily_totals(result)
    # No holiday in this history: a holiday looks like the quietest weekday (closed Sunday).
    assert by_day[dt.date(2025, 10, 1)] == pytest.approx(0.0, abs=1e-9)
    # The Sunday worked gets rows and a typical working day's calls.
    workday = np.mean([expected_day(d).sum() for d in range(5)])
    assert by_day[dt.date(2025, 9, 28)] == pytest.approx(workday, rel=0.02)
    assert by_day[dt.date(2025, 10, 9)] == pytest.approx(expected_day(3).sum(), rel=0.02)


def test_a_holiday_factor_is_learnt_from_history():
    starts, calls = synthetic(70, noise=False)  # 3 March .. 11 May 2025, holds Labour Day
    day = starts.astype("datetime64[D]")
    in_may_holiday = (day >= np.datetime64("2025-05-01")) & (day <= np.datetime64("2025-05-05"))
    in_qingming = day == np.datetime64("2025-04-04")
    calls = np.where(in_may_holiday | in_qingming, calls * 0.4, calls)
    calendar = SpecialDays(holidays=frozenset({dt.date(2025, 5, 19)}))
    result = forecast_calls(
        starts, calls, interval_minutes=30, horizon_days=14, method="top_down", calendar=calendar
    )
    daily = daily_totals(result)
    # Monday 19 May, a company holiday: 0.4 of a normal Monday, as holidays were before.
    assert daily[dt.date(2025, 5, 19)] == pytest.approx(0.4 * expected_day(0).sum(), rel=0.05)
    assert daily[dt.date(2025, 5, 20)] == pytest.approx(expected_day(1).sum(), rel=0.05)


def test_an_event_uplift_is_applied_and_event_days_are_kept_out_of_training():
    starts, calls = synthetic(42, noise=False)
    day = starts.astype("datetime64[D]")
    past = (day >= np.datetime64("2025-03-24")) & (day <= np.datetime64("2025-03-25"))
    calls = np.where(past, calls * 3, calls)  # a past campaign
    calendar = SpecialDays.of(
        statutory=False,
        events=[
            (dt.date(2025, 3, 24), dt.date(2025, 3, 25), 3.0),
            Event(dt.date(2025, 4, 16), dt.date(2025, 4, 17), 1.5, "mailing"),
        ],
    )
    result = forecast_calls(
        starts, calls, interval_minutes=30, horizon_days=7, method="top_down", calendar=calendar
    )
    daily = result.totals("daily").calls
    assert daily[0] == pytest.approx(expected_day(0).sum(), rel=0.02)  # Monday 14 April
    assert daily[2] == pytest.approx(1.5 * expected_day(2).sum(), rel=0.02)  # Wednesday 16
    assert daily[3] == pytest.approx(1.5 * expected_day(3).sum(), rel=0.02)
    assert dict(result.special_days)[dt.date(2025, 4, 16)] == "event"
    with pytest.raises(InputError) as caught:
        Event(dt.date(2025, 4, 2), dt.date(2025, 4, 1), 1.2)
    assert caught.value.code == "out_of_range"
    with pytest.raises(InputError) as caught:
        Event(dt.date(2025, 4, 1), dt.date(2025, 4, 2), -1)
    assert caught.value.code == "negative"


@pytest.mark.rule("PLAN-02")
def test_billing_days_get_a_factor_learnt_from_history():
    starts, calls = synthetic(63, noise=False)  # 3 March .. 4 May 2025
    day = starts.astype("datetime64[D]")
    billing = np.isin(day.astype(dt.date), [dt.date(2025, m, d) for m in (3, 4) for d in (10, 28)])
    calls = np.where(billing, calls * 1.6, calls)
    calendar = SpecialDays(statutory=False, billing_days=(10, 28))
    result = forecast_calls(
        starts, calls, interval_minutes=30, horizon_days=14, method="top_down", calendar=calendar
    )
    daily = daily_totals(result)
    # Saturday 10 May is a billing day; Friday 9 May is not.
    assert daily[dt.date(2025, 5, 10)] == pytest.approx(1.6 * expected_day(5).sum(), rel=0.03)
    assert daily[dt.date(2025, 5, 9)] == pytest.approx(expected_day(4).sum(), rel=0.03)
    assert dict(result.special_days)[dt.date(2025, 5, 10)] == "billing"
    with pytest.raises(InputError) as caught:
        SpecialDays(billing_days=(0,))
    assert (caught.value.field, caught.value.code) == ("billing_days", "out_of_range")


def test_days_outside_the_holiday_calendar_do_not_crash():
    starts, calls = synthetic(21, first=np.datetime64("1999-03-01"))
    result = forecast_calls(
        starts,
        calls,
        interval_minutes=30,
        horizon_days=3,
        method="top_down",
        calendar=SpecialDays(),
    )
    assert result.special_days == ()
    assert len(result.starts) > 0


def test_no_day_of_month_cycle_is_invented_without_one():
    rng = np.random.default_rng(11)
    days = np.datetime64("2024-01-01") + np.arange(300)
    totals_ = rng.poisson(1000, 300).astype(float)
    model = DailyLevel().fit(totals_, days, np.ones(300, dtype=bool))
    assert np.abs(model.cycle_ - 1).max() < 0.02
    cycled = totals_ * np.where((days - days.astype("datetime64[M]")).astype(int) < 5, 1.5, 1.0)
    model = DailyLevel().fit(cycled, days, np.ones(300, dtype=bool))
    assert model.cycle_[:5].mean() > 1.3


def test_aht_is_forecast_weighted_by_calls():
    starts, calls = synthetic(28)
    of_day = (starts - starts.astype("datetime64[D]")).astype(int)
    aht = np.where(of_day < 14 * 60, 200.0, 300.0)
    aht[::17] = np.nan  # unknown handle time on some rows
    result = forecast_calls(
        starts, calls, interval_minutes=30, horizon_days=7, method="top_down", aht=aht
    )
    assert result.aht is not None and np.isfinite(result.aht).all()
    mornings = (result.starts - result.starts.astype("datetime64[D]")).astype(int) < 14 * 60
    assert result.aht[mornings] == pytest.approx(200.0)
    assert result.aht[~mornings] == pytest.approx(300.0)
    rows = list(result.rows())
    assert rows[0][0] == dt.datetime(2025, 3, 31, 8, 0) and rows[0][4] == 200.0
    plain = forecast_calls(starts, calls, interval_minutes=30, horizon_days=2, method="top_down")
    assert plain.aht is None and list(plain.rows())[0][4] is None


def test_settings_are_configurable_and_checked():
    starts, calls = synthetic(28)
    wide = forecast_calls(
        starts,
        calls,
        interval_minutes=30,
        horizon_days=7,
        method="top_down",
        settings=ForecastSettings(level=0.95),
    )
    narrow = forecast_calls(
        starts,
        calls,
        interval_minutes=30,
        horizon_days=7,
        method="top_down",
        settings=ForecastSettings(level=0.5),
    )
    assert (wide.calls.upper - wide.calls.lower).sum() > (
        narrow.calls.upper - narrow.calls.lower
    ).sum()
    with pytest.raises(InputError):
        ForecastSettings(level=1.2)


def test_wape_and_bias_by_hand():
    actual = [10, 20, 30, 40]
    forecast = [12, 18, 33, 40]
    assert wape(actual, forecast) == pytest.approx((2 + 2 + 3 + 0) / 100)
    assert bias(actual, forecast) == pytest.approx((2 - 2 + 3 + 0) / 100)
    assert wape([5, 5], [5, 5]) == 0.0
    assert bias([100], [80]) == pytest.approx(-0.2)
    with pytest.raises(InputError) as caught:
        wape([0, 0], [1, 1])
    assert (caught.value.field, caught.value.code) == ("actual", "not_positive")
    with pytest.raises(InputError) as caught:
        bias([1, 2], [1])
    assert caught.value.code == "out_of_range"
    with pytest.raises(InputError) as caught:
        wape([1, -2], [1, 1])
    assert (caught.value.field, caught.value.code, caught.value.row) == ("actual", "negative", 2)


@pytest.mark.rule("PLAN-01")
def test_forecast_levels_interval_daily_monthly_yearly():
    starts = np.array(
        [
            "2025-12-31 23:30",
            "2026-01-01 08:00",
            "2026-01-01 08:30",
            "2026-01-31 10:00",
            "2026-02-01 09:00",
        ],
        dtype="datetime64[m]",
    )
    calls = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    assert totals(starts, calls, "interval").calls.tolist() == [1, 2, 3, 4, 5]
    daily = totals(starts, calls, "daily")
    assert daily.periods.astype(str).tolist() == [
        "2025-12-31",
        "2026-01-01",
        "2026-01-31",
        "2026-02-01",
    ]
    assert daily.calls.tolist() == [1, 5, 4, 5]
    monthly = totals(starts, calls, "monthly")
    assert monthly.periods.astype(str).tolist() == ["2025-12", "2026-01", "2026-02"]
    assert monthly.calls.tolist() == [1, 9, 5]
    yearly = totals(starts, calls, "yearly")
    assert yearly.periods.astype(str).tolist() == ["2025", "2026"]
    assert yearly.calls.tolist() == [1, 14]
    with pytest.raises(InputError) as caught:
        totals(starts, calls, "weekly")  # type: ignore[arg-type]
    assert caught.value.field == "level"


@pytest.mark.rule("PLAN-01")
def test_weekly_accuracy_review_of_a_published_forecast():
    # Forecast: Monday 1 .. Sunday 14 December 2025 at 08:00 and 08:30, 10 calls each.
    days = np.datetime64("2025-12-01") + np.arange(14)
    f_starts = (days.astype("datetime64[m]")[:, None] + np.array([480, 510])).ravel()
    f_calls = np.full(len(f_starts), 10.0)
    # Actuals up to Wednesday 10 December: 12 calls at 08:00, 10 at 08:30 in week one;
    # 9 and 9 in week two, plus 2 calls in a closed interval (09:00) on 9 December.
    a_days = days[:10]
    a_starts = (a_days.astype("datetime64[m]")[:, None] + np.array([480, 510])).ravel()
    a_calls = np.tile([12.0, 10.0], 7).tolist() + [9.0] * 6
    a_starts = np.append(a_starts, np.datetime64("2025-12-09T09:00"))
    a_calls = np.append(a_calls, 2.0)
    table = weekly_accuracy(f_starts, f_calls, a_starts, a_calls)
    assert [row.week_start for row in table] == [dt.date(2025, 12, 1), dt.date(2025, 12, 8)]
    first, second = table
    assert (first.actual, first.forecast) == (154.0, 140.0)
    assert first.wape == pytest.approx(14 / 154)
    assert first.bias == pytest.approx(-14 / 154)
    # Week two counts only the three days with actuals: 8, 9, 10 December.
    assert (second.actual, second.forecast) == (56.0, 60.0)
    assert second.wape == pytest.approx((6 * 1 + 2) / 56)
    assert second.bias == pytest.approx(4 / 56)
    sunday_weeks = weekly_accuracy(f_starts, f_calls, a_starts, a_calls, week_starts_on=6)
    assert sunday_weeks[0].week_start == dt.date(2025, 11, 30)

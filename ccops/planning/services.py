"""Planning actions: request, run, adjust and publish forecasts; request and run staffing
plans. The UI, the API and the worker all call these."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccops.audit import services as audit
from ccops.core.errors import InputError
from ccops.org.models import SeatType, Site
from ccops.org.roles import can
from ccops.planning import staffing
from ccops.planning.messages import describe
from ccops.planning.models import (
    Adjustment,
    Forecast,
    ForecastInterval,
    PlanningEvent,
    StaffingPlan,
    Status,
)
from ccops.planning.scope import History, load_history
from ccops.policy.services import rule_value

log = logging.getLogger(__name__)
MIN_HISTORY_DAYS = 14


def _require_planner(user: Any) -> None:
    if not can(user, "plan"):
        raise PermissionDenied


def check_history(history: History) -> None:
    """At least two weeks of history, or a ValidationError the planner can act on."""
    if not len(history.starts):
        raise ValidationError(_("There is no ACD history for this seat type and site yet."))
    days = (history.starts.max() - history.starts.min()).astype("timedelta64[D]").astype(int) + 1
    if days < MIN_HISTORY_DAYS:
        raise ValidationError(
            _("The history covers %(days)d days; a forecast needs at least %(min)d.")
            % {"days": days, "min": MIN_HISTORY_DAYS}
        )


def do_request_forecast(
    *,
    acting_user: Any,
    seat_type: SeatType,
    site: Site | None,
    interval_minutes: int,
    horizon_days: int,
    method: str = Forecast.Method.AUTO,
    billing_days: list[int] | None = None,
    note: str = "",
) -> Forecast:
    """Record a queued forecast after checking what can be checked at once."""
    _require_planner(acting_user)
    if horizon_days < 1 or horizon_days > 366:
        raise ValidationError({"horizon_days": _("The horizon must be between 1 and 366 days.")})
    if interval_minutes not in (15, 30, 60):
        raise ValidationError({"interval_minutes": _("The interval must be 15, 30 or 60 minutes.")})
    billing = _checked_billing_days(billing_days or [])
    history = load_history(seat_type.pk, site.pk if site else None)
    check_history(history)
    if history.interval_minutes > interval_minutes:
        message = _("The history comes in %(h)d-minute intervals; it cannot be forecast at %(f)d.")
        raise ValidationError(
            {"interval_minutes": message % {"h": history.interval_minutes, "f": interval_minutes}}
        )
    with transaction.atomic():
        forecast = Forecast.objects.create(
            seat_type=seat_type,
            site=site,
            interval_minutes=interval_minutes,
            horizon_days=horizon_days,
            method=method,
            billing_days=billing,
            note=note,
            created_by=acting_user,
        )
        audit.record(
            "planning.forecast_requested",
            forecast,
            actor=acting_user,
            after={"horizon_days": horizon_days, "interval_minutes": interval_minutes},
        )
    return forecast


def _checked_billing_days(days: list[int]) -> list[int]:
    bad = [d for d in days if not (isinstance(d, int) and 1 <= d <= 31)]
    if bad:
        message = _("Billing days are days of the month from 1 to 31, not %(day)s.")
        raise ValidationError({"billing_days": message % {"day": bad[0]}})
    return sorted(set(days))


def enqueue_forecast(forecast: Forecast) -> None:
    from ccops.planning.tasks import run_forecast_task

    transaction.on_commit(lambda: run_forecast_task.enqueue(forecast.pk))


def _claim(model: Any, pk: int) -> bool:
    """Move a queued (or failed) run to running; False if another worker has it."""
    return bool(
        model.objects.filter(pk=pk, status__in=[Status.QUEUED, Status.FAILED]).update(
            status=Status.RUNNING, progress=0, error=""
        )
    )


def run_forecast(forecast_id: int) -> Forecast:
    """Compute a forecast and store its intervals; on failure store nothing but the error
    (a published forecast is a different row and stays as it was)."""
    if _claim(Forecast, forecast_id):
        forecast = Forecast.objects.select_related("seat_type", "site").get(pk=forecast_id)
        try:
            _compute_forecast(forecast)
        except InputError as exc:
            staffing.mark_failed(Forecast, forecast_id, describe(exc))
        except Exception as exc:  # the worker must record every failure
            log.exception("forecast %s failed", forecast_id)
            staffing.mark_failed(Forecast, forecast_id, f"{type(exc).__name__}: {exc}")
    return Forecast.objects.get(pk=forecast_id)


def _progress_updater(model: Any, pk: int, *, low: int, high: int) -> Any:
    last = [-1]

    def report(share: float) -> None:
        percent = int(low + (high - low) * min(max(share, 0.0), 1.0))
        if percent != last[0]:
            last[0] = percent
            model.objects.filter(pk=pk).update(progress=percent)

    return report


def _compute_forecast(forecast: Forecast) -> None:
    from ccops.planning import forecasting

    history = load_history(forecast.seat_type_id, forecast.site_id)
    result = forecasting.forecast_scope(
        history,
        interval_minutes=forecast.interval_minutes,
        horizon_days=forecast.horizon_days,
        method=forecast.method,
        billing_days=list(forecast.billing_days),
        events=_events(forecast),
        progress=_progress_updater(Forecast, forecast.pk, low=5, high=90),
    )
    zone = timezone.get_current_timezone()
    known = history.aht[np.isfinite(history.aht)]
    fallback = float(known.mean()) if len(known) else 180.0
    rows = [
        ForecastInterval(
            forecast=forecast,
            start=timezone.make_aware(start, zone),
            calls=calls,
            lower=lower,
            upper=upper,
            aht=fallback if aht is None or not np.isfinite(aht) else aht,
        )
        for start, calls, lower, upper, aht in result.rows()
    ]
    with transaction.atomic():
        ForecastInterval.objects.filter(forecast=forecast).delete()
        ForecastInterval.objects.bulk_create(rows, batch_size=2000)
        Forecast.objects.filter(pk=forecast.pk).update(
            status=Status.SUCCEEDED,
            progress=100,
            chosen_method=result.method,
            backtest={k: float(v) for k, v in result.backtest.items()},
            history_start=result.history_start,
            history_end=result.history_end,
            horizon_start=result.horizon_start,
        )


def _events(forecast: Forecast) -> list[tuple[dt.date, dt.date, float]]:
    events = PlanningEvent.objects.filter(seat_type__isnull=True) | PlanningEvent.objects.filter(
        seat_type=forecast.seat_type
    )
    return [(e.first_day, e.last_day, e.uplift) for e in events]


def do_adjust_forecast(
    forecast: Forecast,
    *,
    acting_user: Any,
    kind: str,
    first_day: dt.date,
    last_day: dt.date,
    factor: float,
    reason: str,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
) -> Adjustment:
    """Scale the forecast calls of a range of days (and times) by a factor, with a reason;
    adjustments compound in the order they were made."""
    _require_planner(acting_user)
    if forecast.status != Status.SUCCEEDED:
        raise ValidationError(_("Only a finished forecast can be adjusted."))
    if last_day < first_day:
        raise ValidationError(_("The last day comes before the first day."))
    if not (0 <= factor <= 20):
        raise ValidationError(_("The factor must lie between 0 and 20."))
    if not reason.strip():
        raise ValidationError(_("Give a reason for the adjustment."))
    with transaction.atomic():
        adjustment = Adjustment.objects.create(
            forecast=forecast,
            kind=kind,
            first_day=first_day,
            last_day=last_day,
            start_time=start_time,
            end_time=end_time,
            factor=factor,
            reason=reason.strip(),
            created_by=acting_user,
        )
        touched = _apply(adjustment)
        audit.record(
            "planning.forecast_adjusted",
            forecast,
            actor=acting_user,
            note=reason.strip(),
            after={
                "days": f"{first_day}..{last_day}",
                "factor": factor,
                "intervals": touched,
            },
        )
    return adjustment


def _apply(adjustment: Adjustment) -> int:
    zone = timezone.get_current_timezone()
    rows = ForecastInterval.objects.select_for_update().filter(forecast=adjustment.forecast)
    changed = []
    for row in rows:
        local = timezone.localtime(row.start, zone)
        if not adjustment.first_day <= local.date() <= adjustment.last_day:
            continue
        if adjustment.start_time and local.time() < adjustment.start_time:
            continue
        if adjustment.end_time and local.time() >= adjustment.end_time:
            continue
        row.adjusted = row.final_calls * adjustment.factor
        changed.append(row)
    ForecastInterval.objects.bulk_update(changed, ["adjusted"], batch_size=2000)
    return len(changed)


def do_publish_forecast(forecast: Forecast, *, acting_user: Any) -> Forecast:
    """Make this forecast the one staffing and rosters follow for its scope."""
    _require_planner(acting_user)
    if forecast.status != Status.SUCCEEDED:
        raise ValidationError(_("Only a finished forecast can be published."))
    with transaction.atomic():
        forecast.published_at = timezone.now()
        forecast.published_by = acting_user
        forecast.save(update_fields=["published_at", "published_by"])
        audit.record("planning.forecast_published", forecast, actor=acting_user)
    return forecast


def published_forecast(seat_type_id: int, site_id: int | None) -> Forecast | None:
    """The forecast in force for a scope: the last one published."""
    return (
        Forecast.objects.filter(
            seat_type_id=seat_type_id, site_id=site_id, published_at__isnull=False
        )
        .order_by("-published_at")
        .first()
    )


def staffing_defaults(site_id: int | None) -> dict[str, Any]:
    """The service target and breaks in force at a site (PLAN-10, FLOOR-01)."""
    target = rule_value("PLAN-10", site_id=site_id)
    breaks = rule_value("FLOOR-01", site_id=site_id)
    return {
        "service_level": float(target["service_level"]),
        "threshold_seconds": int(target["threshold_seconds"]),
        "break_minutes_per_hour": float(breaks["break_minutes_per_hour"]),
    }


def do_request_staffing(forecast: Forecast, *, acting_user: Any, **settings_: Any) -> StaffingPlan:
    """Record a queued staffing plan for a finished forecast."""
    _require_planner(acting_user)
    if forecast.status != Status.SUCCEEDED:
        raise ValidationError(_("Staffing needs a finished forecast."))
    values = staffing_defaults(forecast.site_id) | {
        k: v for k, v in settings_.items() if v is not None
    }
    plan = StaffingPlan(forecast=forecast, created_by=acting_user, **values)
    plan.full_clean(exclude=["forecast", "created_by"])
    shares = sum(values.get(k, 0.0) for k in ("briefings", "training", "leave", "absence"))
    if shares + values["break_minutes_per_hour"] / 60 >= 1:
        raise ValidationError(_("Shrinkage must total less than 100 %."))
    with transaction.atomic():
        plan.save()
        audit.record("planning.staffing_requested", plan, actor=acting_user, after=values)
    return plan


def enqueue_staffing(plan: StaffingPlan) -> None:
    from ccops.planning.tasks import run_staffing_task

    transaction.on_commit(lambda: run_staffing_task.enqueue(plan.pk))


def run_staffing(plan_id: int) -> StaffingPlan:
    """Compute a staffing plan's intervals and head-count lines (all or nothing)."""
    if _claim(StaffingPlan, plan_id):
        plan = StaffingPlan.objects.select_related("forecast").get(pk=plan_id)
        try:
            staffing.compute_plan(plan)
        except InputError as exc:
            staffing.mark_failed(StaffingPlan, plan_id, describe(exc))
        except Exception as exc:
            log.exception("staffing plan %s failed", plan_id)
            staffing.mark_failed(StaffingPlan, plan_id, f"{type(exc).__name__}: {exc}")
    return StaffingPlan.objects.get(pk=plan_id)

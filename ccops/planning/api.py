"""Planning endpoints: forecasts, adjustments, publishing, staffing plans, head-count
lines and a stateless Erlang calculator."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from ccops.core.errors import InputError
from ccops.org.access import access, require, restrict
from ccops.org.models import SeatType, Site
from ccops.planning import charts, events, headless, levels, services
from ccops.planning.levels import PERIOD_LEVELS
from ccops.planning.models import Forecast, HeadcountLine, PlanningEvent, StaffingPlan
from ccops.planning.roster_api import router as roster_router

router = Router(tags=["planning"])
router.add_router("", roster_router)


class ForecastIn(Schema):
    seat_type: int
    site: int | None = None
    interval_minutes: int = 30
    horizon_days: int = 28
    method: str = Forecast.Method.AUTO
    billing_days: list[int] = []
    note: str = ""


class ForecastOut(Schema):
    id: int
    seat_type_id: int
    site_id: int | None
    interval_minutes: int
    horizon_start: dt.date | None
    horizon_days: int
    method: str
    chosen_method: str
    billing_days: list[int]
    backtest: dict[str, float]
    history_start: dt.date | None
    history_end: dt.date | None
    status: str
    progress: int
    error: str
    created_at: dt.datetime
    published_at: dt.datetime | None


class IntervalOut(Schema):
    start: dt.datetime
    calls: float
    lower: float
    upper: float
    aht: float
    adjusted: float | None
    final_calls: float


class PeriodOut(Schema):
    period: dt.date
    calls: float
    aht: float | None


class AdjustmentIn(Schema):
    kind: str = "other"
    first_day: dt.date
    last_day: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    factor: float
    reason: str


class AdjustmentOut(AdjustmentIn):
    id: int
    created_at: dt.datetime


class WeekOut(Schema):
    week: dt.date
    actual: float
    forecast: float
    wape: float | None
    bias: float | None


class StaffingIn(Schema):
    service_level: float | None = Field(None, description="share, e.g. 0.8 (PLAN-10 if empty)")
    threshold_seconds: int | None = None
    asa_seconds: int | None = None
    max_occupancy: float | None = None
    patience_seconds: int | None = None
    break_minutes_per_hour: float | None = None
    briefings: float = 0.0
    training: float = 0.0
    leave: float = 0.0
    absence: float = 0.0


class StaffingOut(Schema):
    id: int
    forecast_id: int
    service_level: float
    threshold_seconds: int
    asa_seconds: int | None
    max_occupancy: float | None
    patience_seconds: int | None
    break_minutes_per_hour: float
    briefings: float
    training: float
    leave: float
    absence: float
    status: str
    progress: int
    error: str
    created_at: dt.datetime


class StaffingIntervalOut(Schema):
    start: dt.datetime
    calls: float
    aht: float
    required: int
    scheduled: float
    service_level: float
    asa: float
    occupancy: float


class HeadcountOut(Schema):
    plan_id: int
    organisation_id: int
    month: dt.date
    role: str
    count: int
    rule: str
    basis: str
    side: str


class EventIn(Schema):
    name: str
    seat_type: int | None = None
    first_day: dt.date
    last_day: dt.date
    uplift: float


class EventOut(Schema):
    id: int
    name: str
    seat_type_id: int | None
    first_day: dt.date
    last_day: dt.date
    uplift: float


class ErlangIn(Schema):
    calls: float
    aht: float
    interval_minutes: float = 30
    sl: float = 0.8
    threshold: float = 20
    patience: float | None = None
    max_occupancy: float | None = None


class ErlangOut(Schema):
    agents: int
    service_level: float | None
    asa: float | None
    occupancy: float | None
    p_wait: float | None
    p_abandon: float | None = None


def _method(method: str) -> str:
    if method not in Forecast.Method.values:
        raise InputError(
            "method", method, "out_of_range", f"must be one of {', '.join(Forecast.Method.values)}"
        )
    return method


def _forecasts(request: HttpRequest) -> Any:
    require(request.user, "view_planning")
    return restrict(Forecast.objects.all(), request.user)


def _plans(request: HttpRequest) -> Any:
    require(request.user, "view_planning")
    return restrict(StaffingPlan.objects.all(), request.user)


@router.get("/forecasts", response=list[ForecastOut])
def list_forecasts(
    request: HttpRequest, seat_type: int | None = None, published: bool | None = None
) -> Any:
    qs = _forecasts(request)
    if seat_type:
        qs = qs.filter(seat_type_id=seat_type)
    if published is not None:
        qs = qs.filter(published_at__isnull=not published)
    return list(qs[:200])


@router.post("/forecasts", response={202: ForecastOut})
def request_forecast(request: HttpRequest, payload: ForecastIn) -> Any:
    """Queue a forecast; poll it until `status` is succeeded or failed."""
    seat_type = access(SeatType, request.user, payload.seat_type)
    site = access(Site, request.user, payload.site) if payload.site else None
    forecast = services.do_request_forecast(
        acting_user=request.user,
        seat_type=seat_type,
        site=site,
        interval_minutes=payload.interval_minutes,
        horizon_days=payload.horizon_days,
        method=_method(payload.method),
        billing_days=payload.billing_days,
        note=payload.note,
    )
    services.enqueue_forecast(forecast)
    return Status(202, forecast)


@router.get("/forecasts/{pk}", response=ForecastOut)
def get_forecast(request: HttpRequest, pk: int) -> Any:
    return access(_forecasts(request), request.user, pk)


@router.get("/forecasts/{pk}/intervals", response=list[IntervalOut])
def forecast_intervals(request: HttpRequest, pk: int) -> Any:
    forecast = access(_forecasts(request), request.user, pk)
    return list(forecast.intervals.all())


@router.get("/forecasts/{pk}/totals", response=list[PeriodOut])
def forecast_totals(request: HttpRequest, pk: int, level: str = "daily") -> Any:
    """Final calls and calls-weighted handle time per day, month or year (PLAN-01);
    `period` is the first day of the period."""
    forecast = access(_forecasts(request), request.user, pk)
    if level not in PERIOD_LEVELS:
        raise InputError(
            "level", level, "out_of_range", f"must be one of {', '.join(PERIOD_LEVELS)}"
        )
    return levels.forecast_totals(forecast, level)


@router.get("/forecasts/{pk}/accuracy", response=list[WeekOut])
def forecast_accuracy(request: HttpRequest, pk: int) -> Any:
    """Per week of the horizon: actual and forecast calls, WAPE and bias (PLAN-01)."""
    return charts.weekly_accuracy(access(_forecasts(request), request.user, pk))


@router.post("/forecasts/{pk}/adjustments", response={201: AdjustmentOut})
def adjust_forecast(request: HttpRequest, pk: int, payload: AdjustmentIn) -> Any:
    forecast = access(_forecasts(request), request.user, pk, write="plan")
    adjustment = services.do_adjust_forecast(
        forecast, acting_user=request.user, **payload.model_dump()
    )
    return Status(201, adjustment)


@router.post("/forecasts/{pk}/publish", response=ForecastOut)
def publish_forecast(request: HttpRequest, pk: int) -> Any:
    forecast = access(_forecasts(request), request.user, pk, write="plan")
    return services.do_publish_forecast(forecast, acting_user=request.user)


@router.post("/forecasts/{pk}/staffing", response={202: StaffingOut})
def request_staffing(request: HttpRequest, pk: int, payload: StaffingIn) -> Any:
    """Queue a staffing plan for a finished forecast; poll it until it has finished."""
    forecast = access(_forecasts(request), request.user, pk, write="plan")
    plan = services.do_request_staffing(forecast, acting_user=request.user, **payload.model_dump())
    services.enqueue_staffing(plan)
    return Status(202, plan)


@router.get("/staffing/{pk}", response=StaffingOut)
def get_staffing(request: HttpRequest, pk: int) -> Any:
    return access(_plans(request), request.user, pk)


@router.get("/staffing/{pk}/intervals", response=list[StaffingIntervalOut])
def staffing_intervals(request: HttpRequest, pk: int) -> Any:
    return list(access(_plans(request), request.user, pk).intervals.all())


@router.get("/headcount", response=list[HeadcountOut])
def headcount(request: HttpRequest, plan: int | None = None) -> Any:
    """Head-count lines by month, organisation and role; vendors get their own only."""
    require(request.user, "view_headcount_plan")
    lines = restrict(HeadcountLine.objects.all(), request.user)
    if plan is not None:
        lines = lines.filter(plan_id=plan)
    return list(lines[:5000])


@router.post("/erlang", response=ErlangOut)
def erlang(request: HttpRequest, payload: ErlangIn) -> Any:
    """Agents for one interval, as `ccops erlang --json` answers (422 on bad input)."""
    return headless.erlang_answer(**payload.model_dump())


def _events(request: HttpRequest) -> Any:
    require(request.user, "view_planning")
    return restrict(PlanningEvent.objects.all(), request.user)


def _save_event(request: HttpRequest, payload: EventIn, event: PlanningEvent | None) -> Any:
    data = payload.dict()
    data["seat_type"] = (
        access(SeatType, request.user, data["seat_type"]) if data["seat_type"] else None
    )
    return events.do_save_event(acting_user=request.user, event=event, **data)


@router.get("/events", response=list[EventOut])
def list_events(request: HttpRequest) -> Any:
    """Planning events (campaigns, billing runs, outages) with their uplift."""
    return list(_events(request))


@router.post("/events", response={201: EventOut})
def enter_event(request: HttpRequest, payload: EventIn) -> Any:
    """Enter an event; forecasts run from now on take it in."""
    return Status(201, _save_event(request, payload, None))


@router.get("/events/{pk}", response=EventOut)
def get_event(request: HttpRequest, pk: int) -> Any:
    return access(_events(request), request.user, pk)


@router.put("/events/{pk}", response=EventOut)
def change_event(request: HttpRequest, pk: int, payload: EventIn) -> Any:
    event = access(_events(request), request.user, pk, write="plan")
    return _save_event(request, payload, event)


@router.delete("/events/{pk}", response={204: None})
def delete_event(request: HttpRequest, pk: int) -> Any:
    events.do_delete_event(
        access(_events(request), request.user, pk, write="plan"), acting_user=request.user
    )
    return Status(204, None)

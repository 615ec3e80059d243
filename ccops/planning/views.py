"""Planning pages: forecasts (run, compare with actuals, adjust, publish), staffing (heat
maps, head-count plan by month and role, scenarios) and the vendors' head-count view."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccops.common import export
from ccops.core import staffing as core_staffing
from ccops.core.errors import InputError
from ccops.org.access import access, require, restrict
from ccops.org.roles import can
from ccops.planning import charts, events, levels, services
from ccops.planning.forms import AdjustmentForm, EventForm, ForecastForm, StaffingForm
from ccops.planning.levels import PERIOD_LEVELS
from ccops.planning.messages import describe
from ccops.planning.models import (
    Forecast,
    HeadcountLine,
    PlanningEvent,
    StaffingPlan,
    Status,
    method_label,
)
from ccops.planning.staffing import forecast_arrays, shrinkage_of, target_of


def _forecasts(request: HttpRequest) -> QuerySet[Forecast]:
    require(request.user, "view_planning")
    return restrict(Forecast.objects.select_related("seat_type", "site"), request.user)


def _plans(request: HttpRequest) -> QuerySet[StaffingPlan]:
    require(request.user, "view_planning")
    return restrict(StaffingPlan.objects.select_related("forecast__seat_type"), request.user)


@login_required
def forecast_list(request: HttpRequest) -> HttpResponse:
    forecasts = _forecasts(request)
    form = ForecastForm(request.POST or None) if can(request.user, "plan") else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            forecast = services.do_request_forecast(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            services.enqueue_forecast(forecast)
            return redirect("planning:forecast_detail", pk=forecast.pk)
    page = Paginator(forecasts, 30).get_page(request.GET.get("page"))
    context = {"page": page, "form": form, "title": _("Forecasts")}
    return render(request, "planning/forecast_list.html", context)


@login_required
def forecast_detail(request: HttpRequest, pk: int) -> HttpResponse:
    forecast = access(_forecasts(request), request.user, pk)
    if request.GET.get("export") == "xlsx":
        return _forecast_workbook(forecast)
    finished = forecast.status in (Status.SUCCEEDED, Status.FAILED)
    context: dict[str, Any] = {"forecast": forecast, "finished": finished, "title": str(forecast)}
    if getattr(request, "htmx", False):
        return _progress(request, "planning/_forecast_status.html", context, finished=finished)
    if forecast.status == Status.SUCCEEDED:
        defaults = services.staffing_defaults(forecast.site_id)
        context |= {
            "figure": charts.forecast_figure(forecast),
            "accuracy": charts.weekly_accuracy(forecast),
            "adjustments": forecast.adjustments.select_related("created_by"),
            "plans": forecast.staffing_plans.all(),
            "backtest": [
                (method_label(name), wape)
                for name, wape in sorted((forecast.backtest or {}).items(), key=lambda kv: kv[1])
            ],
            "adjust_form": AdjustmentForm() if can(request.user, "plan") else None,
            "staffing_form": (
                StaffingForm(
                    initial={
                        "service_level": round(100 * defaults["service_level"], 1),
                        "threshold_seconds": defaults["threshold_seconds"],
                        "break_minutes_per_hour": defaults["break_minutes_per_hour"],
                    }
                )
                if can(request.user, "plan")
                else None
            ),
            "published": services.published_forecast(forecast.seat_type_id, forecast.site_id),
            "totals": _totals(forecast),
            "periods": {level: levels.forecast_totals(forecast, level) for level in PERIOD_LEVELS},
        }
    return render(request, "planning/forecast_detail.html", context)


def _progress(
    request: HttpRequest, template: str, context: dict[str, Any], *, finished: bool
) -> HttpResponse:
    """The progress partial while a run goes on; a full reload once it has finished."""
    if finished:
        response = HttpResponse()
        response["HX-Refresh"] = "true"
        return response
    return render(request, template, context)


def _totals(forecast: Forecast) -> dict[str, float]:
    _starts, calls, aht = forecast_arrays(forecast)
    return {
        "calls": float(calls.sum()),
        "aht": float((calls * aht).sum() / calls.sum()) if calls.sum() else 0.0,
        "intervals": len(calls),
    }


def _forecast_workbook(forecast: Forecast) -> HttpResponse:
    zone = timezone.get_current_timezone()
    rows = (
        (
            timezone.localtime(i.start, zone).strftime("%Y-%m-%d %H:%M"),
            round(i.calls, 2),
            round(i.lower, 2),
            round(i.upper, 2),
            None if i.adjusted is None else round(i.adjusted, 2),
            round(i.final_calls, 2),
            round(i.aht, 1),
        )
        for i in forecast.intervals.all()
    )
    header = [
        _("interval start"),
        _("calls"),
        _("lower bound"),
        _("upper bound"),
        _("adjusted calls"),
        _("final calls"),
        _("handle time (s)"),
    ]
    sheets: list[tuple[str, list[str], Any]] = [(_("intervals"), header, rows)]
    names = {"daily": _("days"), "monthly": _("months"), "yearly": _("years")}
    for level in reversed(PERIOD_LEVELS):  # days first, as planners read them
        sheets.append(
            (
                names[level],
                [_("period"), _("final calls"), _("handle time (s)")],
                (
                    (t.period, round(t.calls, 2), None if t.aht is None else round(t.aht, 1))
                    for t in levels.forecast_totals(forecast, level)
                ),
            )
        )
    return export.xlsx_book_response(f"forecast-{forecast.pk}", sheets)


def _report_form_errors(request: HttpRequest, form: Any) -> None:
    """A posted form's errors as messages on the page it returns to, field by field."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


@login_required
@require_POST
def forecast_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    forecast = access(_forecasts(request), request.user, pk, write="plan")
    form = AdjustmentForm(request.POST)
    if form.is_valid():
        try:
            services.do_adjust_forecast(forecast, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The forecast was adjusted."))
    else:
        _report_form_errors(request, form)
    return redirect("planning:forecast_detail", pk=pk)


@login_required
@require_POST
def forecast_publish(request: HttpRequest, pk: int) -> HttpResponse:
    forecast = access(_forecasts(request), request.user, pk, write="plan")
    try:
        services.do_publish_forecast(forecast, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The forecast is published."))
    return redirect("planning:forecast_detail", pk=pk)


@login_required
@require_POST
def staffing_create(request: HttpRequest, pk: int) -> HttpResponse:
    forecast = access(_forecasts(request), request.user, pk, write="plan")
    form = StaffingForm(request.POST)
    if not form.is_valid():
        _report_form_errors(request, form)
        return redirect("planning:forecast_detail", pk=pk)
    try:
        plan = services.do_request_staffing(
            forecast, acting_user=request.user, **form.plan_settings()
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("planning:forecast_detail", pk=pk)
    services.enqueue_staffing(plan)
    return redirect("planning:staffing_detail", pk=plan.pk)


@login_required
def staffing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access(_plans(request), request.user, pk)
    if request.GET.get("export") == "xlsx":
        return _staffing_workbook(plan)
    finished = plan.status in (Status.SUCCEEDED, Status.FAILED)
    context: dict[str, Any] = {"plan": plan, "finished": finished, "title": str(plan)}
    if getattr(request, "htmx", False):
        return _progress(request, "planning/_staffing_status.html", context, finished=finished)
    if plan.status == Status.SUCCEEDED:
        context |= {
            "required_map": charts.heatmap(plan, "required", _("required")),
            "scheduled_map": charts.heatmap(plan, "scheduled", _("scheduled")),
            "service_map": charts.heatmap(plan, "service_level", _("service level"), percent=True),
            "months": headcount_table(restrict(plan.headcount.all(), request.user)),
            "scenarios": _scenarios(request, plan),
            "shrinkage": shrinkage_of(plan),
            "can_publish": can(request.user, "plan"),
            "first_monday": _first_monday(plan),
        }
    return render(request, "planning/staffing_detail.html", context)


def _first_monday(plan: StaffingPlan) -> Any:
    """The first Monday the plan covers: the week demand is usually published for."""
    first = plan.intervals.order_by("start").values_list("start", flat=True).first()
    if first is None:
        return None
    day = timezone.localtime(first).date()
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def _scenarios(request: HttpRequest, plan: StaffingPlan) -> dict[str, Any]:
    """This plan beside an alternative target and shrinkage from the query string."""
    base_target, base_shrink = target_of(plan), shrinkage_of(plan)
    try:
        level = float(request.GET.get("sl") or 90) / 100
        threshold = float(request.GET.get("threshold") or 15)
        shrink = float(request.GET.get("shrinkage") or round(100 * base_shrink.total + 5)) / 100
        other = core_staffing.Scenario(
            _("alternative"),
            core_staffing.ServiceTarget(level, threshold, patience=base_target.patience),
            core_staffing.Shrinkage.of_total(shrink),
        )
        _starts, calls, aht = forecast_arrays(plan.forecast)
        results = core_staffing.compare_scenarios(
            calls,
            aht,
            plan.forecast.interval_minutes,
            [core_staffing.Scenario(_("this plan"), base_target, base_shrink), other],
            months=max(1.0, len(calls) / (1440 / plan.forecast.interval_minutes) / 30.4),
        )
    except (InputError, ValueError) as exc:
        message = describe(exc) if isinstance(exc, InputError) else str(exc)
        return {"error": message, "results": []}
    return {
        "results": results,
        "sl": round(level * 100, 1),
        "threshold": threshold,
        "shrinkage": round(shrink * 100, 1),
    }


def headcount_table(lines: QuerySet[HeadcountLine]) -> list[dict[str, Any]]:
    """Lines grouped by month, then organisation."""
    months: dict[Any, dict[str, Any]] = {}
    for line in lines.select_related("organisation").order_by("month", "organisation__code", "pk"):
        month = months.setdefault(line.month, {"month": line.month, "orgs": {}})
        org = month["orgs"].setdefault(line.organisation, {"lines": [], "total": 0})
        org["lines"].append(line)
        org["total"] += line.count
    return [
        {"month": m["month"], "orgs": [{"org": o, **v} for o, v in m["orgs"].items()]}
        for m in months.values()
    ]


def _staffing_workbook(plan: StaffingPlan) -> HttpResponse:
    zone = timezone.get_current_timezone()
    intervals = [
        (
            timezone.localtime(i.start, zone).strftime("%Y-%m-%d %H:%M"),
            round(i.calls, 2),
            round(i.aht, 1),
            i.required,
            round(i.scheduled, 2),
            round(i.service_level, 4),
            round(i.asa, 1),
            round(i.occupancy, 4),
        )
        for i in plan.intervals.all()
    ]
    lines = _headcount_rows(plan.headcount.all())
    return export.xlsx_book_response(
        f"staffing-{plan.pk}",
        [
            (
                _("intervals"),
                [
                    _("interval start"),
                    _("calls"),
                    _("handle time (s)"),
                    _("required agents"),
                    _("scheduled agents"),
                    _("service level"),
                    _("ASA (s)"),
                    _("occupancy"),
                ],
                intervals,
            ),
            (
                _("head-count"),
                [_("month"), _("organisation"), _("role"), _("people"), _("rule"), _("basis")],
                lines,
            ),
        ],
    )


def _headcount_rows(lines: QuerySet[HeadcountLine]) -> list[tuple[Any, ...]]:
    return [
        (
            line.month.strftime("%Y-%m"),
            line.organisation.code,
            line.get_role_display(),
            line.count,
            line.rule,
            line.basis_display(),
        )
        for line in lines.select_related("organisation")
    ]


@login_required
def headcount_list(request: HttpRequest) -> HttpResponse:
    """The head-count each organisation is asked to staff, from every staffing plan."""
    require(request.user, "view_headcount_plan")
    lines = restrict(
        HeadcountLine.objects.select_related("plan__forecast__seat_type", "plan__forecast__site"),
        request.user,
    )
    plan_id = request.GET.get("plan")
    latest = lines.order_by("-plan_id").values_list("plan_id", flat=True).first()
    chosen = int(plan_id) if plan_id and plan_id.isdigit() else latest
    shown = lines.filter(plan_id=chosen) if chosen else lines.none()
    plans = plan_choices(lines)
    if request.GET.get("export") == "xlsx" and chosen:
        rows = _headcount_rows(shown)
        header = [_("month"), _("organisation"), _("role"), _("people"), _("rule"), _("basis")]
        return export.xlsx_response(f"headcount-{chosen}", header, rows)
    context = {
        "months": headcount_table(shown),
        "plans": plans,
        "chosen": chosen,
        "title": _("Head-count plan"),
    }
    return render(request, "planning/headcount_list.html", context)


def plan_choices(lines: QuerySet[HeadcountLine]) -> list[tuple[int, str]]:
    """(plan id, "#id seat type · site") for the plans behind these lines, newest first."""
    rows = (
        lines.order_by()
        .values_list("plan_id", "plan__forecast__seat_type__name", "plan__forecast__site__name")
        .distinct()
    )
    labels = {pk: f"#{pk} {seat} · {site or _('all sites')}" for pk, seat, site in rows}
    return sorted(labels.items(), reverse=True)


def _events(request: HttpRequest) -> QuerySet[PlanningEvent]:
    require(request.user, "view_planning")
    return restrict(PlanningEvent.objects.select_related("seat_type"), request.user)


def _save_event(request: HttpRequest, form: EventForm, event: PlanningEvent | None) -> bool:
    """Save a valid form through the service; False with the error on the form if not."""
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        events.do_save_event(acting_user=request.user, event=event, **data)
    except InputError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, describe(exc))
        return False
    messages.success(request, _("The event is saved; forecasts run from now on take it in."))
    return True


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    rows = _events(request)
    form = EventForm(request.POST or None) if can(request.user, "plan") else None
    if request.method == "POST":
        require(request.user, "plan")
        if form is not None and _save_event(request, form, None):
            return redirect("planning:event_list")
    context = {"events": rows, "form": form, "title": _("Planning events")}
    return render(request, "planning/event_list.html", context)


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = access(_events(request), request.user, pk, write="plan")
    require(request.user, "plan")
    form = EventForm(request.POST or None, instance=None, initial=_initial(event))
    if request.method == "POST" and _save_event(request, form, event):
        return redirect("planning:event_list")
    context = {"event": event, "form": form, "title": str(event)}
    return render(request, "planning/event_edit.html", context)


def _initial(event: PlanningEvent) -> dict[str, Any]:
    fields = ("name", "seat_type", "first_day", "last_day", "uplift")
    return {name: getattr(event, name) for name in fields}


@login_required
@require_POST
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    event = access(_events(request), request.user, pk, write="plan")
    events.do_delete_event(event, acting_user=request.user)
    messages.success(request, _("The event is deleted."))
    return redirect("planning:event_list")

"""Plotly figures and accuracy tables of the planning pages (JSON for data-plotly)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import numpy as np
import plotly.graph_objects as go
from django.utils import timezone
from django.utils.translation import gettext as _

from ccops.planning.models import Forecast, StaffingPlan
from ccops.planning.scope import actual_calls, load_history

HISTORY_WEEKS_SHOWN = 6
LAYOUT = {
    "template": "plotly_white",
    "height": 380,
    "margin": {"l": 50, "r": 20, "t": 10, "b": 40},
    "legend": {"orientation": "h"},
}


def actuals(forecast: Forecast) -> dict[dt.datetime, float]:
    """Calls offered per interval start within the forecast's horizon (UTC keys)."""
    first = forecast.intervals.order_by("start").values_list("start", flat=True).first()
    last = forecast.intervals.order_by("-start").values_list("start", flat=True).first()
    if first is None or last is None:
        return {}
    return actual_calls(forecast.seat_type_id, forecast.site_id, first, last)


def forecast_figure(forecast: Forecast) -> str | None:
    """Recent history, the forecast with its band, adjustments and actuals, overlaid."""
    rows = list(forecast.intervals.values_list("start", "calls", "lower", "upper", "adjusted"))
    if not rows:
        return None
    zone = timezone.get_current_timezone()
    x = [timezone.localtime(r[0], zone).replace(tzinfo=None) for r in rows]
    fig = go.Figure()
    history = load_history(forecast.seat_type_id, forecast.site_id)
    if len(history.starts):
        since = history.starts.max() - np.timedelta64(7 * HISTORY_WEEKS_SHOWN, "D")
        keep = history.starts >= since
        fig.add_scatter(
            x=history.starts[keep].astype("datetime64[m]").astype(object),
            y=history.calls[keep],
            name=_("history"),
            line={"color": "#9fb3c8", "width": 1},
        )
    fig.add_scatter(
        x=x, y=[r[3] for r in rows], line={"width": 0}, showlegend=False, hoverinfo="skip"
    )
    fig.add_scatter(
        x=x,
        y=[r[2] for r in rows],
        fill="tonexty",
        fillcolor="rgba(11,110,153,0.15)",
        line={"width": 0},
        name=_("80 % band"),
    )
    fig.add_scatter(x=x, y=[r[1] for r in rows], name=_("forecast"), line={"color": "#0b6e99"})
    if any(r[4] is not None for r in rows):
        fig.add_scatter(
            x=x,
            y=[r[1] if r[4] is None else r[4] for r in rows],
            name=_("adjusted"),
            line={"color": "#b35c00", "dash": "dot"},
        )
    seen = actuals(forecast)
    if seen:
        fig.add_scatter(
            x=[timezone.localtime(k, zone).replace(tzinfo=None) for k in sorted(seen)],
            y=[seen[k] for k in sorted(seen)],
            name=_("actual"),
            mode="markers",
            marker={"color": "#1f7a4d", "size": 4},
        )
    fig.update_layout(**LAYOUT, yaxis_title=_("calls per interval"))
    return str(fig.to_json())


def weekly_accuracy(forecast: Forecast) -> list[dict[str, Any]]:
    """Forecast against actual calls per week of the horizon: WAPE and bias (PLAN-01)."""
    seen = actuals(forecast)
    if not seen:
        return []
    weeks: dict[dt.date, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for start, calls, adjusted in forecast.intervals.values_list("start", "calls", "adjusted"):
        if start not in seen:
            continue
        local = timezone.localtime(start).date()
        week = local - dt.timedelta(days=local.weekday())
        final = calls if adjusted is None else adjusted
        actual = seen[start]
        total = weeks[week]
        total[0] += actual
        total[1] += final
        total[2] += abs(final - actual)
        total[3] += final - actual
    return [
        {
            "week": week,
            "actual": round(actual),
            "forecast": round(predicted),
            "wape": error / actual if actual else None,
            "bias": signed / actual if actual else None,
        }
        for week, (actual, predicted, error, signed) in sorted(weeks.items())
    ]


def day_by_interval(plan: StaffingPlan, field: str) -> tuple[list[str], list[str], list[list[Any]]]:
    """A value of the plan's intervals as a day x time-of-day grid for a heat map."""
    zone = timezone.get_current_timezone()
    cells: dict[tuple[str, str], float] = {}
    for start, value in plan.intervals.values_list("start", field):
        local = timezone.localtime(start, zone)
        cells[(local.strftime("%Y-%m-%d %a"), local.strftime("%H:%M"))] = value
    days = sorted({d for d, _t in cells})
    times = sorted({t for _d, t in cells})
    grid = [[cells.get((d, t)) for t in times] for d in days]
    return days, times, grid


def heatmap(plan: StaffingPlan, field: str, title: str, *, percent: bool = False) -> str | None:
    days, times, grid = day_by_interval(plan, field)
    if not days:
        return None
    if percent:
        grid = [[None if v is None else round(100 * v, 1) for v in row] for row in grid]
    fig = go.Figure(
        go.Heatmap(
            x=times,
            y=days,
            z=grid,
            colorscale="RdYlGn" if percent else "Blues",
            colorbar={"title": {"text": title}},
            hoverongaps=False,
        )
    )
    fig.update_layout(**LAYOUT | {"height": max(300, 22 * len(days) + 80)})
    fig.update_yaxes(autorange="reversed")
    return str(fig.to_json())


def week_grid(
    starts: list[dt.datetime], values: list[Any]
) -> tuple[list[str], list[str], list[list[Any]]]:
    """Values per interval start as a day x time-of-day grid for a heat map."""
    zone = timezone.get_current_timezone()
    cells: dict[tuple[str, str], Any] = {}
    for start, value in zip(starts, values, strict=True):
        local = timezone.localtime(start, zone)
        cells[(local.strftime("%Y-%m-%d %a"), local.strftime("%H:%M"))] = value
    days = sorted({d for d, _t in cells})
    times = sorted({t for _d, t in cells})
    return days, times, [[cells.get((d, t)) for t in times] for d in days]


def coverage_heatmap(rows: list[Any]) -> str | None:
    """Agents on the phones minus agents required, per interval of the week: red short,
    blue over, with both counts on hover."""
    if not rows:
        return None
    starts = [r.start for r in rows]
    days, times, gap = week_grid(starts, [r.on_duty - r.required for r in rows])
    _d, _t, wanted = week_grid(starts, [r.required for r in rows])
    _d, _t, present = week_grid(starts, [r.on_duty for r in rows])
    text = [
        [f"{_('required')} {w} · {_('on the phones')} {p}" for w, p in zip(ws, ps, strict=True)]
        for ws, ps in zip(wanted, present, strict=True)
    ]
    widest = max((abs(v) for row in gap for v in row if v is not None), default=1) or 1
    fig = go.Figure(
        go.Heatmap(
            x=times,
            y=days,
            z=gap,
            text=text,
            hovertemplate="%{y} %{x}<br>%{text}<extra></extra>",
            colorscale="RdBu",
            zmin=-widest,
            zmax=widest,
            colorbar={"title": {"text": _("on the phones - required")}},
            hoverongaps=False,
        )
    )
    fig.update_layout(**LAYOUT | {"height": max(300, 22 * len(days) + 80)})
    fig.update_yaxes(autorange="reversed")
    return str(fig.to_json())


def demand_heatmap(demand: Any) -> str | None:
    """A week of published demand as a heat map."""
    zone = timezone.get_current_timezone()
    base = dt.datetime.combine(demand.week_start, dt.time(), tzinfo=zone)
    step = demand.interval_minutes
    starts = [base + dt.timedelta(minutes=i * step) for i in range(len(demand.required))]
    days, times, grid = week_grid(starts, list(demand.required))
    if not days:
        return None
    fig = go.Figure(
        go.Heatmap(
            x=times,
            y=days,
            z=grid,
            colorscale="Blues",
            colorbar={"title": {"text": _("required")}},
            hoverongaps=False,
        )
    )
    fig.update_layout(**LAYOUT | {"height": max(300, 22 * len(days) + 80)})
    fig.update_yaxes(autorange="reversed")
    return str(fig.to_json())

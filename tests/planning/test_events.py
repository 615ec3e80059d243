"""Planning events: entered on a page or through the API, audited, and taken in by the
forecast (the event's days scaled by its uplift)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from django.urls import reverse
from django.utils import timezone

from ccops.audit.models import AuditEntry
from ccops.planning import services
from ccops.planning.models import PlanningEvent
from tests.planning.test_forecast_runs import _history

EVENT = {"name": "双十一活动", "first_day": "2026-11-04", "last_day": "2026-11-05", "uplift": "1.5"}


@pytest.fixture
def planner(center):
    return center.client_for(center.user("planner"))


def test_planner_enters_changes_and_deletes_an_event_on_the_page(center, planner):
    url = reverse("planning:event_list")
    assert planner.post(url, EVENT | {"seat_type": center.seat_type.pk}).status_code == 302
    event = PlanningEvent.objects.get()
    assert (event.seat_type, event.first_day, event.uplift) == (
        center.seat_type,
        dt.date(2026, 11, 4),
        1.5,
    )
    assert "双十一活动" in planner.get(url).content.decode()
    edit = reverse("planning:event_edit", args=[event.pk])
    assert 'value="双十一活动"' in planner.get(edit).content.decode()
    assert planner.post(edit, EVENT | {"uplift": "2"}).status_code == 302
    event.refresh_from_db()
    assert (event.uplift, event.seat_type) == (2.0, None)
    planner.post(reverse("planning:event_delete", args=[event.pk]))
    assert not PlanningEvent.objects.exists()
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-3:] == [
        "planning.event_entered",
        "planning.event_changed",
        "planning.event_deleted",
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"last_day": "2026-11-01"}, "last_day"),
        ({"uplift": "-1"}, "uplift"),
        ({"uplift": "abc"}, "uplift"),
        ({"name": "  "}, "name"),
    ],
)
def test_a_bad_event_on_the_page_names_the_field_and_stores_nothing(planner, change, field):
    response = planner.post(reverse("planning:event_list"), EVENT | change)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not PlanningEvent.objects.exists()


def test_others_may_read_events_but_not_change_them(center):
    event = PlanningEvent.objects.create(
        name="x", first_day=dt.date(2026, 11, 4), last_day=dt.date(2026, 11, 4), uplift=1.2
    )
    coach = center.client_for(center.user("business_coach"))
    assert coach.get(reverse("planning:event_list")).status_code == 200
    assert coach.post(reverse("planning:event_list"), EVENT).status_code == 403
    assert coach.post(reverse("planning:event_delete", args=[event.pk])).status_code == 403
    vendor = center.client_for(center.user("vendor_pm"))
    assert vendor.get(reverse("planning:event_list")).status_code == 403
    assert vendor.get(reverse("api:get_event", args=[event.pk])).status_code in (403, 404)
    assert PlanningEvent.objects.count() == 1


def test_events_through_the_api(center, planner):
    created = planner.post(
        reverse("api:enter_event"),
        {"name": "账单日", "first_day": "2026-12-01", "last_day": "2026-12-02", "uplift": 1.3},
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["seat_type_id"] is None and body["uplift"] == 1.3
    url = reverse("api:get_event", args=[body["id"]])
    assert planner.get(reverse("api:list_events")).json() == [body]
    changed = planner.put(
        url,
        body | {"seat_type": center.seat_type.pk, "uplift": 1.6},
        content_type="application/json",
    )
    assert changed.json()["seat_type_id"] == center.seat_type.pk
    assert planner.get(url).json()["uplift"] == 1.6
    assert planner.delete(url).status_code == 204
    assert planner.get(url).status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [({"last_day": "2026-11-30"}, "last_day"), ({"uplift": 25}, "uplift"), ({"name": ""}, "name")],
)
def test_bad_events_through_the_api_are_422(planner, change, field):
    payload = {"name": "x", "first_day": "2026-12-01", "last_day": "2026-12-02", "uplift": 1.3}
    response = planner.post(
        reverse("api:enter_event"), payload | change, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["field"] == field
    assert not PlanningEvent.objects.exists()


def _calls_per_day(center):
    forecast = services.do_request_forecast(
        acting_user=center.user("planner"),
        seat_type=center.seat_type,
        site=None,
        interval_minutes=30,
        horizon_days=7,
        method="seasonal_naive",
    )
    done = services.run_forecast(forecast.pk)
    assert done.status == "succeeded", done.error
    days = defaultdict(float)
    for interval in done.intervals.all():
        days[timezone.localtime(interval.start).date()] += interval.calls
    return days


def test_an_event_scales_its_days_in_the_next_forecast(center):
    _history(center)  # 28 days from 5 October 2026; the forecast starts 2 November
    day, other = dt.date(2026, 11, 4), dt.date(2026, 11, 3)
    normal = _calls_per_day(center)
    PlanningEvent.objects.create(name="活动", first_day=day, last_day=day, uplift=1.5)
    with_event = _calls_per_day(center)
    assert with_event[day] == pytest.approx(1.5 * normal[day])
    assert with_event[other] == pytest.approx(normal[other])

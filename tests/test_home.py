"""The home page: head count and traffic, each within the viewer's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from ccops.intake.models import AcdInterval, CallRecord


def _traffic(center: Any) -> None:
    start = timezone.now() - dt.timedelta(days=2)
    AcdInterval.objects.create(
        queue=center.queue,
        interval_start=start,
        interval_minutes=30,
        offered=100,
        answered=90,
        abandoned=10,
        answered_in_threshold=80,
        abandoned_in_threshold=2,
        talk_seconds=1,
        hold_seconds=0,
        acw_seconds=0,
    )
    CallRecord.objects.create(
        call_id="X1",
        organisation=center.vendor_a,
        person=center.agent_a,
        arrived_at=start,
        ended_at=start,
    )


def test_client_sees_all_organisations_and_the_traffic_chart(center: Any) -> None:
    _traffic(center)
    page = center.client_for(center.user("planner")).get(reverse("home")).content.decode()
    assert "甲外包" in page and "乙外包" in page
    assert "data-plotly" in page and "plotly.min.js" in page


def test_vendor_sees_only_itself(center: Any) -> None:
    _traffic(center)
    page = center.client_for(center.outsider("vendor_pm")).get(reverse("home")).content.decode()
    assert "乙外包" in page and "甲外包" not in page
    assert "data-plotly" not in page  # vendor B's agents handled no calls
    own = center.client_for(center.user("vendor_pm")).get(reverse("home")).content.decode()
    assert "data-plotly" in own


def test_agent_home_has_no_operational_data(center: Any) -> None:
    _traffic(center)
    page = center.client_for(center.user("agent")).get(reverse("home")).content.decode()
    assert "data-plotly" not in page and "乙外包" not in page

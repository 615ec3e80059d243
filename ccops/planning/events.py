"""Planning events: days a planner knows will not be normal (a campaign, a billing run,
an outage), with the calls expected as a multiple of a normal day. Forecasts run after
an event is entered treat its days apart and scale them by its uplift."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from ccops.audit import services as audit
from ccops.core.errors import InputError
from ccops.org.access import require
from ccops.org.models import SeatType
from ccops.planning.models import PlanningEvent

MAX_UPLIFT = 20.0
MAX_EVENT_DAYS = 366


def check_event(name: str, first_day: dt.date, last_day: dt.date, uplift: float) -> str:
    """The event's name, stripped, once its fields make sense together."""
    if not name.strip():
        raise InputError("name", name, "missing", "an event needs a name")
    if last_day < first_day:
        raise InputError("last_day", last_day, "before_first_day", "comes before the first day")
    if (last_day - first_day).days >= MAX_EVENT_DAYS:
        raise InputError("last_day", last_day, "out_of_range", "an event lasts at most a year")
    if not 0.0 <= uplift <= MAX_UPLIFT:
        raise InputError("uplift", uplift, "out_of_range", f"must lie between 0 and {MAX_UPLIFT}")
    return name.strip()


def _fields(event: PlanningEvent) -> dict[str, Any]:
    return {
        "name": event.name,
        "seat_type": event.seat_type_id,
        "first_day": str(event.first_day),
        "last_day": str(event.last_day),
        "uplift": event.uplift,
    }


def do_save_event(
    *,
    acting_user: Any,
    name: str,
    first_day: dt.date,
    last_day: dt.date,
    uplift: float,
    seat_type: SeatType | None = None,
    event: PlanningEvent | None = None,
) -> PlanningEvent:
    """Enter a new event, or change ``event``; audited with before and after."""
    require(acting_user, "plan")
    name = check_event(name, first_day, last_day, uplift)
    with transaction.atomic():
        before = None
        if event is not None:
            event = PlanningEvent.objects.select_for_update().get(pk=event.pk)
            before = _fields(event)
        event = event or PlanningEvent()
        event.name, event.seat_type = name, seat_type
        event.first_day, event.last_day, event.uplift = first_day, last_day, float(uplift)
        event.save()
        action = "planning.event_changed" if before else "planning.event_entered"
        audit.record(action, event, actor=acting_user, before=before, after=_fields(event))
    return event


def do_delete_event(event: PlanningEvent, *, acting_user: Any) -> None:
    """Remove an event; forecasts already run keep what it did to them."""
    require(acting_user, "plan")
    with transaction.atomic():
        audit.record("planning.event_deleted", event, actor=acting_user, before=_fields(event))
        event.delete()

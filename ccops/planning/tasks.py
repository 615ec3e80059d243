"""Background work for planning, run by `manage.py db_worker`."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from ccops.common.tasks import task
from ccops.planning import services


@task()
def run_forecast_task(forecast_id: int) -> str:
    """Compute one forecast in the worker and return its status."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(services.run_forecast(forecast_id).status)


@task()
def run_staffing_task(plan_id: int) -> str:
    """Compute one staffing plan in the worker and return its status."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(services.run_staffing(plan_id).status)


@task()
def run_roster_task(run_id: int) -> str:
    """Generate one roster in the worker and return how the run ended."""
    from ccops.planning import rostering

    with translation.override(settings.LANGUAGE_CODE):
        return str(rostering.run_roster(run_id).state)

"""Cross-vendor sweep: every page and endpoint, asked by every vendor-B role for vendor A's data.

Each route must be listed in ROUTES with how to probe it; a new route that is not listed
fails `test_every_route_is_swept`, so later features are held to tenancy automatically.
Object routes must answer 403 or 404; list, search and export routes must answer without
a trace of vendor A's marker text.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from ccops.attendance.models import AttendanceSummary, AwayFromSeat, LeaveRequest, SummaryLine
from ccops.intake.models import AgentState, CallRecord, ImportBatch
from ccops.org.roles import VENDOR_ROLES
from ccops.planning.models import (
    HeadcountLine,
    OvertimeOffer,
    OvertimeTake,
    PlanningEvent,
    PublishedDemand,
    Roster,
    RosterNote,
    RosterRun,
    RosterShift,
    ShiftSwap,
)
from ccops.policy.models import RuleOverride
from tests.conftest import Center
from tests.planning.helpers import make_planning

MARKERS = ("甲方座席", "甲一组", "va-secret.csv", "VA-ONLY-VALUE")


@dataclass(frozen=True)
class Probe:
    kind: str  # "object", "list" or "shared"
    kwargs: Callable[[dict[str, Any]], dict[str, Any]] = lambda objs: {}
    methods: tuple[str, ...] = ("get",)
    # JSON sent with a POST or PUT (an API payload), or made from the objects
    body: dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]] | None = None
    form: bool = False  # the body is a page's form, not JSON


def obj(key: str, *methods: str) -> Probe:
    return Probe("object", lambda objs: {"pk": objs[key]}, methods or ("get",))


LIST = Probe("list")
# No vendor-owned object to probe: shared reference data, pages open to anyone signed in,
# or creation (tests of each create endpoint check the row lands in the user's vendor).
SHARED = Probe("shared")

ROUTES: dict[str, Probe] = {
    "home": LIST,
    "login": SHARED,
    "logout": SHARED,
    "set_language": SHARED,
    # organisation pages
    "org:organisation_list": LIST,
    "org:organisation_create": SHARED,
    "org:organisation_detail": obj("organisation", "get"),
    "org:organisation_edit": obj("organisation", "get", "post"),
    "org:organisation_delete": obj("organisation", "post"),
    "org:site_list": LIST,
    "org:site_create": SHARED,
    "org:site_detail": SHARED,
    "org:site_edit": SHARED,
    "org:site_delete": SHARED,
    "org:seattype_list": LIST,
    "org:seattype_create": SHARED,
    "org:seattype_detail": SHARED,
    "org:seattype_edit": SHARED,
    "org:seattype_delete": SHARED,
    "org:queue_list": LIST,
    "org:queue_create": SHARED,
    "org:queue_detail": SHARED,
    "org:queue_edit": SHARED,
    "org:queue_delete": SHARED,
    "org:team_list": LIST,
    "org:team_create": SHARED,
    "org:team_detail": obj("team"),
    "org:team_edit": obj("team", "get", "post"),
    "org:team_delete": obj("team", "post"),
    "org:person_list": LIST,
    "org:person_create": SHARED,
    "org:person_detail": obj("person"),
    "org:person_edit": obj("person", "get", "post"),
    "org:person_delete": obj("person", "post"),
    "org:person_reveal": obj("person", "post"),
    "org:token_list": LIST,
    "org:token_revoke": obj("token", "post"),
    "org:account_list": LIST,
    "org:account_create": SHARED,
    "org:account_detail": obj("account"),
    "org:account_edit": obj("account", "get", "post"),
    "org:account_delete": obj("account", "post"),
    # rules, intake, audit
    "policy:rule_list": LIST,
    "policy:rule_detail": Probe("list", lambda objs: {"rule_id": "ORG-01"}),
    "intake:batch_list": LIST,
    "intake:batch_detail": obj("batch"),
    "intake:batch_rerun": obj("batch", "post"),
    "audit:entry_list": LIST,
    # planning (forecasts and staffing are the client's; head-count lines name a vendor)
    "planning:forecast_list": LIST,
    "planning:forecast_detail": obj("forecast"),
    "planning:forecast_adjust": obj("forecast", "post"),
    "planning:forecast_publish": obj("forecast", "post"),
    "planning:staffing_create": obj("forecast", "post"),
    "planning:staffing_detail": obj("staffing"),
    "planning:headcount_list": LIST,
    "planning:event_list": LIST,
    "planning:event_edit": obj("event", "get", "post"),
    "planning:event_delete": obj("event", "post"),
    "planning:demand_list": LIST,
    "planning:demand_publish": obj("staffing", "post"),
    "planning:demand_detail": obj("demand"),
    "planning:roster_generate": obj("demand", "post"),
    "planning:run_detail": obj("run"),
    "planning:run_cancel": obj("run", "post"),
    "planning:roster_detail": obj("roster"),
    "planning:roster_review": Probe(
        "object", lambda objs: {"pk": objs["roster"], "action": "submit"}, ("post",)
    ),
    "planning:roster_edit": obj("roster", "post"),
    "planning:roster_revise": obj("roster", "post"),
    "planning:roster_reoptimise": obj("roster", "post"),
    "planning:roster_import": obj("demand", "post"),
    "planning:my_schedule": LIST,
    "planning:swap_request": SHARED,
    "planning:overtime_offer": obj("demand", "post"),
    "planning:overtime_take": obj("offer", "post"),
    "planning:overtime_audit": obj("take", "post"),
    "planning:swap_accept": obj("swap", "post"),
    "planning:swap_decide": Probe(
        "object", lambda objs: {"pk": objs["swap"], "action": "approve"}, ("post",)
    ),
    "planning:team_schedule": LIST,
    # attendance: leave carries its agent's vendor; blackout days are the center's
    "attendance:leave_list": LIST,
    "attendance:leave_request": Probe(
        "object",
        lambda objs: {},
        ("post",),
        lambda objs: {"person": objs["person"], "kind": "personal", "first_day": "2026-12-09"},
        form=True,
    ),
    "attendance:leave_withdraw": obj("leave", "post"),
    "attendance:leave_decide": Probe(
        "object", lambda objs: {"pk": objs["leave"], "action": "approve"}, ("post",)
    ),
    "attendance:blackout_list": LIST,
    "attendance:blackout_delete": SHARED,
    "attendance:summary_list": LIST,
    "attendance:summary_detail": obj("summary"),
    "attendance:summary_step": Probe(
        "object", lambda objs: {"pk": objs["summary"], "action": "submit"}, ("post",)
    ),
    "attendance:floor_board": LIST,
    "attendance:floor_leave": Probe(
        "object",
        lambda objs: {},
        ("post",),
        lambda objs: {"person": objs["person"], "kind": "break"},
        form=True,
    ),
    "attendance:floor_back": obj("away", "post"),
    "attendance:line_step": Probe(
        "object", lambda objs: {"pk": objs["line"], "action": "answer"}, ("post",)
    ),
    # API
    "api:api-root": SHARED,
    "api:openapi-json": SHARED,
    "api:openapi-view": SHARED,
    "api:list_organisations": LIST,
    "api:get_organisation": obj("organisation"),
    "api:create_organisation": SHARED,
    "api:update_organisation": obj("organisation", "patch"),
    "api:delete_organisation": obj("organisation", "delete"),
    "api:list_sites": LIST,
    "api:get_site": SHARED,
    "api:create_site": SHARED,
    "api:update_site": SHARED,
    "api:delete_site": SHARED,
    "api:list_seat_types": LIST,
    "api:get_seat_type": SHARED,
    "api:create_seat_type": SHARED,
    "api:update_seat_type": SHARED,
    "api:delete_seat_type": SHARED,
    "api:list_queues": LIST,
    "api:get_queue": SHARED,
    "api:create_queue": SHARED,
    "api:update_queue": SHARED,
    "api:delete_queue": SHARED,
    "api:list_teams": LIST,
    "api:get_team": obj("team"),
    "api:create_team": SHARED,
    "api:update_team": obj("team", "patch"),
    "api:delete_team": obj("team", "delete"),
    "api:list_people": LIST,
    "api:create_person": SHARED,
    "api:get_person": obj("person"),
    "api:update_person": obj("person", "patch"),
    "api:delete_person": obj("person", "delete"),
    "api:reveal_person": obj("person", "post"),
    "api:list_batches": LIST,
    "api:upload": SHARED,
    "api:get_batch": obj("batch"),
    "api:list_rules": LIST,
    "api:get_rule_value": Probe("list", lambda objs: {"rule_id": "ORG-01"}),
    "api:set_rule": Probe("object", lambda objs: {"rule_id": "ORG-01"}, ("put",)),
    "api:list_entries": LIST,
    "api:list_forecasts": LIST,
    "api:request_forecast": SHARED,
    "api:get_forecast": obj("forecast"),
    "api:forecast_intervals": obj("forecast"),
    "api:forecast_accuracy": obj("forecast"),
    "api:forecast_totals": obj("forecast"),
    "api:adjust_forecast": Probe(
        "object",
        lambda objs: {"pk": objs["forecast"]},
        ("post",),
        {"first_day": "2026-12-07", "last_day": "2026-12-07", "factor": 2, "reason": "probe"},
    ),
    "api:publish_forecast": obj("forecast", "post"),
    "api:request_staffing": Probe(
        "object", lambda objs: {"pk": objs["forecast"]}, ("post",), {"service_level": 0.8}
    ),
    "api:get_staffing": obj("staffing"),
    "api:staffing_intervals": obj("staffing"),
    "api:headcount": LIST,
    "api:list_events": LIST,
    "api:enter_event": SHARED,
    "api:get_event": obj("event"),
    "api:change_event": Probe(
        "object",
        lambda objs: {"pk": objs["event"]},
        ("put",),
        {"name": "probe", "first_day": "2026-12-07", "last_day": "2026-12-07", "uplift": 2},
    ),
    "api:delete_event": obj("event", "delete"),
    "api:erlang": SHARED,
    # rosters: demand, runs and rosters carry their vendor
    "api:list_shift_templates": LIST,
    "api:create_shift_template": SHARED,
    "api:publish_demand": Probe(
        "object", lambda objs: {"pk": objs["staffing"]}, ("post",), {"week_start": "2026-12-07"}
    ),
    "api:list_demand": LIST,
    "api:get_demand": obj("demand"),
    "api:request_roster": Probe(
        "object", lambda objs: {"pk": objs["demand"]}, ("post",), {"time_limit": 5}
    ),
    "api:get_run": obj("run"),
    "api:cancel_run": obj("run", "post"),
    "api:list_rosters": LIST,
    "api:get_roster": obj("roster"),
    "api:roster_shifts": obj("roster"),
    "api:roster_coverage": obj("roster"),
    "api:roster_breaches": obj("roster"),
    "api:edit_roster_shift": Probe(
        "object",
        lambda objs: {"pk": objs["roster"]},
        ("post",),
        {"revision": 1, "person": 1, "day": "2026-12-07", "shift": None},
    ),
    "api:revise_roster": obj("roster", "post"),
    "api:roster_changes": obj("roster"),
    "api:import_roster": obj("demand", "post"),
    "api:list_swaps": LIST,
    "api:overtime_gap": obj("roster"),
    "api:offer_overtime": Probe(
        "object",
        lambda objs: {"pk": objs["demand"]},
        ("post",),
        {"day": "2026-12-07", "start_minute": 600, "minutes": 60, "seats": 1},
    ),
    "api:list_overtime": LIST,
    "api:take_overtime": obj("offer", "post"),
    "api:overtime_takes": obj("offer"),
    "api:audit_overtime": Probe(
        "object", lambda objs: {"pk": objs["take"]}, ("post",), {"attended": True}
    ),
    "api:request_swap": SHARED,
    "api:accept_swap": obj("swap", "post"),
    "api:approve_swap": Probe(
        "object", lambda objs: {"pk": objs["swap"]}, ("post",), {"answer": "probe"}
    ),
    "api:refuse_swap": Probe(
        "object", lambda objs: {"pk": objs["swap"]}, ("post",), {"answer": "probe"}
    ),
    "api:list_leave": LIST,
    "api:ask_leave": Probe(
        "object",
        lambda objs: {},
        ("post",),
        lambda objs: {"person": objs["person"], "kind": "personal", "first_day": "2026-12-09"},
    ),
    "api:get_leave": obj("leave"),
    "api:approve_leave": Probe(
        "object", lambda objs: {"pk": objs["leave"]}, ("post",), {"revision": 1}
    ),
    "api:refuse_leave": Probe(
        "object", lambda objs: {"pk": objs["leave"]}, ("post",), {"revision": 1}
    ),
    "api:withdraw_leave": obj("leave", "post"),
    "api:floor_board": Probe("object", lambda objs: {"team": objs["team"]}),
    "api:leave_seat": Probe(
        "object", lambda objs: {}, ("post",), lambda objs: {"person": objs["person"]}
    ),
    "api:back_at_seat": obj("away", "post"),
    "api:list_summaries": LIST,
    "api:compute_summary": Probe(
        "object",
        lambda objs: {},
        ("post",),
        lambda objs: {"month": "2026-12", "organisation": objs["organisation"]},
    ),
    "api:get_summary": obj("summary"),
    "api:submit_summary": Probe(
        "object", lambda objs: {"pk": objs["summary"]}, ("post",), {"revision": 1}
    ),
    "api:sign_summary": Probe(
        "object", lambda objs: {"pk": objs["summary"]}, ("post",), {"revision": 1}
    ),
    "api:dispute_line": Probe(
        "object", lambda objs: {"pk": objs["line"]}, ("post",), {"revision": 1, "comment": "x"}
    ),
    "api:answer_line": Probe(
        "object", lambda objs: {"pk": objs["line"]}, ("post",), {"answer": "x"}
    ),
    "api:list_blackout_days": LIST,
    "api:add_blackout_day": SHARED,
    "api:remove_blackout_day": SHARED,
    **{
        f"api:{action}_roster": Probe(
            "object",
            lambda objs: {"pk": objs["roster"]},
            ("post",),
            {"revision": 1, "comment": "probe"},
        )
        for action in ("submit", "approve", "return")
    },
}


def iter_routes(patterns: list[Any] | None = None, namespace: str = "") -> Iterator[str]:
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace == "admin":
                continue  # staff only; covered by test_admin_is_closed_to_vendors
            yield from iter_routes(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_route_is_swept() -> None:
    missing = sorted(set(iter_routes()) - set(ROUTES))
    assert not missing, f"add these routes to the tenancy sweep: {missing}"


@pytest.fixture
def vendor_a_objects(center: Center) -> dict[str, Any]:
    """Objects that belong to vendor A, each carrying a marker text."""
    pm_a = center.user("vendor_pm")
    batch = ImportBatch.objects.create(
        organisation=center.vendor_a,
        kind="clock",
        filename="va-secret.csv",
        stored_name="x",
        sha256="0" * 64,
        created_by=pm_a,
        status="failed",
    )
    RuleOverride.objects.create(
        rule_id="ORG-01",
        organisation=center.vendor_a,
        value={"agents_per_team_lead": "VA-ONLY-VALUE"},
    )
    from django.utils import timezone

    now = timezone.now()
    CallRecord.objects.create(
        call_id="VA-ONLY-VALUE",
        organisation=center.vendor_a,
        person=center.agent_a,
        arrived_at=now,
        ended_at=now,
    )
    AgentState.objects.create(
        organisation=center.vendor_a, person=center.agent_a, state="ready", started_at=now
    )
    from ccops.org.services import do_create_token

    token, _plain = do_create_token(pm_a, "VA-ONLY-VALUE")
    forecast, plan = make_planning(center, note="VA-ONLY-VALUE")
    HeadcountLine.objects.create(
        plan=plan,
        organisation=center.vendor_a,
        month=now.date().replace(day=1),
        role="agent",
        count=7,
        basis="VA-ONLY-VALUE",
        side="vendor",
    )
    event = PlanningEvent.objects.create(
        name="VA-ONLY-VALUE", first_day=now.date(), last_day=now.date(), uplift=1.5
    )
    demand = PublishedDemand.objects.create(
        organisation=center.vendor_a,
        seat_type=center.seat_type,
        site=center.site,
        week_start=dt.date(2026, 12, 7),
        interval_minutes=30,
        required=[1] * 336,
    )
    run = RosterRun.objects.create(
        demand=demand, organisation=center.vendor_a, state="failed", error="VA-ONLY-VALUE"
    )
    roster = Roster.objects.create(demand=demand, organisation=center.vendor_a, number=1)
    RosterNote.objects.create(roster=roster, action="submitted", comment="VA-ONLY-VALUE")
    RosterShift.objects.create(
        roster=roster,
        person=center.agent_a,
        day=demand.week_start,
        code="VA-ONLY-VALUE",
        start_minute=480,
        minutes=480,
    )
    swap = ShiftSwap.objects.create(
        roster=roster,
        requester=center.agent_a,
        partner=center.agent_a,
        day=demand.week_start,
        reason="VA-ONLY-VALUE",
    )
    offer = OvertimeOffer.objects.create(
        demand=demand,
        day=demand.week_start,
        start_minute=600,
        minutes=60,
        seats=2,
        note="VA-ONLY-VALUE",
    )
    take = OvertimeTake.objects.create(offer=offer, person=center.agent_a)
    leave = LeaveRequest.objects.create(
        person=center.agent_a,
        kind="personal",
        counted_as="personal",
        first_day=demand.week_start,
        last_day=demand.week_start,
        days=1,
        reason="VA-ONLY-VALUE",
        approver_level="area_manager",
    )
    summary = AttendanceSummary.objects.create(
        organisation=center.vendor_a, month=dt.date(2026, 12, 1), due_on=dt.date(2027, 1, 21)
    )
    line = SummaryLine.objects.create(
        summary=summary, person=center.agent_a, dispute="VA-ONLY-VALUE", state="disputed"
    )
    away = AwayFromSeat.objects.create(
        person=center.agent_a, team=center.team_a, kind="break", left_at=now
    )
    return {
        "away": away.pk,
        "summary": summary.pk,
        "line": line.pk,
        "leave": leave.pk,
        "offer": offer.pk,
        "take": take.pk,
        "swap": swap.pk,
        "demand": demand.pk,
        "run": run.pk,
        "roster": roster.pk,
        "event": event.pk,
        "forecast": forecast.pk,
        "staffing": plan.pk,
        "token": token.pk,
        "organisation": center.vendor_a.pk,
        "team": center.team_a.pk,
        "person": center.agent_a.pk,
        "account": pm_a.profile.pk,
        "batch": batch.pk,
    }


def _response_text(response: Any) -> str:
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return json.dumps(
            [list(r) for s in book for r in s.iter_rows(values_only=True)],
            ensure_ascii=False,
            default=str,
        )
    return response.content.decode("utf-8", errors="replace")


def _assert_no_marker(response: Any, where: str) -> None:
    assert response.status_code < 500, where
    text = _response_text(response)
    for marker in MARKERS:
        assert marker not in text, f"{where} leaks {marker!r}"


@pytest.mark.rule("VENDOR-06")
@pytest.mark.parametrize("role", sorted(VENDOR_ROLES))
def test_vendor_b_cannot_reach_vendor_a(
    center: Center, vendor_a_objects: dict[str, Any], role: str
) -> None:
    client = center.client_for(center.outsider(role))
    for name, probe in ROUTES.items():
        if probe.kind == "shared":
            continue
        url = reverse(name, kwargs=probe.kwargs(vendor_a_objects))
        if probe.kind == "object":
            body = probe.body(vendor_a_objects) if callable(probe.body) else probe.body
            for method in probe.methods:
                if method in {"patch", "put"}:
                    response = getattr(client, method)(
                        url,
                        body or {"version": 1, "name": "x", "value": 1, "reason": "probe"},
                        content_type="application/json",
                    )
                elif body is not None and probe.form:
                    response = client.post(url, body)
                elif body is not None:
                    response = client.post(url, body, content_type="application/json")
                else:
                    response = getattr(client, method)(url)
                assert response.status_code in {403, 404}, (
                    f"{role} {method.upper()} {name} -> {response.status_code}"
                )
            continue
        for query in (
            "",
            "?q=甲",
            "?export=csv",
            "?export=xlsx",
            "?export=csv&reveal=1",
            f"?organisation={center.vendor_a.pk}",
            f"?organisation_id={center.vendor_a.pk}",
        ):
            _assert_no_marker(client.get(url + query), f"{role} GET {name}{query}")


def test_vendor_a_sees_its_own(center: Center, vendor_a_objects: dict[str, Any]) -> None:
    """The sweep is meaningful only if the same requests do show vendor A's data to vendor A."""
    client = center.client_for(center.user("vendor_pm"))
    assert "甲方座席" in client.get(reverse("org:person_list")).content.decode()
    assert (
        client.get(reverse("org:person_detail", kwargs={"pk": center.agent_a.pk})).status_code
        == 200
    )
    assert "va-secret.csv" in client.get(reverse("intake:batch_list")).content.decode()
    assert "VA-ONLY-VALUE" in client.get(
        reverse("planning:headcount_list") + "?export=xlsx"
    ).content.decode(errors="replace") or "VA-ONLY-VALUE" in json.dumps(
        client.get(reverse("api:headcount")).json()
    )


def test_admin_is_closed_to_vendors(center: Center) -> None:
    client = center.client_for(center.outsider("vendor_pm"))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("role", ["admin", "vendor_pm"])
def test_list_routes_survive_nonsense_parameters(center: Center, role: str) -> None:
    """Garbage in filters, pages, dates and search never ends in a server error."""
    client = center.client_for(center.user(role))
    junk = (
        "?q=%00%27%22&page=x&organisation=abc&organisation_id=abc&site=-1&kind=zzz"
        "&since=2026-02-30&until=nonsense&status=%E2%80%AE&export=nope"
    )
    for name, probe in ROUTES.items():
        if probe.kind == "list":
            url = reverse(name, kwargs=probe.kwargs({}))
            response = client.get(url + junk)
            assert response.status_code < 500, f"{role} GET {name}{junk}"

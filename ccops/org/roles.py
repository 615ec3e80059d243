"""Roles and what each may do. One table, read by views, the API and the menu."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # Client side (我方)
    ADMIN = "admin", _("Administrator")
    PLANNER = "planner", _("Workforce planner")
    QA_INSPECTOR = "qa_inspector", _("QA inspector")
    SITE_OPS_MANAGER = "site_ops_manager", _("Site operations manager")
    SITE_SUPERVISOR = "site_supervisor", _("Site supervisor")
    BUSINESS_COACH = "business_coach", _("Business coach")
    VENDOR_MANAGER = "vendor_manager", _("Vendor manager")
    HR = "hr", _("HR")
    # Vendor side (外包方)
    VENDOR_PM = "vendor_pm", _("Project manager")
    VENDOR_SUPERVISOR = "vendor_supervisor", _("Vendor site supervisor")
    TEAM_LEAD = "team_lead", _("Team lead")
    TRAINER = "trainer", _("Trainer")
    PERFORMANCE_OFFICER = "performance_officer", _("Performance officer")
    AGENT = "agent", _("Agent")


CLIENT_ROLES = frozenset(
    {
        Role.ADMIN,
        Role.PLANNER,
        Role.QA_INSPECTOR,
        Role.SITE_OPS_MANAGER,
        Role.SITE_SUPERVISOR,
        Role.BUSINESS_COACH,
        Role.VENDOR_MANAGER,
        Role.HR,
    }
)
VENDOR_ROLES = frozenset(set(Role) - CLIENT_ROLES)

# Capabilities. Viewing is governed by tenancy scope; these gate changes and
# sensitive reads. A vendor role's capability always stays within its own vendor.
CAPABILITIES: dict[str, frozenset[str]] = {
    "manage_structure": frozenset({Role.ADMIN}),
    "manage_teams": frozenset({Role.ADMIN, Role.SITE_OPS_MANAGER, Role.VENDOR_PM}),
    "manage_people": frozenset({Role.ADMIN, Role.HR, Role.VENDOR_PM}),
    "reveal_personal_data": frozenset({Role.ADMIN, Role.HR, Role.VENDOR_PM}),
    "view_people": frozenset(set(Role) - {Role.AGENT}),
    "import_acd": frozenset({Role.ADMIN, Role.PLANNER}),
    "import_agent_data": frozenset(
        {Role.ADMIN, Role.PLANNER, Role.VENDOR_PM, Role.PERFORMANCE_OFFICER}
    ),
    "view_operational_data": frozenset(set(Role) - {Role.AGENT, Role.TRAINER}),
    "plan": frozenset({Role.ADMIN, Role.PLANNER}),
    "view_planning": CLIENT_ROLES - {Role.HR},
    "view_headcount_plan": (CLIENT_ROLES - {Role.HR}) | {Role.VENDOR_PM, Role.VENDOR_SUPERVISOR},
    # Rosters: the client publishes demand and reviews; a vendor's planners build its own.
    "build_roster": frozenset({Role.ADMIN, Role.PLANNER, Role.VENDOR_PM, Role.VENDOR_SUPERVISOR}),
    "review_roster": frozenset({Role.ADMIN, Role.PLANNER}),
    "see_own_schedule": frozenset({Role.AGENT}),
    "approve_swaps": frozenset(
        {Role.ADMIN, Role.PLANNER, Role.VENDOR_PM, Role.VENDOR_SUPERVISOR, Role.TEAM_LEAD}
    ),
    "view_rosters": (CLIENT_ROLES - {Role.HR})
    | {Role.VENDOR_PM, Role.VENDOR_SUPERVISOR, Role.TEAM_LEAD},
    # Leave (ATT-02..07): agents ask (team leads and managers for their agents); the
    # level the length calls for decides (attendance.leave.LEVEL_ROLES).
    "view_leave": frozenset(set(Role) - {Role.TRAINER, Role.QA_INSPECTOR}),
    "request_leave": frozenset(
        {
            Role.AGENT,
            Role.TEAM_LEAD,
            Role.VENDOR_SUPERVISOR,
            Role.VENDOR_PM,
            Role.SITE_SUPERVISOR,
            Role.ADMIN,
        }
    ),
    "decide_leave": frozenset(
        {
            Role.TEAM_LEAD,
            Role.VENDOR_SUPERVISOR,
            Role.VENDOR_PM,
            Role.SITE_SUPERVISOR,
            Role.SITE_OPS_MANAGER,
            Role.ADMIN,
        }
    ),
    "manage_calendar": frozenset({Role.ADMIN, Role.PLANNER}),
    # The monthly attendance summary (ATT-12): the vendor prepares, the client audits.
    "view_attendance": frozenset(set(Role) - {Role.AGENT, Role.TRAINER, Role.QA_INSPECTOR}),
    "view_floor": frozenset(set(Role) - {Role.TRAINER, Role.QA_INSPECTOR, Role.HR}),
    "prepare_attendance": frozenset({Role.ADMIN, Role.VENDOR_PM, Role.PERFORMANCE_OFFICER}),
    "audit_attendance": frozenset({Role.ADMIN, Role.SITE_SUPERVISOR, Role.SITE_OPS_MANAGER}),
    "manage_rules": frozenset({Role.ADMIN}),
    "view_rules": CLIENT_ROLES | {Role.VENDOR_PM},
    "view_audit": frozenset({Role.ADMIN}),
    "manage_users": frozenset({Role.ADMIN}),
}


def role_of(user: Any) -> str | None:
    """The user's role; Django superusers without a profile act as administrators."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    profile = getattr(user, "profile", None)
    if profile is not None:
        return str(profile.role)
    return Role.ADMIN.value if user.is_superuser else None


def organisation_id_of(user: Any) -> int | None:
    profile = getattr(user, "profile", None)
    return profile.organisation_id if profile is not None else None


def is_vendor_user(user: Any) -> bool:
    """Vendor users are confined to their own organisation's data."""
    return role_of(user) in VENDOR_ROLES


def can(user: Any, capability: str) -> bool:
    role = role_of(user)
    return role is not None and role in CAPABILITIES[capability]


def menu_for(user: Any) -> list[dict[str, Any]]:
    """Navigation entries for the user's role, in menu order."""
    entries = [
        ("home", _("Home"), None),
        ("org:site_list", _("Sites"), None),
        ("org:organisation_list", _("Organisations"), None),
        ("org:team_list", _("Teams"), None),
        ("org:person_list", _("People"), "view_people"),
        ("org:seattype_list", _("Seat types"), None),
        ("org:queue_list", _("Queues"), None),
        ("intake:batch_list", _("Data imports"), "view_operational_data"),
        ("planning:forecast_list", _("Forecasts"), "view_planning"),
        ("planning:headcount_list", _("Head-count plan"), "view_headcount_plan"),
        ("planning:demand_list", _("Rosters"), "view_rosters"),
        ("planning:team_schedule", _("Team schedule"), "view_rosters"),
        ("planning:my_schedule", _("My schedule"), "see_own_schedule"),
        ("attendance:leave_list", _("Leave"), "view_leave"),
        ("attendance:summary_list", _("Attendance"), "view_attendance"),
        ("attendance:floor_board", _("Floor"), "view_floor"),
        ("attendance:blackout_list", _("Blackout days"), "manage_calendar"),
        ("policy:rule_list", _("Rule parameters"), "view_rules"),
        ("org:account_list", _("User accounts"), "manage_users"),
        ("audit:entry_list", _("Audit trail"), "view_audit"),
    ]
    return [
        {"url": reverse(name), "label": label, "name": name}
        for name, label, capability in entries
        if capability is None or can(user, capability)
    ]

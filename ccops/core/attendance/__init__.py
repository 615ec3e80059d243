"""Attendance from rosters and clock punches: lateness, early leave, absence and fines.

One module per concept: ``punches`` (shifts, punches, which shift day a punch belongs
to), ``days`` (what a shift's punches say), ``policy`` (ATT-08/09/10 values), ``fines``
(one employee's month of fine lines), ``report`` (a roster's month) and ``files`` (the
CSV contract of ``ccops attendance fines``).
"""

from __future__ import annotations

from ccops.core.attendance.acd import AgentState
from ccops.core.attendance.activity import Away, Ratio, Window
from ccops.core.attendance.audit import Discrepancy, ReconcileSettings
from ccops.core.attendance.days import ShiftDay, assess_shift, early_minutes, late_minutes
from ccops.core.attendance.fines import Consequence, Event, FineLine, MonthFines, month_fines
from ccops.core.attendance.policy import AttendancePolicy, default_policy, policy_from_rules
from ccops.core.attendance.punches import Attribution, Punch, Shift, attribute, shift_day_of
from ccops.core.attendance.reconcile import (
    DayReconciliation,
    MonthReconciliation,
    reconcile_day,
    reconcile_month,
)
from ccops.core.attendance.report import Month, MonthReport, month_report

__all__ = [
    "AgentState",
    "AttendancePolicy",
    "Attribution",
    "Away",
    "Consequence",
    "DayReconciliation",
    "Discrepancy",
    "Event",
    "FineLine",
    "Month",
    "MonthFines",
    "MonthReconciliation",
    "MonthReport",
    "Punch",
    "Ratio",
    "ReconcileSettings",
    "Shift",
    "ShiftDay",
    "Window",
    "assess_shift",
    "attribute",
    "default_policy",
    "early_minutes",
    "late_minutes",
    "month_fines",
    "month_report",
    "policy_from_rules",
    "reconcile_day",
    "reconcile_month",
    "shift_day_of",
]

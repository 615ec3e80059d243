"""The business rules of the source documents, each with a structured default.

Every number here is a default a center may override (per site, and per vendor where
it makes sense); nothing in ccops reads these numbers except through the rule store.
The rule texts and sources live in ``rules.csv`` beside this module.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

JSON = Any


class RuleError(ValueError):
    """An unknown rule id or a value whose shape does not fit the rule."""


@dataclass(frozen=True)
class Rule:
    """One rule: its id, area, wording, source and default value."""

    id: str
    area: str
    title: str
    source: str
    default: JSON
    vendor_overridable: bool


# Structured defaults. Ratios are "people per one"; money is in yuan as strings
# (Decimal downstream), durations in minutes or seconds as named.
DEFAULTS: dict[str, JSON] = {
    "ORG-01": {"agents_per_team_lead": 20},
    "ORG-02": {"teams_per_supervisor": 6.5, "min_supervisors_at_start": 2},
    "ORG-03": {"agents_per_coach": 20},
    "ORG-04": {"business_supervisors_per_city": 1},
    "ORG-05": {"agents_per_qa_inspector": 25},
    "ORG-06": {"front_line_per_back_office": 15},
    "ORG-07": {"standby_share": 0.05},
    "ORG-08": {"seat_types": 12},
    "PLAN-01": {"levels": ["yearly", "monthly", "daily", "interval"], "review_every_days": 30},
    "PLAN-02": {"shift_sets": ["billing", "incident", "normal"]},
    "PLAN-03": {
        "table": [[50, 5], [100, 7], [200, 10], [300, 14], [400, 17]],
        "seats_per_further_100": 3,
    },
    "PLAN-04": {"bands": [[0, 1000, 4], [1000, 5000, 3]], "beta_above_5000": 3},
    "PLAN-05": {"workflow": "client publishes demand; vendor rosters; client reviews"},
    "PLAN-06": {"review_every_months": 3},
    "PLAN-07": {"classes": ["long_rest", "family_hours", "no_night", "class_timetable"]},
    "PLAN-08": {"yearly_plan": True},
    "PLAN-09": {
        "max_acw_seconds": 60,
        "max_answer_seconds": 12,
        "max_talk_seconds": 150,
        "max_transfer_rate": 0.03,
        "min_ticket_accuracy": 0.99,
        "min_inquiry_key_field_accuracy": 0.95,
        "min_outage_notice_accuracy": 0.98,
    },
    "PLAN-10": {"service_level": 0.8, "threshold_seconds": 20},
    "FLOOR-01": {"break_minutes_per_hour": 5},
    "FLOOR-02": {"tokens_per_team": 2},
    "FLOOR-03": {"max_away_minutes": 5},
    "FLOOR-04": {"patrol_every_minutes": 30},
    "FLOOR-05": {"check_every_minutes": 120},
    "FLOOR-06": {"per_shift": True},
    "FLOOR-07": {"per_shift": True},
    "FLOOR-08": {"client_audits_overtime": True},
    "FLOOR-09": {"written_plan_after_hours": 6},
    "FLOOR-10": {"daily": True},
    "ATT-01": {"audit_against_acd": True},
    "ATT-02": {
        "approvers": [
            [1, "area_manager"],
            [3, "operations_supervisor"],
            [7, "center_director"],
            [None, "department_manager"],
        ]
    },
    "ATT-03": {
        "lead_days": {"personal": 1, "sick": 1, "maternity": 7, "marriage": 7},
        "sudden_illness_paperwork_days": 2,
    },
    "ATT-04": {"certificate_hospital_level": "city"},
    "ATT-05": {"blackout": ["public_holiday", "billing_day", "bill_run_day"]},
    "ATT-06": {"night_shift_leave_days": 2},
    "ATT-07": {
        "marriage": 3,
        "late_marriage_extra": 7,
        "late_marriage_age_men": 25,
        "late_marriage_age_women": 23,
        "maternity": 90,
        "maternity_before_birth": 15,
        "difficult_birth_extra": 15,
        "extra_baby_extra": 15,
        "bereavement_min": 1,
        "bereavement_max": 3,
        "annual_days": 0,  # the source gives none; a center may
    },
    "ATT-08": {
        "fines": [[5, "2"], [10, "5"]],
        "streak_surcharges": [[3, 5, "20"], [5, 10, "50"]],
        # 11-30 minutes: the source is silent; null means "the last band's fine".
        "fine_above_last_band": None,
    },
    "ATT-09": {"half_day_absence_after_minutes": 30},
    "ATT-10": {"fine_per_day": "50", "dismissal_days_per_month": 3},
    "ATT-11": {"forms": ["swap", "overtime", "comp_leave"]},
    "ATT-12": {"summary_due_day": 21},
    "QA-01": {"confidence": 0.95, "margin": 0.05},
    "QA-02": {"evaluations_per_agent_month": 16},
    "QA-03": {
        "measures": [
            "qa_pass_rate",
            "sms_satisfaction",
            "faq_spot_tests",
            "test_calls",
            "fcr",
            "complaints",
            "violations",
        ]
    },
    "QA-04": {"vendor_meetings_per_month": 2},
    "QA-05": {
        "types": [
            "fault_report",
            "inquiry",
            "consultation",
            "complaint",
            "whistle_blowing",
            "service_application",
        ]
    },
    "QA-06": {"department_working_days": 2, "reply_working_days": 1},
    "QA-07": {"complaint_working_days": 4, "whistle_blowing_working_days": 9},
    "QA-08": {
        "callback_share": {"complaint": 1.0, "whistle_blowing": 1.0, "inquiry": 1.0},
        "fault_repair_sample": 0.05,
        "no_calls_after": "22:00",
    },
    "QA-09": {"failed_attempts_before_handback": 3},
    "QA-10": {"daily_confirmation_sheet": True},
    "QA-11": {"anonymous_allowed": True, "identity_check": True},
    "PEOPLE-01": {"task_order_day": 20, "staffed_by_day": 5, "mid_month_working_days": 7},
    "PEOPLE-02": {
        "prehire_share": 0.10,
        "high_attrition_threshold": 0.10,
        "prehire_share_high": 0.15,
    },
    "PEOPLE-03": {"client_approves_hires": True},
    "PEOPLE-04": {"channels": ["online", "offline", "campus", "referral", "agency"]},
    "PEOPLE-05": {"training_days": 16, "training_rest_days": 4, "internship_days": 14},
    "PEOPLE-06": {
        "probation_months": 2,
        "pay_by_education": {
            "secondary": "1400",
            "college": "1500",
            "bachelor": "1600",
            "postgraduate": "1600",
        },
    },
    "PEOPLE-07": {
        "general": {"knowledge": 80, "typing_cpm": 60, "lookup_seconds": 40},
        "specialist": {"knowledge": 85, "typing_cpm": 80, "lookup_seconds": 30},
        "vip": {"knowledge": 90, "typing_cpm": 80, "lookup_seconds": 15},
    },
    "PEOPLE-08": {"period": "monthly"},
    "PEOPLE-09": {"period": "monthly"},
    "PEOPLE-10": {"tiers": [1, 2, 3], "grades": ["A", "B+", "B-", "C", "D"]},
    "PEOPLE-11": {"bottom_months": 3},
    "PEOPLE-12": {"notice_days": 15, "notice_days_probation": 7},
    "PEOPLE-13": {"period": "monthly"},
    "PEOPLE-14": {
        "signals": ["falling_performance", "more_leave", "clustered_leave", "complaints"]
    },
    "VENDOR-01": {"pricing": "per_seat_month_plus_reward"},
    "VENDOR-02": {"dispute_before_signoff": True},
    "VENDOR-03": {"verify_within_days": 3},
    "VENDOR-04": {"close_on_exit": True},
    "VENDOR-05": {"signed_notice": True},
    "VENDOR-06": {"scoped_export": True},
    "VENDOR-07": {"contracts_on_file": True},
    "FIELD-01": {"weekday": 0, "time": "09:00"},
    "FIELD-02": {"weekdays": [0, 1, 2, 3, 4], "start": "08:00", "end": "17:30"},
    "FIELD-03": {"reassign_below": 60},
    "FIELD-04": {"no_move_months": 6, "rotate_every_months": 6, "max_months_one_site": 12},
    "FIELD-05": {"by_size": {"large": 2, "mid": 1, "small_group": 1}},
}

# Rules a vendor may run differently on its own floor (per-vendor overrides).
VENDOR_OVERRIDABLE = frozenset(
    {
        "ORG-01",
        "ORG-02",
        "ORG-03",
        "ORG-05",
        "ORG-06",
        "ORG-07",
        "FLOOR-01",
        "FLOOR-02",
        "FLOOR-03",
        "FLOOR-04",
        "FLOOR-05",
        "ATT-08",
        "ATT-09",
        "ATT-10",
        "QA-02",
    }
)


@cache
def all_rules() -> dict[str, Rule]:
    """Every rule by id, in the order of rules.csv."""
    path = Path(__file__).with_name("rules.csv")
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["id"]: Rule(
            id=row["id"],
            area=row["area"],
            title=row["rule"],
            source=row["source"],
            default=DEFAULTS[row["id"]],
            vendor_overridable=row["id"] in VENDOR_OVERRIDABLE,
        )
        for row in rows
    }


def get_rule(rule_id: str) -> Rule:
    try:
        return all_rules()[rule_id]
    except KeyError as exc:
        raise RuleError(f"unknown rule {rule_id!r}") from exc


def check_shape(template: JSON, value: JSON, path: str = "value") -> None:
    """Raise RuleError unless `value` has the shape of `template` (same keys and kinds)."""
    if isinstance(template, dict):
        # A key whose default is null is optional: values saved before it existed stay valid.
        required = {key for key, sub in template.items() if sub is not None}
        if not isinstance(value, dict) or not required <= set(value) <= set(template):
            raise RuleError(f"{path} must have the keys {sorted(template)}")
        for key, sub in template.items():
            if key in value:
                check_shape(sub, value[key], f"{path}.{key}")
    elif isinstance(template, list):
        if not isinstance(value, list):
            raise RuleError(f"{path} must be a list")
    elif isinstance(template, bool):
        if not isinstance(value, bool):
            raise RuleError(f"{path} must be true or false")
    elif isinstance(template, int | float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise RuleError(f"{path} must be a number")
        if value < 0:
            raise RuleError(f"{path} must not be negative")
    elif isinstance(template, str) and not isinstance(value, str):
        raise RuleError(f"{path} must be text")

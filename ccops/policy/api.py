"""Rule parameter endpoints."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from ccops.common.actions import Conflict
from ccops.core.ruleset import RuleError, all_rules, get_rule
from ccops.org.access import require
from ccops.org.roles import is_vendor_user, organisation_id_of
from ccops.policy.rule_titles import rule_title
from ccops.policy.services import do_set_rule, rule_value

router = Router(tags=["rules"])


class RuleOut(Schema):
    id: str
    area: str
    title: str
    source: str
    default: Any
    value: Any
    vendor_overridable: bool


class RuleSet(Schema):
    value: Any
    reason: str
    site_id: int | None = None
    vendor_id: int | None = None
    expected_version: int | None = None


def _out(rule_id: str, request: HttpRequest, site_id: int | None = None) -> dict[str, Any]:
    rule = get_rule(rule_id)
    vendor = organisation_id_of(request.user) if is_vendor_user(request.user) else None
    return {
        "id": rule.id,
        "area": rule.area,
        "title": rule_title(rule),
        "source": rule.source,
        "default": rule.default,
        "vendor_overridable": rule.vendor_overridable,
        "value": rule_value(rule_id, site_id=site_id, vendor_id=vendor),
    }


@router.get("/rules", response=list[RuleOut])
def list_rules(request: HttpRequest, site_id: int | None = None) -> Any:
    require(request.user, "view_rules")
    return [_out(r, request, site_id) for r in all_rules()]


@router.get("/rules/{rule_id}", response=RuleOut)
def get_rule_value(request: HttpRequest, rule_id: str, site_id: int | None = None) -> Any:
    require(request.user, "view_rules")
    try:
        return _out(rule_id, request, site_id)
    except RuleError as exc:
        raise HttpError(404, "unknown rule") from exc


@router.put("/rules/{rule_id}", response=RuleOut)
def set_rule(request: HttpRequest, rule_id: str, payload: RuleSet) -> Any:
    require(request.user, "manage_rules")
    try:
        do_set_rule(
            rule_id,
            payload.value,
            acting_user=request.user,
            site_id=payload.site_id,
            vendor_id=payload.vendor_id,
            reason=payload.reason,
            expected_version=payload.expected_version,
        )
    except RuleError as exc:
        raise HttpError(422, str(exc)) from exc
    except Conflict as exc:
        raise HttpError(409, "changed meanwhile") from exc
    return _out(rule_id, request, payload.site_id)

"""Reading a rule's value where it applies, and changing it with history."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q

from ccops.audit import services as audit
from ccops.common.actions import Conflict
from ccops.core.ruleset import JSON, RuleError, check_shape, get_rule
from ccops.policy.models import RuleChange, RuleOverride


def rule_value(rule_id: str, *, site_id: int | None = None, vendor_id: int | None = None) -> JSON:
    """The value in force: vendor at site, then site, then vendor, then center, then default."""
    rule = get_rule(rule_id)
    in_site = Q(site__isnull=True) | Q(site_id=site_id) if site_id else Q(site__isnull=True)
    in_vendor = (
        Q(organisation__isnull=True) | Q(organisation_id=vendor_id)
        if vendor_id
        else Q(organisation__isnull=True)
    )
    found = {
        (o.site_id is not None, o.organisation_id is not None): o.value
        for o in RuleOverride.objects.filter(in_site & in_vendor, rule_id=rule_id)
    }
    for key in ((True, True), (True, False), (False, True), (False, False)):
        if key in found:
            return found[key]
    return rule.default


def do_set_rule(
    rule_id: str,
    value: JSON,
    *,
    acting_user: Any,
    site_id: int | None = None,
    vendor_id: int | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> RuleOverride | None:
    """Override a rule for a scope (value None removes the override); history is kept."""
    rule = get_rule(rule_id)
    if vendor_id is not None and not rule.vendor_overridable:
        raise RuleError(f"{rule_id} cannot be set per vendor")
    if value is not None:
        check_shape(rule.default, value)
    with transaction.atomic():
        current = (
            RuleOverride.objects.select_for_update()
            .filter(rule_id=rule_id, site_id=site_id, organisation_id=vendor_id)
            .first()
        )
        if expected_version is not None and current and current.version != expected_version:
            raise Conflict
        old = current.value if current else None
        if value is None:
            if current:
                current.delete()
            result = None
        elif current:
            current.value, current.version = value, current.version + 1
            current.save()
            result = current
        else:
            result = RuleOverride.objects.create(
                rule_id=rule_id, site_id=site_id, organisation_id=vendor_id, value=value
            )
        change = RuleChange.objects.create(
            rule_id=rule_id,
            site_id=site_id,
            organisation_id=vendor_id,
            old_value=old,
            new_value=value,
            changed_by=acting_user if acting_user.is_authenticated else None,
            reason=reason,
        )
        audit.record(
            "rule.set",
            change,
            actor=acting_user,
            organisation_id=vendor_id,
            before={"value": old},
            after={"value": value},
            note=reason,
            object_type="policy.rule",
            object_id=rule_id,
            object_repr=rule_id,
        )
    return result


__all__ = ["RuleError", "do_set_rule", "rule_value"]

"""Rule parameters: defaults, overrides by scope, history, and who may change them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from ccops.audit.models import AuditEntry
from ccops.core.ruleset import RuleError, all_rules
from ccops.policy.models import RuleChange
from ccops.policy.services import do_set_rule, rule_value


def test_all_77_rules_have_defaults() -> None:
    assert len(all_rules()) == 77


@pytest.mark.rule("ORG-01")
def test_most_specific_override_wins(center: Any, admin_user: Any) -> None:
    site, va = center.site.pk, center.vendor_a.pk
    assert rule_value("ORG-01") == {"agents_per_team_lead": 20}
    do_set_rule("ORG-01", {"agents_per_team_lead": 18}, acting_user=admin_user, reason="center")
    do_set_rule(
        "ORG-01", {"agents_per_team_lead": 16}, acting_user=admin_user, site_id=site, reason="site"
    )
    do_set_rule(
        "ORG-01", {"agents_per_team_lead": 15}, acting_user=admin_user, vendor_id=va, reason="va"
    )
    assert rule_value("ORG-01") == {"agents_per_team_lead": 18}
    assert rule_value("ORG-01", vendor_id=va) == {"agents_per_team_lead": 15}
    assert rule_value("ORG-01", site_id=site) == {"agents_per_team_lead": 16}
    assert rule_value("ORG-01", site_id=site, vendor_id=center.vendor_b.pk) == {
        "agents_per_team_lead": 16
    }
    do_set_rule("ORG-01", None, acting_user=admin_user, reason="back to default")
    assert rule_value("ORG-01") == {"agents_per_team_lead": 20}


@pytest.mark.rule("ATT-08")
def test_history_keeps_who_when_old_new(center: Any, admin_user: Any) -> None:
    new = {"fines": [[5, "3"], [10, "6"]], "streak_surcharges": [[3, 5, "20"], [5, 10, "50"]]}
    do_set_rule("ATT-08", new, acting_user=admin_user, reason="2027 policy")
    change = RuleChange.objects.get(rule_id="ATT-08")
    assert change.old_value is None and change.new_value == new and change.changed_by == admin_user
    assert AuditEntry.objects.filter(action="rule.set", object_id="ATT-08").exists()


def test_value_must_keep_the_rules_shape(center: Any, admin_user: Any) -> None:
    with pytest.raises(RuleError):
        do_set_rule("ORG-01", {"agents_per_lead": 20}, acting_user=admin_user)
    with pytest.raises(RuleError):
        do_set_rule("ORG-01", {"agents_per_team_lead": -1}, acting_user=admin_user)
    with pytest.raises(RuleError):
        do_set_rule(
            "PLAN-03",
            {"table": [], "seats_per_further_100": 3},
            acting_user=admin_user,
            vendor_id=center.vendor_a.pk,
        )  # not a per-vendor rule


@pytest.mark.rule("ORG-05")
def test_administrator_edits_in_the_page(center: Any, admin_client: Any) -> None:
    url = reverse("policy:rule_detail", kwargs={"rule_id": "ORG-05"})
    response = admin_client.post(
        url,
        {
            "value": json.dumps({"agents_per_qa_inspector": 30}),
            "reason": "pilot",
            "site": center.site.pk,
        },
    )
    assert response.status_code == 302
    assert rule_value("ORG-05", site_id=center.site.pk) == {"agents_per_qa_inspector": 30}
    page = admin_client.get(url).content.decode()
    assert "pilot" in page and "30" in page
    bad = admin_client.post(url, {"value": "{not json", "reason": "x"})
    assert bad.status_code == 200 and "Not valid JSON" in bad.content.decode()


def test_planner_reads_but_cannot_change(center: Any) -> None:
    client = center.client_for(center.user("planner"))
    url = reverse("policy:rule_detail", kwargs={"rule_id": "ORG-05"})
    assert client.get(url).status_code == 200
    assert client.post(url, {"value": "{}", "reason": "x"}).status_code == 403
    api = client.put(
        "/api/policy/rules/ORG-05",
        {"value": {"agents_per_qa_inspector": 1}, "reason": "x"},
        content_type="application/json",
    )
    assert api.status_code == 403

"""Rule parameter pages: every rule with the value in force, its overrides and history."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccops.common.actions import Conflict
from ccops.core.ruleset import RuleError, all_rules, get_rule
from ccops.org.access import require, restrict
from ccops.org.models import Organisation, Site
from ccops.org.roles import can
from ccops.policy.models import RuleChange, RuleOverride
from ccops.policy.rule_titles import area_label, rule_title
from ccops.policy.services import do_set_rule


class RuleValueForm(forms.Form):
    site = forms.ModelChoiceField(
        Site.objects.all(),
        required=False,
        label=gettext_lazy("site"),
        empty_label=gettext_lazy("whole center"),
    )
    vendor = forms.ModelChoiceField(
        Organisation.objects.filter(kind=Organisation.Kind.VENDOR),
        required=False,
        label=gettext_lazy("vendor"),
        empty_label=gettext_lazy("all vendors"),
    )
    value = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        label=gettext_lazy("value (JSON); empty removes the override"),
    )
    reason = forms.CharField(max_length=300, label=gettext_lazy("reason"))


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "view_rules")
    overrides = restrict(RuleOverride.objects.all(), request.user)
    counts: dict[str, int] = {}
    for rule_id in overrides.values_list("rule_id", flat=True):
        counts[rule_id] = counts.get(rule_id, 0) + 1
    center = {o.rule_id: o.value for o in overrides.filter(site=None, organisation=None)}
    rows = [
        {
            "rule": r,
            "title": rule_title(r),
            "area": area_label(r.area),
            "value": json.dumps(center.get(r.id, r.default), ensure_ascii=False),
            "changed": r.id in center,
            "overrides": counts.get(r.id, 0),
        }
        for r in all_rules().values()
    ]
    return render(request, "policy/rule_list.html", {"rows": rows, "title": _("Rule parameters")})


@login_required
def rule_detail(request: HttpRequest, rule_id: str) -> HttpResponse:
    require(request.user, "view_rules")
    try:
        rule = get_rule(rule_id)
    except RuleError as exc:
        raise Http404 from exc
    form = RuleValueForm(
        request.POST or None, initial={"value": json.dumps(rule.default, ensure_ascii=False)}
    )
    if request.method == "POST":
        require(request.user, "manage_rules")
        if form.is_valid() and _apply(request, rule_id, form):
            messages.success(request, _("Saved."))
            return redirect("policy:rule_detail", rule_id=rule_id)
    context: dict[str, Any] = {
        "rule": rule,
        "rule_title": rule_title(rule),
        "area": area_label(rule.area),
        "default": json.dumps(rule.default, ensure_ascii=False, indent=1),
        "overrides": restrict(
            RuleOverride.objects.filter(rule_id=rule_id), request.user
        ).select_related("site", "organisation"),
        "history": restrict(
            RuleChange.objects.filter(rule_id=rule_id), request.user
        ).select_related("site", "organisation", "changed_by")[:100],
        "form": form if can(request.user, "manage_rules") else None,
        "title": rule.id,
    }
    return render(request, "policy/rule_detail.html", context)


def _apply(request: HttpRequest, rule_id: str, form: RuleValueForm) -> bool:
    data = form.cleaned_data
    try:
        value = json.loads(data["value"]) if data["value"].strip() else None
        do_set_rule(
            rule_id,
            value,
            acting_user=request.user,
            site_id=data["site"].pk if data["site"] else None,
            vendor_id=data["vendor"].pk if data["vendor"] else None,
            reason=data["reason"],
        )
    except json.JSONDecodeError as exc:
        form.add_error("value", _("Not valid JSON: %(error)s") % {"error": exc.msg})
        return False
    except RuleError as exc:
        form.add_error("value", str(exc))
        return False
    except Conflict:
        form.add_error(None, _("Someone else changed this rule meanwhile. Reload and try again."))
        return False
    return True

"""Planning input errors in the user's language: the core names a field and a code."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccops.core.errors import InputError
from ccops.core.roster.breaches import Breach
from ccops.core.roster.solve import CONFLICT_WORDS, RULE_WORDS

FIELDS = {
    "calls": gettext_lazy("calls"),
    "aht": gettext_lazy("handle time"),
    "interval_minutes": gettext_lazy("interval length"),
    "interval_start": gettext_lazy("interval start"),
    "horizon_days": gettext_lazy("days to forecast"),
    "history": gettext_lazy("history"),
    "sl": gettext_lazy("service level target"),
    "threshold": gettext_lazy("service level threshold"),
    "asa": gettext_lazy("ASA target"),
    "patience": gettext_lazy("callers' patience"),
    "max_occupancy": gettext_lazy("occupancy cap"),
    "shrinkage": gettext_lazy("shrinkage"),
    "agents": gettext_lazy("agents"),
    "load": gettext_lazy("load"),
    "name": gettext_lazy("name"),
    "first_day": gettext_lazy("from day"),
    "last_day": gettext_lazy("to day"),
    "uplift": gettext_lazy("uplift factor"),
    "level": gettext_lazy("level"),
    "method": gettext_lazy("method"),
}

REASONS = {
    "negative": gettext_lazy("must not be negative"),
    "not_numeric": gettext_lazy("must be a number"),
    "not_positive": gettext_lazy("must be greater than zero"),
    "not_integer": gettext_lazy("must be a whole number"),
    "out_of_range": gettext_lazy("is out of range"),
    "misaligned": gettext_lazy("does not start an interval of the grid"),
    "too_short": gettext_lazy("is shorter than two weeks"),
    "not_a_time": gettext_lazy("is not a date and time"),
    "duplicate": gettext_lazy("appears twice"),
    "missing": gettext_lazy("is missing"),
    "before_first_day": gettext_lazy("comes before the first day"),
}


def describe(error: InputError) -> str:
    """'Row 3: calls "-4" must not be negative', translated."""
    field = FIELDS.get(error.field, error.field)
    reason = REASONS.get(error.code, error.reason)
    text = _("%(field)s “%(value)s” %(reason)s") % {
        "field": field,
        "value": error.value,
        "reason": reason,
    }
    if error.row is not None:
        return _("Row %(row)d: %(text)s") % {"row": error.row, "text": text}
    return text


def said(template: str, facts: Mapping[str, object]) -> str:
    """A message of the core (marked with its ``gettext_noop``), in the reader's language."""
    return _(template) % facts


def breach_words(breach: Breach, week_start: dt.date) -> str:
    """'A001 on 12-09: 4 days worked in the week, 5 wanted', translated."""
    what = said(breach.template, dict(breach.facts))
    if breach.day is None:
        return _("%(who)s: %(what)s") % {"who": breach.employee, "what": what}
    day = week_start + dt.timedelta(days=breach.day)
    return _("%(who)s on %(day)s: %(what)s") % {
        "who": breach.employee,
        "day": f"{day:%m-%d}",
        "what": what,
    }


def conflict_words(conflict: Mapping[str, Any] | str) -> str:
    """The hard rules of one agent that cannot all hold (as a run stores them:
    employee and rule names), translated."""
    if isinstance(conflict, str):  # stored in words by an earlier version
        return conflict
    employee, rules = conflict["employee"], conflict["rules"]
    named = [_(RULE_WORDS[rule]) if rule in RULE_WORDS else rule for rule in rules]
    return said(CONFLICT_WORDS, {"employee": employee, "rules": _(", ").join(named)})

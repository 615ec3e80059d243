"""Import problems in the reader's language: each stored error is a code with parameters."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

MESSAGES = {
    # whole-file problems
    "empty": gettext_noop("The file is empty."),
    "too_large": gettext_noop("The file is larger than the limit."),
    "too_many_rows": gettext_noop("The file has more rows than the limit."),
    "unsafe_name": gettext_noop("The file name is not acceptable."),
    "encoding": gettext_noop(
        "The file's text encoding could not be read; save it as UTF-8 or GBK."
    ),
    "unreadable": gettext_noop("The file is neither a readable CSV nor an Excel workbook."),
    "unsafe_xlsx": gettext_noop("The Excel workbook was refused as unsafe (%(reason)s)."),
    "missing_columns": gettext_noop(
        "Required columns are missing: %(missing)s. Expected columns: %(expected)s. "
        "Found: %(found)s."
    ),
    "duplicate_header": gettext_noop("The column %(header)s appears more than once."),
    "malformed": gettext_noop("The CSV is malformed; see the rows below."),
    "unsupported_format": gettext_noop(
        "Legacy .xls and password-protected workbooks are not read; save as .xlsx or CSV."
    ),
    "too_many_columns": gettext_noop("The file has more columns than the limit."),
    "internal_error": gettext_noop(
        "The import failed unexpectedly; nothing was saved. Try again or ask an administrator."
    ),
    # row problems
    "ragged_row": gettext_noop("Row has %(found)s fields where the header has %(expected)s."),
    "bad_quote": gettext_noop("A quotation mark is misplaced in this row."),
    "bad_character": gettext_noop("A cell contains a character that cannot be stored."),
    "unclosed_quote": gettext_noop("A quoted field is not closed."),
    "required": gettext_noop("A value is required."),
    "bad_datetime": gettext_noop("'%(value)s' is not a valid date and time."),
    "bad_date": gettext_noop("'%(value)s' is not a valid date."),
    "bad_integer": gettext_noop("'%(value)s' is not a whole number."),
    "bad_boolean": gettext_noop("'%(value)s' is not yes or no."),
    "bad_state": gettext_noop("'%(value)s' is not a known agent state."),
    "bad_direction": gettext_noop("'%(value)s' is neither in nor out."),
    "bad_choice": gettext_noop("'%(value)s' is not one of the allowed values."),
    "negative": gettext_noop("The value must not be negative."),
    "bad_interval_length": gettext_noop("The interval length must be 15, 30 or 60 minutes."),
    "off_grid": gettext_noop("The interval does not start on the interval grid."),
    "answered_abandoned_exceed_offered": gettext_noop("Answered plus abandoned exceeds offered."),
    "exceeds_answered": gettext_noop("Answered within threshold exceeds answered."),
    "exceeds_abandoned": gettext_noop("Abandoned within threshold exceeds abandoned."),
    "answer_before_arrival": gettext_noop("The answer time is before the arrival time."),
    "end_before_start": gettext_noop("The end is before the start."),
    "end_before_answer": gettext_noop("The end is before the answer time."),
    "unknown_queue": gettext_noop("Unknown queue '%(value)s'."),
    "unknown_agent": gettext_noop(
        "Unknown agent '%(value)s' (neither an employee number nor an agent account)."
    ),
    "unknown_organisation": gettext_noop("Unknown organisation '%(value)s'."),
    "unknown_site": gettext_noop("Unknown site '%(value)s'."),
    "unknown_team": gettext_noop("Unknown team '%(value)s' in this organisation."),
    "unknown_skill": gettext_noop("Unknown seat type '%(value)s'."),
    "other_organisation_staff": gettext_noop(
        "This row names staff of another organisation; the whole file was refused."
    ),
    "conflicting_duplicate": gettext_noop("Another row has the same key with different values."),
    "duplicate_row": gettext_noop("Exact duplicate of an earlier row; skipped."),
    "invalid_value": gettext_noop("%(message)s"),
}


def describe(error: dict[str, Any]) -> str:
    """The error's message in the active language, with its parameters filled in."""
    template = MESSAGES.get(error.get("code", ""), error.get("code", ""))
    params = {k: _join(v) for k, v in (error.get("params") or {}).items()}
    try:
        return _(template) % params if params else _(template).replace("%%", "%")
    except (KeyError, TypeError, ValueError):
        return _(template)


def _join(value: Any) -> Any:
    return ", ".join(map(str, value)) if isinstance(value, list) else value


def location(error: dict[str, Any]) -> str:
    """'row 12, column offered' in the active language."""
    row, column = error.get("row") or 0, error.get("column") or ""
    if row and column:
        return _("row %(row)s, column %(column)s") % {"row": row, "column": column}
    if row:
        return _("row %(row)s") % {"row": row}
    return _("whole file")

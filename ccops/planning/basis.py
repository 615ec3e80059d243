"""The basis of a head-count line in the reader's language.

The core writes each line's basis in English (``1 per 20 agents``) so that the CLI and
the API stay plain; the pages and exports show it translated, numbers kept.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

PHRASES = (
    (
        r"(?P<fte>[\d.]+) FTE from the interval plan",
        gettext_noop("%(fte)s FTE from the interval plan"),
    ),
    (r"(?P<share>[\d.]+)% of agents", gettext_noop("%(share)s%% of agents")),
    (r"1 per (?P<n>[\d.]+) agents", gettext_noop("1 per %(n)s agents")),
    (r"1 per (?P<n>[\d.]+) teams", gettext_noop("1 per %(n)s teams")),
    (
        r"1 per (?P<n>[\d.]+) teams, at least (?P<min>\d+) at start",
        gettext_noop("1 per %(n)s teams, at least %(min)s at start"),
    ),
    (r"(?P<n>\d+) per city", gettext_noop("%(n)s per city")),
)
PATTERNS = tuple((re.compile(rf"^{pattern}$"), message) for pattern, message in PHRASES)


def translated_basis(text: str) -> str:
    """`text` in the active language; unchanged if it is not one of the core's phrases."""
    for pattern, message in PATTERNS:
        if match := pattern.match(text):
            return _(message) % match.groupdict()
    return text

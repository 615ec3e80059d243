"""Organisation actions that are more than plain create/update/delete."""

from __future__ import annotations

from typing import Any

from ccops.audit import services as audit
from ccops.org.access import access
from ccops.org.models import Person


def reveal_personal_data(user: Any, pk: Any) -> Person:
    """The person with unmasked data, for a user allowed to reveal it; logged (PIPL)."""
    person = access(Person, user, pk, write="reveal_personal_data")
    audit.record("reveal", person, actor=user, note="phone, national_id")
    return person

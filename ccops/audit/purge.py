"""The one door through which audit rows may be removed: retention maintenance and test resets.

Database triggers refuse every UPDATE and DELETE of audit rows unless this connection
has opened the door: on PostgreSQL through a session setting, on SQLite through a
function the trigger calls (unknown outside ccops, so other clients are refused too).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.backends.signals import connection_created
from django.dispatch import receiver

_purge_allowed = False


@receiver(connection_created)
def register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "ccops_audit_purge_allowed", 0, lambda: int(_purge_allowed)
        )


def set_purge_allowed(allowed: bool) -> None:
    """Open or close the door on the current connection (for maintenance code only)."""
    global _purge_allowed
    _purge_allowed = allowed
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('ccops.audit_purge', %s, false)", ["on" if allowed else "off"]
            )


@contextmanager
def purge_allowed() -> Iterator[None]:
    set_purge_allowed(True)
    try:
        yield
    finally:
        set_purge_allowed(False)


def purge_all() -> int:
    """Remove every audit row (database resets in tests; never called by the product)."""
    with purge_allowed(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
        return int(cursor.rowcount)

"""Build a demo center once for a test module and remove it afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.test import override_settings

from ccops.demo.generate import DemoSummary, build_demo_center, reset_demo_data

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def demo_center(django_db_blocker: Any, **build: Any) -> Iterator[DemoSummary]:
    """The demo center built outside any test's transaction (fast password hashing)."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        summary = build_demo_center(**build)
        try:
            yield summary
        finally:
            reset_demo_data()

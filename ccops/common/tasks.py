"""The Tasks API: django.tasks on Django 6, the django-tasks backport before it."""

from __future__ import annotations

try:
    from django.tasks import task  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # Django < 6
    from django_tasks import task  # type: ignore[no-redef,unused-ignore]

__all__ = ["task"]

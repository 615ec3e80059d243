"""Pytest plugin loaded first: test-friendly environment before Django settings are read.

Production defaults stay on (debug off); only HTTPS redirects and secure cookies are off
because the test client speaks plain HTTP. Each process gets its own var/ directory, and
background tasks run immediately so a test sees an import finish.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("CCOPS_VAR_DIR", tempfile.mkdtemp(prefix="ccops-test-"))
os.environ.setdefault("CCOPS_SSL_REDIRECT", "0")
os.environ.setdefault("CCOPS_SECURE_COOKIES", "0")
os.environ.setdefault("CCOPS_LANGUAGE", "en")
try:
    import django.tasks  # noqa: F401

    _immediate = "django.tasks.backends.immediate.ImmediateBackend"
except ImportError:
    _immediate = "django_tasks.backends.immediate.ImmediateBackend"
os.environ.setdefault("CCOPS_TASK_BACKEND", _immediate)

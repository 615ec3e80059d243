"""Browser helpers: where Debian's Chromium is, and logging in through the form."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.factories import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"
)


def log_in(page: Any, live_server: Any, username: str) -> Any:
    """Log `username` in through the login form; returns the page on the home page."""
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server.url}/")
    return page

"""A person at a browser: log in, switch language, upload a file, read the ledger.

Drives Debian's Chromium through Playwright (no browser download); skipped only where
Chromium is not installed (`make test` installs it when it can).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser import log_in, needs_chromium
from tests.intake.helpers import ACD_HEADER, acd_rows, write_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    yield browser.new_context(locale="zh-CN").new_page()


def test_login_switch_language_upload_and_see_ledger(
    center: Any, live_server: Any, page: Any, tmp_path: Path
) -> None:
    log_in(page, live_server, center.user("planner").username)
    assert page.locator("html").get_attribute("lang") == "zh-hans"  # the browser asks for Chinese

    page.click("[data-testid=lang-en]")
    page.wait_for_selector("html[lang=en]")
    assert page.get_by_role("link", name="Data imports").is_visible()

    page.get_by_role("link", name="Data imports").click()
    path = write_csv(tmp_path / "acd.csv", ACD_HEADER, acd_rows(n=6))
    page.select_option("select[name=kind]", "acd")
    page.set_input_files("input[name=file]", str(path))
    page.click("[data-testid=upload-form] button[type=submit]")
    page.wait_for_selector("[data-testid=batch-status].status-succeeded", timeout=30_000)
    assert page.text_content("[data-testid=rows-read]") == "6"
    assert page.text_content("[data-testid=inserted]") == "6"
    assert page.text_content("[data-testid=rejected]") == "0"
    page.screenshot(path=str(tmp_path / "ledger.png"))

    page.click("[data-testid=lang-zh-hans]")
    page.wait_for_selector("html[lang=zh-hans]")
    assert "新增" in page.text_content("[data-testid=ledger]")

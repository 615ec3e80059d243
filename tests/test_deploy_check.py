"""Production settings pass `manage.py check --deploy` with zero warnings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_has_no_warnings(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CCOPS_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env |= {
        "CCOPS_VAR_DIR": str(tmp_path),
        "CCOPS_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "ccops.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout

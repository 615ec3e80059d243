"""What the PostgreSQL benchmarks share: a fresh database and Django set up on it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ccops_bench"


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccops.settings")
    import django

    django.setup()


def ensure_database(url: str) -> None:
    """Drop and create the database ``url`` names."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def fresh_database(script: str) -> str:
    """A new, migrated PostgreSQL database for a benchmark (DATABASE_URL, else the
    default), with Django set up on it; returns its URL."""
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        sys.exit(f"benchmarks/{script} measures PostgreSQL: set DATABASE_URL=postgres://...")
    ensure_database(url)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
    setup_django()
    return url

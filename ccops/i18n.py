"""Compile the translation catalogues (.po -> .mo) without needing GNU gettext installed."""

from __future__ import annotations

from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).with_name("locale")


def catalogues() -> list[Path]:
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))


def untranslated(path: Path) -> list[str]:
    """Entries without a translation, or marked fuzzy: both show English to a Chinese user."""
    po = polib.pofile(str(path))
    return [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


def compile_all() -> None:
    for path in catalogues():
        polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))


if __name__ == "__main__":
    compile_all()

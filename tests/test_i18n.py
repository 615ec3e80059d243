"""Chinese and English are both complete, and the compiled catalogue matches its source."""

from __future__ import annotations

import polib

from ccops.i18n import catalogues, untranslated


def test_every_message_is_translated() -> None:
    assert catalogues(), "no translation catalogues found"
    for path in catalogues():
        missing = untranslated(path)
        assert not missing, f"{path}: {len(missing)} untranslated, e.g. {missing[:5]}"


def test_compiled_catalogue_is_current() -> None:
    for path in catalogues():
        source = {
            (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0)
            for e in polib.pofile(str(path))
        }
        compiled = {
            (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0)
            for e in polib.mofile(str(path.with_suffix(".mo")))
        }
        assert source == compiled, "run `make messages` to recompile the catalogue"


def test_placeholders_agree_between_languages() -> None:
    """GNU msgfmt --check: every %(name)s of a message is in its translation too."""
    import shutil
    import subprocess

    import pytest

    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext's msgfmt is not installed")
    for path in catalogues():
        result = subprocess.run(  # noqa: S603
            [msgfmt, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr

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

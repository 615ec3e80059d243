"""Marking the core's messages for translation without Django: the web layer
translates them (``gettext(template) % facts``) in the reader's language, and
``makemessages`` finds them by this function's name."""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    """The message as written; marks it for extraction into the translation catalogue."""
    return message

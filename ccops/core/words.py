"""Messages of the core in any language: marked for translation without Django (the
web layer translates them, ``gettext(template) % facts``, in the reader's language, and
``makemessages`` finds them by this module's ``gettext_noop``), with their facts kept
apart so that numbers and names survive translation."""

from __future__ import annotations

from typing import Protocol

Facts = tuple[tuple[str, object], ...]  # a message's placeholders and their values


def gettext_noop(message: str) -> str:
    """The message as written; marks it for extraction into the translation catalogue."""
    return message


def facts(**values: object) -> Facts:
    return tuple(values.items())


class _Templated(Protocol):
    @property
    def template(self) -> str: ...

    @property
    def facts(self) -> Facts: ...


class Worded:
    """A message with an English ``template`` (``%(name)s`` placeholders) and its
    ``facts``: ``detail`` is it in English; the web layer says it in other languages."""

    @property
    def detail(self: _Templated) -> str:
        return self.template % dict(self.facts)

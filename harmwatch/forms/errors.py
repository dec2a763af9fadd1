"""The one error a reporter's answer can cause: a kind, translatable message, and for an
ambiguous place the candidates to offer as buttons."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from harmwatch.errors import DomainError
from harmwatch.i18n import gettext, ngettext


class AnswerError(DomainError, ValueError):
    """An answer the engine refused. Unlike the services' refusals, each carries its own message:
    `msgid` is an N_() English message with %(name)s placeholders filled from `params`; with
    `msgid_plural`, `n` chooses the form."""

    def __init__(self, msgid: str, *, msgid_plural: str | None = None, n: int | None = None,
                 candidates: Sequence[Any] = (), **params: Any) -> None:
        super().__init__("answer_refused", **params)
        self._msgid = msgid
        self.msgid_plural = msgid_plural
        self.n = n
        self.candidates = tuple(candidates)
        self.args = (self.text("en"),)  # English (the msgid itself) for logs and tracebacks

    @property
    def msgid(self) -> str:
        return self._msgid

    def text(self, lang: str) -> str:
        """The message in a language, placeholders filled."""
        if self.msgid_plural is not None and self.n is not None:
            return ngettext(lang, self.msgid, self.msgid_plural, self.n, **self.params)
        return gettext(lang, self.msgid, **self.params)

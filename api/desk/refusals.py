"""The one way a desk route shows a refusal: a service's DomainError or a form field's Invalid,
raised inside `with refusals(request):`, becomes a message above the form on the next page (and,
when asked, what the monitor typed is kept for it); the route goes on after the block, usually
to redirect back to the form."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from api.desk import validation as check
from api.desk.templating import invalid, keep_typed, refused
from harmwatch.errors import DomainError


@dataclass
class Refusal:
    """What a `refusals` block refused, if anything: false when the block ran to its end."""

    problem: DomainError | check.Invalid | None = None

    def __bool__(self) -> bool:
        return self.problem is not None

    @property
    def code(self) -> str | None:
        """The service's code (None for a form field's problem, or when nothing was refused)."""
        return self.problem.code if isinstance(self.problem, DomainError) else None


@contextmanager
def refusals(request: Request, *, keep: tuple[str, Any] | None = None) -> Iterator[Refusal]:
    """Turn a refusal inside the block into a flash message; `keep` = (form id, form) keeps what
    was typed into that form. Any other exception goes on up."""
    refusal = Refusal()
    try:
        yield refusal
    except check.Invalid as problem:
        refusal.problem = problem
        invalid(request, problem)
    except DomainError as problem:
        refusal.problem = problem
        refused(request, problem)
    if refusal and keep is not None:
        keep_typed(request, *keep)

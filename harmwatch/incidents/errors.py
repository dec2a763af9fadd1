"""The incidents' typed error (re-exported by service.py, where callers import it from)."""

from __future__ import annotations

from harmwatch.errors import DomainError


class IncidentError(DomainError):
    """A change to an incident that cannot be made; `field` (a param) names the field at fault."""

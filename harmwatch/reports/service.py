"""Reports: reference codes, and turning a finished draft into a report in one transaction."""

from __future__ import annotations

import secrets

from harmwatch.privacy import crockford


def new_ref_code() -> str:
    """An unguessable code the reporter keeps, e.g. HW-7KQ2-M9XA (40 random bits, Crockford)."""
    code = crockford(secrets.token_bytes(5), 8)
    return f"HW-{code[:4]}-{code[4:]}"

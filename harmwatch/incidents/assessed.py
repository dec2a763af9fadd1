"""What a verified report gives its incident: the values the monitor assessed while verifying
(kept in `report.assessment["normalised"]`) where the monitor gave them, the report's own values
(the reporter's answers) otherwise. The report itself is never rewritten: the reporter's words
stay on it, the monitor's conclusions beside them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from harmwatch.reports.models import COUNT_NAMES, Report

FRAME_FIELDS = (
    "report_type",
    "event_type",
    "access_constraint",
    "occurred_on",
    "time_precision",
    "adm1_pcode",
    "adm2_pcode",
    "lat",
    "lon",
    "geo_precision",
)
# Below the district, when the reporter's place is known that far (not compared in merges).
PLACE_DETAIL = ("adm3_pcode", "adm4_pcode")
# The frame fields a monitor may assess on the verify form, besides the counts.
ASSESSED_CODES = ("event_type", "access_constraint")


def normalised_of(report: Report) -> dict[str, Any]:
    return (report.assessment or {}).get("normalised") or {}


def assessed_count(report: Report, name: str) -> tuple[int | None, int | None, bool]:
    """(min, max, whether the monitor gave it) for one count."""
    given = normalised_of(report).get(name)
    if isinstance(given, dict) and (given.get("min") is not None or given.get("max") is not None):
        return given.get("min"), given.get("max"), True
    return getattr(report, f"{name}_min"), getattr(report, f"{name}_max"), False


def assessed_values(report: Report) -> dict[str, Any]:
    """The report's frame and counts as the monitor concluded them."""
    normalised = normalised_of(report)
    values = {field: getattr(report, field) for field in (*FRAME_FIELDS, *PLACE_DETAIL)}
    for field in ASSESSED_CODES:
        if normalised.get(field):
            values[field] = normalised[field]
    for name in COUNT_NAMES:
        values[f"{name}_min"], values[f"{name}_max"], _ = assessed_count(report, name)
    return values


def suggested_counts(reports: Iterable[Report]) -> dict[str, int | None]:
    """DOMAIN.md: minimum = the largest verified minimum, maximum = the largest verified maximum,
    each report counted as the monitor assessed it; unknown stays unknown."""
    assessed = [assessed_values(r) for r in reports]
    counts: dict[str, int | None] = {}
    for name in COUNT_NAMES:
        for end in ("min", "max"):
            values = [a[f"{name}_{end}"] for a in assessed if a[f"{name}_{end}"] is not None]
            counts[f"{name}_{end}"] = max(values) if values else None
    return counts

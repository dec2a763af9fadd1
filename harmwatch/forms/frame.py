"""Answers into the typed columns of a Report (the frame every report carries), so the reports
service stores them beside the answers themselves."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from harmwatch.forms.engine import settle
from harmwatch.forms.model import Form, Kind, Question
from harmwatch.reports.enums import TimePrecision
from harmwatch.reports.models import COUNT_NAMES

PLACE_TEXT_LENGTH = 255  # Report.place_text; the full words stay in the answers
_DIRECT = ("event_type", "access_constraint", "geo_precision", "time_of_day")
# "About N" is a hedge, not a figure: the report's range is N ± a fifth of N (at least ± 1), so
# "about 10" is 8–12 and "about 3" is 2–4. The answer itself keeps {"min": N, "max": N,
# "approximate": True}, the reporter's words, and the desk shows it as "about N".
ABOUT_SHARE = 0.2


def count_range(question: Question, value: Mapping[str, Any]) -> tuple[int | None, int | None]:
    """A stored count answer as the report's (min, max)."""
    if not value.get("approximate") or value.get("min") is None:
        return value["min"], value["max"]
    middle = value["min"]
    band = max(1, round(middle * ABOUT_SHARE))
    return max(question.min_value, middle - band), min(question.max_value, middle + band)


def frame(form: Form, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Report column → value for the answers that count now (hidden questions are ignored).
    Counts appear for every count the form asks, None where not known."""
    visible, kept = settle(form, answers)
    row: dict[str, Any] = {
        "form_id": form.id,
        "form_version": form.version,
        "report_type": str(form.report_type),
        "occurred_on": None,
        # Unanswered precision claims the least: within a month.
        "time_precision": int(TimePrecision.WITHIN_MONTH),
        "time_of_day": None,
        "adm1_pcode": None,
        "adm2_pcode": None,
        "adm3_pcode": None,
        "adm4_pcode": None,
        "place_text": None,
        "lat": None,
        "lon": None,
        "geo_precision": None,
        "event_type": None,
        "access_constraint": None,
        "has_media": False,
    }
    for q in form.questions:
        if q.kind is Kind.RANGE and q.column in COUNT_NAMES:
            row[f"{q.column}_min"] = row[f"{q.column}_max"] = None
    texts: list[str] = []
    for q in visible:
        value = kept.get(q.id)
        if value is None:
            continue
        if q.column in _DIRECT:
            row[q.column] = value
        elif q.column == "occurred_on":
            row["occurred_on"] = date.fromisoformat(value)
        elif q.column == "time_precision":
            row["time_precision"] = int(value)
        elif q.kind is Kind.RANGE and q.column in COUNT_NAMES:
            row[f"{q.column}_min"], row[f"{q.column}_max"] = count_range(q, value)
        elif q.kind in (Kind.PLACE, Kind.LOCATION):
            # A later, narrower answer (the district) refines an earlier one (the governorate);
            # a shared point's nearest place fills codes only where none were given.
            narrower = q.kind is Kind.PLACE
            for level in ("adm1", "adm2"):
                if value.get(level) is not None and (narrower or row[f"{level}_pcode"] is None):
                    row[f"{level}_pcode"] = value[level]
            if narrower and (value.get("adm3") or value.get("adm4")):  # a town or village named
                row["adm3_pcode"], row["adm4_pcode"] = value.get("adm3"), value.get("adm4")
            if value.get("lat") is not None:
                row["lat"], row["lon"] = value["lat"], value["lon"]
            if value.get("text"):
                texts.append(value["text"])
        elif q.kind is Kind.MEDIA:
            row["has_media"] = row["has_media"] or bool(value)
    if texts:
        row["place_text"] = ", ".join(texts)[:PLACE_TEXT_LENGTH]
    if row["lat"] is None:
        row["geo_precision"] = None
    return row

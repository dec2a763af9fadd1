"""The reference tables that go with the incidents: the taxonomy (every code and its label in
every language) and the places (P-codes and names), as JSON and as table rows."""

from __future__ import annotations

from enum import Enum
from typing import Any

from harmwatch import taxonomy
from harmwatch.exports.columns import COLUMNS
from harmwatch.i18n import LANGUAGES, gettext
from harmwatch.places.gazetteer import Gazetteer, PlaceRef

# Taxonomy kind -> the incident column holding its codes, in column order.
KIND_COLUMNS: dict[str, str] = {c.kind: c.name for c in COLUMNS if c.kind}


def _code(code: Any) -> Any:
    return code.value if isinstance(code, Enum) else code


def taxonomy_kinds(langs: list[str] | None = None) -> list[dict[str, Any]]:
    """Each exported kind with its codes and labels (in `langs`, or every language)."""
    langs = langs or list(LANGUAGES)
    kinds = []
    for kind, column in KIND_COLUMNS.items():
        entries = []
        for code, msgid in taxonomy.LABELS[kind].items():
            entry: dict[str, Any] = {"code": _code(code), "labels": {lang: gettext(lang, msgid) for lang in langs}}
            if kind == "access_constraint":
                indicator = taxonomy.ACCESS_INDICATORS[code]
                entry.update(pillar=indicator.pillar, number=indicator.number)
            if kind == "event_type" and (acled := taxonomy.ACLED.get(code)):
                entry.update(acled_event_type=acled.event_type, acled_sub_event_type=acled.sub_event_type)
            entries.append(entry)
        kinds.append({"kind": kind, "column": column, "codes": entries})
    return kinds


TAXONOMY_HEADER = ["kind", "column", "code", "pillar", "number", "acled_event_type", "acled_sub_event_type",
                   *(f"label_{lang}" for lang in LANGUAGES)]


def taxonomy_rows() -> list[list[Any]]:
    """The taxonomy as one table, a row per code, a label column per language."""
    rows = []
    for kind in taxonomy_kinds():
        for entry in kind["codes"]:
            rows.append([kind["kind"], kind["column"], str(entry["code"]), entry.get("pillar"), entry.get("number"),
                         entry.get("acled_event_type"), entry.get("acled_sub_event_type"), *entry["labels"].values()])
    return rows


def place_record(place: PlaceRef, lang: str) -> dict[str, Any]:
    return {
        "pcode": place.pcode,
        "level": place.level,
        "parent_pcode": place.parent_pcode,
        "name": place.name_in(lang),
        "names": {"en": place.name, **dict(place.names)},
        "lat": place.lat,
        "lon": place.lon,
    }


def places(gazetteer: Gazetteer, *, level: int | None = None, parent: str | None = None) -> list[PlaceRef]:
    """The gazetteer's places in P-code order, optionally one level or one area's districts."""
    return sorted((p for p in gazetteer if (level is None or p.level == level)
                   and (parent is None or p.parent_pcode == parent)), key=lambda p: p.pcode)


PLACES_HEADER = ["pcode", "level", "parent_pcode", "name", *(f"name_{lang}" for lang in LANGUAGES if lang != "en"),
                 "lat", "lon"]


def place_rows(gazetteer: Gazetteer) -> list[list[Any]]:
    """The places as one table, a name column per language (empty when there is none)."""
    return [[p.pcode, p.level, p.parent_pcode, p.name, *(p.names.get(lang) for lang in LANGUAGES if lang != "en"),
             p.lat, p.lon] for p in places(gazetteer)]

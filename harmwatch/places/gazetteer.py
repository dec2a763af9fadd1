"""The gazetteer in memory: admin-1 and admin-2 places with P-codes, looked up by code, by a
name typed in any language, or by the point a reporter shared. No database, no I/O."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

from harmwatch.places.csv_format import PlaceRow, check_parents, parse_places_csv
from harmwatch.places.matching import NameForms, Query, score

BUILTIN_CSV = "syria.csv"
TOWNS_CSV = "syria_towns.csv"  # GeoNames towns and villages, written by make_syria_towns
EARTH_RADIUS_KM = 6371.0088
MAX_NEAREST_KM = 150.0  # farther than this from every known place: outside the covered country

MIN_SCORE = 65.0  # below this a name is not offered at all
CONFIDENT_SCORE = 85.0  # `best` needs at least this ...
CONFIDENT_MARGIN = 6.0  # ... and this lead over any place that is not the same area
PARENT_NAMED_SCORE = 75.0  # a governorate named this well in the text ...
PARENT_NAMED_BONUS = 8.0  # ... lifts its districts that are named too


class PlaceLike(Protocol):
    pcode: str
    level: int
    parent_pcode: str | None
    name: str
    names: Mapping[str, Any] | None
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class PlaceRef:
    """One place of the gazetteer. `name` is the English (default) name, `names` the others
    by language code. `lat`/`lon` is a representative point: for districts the district seat,
    for governorates roughly the middle of the area."""

    pcode: str
    level: int
    parent_pcode: str | None
    name: str
    names: Mapping[str, str] = field(default_factory=dict, compare=False)
    lat: float | None = None
    lon: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", MappingProxyType(dict(self.names)))

    @classmethod
    def of(cls, place: PlaceLike | PlaceRow) -> PlaceRef:
        """From a `Place` row, a parsed CSV row, or anything with the same attributes."""
        names = {str(k): str(v) for k, v in (place.names or {}).items() if v}
        return cls(place.pcode, int(place.level), place.parent_pcode or None, place.name, names, place.lat, place.lon)

    def name_in(self, lang: str) -> str:
        """The name in a language, English when there is none."""
        return self.names.get(lang) or self.name


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """A place that a typed text may name, and how well."""

    place: PlaceRef
    score: float  # 0..100
    matched_name: str  # the name (in whichever language) that matched best


class Gazetteer:
    """Places by P-code, with their names prepared for matching."""

    def __init__(self, places: Iterable[PlaceRef]) -> None:
        self._places: dict[str, PlaceRef] = {}
        for place in places:
            self._places[place.pcode] = place
        self._children: dict[str | None, list[PlaceRef]] = {}
        for place in self._places.values():
            key = None if place.level == 1 else place.parent_pcode
            self._children.setdefault(key, []).append(place)
        for siblings in self._children.values():
            siblings.sort(key=lambda p: p.pcode)
        self._forms: list[tuple[PlaceRef, str, NameForms]] = [
            (place, text, NameForms.of(text))
            for place in self._places.values()
            for text in dict.fromkeys([place.name, *place.names.values()])
        ]

    @classmethod
    def from_places(cls, places: Iterable[PlaceLike | PlaceRow]) -> Gazetteer:
        return cls(PlaceRef.of(p) for p in places)

    def __len__(self) -> int:
        return len(self._places)

    def __iter__(self) -> Iterator[PlaceRef]:
        return iter(self._places.values())

    def __contains__(self, pcode: object) -> bool:
        return pcode in self._places

    def get(self, pcode: str | None) -> PlaceRef | None:
        return self._places.get(pcode) if pcode else None

    def children(self, pcode: str | None = None) -> list[PlaceRef]:
        """The districts of an admin-1 area; the admin-1 areas for None."""
        return list(self._children.get(pcode, ()))

    def lineage(self, pcode: str) -> list[PlaceRef]:
        """The place and its parents, admin-1 first: [governorate, district]."""
        chain: list[PlaceRef] = []
        place = self.get(pcode)
        while place is not None and place not in chain:
            chain.insert(0, place)
            place = self.get(place.parent_pcode)
        return chain

    def label(self, pcode: str, lang: str = "en") -> str:
        """The name with its admin-1 area, to tell places apart in suggestions: "Saraqib,
        Idleb", "Харім, Ідліб"; an admin-1 place by its name alone."""
        chain = self.lineage(pcode)
        if len(chain) < 2:
            return self.name(pcode, lang)
        comma = "، " if lang in ("ar", "fa") else ", "
        return f"{chain[-1].name_in(lang)}{comma}{chain[0].name_in(lang)}"

    def name(self, pcode: str, lang: str = "en") -> str:
        """The place's name in a language (English when there is none); the code if unknown."""
        place = self.get(pcode)
        return place.name_in(lang) if place else pcode

    def matches(
        self, text: str, lang: str | None = None, limit: int = 5, *, within: str | None = None
    ) -> list[PlaceMatch]:
        """Places whose name in any language looks like the text, best first; only places in
        the area `within` (a P-code) if given. A district whose governorate is named too
        ("Duma, Rif Dimashq") gains a little. On equal scores a name in `lang` comes first,
        then the wider area (Idleb governorate before the Idleb district of the same name)."""
        query = Query.of(text)
        if not query.normal:
            return []
        found: dict[str, PlaceMatch] = {}
        in_lang: dict[str, bool] = {}
        code = query.normal.replace(" ", "").upper()
        if code in self._places:
            found[code] = PlaceMatch(self._places[code], 100.0, code)
        for place, name_text, forms in self._forms:
            value = score(query, forms)
            if value < MIN_SCORE:
                continue
            lang_hit = lang is not None and name_text == _own_name(place, lang)
            current = found.get(place.pcode)
            if current is None or value > current.score:
                found[place.pcode] = PlaceMatch(place, value, name_text)
                in_lang[place.pcode] = lang_hit
            elif value == current.score:
                in_lang[place.pcode] = in_lang.get(place.pcode, False) or lang_hit
        if len(query.normal.split()) > 1:
            for pcode, match in list(found.items()):
                parent = found.get(match.place.parent_pcode or "")
                if parent and parent.score >= PARENT_NAMED_SCORE and parent.place.name != match.place.name:
                    found[pcode] = replace(match, score=min(100.0, match.score + PARENT_NAMED_BONUS))
        if within:
            found = {k: m for k, m in found.items() if within in {p.pcode for p in self.lineage(k)}}
        ranked = sorted(
            found.values(),
            key=lambda m: (-round(m.score, 6), not in_lang.get(m.place.pcode), m.place.level, m.place.pcode),
        )
        return ranked[:limit]

    def search(
        self, text: str, lang: str | None = None, limit: int = 5, *, within: str | None = None
    ) -> list[PlaceRef]:
        """Places whose name looks like the text, best first (see `matches` for the scores)."""
        return [m.place for m in self.matches(text, lang, limit, within=within)]

    def best(self, text: str, lang: str | None = None, *, within: str | None = None) -> PlaceRef | None:
        """The one place the text clearly names, or None when nothing fits well or several
        different areas fit about as well (then offer `search` results as buttons)."""
        ranked = self.matches(text, lang, limit=10, within=within)
        if not ranked or ranked[0].score < CONFIDENT_SCORE:
            return None
        top = ranked[0]
        same_area = {p.pcode for p in self.lineage(top.place.pcode)}
        same_area.update(c.pcode for c in self.children(top.place.pcode) if c.name == top.place.name)
        for other in ranked[1:]:
            if other.place.pcode in same_area:
                continue
            if top.score - other.score < CONFIDENT_MARGIN:
                return None
        return top.place

    def nearest(self, lat: float, lon: float, *, max_km: float = MAX_NEAREST_KM) -> PlaceRef | None:
        """The place whose point is nearest: a district (its seat) or a town or village, never
        an admin-1 area that has districts; None when every place is farther than `max_km`
        (the point is outside the country)."""
        best: tuple[float, PlaceRef] | None = None
        for place in self._places.values():
            if place.lat is None or place.lon is None or (place.level == 1 and self._children.get(place.pcode)):
                continue
            distance = haversine_km(lat, lon, place.lat, place.lon)
            if best is None or distance < best[0]:
                best = (distance, place)
        if best is None or best[0] > max_km:
            return None
        return best[1]


def _own_name(place: PlaceRef, lang: str) -> str | None:
    # Not `name_in`: an English fallback is no reason to prefer a place for a French reader.
    return place.names.get(lang) or (place.name if lang == "en" else None)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def builtin_rows(path: Path | None = None) -> list[PlaceRow]:
    """The deployment's gazetteer CSV (`path`), else the shipped one (Syria: OCHA COD-AB
    governorates and districts, Harmwatch's towns, GeoNames' towns and villages), as validated
    rows."""
    if path is None:
        shipped = files("harmwatch.places")
        rows = parse_places_csv(shipped.joinpath(BUILTIN_CSV).read_text(encoding="utf-8"))
        rows += parse_places_csv(shipped.joinpath(TOWNS_CSV).read_text(encoding="utf-8"))
    else:
        rows = parse_places_csv(path.read_text(encoding="utf-8-sig"))
    check_parents(rows, {})
    return rows


def builtin_gazetteer() -> Gazetteer:
    """The gazetteer this deployment ships (HARMWATCH_CONFIG's `places`, else Syria's),
    used while the database holds none; read once per process."""
    from harmwatch.deployment import current

    return _gazetteer_of(current().places)


@cache
def _gazetteer_of(path: Path | None) -> Gazetteer:
    return Gazetteer.from_places(builtin_rows(path))

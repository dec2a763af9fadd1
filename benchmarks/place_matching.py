"""Place matching with the built-in gazetteer's GeoNames towns, side by side with the
baseline: the same matching over syria.csv alone (governorates, districts, 62 towns).

    .venv/bin/python -m benchmarks.place_matching

Both use the current matching code; the last line is `ratio: X.XX`, with-towns over baseline.
"""

from __future__ import annotations

import time
from importlib.resources import files

from harmwatch.places.csv_format import parse_places_csv
from harmwatch.places.gazetteer import BUILTIN_CSV, Gazetteer, builtin_rows

TYPED = ["Saraqeb", "Douma", "Menbij", "Atareb", "حلب", "Харків", "ar-Raqqah", "Kafr Nubl", "Idlib city",
         "near the school in Binnish", "Дейр-ез-Зор", "Al Kiswah", "Tremseh", "Aleppo"]
ROUNDS = 20


def per_query_ms(gazetteer: Gazetteer) -> float:
    start = time.perf_counter()
    for _ in range(ROUNDS):
        for text in TYPED:
            gazetteer.best(text)
    return (time.perf_counter() - start) * 1000 / (ROUNDS * len(TYPED))


def main() -> None:
    baseline = Gazetteer.from_places(parse_places_csv(files("harmwatch.places").joinpath(BUILTIN_CSV).read_text()))
    shipped = Gazetteer.from_places(builtin_rows())
    base_ms, new_ms = per_query_ms(baseline), per_query_ms(shipped)
    print(f"baseline ({len(baseline)} places): {base_ms:.2f} ms per typed name")
    print(f"with GeoNames towns ({len(shipped)} places): {new_ms:.2f} ms per typed name")
    print(f"ratio: {new_ms / base_ms:.2f}")


if __name__ == "__main__":
    main()

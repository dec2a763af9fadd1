"""The public record: known codes only, unknown counts empty, coordinates rounded and bounded."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from harmwatch.exports.columns import COLUMN_NAMES, COLUMNS, BY_NAME, Column
from harmwatch.exports.datapackage import descriptor
from harmwatch.exports.formats import csv_head
from harmwatch.exports.records import SELECTED_COLUMNS, RecordBuilder
from harmwatch.places.gazetteer import builtin_gazetteer

UPDATED = datetime(2026, 11, 21, 9, 30, 15, 123456, tzinfo=UTC)


def row(**values):
    base = {c.name: None for c in SELECTED_COLUMNS}
    base.update(id=7, report_type="harm", time_precision=1, export_decimals=2, codes={}, summary_public="",
                updated_at=UPDATED, created_at=UPDATED, occurred_on=date(2026, 11, 20))
    base.update(values)
    return base


def record(lang="en", **values):
    return RecordBuilder(lang, builtin_gazetteer()).record(row(**values))


def test_codes_that_are_not_in_the_taxonomy_are_dropped():
    out = record(event_type="a reporter's own words", grade="excellent", geo_precision="here",
                 codes={"objects_hit": ["market", "my neighbour's house", 5, "market"], "weapon": "rocket",
                        "duration": ["days"], "resolved": "maybe", "comment": "free text"})
    assert out["event_type"] is None and out["event_type_label"] is None and out["grade"] is None
    assert out["geo_precision"] is None
    assert out["objects_hit"] == ["market"] and out["weapon"] == ["rocket"]
    assert out["duration"] == "days" and out["resolved"] is None
    assert "free text" not in repr(out)


def test_unknown_counts_stay_empty_and_zero_stays_zero():
    out = record(killed_min=0, killed_max=3, injured_min=None)
    assert (out["killed_min"], out["killed_max"]) == (0, 3)
    assert out["injured_min"] is None
    cells = RecordBuilder("en", builtin_gazetteer()).csv_values(row(killed_min=0))
    assert cells[COLUMN_NAMES.index("killed_min")] == 0 and cells[COLUMN_NAMES.index("injured_max")] is None


@pytest.mark.parametrize("decimals, expected", [(2, (36.12, 37.65)), (0, (36.0, 38.0)), (-3, (36.0, 38.0)),
                                                (3, (36.123, 37.654)), (12, (36.12346, 37.65432))])
def test_coordinates_are_rounded_to_the_export_precision(decimals, expected):
    out = record(lat=36.123456, lon=37.654321, export_decimals=decimals)
    assert (out["lat"], out["lon"]) == expected


@pytest.mark.parametrize("lat, lon", [(36.1, None), (float("nan"), 37.0), (95.0, 37.0), (36.0, float("inf"))])
def test_a_partial_or_impossible_point_is_no_point(lat, lon):
    out = record(lat=lat, lon=lon)
    assert out["lat"] is None and out["lon"] is None


def test_places_are_named_in_the_reader_s_language_and_timestamps_are_utc():
    out = record("fr", adm1_pcode="SY02", adm2_pcode="SY0200")
    assert (out["adm1_name"], out["adm2_name"]) == ("Alep", "Mont Siméon")
    assert out["updated_at"] == "2026-11-21T09:30:15Z" and out["recorded_on"] == "2026-11-21"
    assert record(adm1_pcode="XX99", adm2_pcode="not a p-code!")["adm1_name"] is None
    assert record(adm2_pcode="not a p-code!")["adm2_pcode"] is None


def test_every_column_is_described_with_an_example_and_in_the_table_schema():
    assert len(set(COLUMN_NAMES)) == len(COLUMNS)
    assert all(c.description and c.hxl.startswith("#") for c in COLUMNS)
    fields = descriptor()["resources"][0]["schema"]["fields"]
    assert [f["name"] for f in fields] == list(COLUMN_NAMES)
    assert "notes_private" not in COLUMN_NAMES and "notes_private" not in {c.name for c in SELECTED_COLUMNS}


def test_a_column_is_declared_once_and_may_go_in_any_position():
    # Rows are built by name: a new column next to the one it belongs with moves nothing else.
    extra = Column("killed_note", "#affected+killed+note", "string", "A test column.", "x",
                   cell=lambda c: c.text("summary_public"))
    at = COLUMN_NAMES.index("killed_max") + 1
    columns = (*COLUMNS[:at], extra, *COLUMNS[at:])
    make = RecordBuilder("en", builtin_gazetteer(), columns=columns)
    out = make.record(row(killed_min=1, killed_max=3, summary_public="note"))
    assert list(out) == [*COLUMN_NAMES[:at], "killed_note", *COLUMN_NAMES[at:]]
    assert (out["killed_min"], out["killed_max"], out["killed_note"], out["injured_min"]) == (1, 3, "note", None)
    assert out["summary"] == "note" and out["id"] == 7
    cells = make.csv_values(row(killed_max=3, summary_public="note"))
    assert cells[at - 1:at + 2] == [3, "note", None]
    assert csv_head(columns, bom=False).split("\r\n")[0].split(",")[at] == "killed_note"


def test_every_column_has_its_cell_and_a_unique_name():
    assert all(callable(c.cell) for c in COLUMNS) and set(BY_NAME) == set(COLUMN_NAMES)


class _Reads:
    """Cells that note which stored columns a cell reads."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def __getattr__(self, method):
        reads = {"coordinate": lambda name: ("lat", "lon", "export_decimals"), "code_cell": lambda key: ("codes",),
                 "time_precision": lambda: ("time_precision",), "status": lambda: (), "country": lambda: (),
                 "constant": lambda value: (), "code": lambda kind, name=None: (name or kind,),
                 "label": lambda kind, name=None: (name or kind,)}.get(method, lambda name: (name,))
        return lambda *args: self.names.update(reads(*args))


def test_every_stored_column_a_cell_reads_is_selected_and_none_is_private():
    reads = _Reads()
    for column in COLUMNS:
        column.cell(reads)
        if column.coarse:
            column.coarse(reads)
    selected = {c.name for c in SELECTED_COLUMNS}
    assert reads.names <= selected and "event_type" in selected  # the rules look at event_type
    assert not {"notes_private", "created_by_id", "state", "withdrawn_reason"} & selected

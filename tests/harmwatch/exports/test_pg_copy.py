"""The COPY fast path writes the very bytes of the Python path, for every kind of value, every
filter and several languages; it gives way to the Python path when the code values rule it out;
and a client that hangs up stops the COPY."""

from __future__ import annotations

import asyncio
import csv
import io
import random
import time
from datetime import date, datetime, timedelta, timezone

import asyncpg
import httpx
import pytest
import sqlalchemy as sa

from harmwatch.exports import pg_copy, query
from harmwatch.exports.formats import csv_chunks
from harmwatch.exports.models import ExportLine
from harmwatch.exports.query import IncidentFilter
from harmwatch.exports.records import RecordBuilder
from harmwatch.exports.service import ExportFormat, export
from harmwatch.i18n import LANGUAGES
from harmwatch.incidents.models import Incident
from harmwatch.places.models import Place
from harmwatch.places.service import gazetteer
from tests.api.ngo.conftest import EARLIER, bearer, bulk_incidents, make_incident
from tests.api.ngo.test_streaming import ROWS, _lingering_exports, client, small_buffer_server  # noqa: F401 (a fixture)

# COPY is PostgreSQL's: SQLite keeps the Python path.
postgresql_only = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)

SUMMARY = 'Shelling hit the "central" market, 3 shops;\nthen the bakery\r\nand "more", later '


async def builder(database, lang: str) -> RecordBuilder:
    async with database.transaction() as session:
        return RecordBuilder(lang, await gazetteer(session))


async def fast_bytes(database, filters: IncidentFilter, lang: str = "en", *, hxl: bool = False) -> bytes:
    async with pg_copy.prepared(database, filters, await builder(database, lang)) as copy:
        assert copy is not None
        return b"".join([chunk async for chunk in copy.chunks(hxl=hxl)])


async def python_bytes(database, filters: IncidentFilter, lang: str = "en", *, hxl: bool = False) -> bytes:
    make = await builder(database, lang)
    return b"".join([chunk async for chunk in csv_chunks(query.stream(database, filters), make, hxl=hxl)])


@pytest.fixture
async def varied(database) -> None:
    """Incidents with every kind of value a cell can hold, and one that is not published."""
    async with database.transaction() as session:
        await make_incident(session, lat=36.123456, lon=-37.654321, export_decimals=2, geo_precision="near",
                            killed_min=0, killed_max=4, injured_min=None, children_killed_min=-1,
                            codes={"objects_hit": ["market", "home"], "weapon": "artillery_shell",
                                   "sources": ["witness", "medical_staff"], "time_of_day": "night"},
                            summary_public=SUMMARY, time_precision=1)
        await make_incident(session, report_type="access", event_type=None, access_constraint="movement_restriction",
                            adm1_pcode="SY01", adm2_pcode=None, grade="confirmed", occurred_on=date(2026, 10, 2),
                            people_not_reached_min=100, people_not_reached_max=200, time_precision=2,
                            codes={"sectors": ["food", "health"], "actor_types": ["local_ngo"], "duration": "days",
                                   "resolved": "no"}, updated_at=EARLIER + timedelta(minutes=5))
        # What a reporter or an edit may leave behind: unknown codes, free text, repeats, numbers,
        # lists where one code belongs, nulls; none of it may come out but the known codes.
        await make_incident(session, event_type="a reporter's own words", grade="excellent", geo_precision="here",
                            adm1_pcode="XX99", adm2_pcode="not a p-code!", time_precision=7, occurred_on=None,
                            codes={"objects_hit": ["market", "my neighbour's house", 5, "market", None, ["home"]],
                                   "weapon": ["rocket", "rocket", "mortar"], "sectors": [], "actor_types": None,
                                   "sources": "the radio, \"Sham FM\"", "duration": ["weeks", "days"],
                                   "resolved": "maybe", "time_of_day": [], "comment": "free text"},
                            summary_public="", updated_at=EARLIER + timedelta(minutes=7, microseconds=999_999))
        await make_incident(session, report_type="access", event_type=None, access_constraint="not_a_constraint",
                            adm2_pcode="SY0100", lat=-0.0, lon=0.004, export_decimals=0, grade=None,
                            codes=["not", "an", "object"], summary_public="ترجمة، \"نص\"",
                            created_at=datetime(2026, 11, 21, 1, 30, tzinfo=timezone(timedelta(hours=3))))
        await make_incident(session, lat=95.0, lon=37.0, report_type="other", codes={"weapon": {"kind": "rocket"}})
        await make_incident(session, lat=36.5, lon=float("nan"))
        await make_incident(session, lat=33.5, lon=None, occurred_on=date(5, 1, 1))
        await make_incident(session, state="unpublished", killed_min=9, killed_max=9, summary_public="not to be seen")


# Latitudes to every export precision, ties (exact and not: 2.675 is 2.67499..., 0.125 is exact),
# negatives, -0.0, and the tiny values Python writes with an exponent (4e-05).
HARD_VALUES = [2.675, 0.125, 0.375, 36.5, 37.5, -36.5, 1.005, 0.285, -0.0, 0.0, 0.00004, -0.00004, 0.000095,
               0.000005, 0.0000049, 1e-300, 0.0001, -0.00001, 89.999996, -179.999995, 180.0, 12.0, 1e-05]


@pytest.fixture
async def coordinates(database) -> None:
    """A thousand points of every precision, export precisions out of range included."""
    randomly = random.Random(20261128)
    points = [(value, decimals) for value in HARD_VALUES for decimals in range(-1, 8)]
    points += [(round(randomly.uniform(-89.99, 89.99), randomly.randint(0, 9)), randomly.randint(0, 5))
               for _ in range(1000)]
    points += [((n + 0.5) / 10 ** d, d) for d in range(6) for n in range(-40, 40, 7)]  # each precision's halves
    # Full-precision points, and ones a hair from a half (the SQL rounds in float arithmetic away
    # from halves, and leaves those within 1e-6 of one to to_char).
    points += [(randomly.uniform(-89.99, 89.99), randomly.randint(0, 5)) for _ in range(2000)]
    points += [((n + 0.5 + nudge) / 10 ** d, d) for d in range(6) for n in (-12345, -7, 3, 999, 123456)
               for nudge in (-1e-5, -1e-7, -1e-9, 1e-9, 1e-7, 1e-5) if abs((n + 0.5) / 10 ** d) < 89]
    rows = [{"report_type": "harm", "time_precision": 1, "lat": value, "lon": -value * 2 if abs(value) < 90 else 1.0,
             "export_decimals": decimals, "codes": {}, "summary_public": "", "notes_private": "",
             "state": "published", "withdrawn_reason": "", "created_at": EARLIER, "updated_at": EARLIER} for value, decimals in points]
    async with database.transaction() as session:
        await session.execute(sa.insert(Incident.__table__), rows)


@postgresql_only
@pytest.mark.parametrize("lang", list(LANGUAGES))
async def test_the_fast_path_writes_the_bytes_of_the_python_path_in_every_language(database, varied, lang):
    for hxl in (False, True):
        fast = await fast_bytes(database, IncidentFilter(), lang, hxl=hxl)
        assert fast == await python_bytes(database, IncidentFilter(), lang, hxl=hxl)
    rows = list(csv.reader(io.StringIO(fast.decode("utf-8-sig"))))
    assert len(rows) == 2 + 7 and SUMMARY in rows[2 + 0]
    assert b"not to be seen" not in fast and b"free text" not in fast and b"neighbour" not in fast


@postgresql_only
@pytest.mark.parametrize("filters", [
    IncidentFilter(report_type="harm"), IncidentFilter(event_type="shelling_artillery_missile"),
    IncidentFilter(access_constraint="movement_restriction"), IncidentFilter(adm1="SY02"),
    IncidentFilter(adm2="SY0200"), IncidentFilter(occurred_from=date(2026, 11, 1)),
    IncidentFilter(occurred_to=date(2026, 10, 31)), IncidentFilter(grade="confirmed"),
    IncidentFilter(updated_since=EARLIER + timedelta(minutes=5)),
    IncidentFilter(report_type="harm", adm1="SY02", grade="fair", occurred_from=date(2026, 1, 1),
                   occurred_to=date(2026, 12, 31), updated_since=EARLIER - timedelta(days=1)),
    IncidentFilter(adm1="x'; DROP TABLE incidents; --", grade="$1", event_type="$2::text"),
], ids=lambda f: ",".join(f.as_dict()))
async def test_every_filter_selects_the_same_rows_as_the_python_path(database, varied, filters):
    for lang in ("en", "ar"):
        assert await fast_bytes(database, filters, lang) == await python_bytes(database, filters, lang)


@postgresql_only
async def test_coordinates_are_rounded_and_written_as_python_writes_them(database, coordinates):
    fast = await fast_bytes(database, IncidentFilter())
    assert fast == await python_bytes(database, IncidentFilter())
    lats = {row["lat"] for row in csv.DictReader(io.StringIO(fast.decode("utf-8-sig")))}
    assert {"2.67", "0.12", "36.0", "38.0", "-0.0", "4e-05", "-4e-05", "1e-05", "0.0001"} <= lats


@postgresql_only
async def test_place_names_with_commas_and_quotes_from_a_stored_gazetteer(database, varied):
    async with database.transaction() as session:
        session.add(Place(pcode="SY02", level=1, name='Aleppo, "old city"', names={"ar": "حلب", "fa": ""}))
        session.add(Place(pcode="SY0200", level=2, parent_pcode="SY02", name="Jebel\nSaman", names={"fr": "Mont"}))
        session.add(Place(pcode="SY0100", level=2, parent_pcode="SY01", name=""))  # an empty cell, not ""
        session.add(Place(pcode="SY 01", level=1, name="Not a P-code"))
        await make_incident(session, adm1_pcode="SY 01", adm2_pcode="SY0100")
    for lang in ("en", "ar", "fa", "fr"):
        fast = await fast_bytes(database, IncidentFilter(), lang)
        assert fast == await python_bytes(database, IncidentFilter(), lang)
    assert b"Not a P-code" not in fast and b'"Aleppo, ""old city"""' in fast


@postgresql_only
async def test_the_export_service_writes_the_python_path_s_bytes(database, varied):
    for format, hxl in ((ExportFormat.CSV, False), (ExportFormat.HXL, True)):
        served = b"".join([chunk async for chunk in export(database, format, lang="uk", actor="tests")])
        assert served == await python_bytes(database, IncidentFilter(), "uk", hxl=hxl)


@postgresql_only
async def test_values_postgres_cannot_tell_apart_fall_back_to_the_python_path(database, varied):
    # ->> gives the same text for the string '["home"]' and the list ["home"]: only Python can tell.
    async with database.transaction() as session:
        await make_incident(session, codes={"objects_hit": '["home"]'})
        await make_incident(session, codes={"objects_hit": ["home"]})
    async with pg_copy.prepared(database, IncidentFilter(), await builder(database, "en")) as copy:
        assert copy is None
    served = b"".join([chunk async for chunk in export(database, ExportFormat.CSV, actor="tests")])
    assert served == await python_bytes(database, IncidentFilter())
    assert served.count(b",home,") == 1


@postgresql_only
async def test_too_many_code_values_fall_back_to_the_python_path(database, varied, monkeypatch):
    monkeypatch.setattr(pg_copy, "MAX_CODE_VALUES", 3)
    async with pg_copy.prepared(database, IncidentFilter(), await builder(database, "en")) as copy:
        assert copy is None
    served = b"".join([chunk async for chunk in export(database, ExportFormat.HXL, lang="ar", actor="tests")])
    assert served == await python_bytes(database, IncidentFilter(), "ar", hxl=True)


# CSV rows as the export writes them (without their ends): quotes, LFs and CRs inside quoted
# fields, backslashes (one, two, at the end), a tab and other characters COPY's text format escapes.
TEXT_ROWS = ['a,b', '1,"x\ny"', '2,""""', '3,"\r\n"', 'C:\\temp\\,"\\"', '\\', 'tab\there,\b\f\v', 'end\\\\']


@postgresql_only
async def test_rows_copied_as_text_come_out_as_the_csv_module_ends_them_whatever_the_chunking(database_url):
    conn = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        chunks: list[bytes] = []

        async def sink(data: bytes) -> None:
            chunks.append(data)

        await conn.copy_from_query("SELECT unnest($1::text[])", TEXT_ROWS, output=sink, format="text")
    finally:
        await conn.close()
    data = b"".join(chunks)
    assert b"\\" in data  # PostgreSQL did escape something
    expected = "".join(f"{row}\r\n" for row in TEXT_ROWS).encode()
    for cut in range(len(data) + 1):
        for second in (cut, min(cut + 1, len(data)), min(cut + 2, len(data))):
            rows = pg_copy.TextRows()
            assert rows(data[:cut]) + rows(data[cut:second]) + rows(data[second:]) == expected


@postgresql_only
async def test_a_client_that_hangs_up_stops_the_copy_and_frees_its_connection(small_buffer_server, database,
                                                                              database_url, token):
    live_server = small_buffer_server  # the copy is mid-way when each client hangs up
    await bulk_incidents(database, ROWS)
    for _ in range(35):  # more than the server's pool holds (25 + 5 overflow)
        async with client(30) as http:
            async with http.stream("GET", f"{live_server}/api/v1/incidents", params={"format": "csv"},
                                   headers=bearer(token)) as response:
                assert response.status_code == 200
                async for _chunk in response.aiter_raw():
                    break
    deadline = time.monotonic() + 10
    while (lingering := await _lingering_exports(database_url)) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    assert lingering == []
    response = httpx.get(f"{live_server}/api/v1/incidents", params={"format": "csv"}, headers=bearer(token),
                         timeout=60)
    assert response.status_code == 200 and response.content.count(b"\r\n") == ROWS + 1


@postgresql_only
async def test_a_column_added_in_the_middle_is_written_alike_by_both_paths(database, varied):
    from harmwatch.exports.columns import COLUMN_NAMES, COLUMNS, Column

    extra = Column("killed_note", "#affected+killed+note", "string", "A test column.", "x",
                   cell=lambda c: c.text("summary_public"))
    at = COLUMN_NAMES.index("killed_max") + 1
    async with database.transaction() as session:
        make = RecordBuilder("fr", await gazetteer(session), columns=(*COLUMNS[:at], extra, *COLUMNS[at:]))
    async with pg_copy.prepared(database, IncidentFilter(), make) as copy:
        fast = b"".join([chunk async for chunk in copy.chunks(hxl=True)])
    assert fast == b"".join([c async for c in csv_chunks(query.stream(database, IncidentFilter()), make, hxl=True)])
    header = next(csv.reader(io.StringIO(fast.decode("utf-8-sig"))))
    assert header[at] == "killed_note" and header[at + 1] == "injured_min"


async def _kept_rows(database) -> dict[int, str]:
    async with database.transaction() as session:
        return dict((await session.execute(sa.select(ExportLine.incident_id, ExportLine.line))).all())


async def _published(database) -> list[int]:
    async with database.transaction() as session:
        return list((await session.scalars(sa.select(Incident.id).where(Incident.state == "published"))).all())


@postgresql_only
async def test_published_rows_are_kept_once_and_used_again_while_nothing_changed(database, varied):
    first = await fast_bytes(database, IncidentFilter())
    kept = await _kept_rows(database)
    assert sorted(kept) == sorted(await _published(database))
    make = await builder(database, "en")
    assert await pg_copy.refresh(database, IncidentFilter(), make, pg_copy.rendering_key(make)) == 0
    assert await fast_bytes(database, IncidentFilter()) == first == await python_bytes(database, IncidentFilter())
    assert await _kept_rows(database) == kept


@postgresql_only
async def test_an_edit_a_rename_and_another_language_are_never_served_from_rows_kept_before(database, varied):
    async with database.transaction() as session:
        session.add(Place(pcode="SY02", level=1, name="Aleppo"))
        session.add(Place(pcode="SY0200", level=2, parent_pcode="SY02", name="Jebel Saman"))
    assert b"Jebel Saman," in await fast_bytes(database, IncidentFilter())
    async with database.transaction() as session:
        incident = (await session.scalars(sa.select(Incident).where(Incident.killed_max == 4))).one()
        incident.killed_max, incident.summary_public = 6, "=1+1, corrected"
        place = await session.get(Place, "SY0200")
        place.name, place.updated_at = "Jebel Saman, renamed", datetime.now(timezone.utc)
    for lang in ("en", "fr", "en"):
        served = await fast_bytes(database, IncidentFilter(), lang)
        assert served == await python_bytes(database, IncidentFilter(), lang)
    assert b"Jebel Saman, renamed" in served and b"'=1+1, corrected" in served
    # One rendering per language is kept: the English rows written before the rename are gone.
    async with database.transaction() as session:
        keys = (await session.execute(sa.select(ExportLine.lang, sa.func.count(sa.distinct(ExportLine.key)))
                                      .group_by(ExportLine.lang))).all()
    assert sorted(keys) == [("en", 1), ("fr", 1)]


@postgresql_only
async def test_a_row_changed_after_the_rows_were_kept_is_worked_out_by_the_copy(database, varied):
    await fast_bytes(database, IncidentFilter())
    async with database.transaction() as session:
        incident = (await session.scalars(sa.select(Incident).where(Incident.killed_max == 4))).one()
        incident.codes = {**incident.codes, "weapon": "mortar"}
        incident.killed_min = 3
    # Without refreshing, as when an edit commits between the refresh and the copy's snapshot.
    async with pg_copy.prepared(database, IncidentFilter(), await builder(database, "en"), keep=False) as copy:
        served = b"".join([chunk async for chunk in copy.chunks()])
    assert served == await python_bytes(database, IncidentFilter())
    assert b",mortar," in served


@postgresql_only
async def test_a_withdrawn_incident_leaves_no_kept_row_behind(database, varied):
    await fast_bytes(database, IncidentFilter())
    async with database.transaction() as session:
        incident = (await session.scalars(sa.select(Incident).where(Incident.killed_max == 4))).one()
        incident.state, incident.withdrawn_reason = "withdrawn", "wrong place"
        withdrawn = incident.id
    assert withdrawn not in await _kept_rows(database)
    served = await fast_bytes(database, IncidentFilter())
    assert served == await python_bytes(database, IncidentFilter()) and withdrawn not in await _kept_rows(database)

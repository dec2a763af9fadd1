"""The sensitive-event rule: by default sexual violence and abduction / forced disappearance are
published to the month (first of the month, time precision 3, no part of the day), to the
admin-2 area with no point, and without the summary, in every format and both CSV paths; other
event types in full. The rule per event type is a deployment setting."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, date, datetime

import pytest

from harmwatch.exports import query
from harmwatch.exports.publication import Publication
from harmwatch.exports.query import IncidentFilter
from harmwatch.exports.records import RecordBuilder
from harmwatch.exports.service import ExportFormat, export
from harmwatch.places.service import gazetteer
from harmwatch.settings import PublicationRule, Settings
from tests.api.ngo.conftest import bearer, make_incident
from tests.harmwatch.exports.test_pg_copy import postgresql_only, python_bytes

SENSITIVE = ("sexual_violence", "abduction_forced_disappearance")
PRECISE = {"occurred_on": date(2026, 11, 20), "time_precision": 1, "lat": 36.123456, "lon": 37.654321,
           "export_decimals": 3, "geo_precision": "exact", "adm1_pcode": "SY02", "adm2_pcode": "SY0200",
           "codes": {"time_of_day": "night", "sources": ["witness"]}, "summary_public": "Near the bakery, at dawn",
           "created_at": datetime(2026, 11, 21, 8, 0, tzinfo=UTC)}


@pytest.fixture
async def events(database) -> dict[str, int]:
    async with database.transaction() as session:
        made = {kind: (await make_incident(session, event_type=kind, killed_min=0, killed_max=0, **PRECISE)).id
                for kind in (*SENSITIVE, "shelling_artillery_missile")}
    return made


def _coarse(record: dict, *, csv_cells: bool = False) -> None:
    empty = "" if csv_cells else None
    assert record["occurred_on"] == "2026-11-01" and str(record["time_precision"]) == "3"
    assert record["recorded_on"] == "2026-11-01"
    assert record["lat"] == record["lon"] == record["geo_precision"] == empty
    assert record["adm2_pcode"] == "SY0200" and record["adm1_pcode"] == "SY02"
    assert record["time_of_day"] == empty and record["summary"] == empty
    assert record["sources"] == ("witness" if csv_cells else ["witness"])  # the rest stays


def _full(record: dict, *, csv_cells: bool = False) -> None:
    assert record["occurred_on"] == "2026-11-20" and str(record["time_precision"]) == "1"
    assert str(record["lat"]) == "36.123" and record["time_of_day"] == "night"
    assert record["summary"] == "Near the bakery, at dawn"


async def _records(database, publication: Publication | None = None) -> dict[str, dict]:
    async with database.transaction() as session:
        make = RecordBuilder("en", await gazetteer(session), publication=publication)
    return {r["event_type"]: r for rows in [b async for b in query.stream(database, IncidentFilter())]
            for r in map(make.record, rows)}


async def _served(database, format: ExportFormat, **kwargs) -> bytes:
    return b"".join([chunk async for chunk in export(database, format, actor="tests", **kwargs)])


def test_the_default_rule_covers_both_sensitive_types():
    rules = Settings().publication_rules
    assert set(rules) == set(SENSITIVE)
    assert all((r.date, r.place, r.summary) == ("month", "adm2", False) for r in rules.values())


async def test_json_records_of_sensitive_events_are_coarse(database, events):
    records = await _records(database)
    for kind in SENSITIVE:
        _coarse(records[kind])
    _full(records["shelling_artillery_missile"])


@pytest.mark.parametrize("format", [ExportFormat.CSV, ExportFormat.HXL])
async def test_csv_and_hxl_of_sensitive_events_are_coarse(database, events, format):
    text = (await _served(database, format)).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))[1 if format is ExportFormat.HXL else 0:]
    by_type = {r["event_type"]: r for r in rows}
    for kind in SENSITIVE:
        _coarse(by_type[kind], csv_cells=True)
    _full(by_type["shelling_artillery_missile"], csv_cells=True)
    assert "2026-11-20" in text and text.count("2026-11-20") == 1  # only the shelling's day
    assert "36.123" in text and text.count("36.123") == 1


async def test_geojson_of_sensitive_events_has_no_geometry(database, events):
    features = json.loads(await _served(database, ExportFormat.GEOJSON))["features"]
    by_type = {f["properties"]["event_type"]: f for f in features}
    for kind in SENSITIVE:
        assert by_type[kind]["geometry"] is None
        _coarse(by_type[kind]["properties"])
    assert by_type["shelling_artillery_missile"]["geometry"] == {"type": "Point", "coordinates": [37.654, 36.123]}


async def test_the_data_package_of_sensitive_events_is_coarse(database, events):
    with zipfile.ZipFile(io.BytesIO(await _served(database, ExportFormat.DATAPACKAGE))) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("data/incidents.csv").decode())))
        descriptor = json.loads(archive.read("datapackage.json"))
    by_type = {r["event_type"]: r for r in rows}
    for kind in SENSITIVE:
        _coarse(by_type[kind], csv_cells=True)
    assert "sexual_violence" in json.dumps(descriptor["harmwatch"]["publication_rules"])


async def test_the_rule_is_a_deployment_setting(database, events, monkeypatch):
    monkeypatch.setenv("HARMWATCH_PUBLICATION_RULES",
                       '{"shelling_artillery_missile": {"place": "adm1"}, "sexual_violence": {}}')
    publication = Publication.from_settings(Settings())
    records = await _records(database, publication)
    shelling = records["shelling_artillery_missile"]
    assert shelling["adm2_pcode"] is None and shelling["adm2_name"] is None and shelling["lat"] is None
    assert shelling["occurred_on"] == "2026-11-20" and shelling["summary"] == "Near the bakery, at dawn"
    _full(records["sexual_violence"])  # an empty rule publishes in full
    _full(records["abduction_forced_disappearance"])  # the setting replaces the defaults
    assert PublicationRule.model_validate({}).place == "point"


@postgresql_only
async def test_the_copy_path_applies_the_rule_byte_for_byte(database, events):
    for publication in (None, Publication(rules={"shelling_artillery_missile": PublicationRule(place="adm1",
                                                                                                date="month")})):
        for format in (ExportFormat.CSV, ExportFormat.HXL):
            served = await _served(database, format, publication=publication)
            async with database.transaction() as session:
                make = RecordBuilder("en", await gazetteer(session), publication=publication)
            from harmwatch.exports.formats import csv_chunks
            python = b"".join([c async for c in csv_chunks(query.stream(database, IncidentFilter()), make,
                                                           hxl=format is ExportFormat.HXL)])
            assert served == python
    # The last rule set replaces the defaults: the shelling is coarse, the two others in full.
    assert served.count(b"2026-11-20") == 2 and served.count(b"SY0200") == 2


async def test_the_api_serves_sensitive_events_coarse(client, database, token, events):
    response = await client.get(f"/api/v1/incidents/{events['sexual_violence']}", headers=bearer(token))
    assert response.status_code == 200
    _coarse(response.json())
    page = (await client.get("/api/v1/incidents", headers=bearer(token))).json()["data"]
    _coarse(next(r for r in page if r["event_type"] == "abduction_forced_disappearance"))
    assert await python_bytes(database, IncidentFilter())  # the fixture's data exported at all


def test_a_rule_for_an_unknown_event_type_is_refused(monkeypatch):
    monkeypatch.setenv("HARMWATCH_PUBLICATION_RULES", '{"sexual_violnce": {"date": "month"}}')
    with pytest.raises(ValueError, match="sexual_violnce"):
        Settings()
    monkeypatch.setenv("HARMWATCH_PUBLICATION_RULES", '{"sexual_violence": {"date": "week"}}')
    with pytest.raises(ValueError):
        Settings()

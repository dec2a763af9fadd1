"""The data package says what a publisher must: licence, sources, organisation, country,
temporal coverage, version, creation time, methodology and caveats, the audit chain's head, and
foreign keys to the places and the taxonomy, so that `frictionless validate` catches a P-code
that is no place. The licence, organisation and methodology are deployment settings."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import frictionless
import pytest

from harmwatch.audit.service import head
from harmwatch.exports.publication import Publication
from harmwatch.exports.service import ExportFormat, export
from harmwatch.settings import Settings
from tests.api.ngo.conftest import make_incident


async def _package(database, tmp_path, **kwargs) -> dict:
    data = b"".join([c async for c in export(database, ExportFormat.DATAPACKAGE, actor="tests", **kwargs)])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(tmp_path)
    return json.loads((tmp_path / "datapackage.json").read_text())


def _valid(tmp_path) -> frictionless.Report:
    return frictionless.validate(str(tmp_path / "datapackage.json"))


@pytest.fixture
async def dated(database) -> None:
    async with database.transaction() as session:
        await make_incident(session, occurred_on=date(2026, 3, 4), killed_min=1, killed_max=2)
        await make_incident(session, occurred_on=date(2026, 11, 20), adm2_pcode=None)
        await make_incident(session, occurred_on=date(2025, 1, 31), event_type="sexual_violence")  # -> 2025-01-01
        await make_incident(session, occurred_on=date(2027, 1, 1), state="unpublished")


async def test_the_package_carries_what_a_publisher_states(database, dated, tmp_path):
    package = await _package(database, tmp_path)
    assert package["licenses"] == [{"name": "CC-BY-4.0", "title": "CC-BY-4.0",
                                    "path": "https://creativecommons.org/licenses/by/4.0/"}]
    assert package["contributors"][0]["organization"] == "Harmwatch" and package["sources"][0]["title"]
    assert package["country"] == "SYR" and package["version"] == "2.0.0"
    assert package["temporal"] == {"start": "2025-01-01", "end": "2026-11-20"}  # published values only
    assert package["created"].endswith("Z") and len(package["created"]) == 20
    assert "monitor" in package["methodology"]
    caveats = " ".join(package["caveats"])
    for words in ("killed_min", "conservative", "Unknown is not zero", "confirmed", "fair", "weak", "contested",
                  "discounted", "ranges"):
        assert words in caveats
    async with database.transaction() as session:
        now = await head(session)
    assert package["harmwatch"]["audit_head"] == {"hash": now.hash, "length": now.length, "anchor": str(now)}
    keys = package["resources"][0]["schema"]["foreignKeys"]
    assert {"fields": ["adm1_pcode"], "reference": {"resource": "places", "fields": ["pcode"]}} in keys
    assert {"fields": ["event_type"], "reference": {"resource": "taxonomy", "fields": ["code"]}} in keys
    report = _valid(tmp_path)
    assert report.valid, report.flatten(["type", "note"])[:5]


async def test_licence_organisation_and_methodology_are_deployment_settings(database, dated, tmp_path, monkeypatch):
    monkeypatch.setenv("HARMWATCH_DATA_LICENCE", "ODbL-1.0")
    monkeypatch.setenv("HARMWATCH_DATA_LICENCE_URL", "https://opendatacommons.org/licenses/odbl/1-0/")
    monkeypatch.setenv("HARMWATCH_DATA_ORGANISATION", "Syria Monitors Network")
    monkeypatch.setenv("HARMWATCH_DATA_METHODOLOGY", "Two monitors review every report.")
    monkeypatch.setenv("HARMWATCH_COUNTRY_CODE", "UKR")
    package = await _package(database, tmp_path, publication=Publication.from_settings(Settings()))
    assert package["licenses"][0]["name"] == "ODbL-1.0" and package["country"] == "UKR"
    assert package["contributors"][0]["title"] == "Syria Monitors Network"
    assert package["methodology"] == "Two monitors review every report."
    rows = (tmp_path / "data/incidents.csv").read_text().splitlines()
    assert all(",UKR," in line for line in rows[1:]) and len(rows) == 4


async def test_a_p_code_that_is_no_place_fails_validation(database, dated, tmp_path):
    async with database.transaction() as session:
        await make_incident(session, adm1_pcode="ZZ99", adm2_pcode="ZZ9999")
    await _package(database, tmp_path)
    report = _valid(tmp_path)
    assert not report.valid
    errors = report.flatten(["type", "fieldName"]) if hasattr(report, "flatten") else []
    assert any(kind == "foreign-key" for kind, *_ in errors), errors


async def test_an_empty_package_is_valid_and_has_no_temporal_coverage(database, tmp_path):
    package = await _package(database, tmp_path)
    assert "temporal" not in package
    assert _valid(tmp_path).valid

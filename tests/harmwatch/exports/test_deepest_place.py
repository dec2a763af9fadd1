"""Exports carry the deepest place level present (issue 12): a reporter's town resolves to its
admin-3 and admin-4 areas, the verified incident keeps them with the town's name as its
`location`, and every format publishes adm3_pcode, adm3_name, adm4_pcode, adm4_name and
location (HXL tags, the data package's schema and foreign keys), held back with the point for
sensitive events."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from harmwatch.exports.columns import BY_NAME, COLUMN_NAMES
from harmwatch.exports.service import ExportFormat, export
from harmwatch.forms import HARM_FORM, Text, answer, frame
from harmwatch.places.models import Place
from harmwatch.places.service import gazetteer, load_builtin
from harmwatch.incidents import lifecycle
from harmwatch.review import service as review
from tests.factories import make_report, make_user

TOWN = {"adm1_pcode": "SY02", "adm2_pcode": "SY0200", "adm3_pcode": "SY020003", "adm4_pcode": "C1234"}
PLACES = [Place(pcode="SY020003", level=3, parent_pcode="SY0200", name="Tell Aran sub-district",
                names={"ar": "ناحية تل عران"}),
          Place(pcode="C1234", level=4, parent_pcode="SY020003", name="Tell Aran", names={"ar": "تل عران"},
                lat=36.12, lon=37.32)]
NEW_COLUMNS = ("adm3_pcode", "adm3_name", "adm4_pcode", "adm4_name", "location")


async def _store_places(session) -> None:
    """The built-in gazetteer, stored, with a sub-district and a town below Jebel Saman."""
    await load_builtin(session)
    for place in PLACES:
        await session.merge(Place(**place.model_dump()))
    await session.flush()


async def _bytes(database, format: ExportFormat, lang: str = "en") -> bytes:
    return b"".join([chunk async for chunk in export(database, format, lang=lang, actor="test")])


async def _published(database, **report_fields) -> int:
    async with database.transaction() as session:
        await _store_places(session)
        monitor = await make_user(session)
        report = await make_report(session, **{**TOWN, **report_fields})
        await review.claim(session, report, user=monitor)
        incident = await review.verify(session, report, user=monitor, grade="fair")
        await lifecycle.publish(session, incident, actor="user:m")
        assert (incident.adm3_pcode, incident.adm4_pcode, incident.location) == ("SY020003", "C1234", "Tell Aran")
        return incident.id


async def test_a_typed_town_gives_the_report_its_whole_chain(database):
    async with database.transaction() as session:
        await _store_places(session)
        places = await gazetteer(session)
    answers = answer(HARM_FORM, {}, "place", Text("Tell Aran"), places=places)
    row = frame(HARM_FORM, answers)
    assert {k: row[k] for k in TOWN} == TOWN


async def test_every_format_carries_the_deepest_level_and_the_locality(database):
    incident_id = await _published(database)
    at = COLUMN_NAMES.index("adm2_name") + 1
    assert COLUMN_NAMES[at:at + 5] == NEW_COLUMNS
    assert [BY_NAME[n].hxl for n in NEW_COLUMNS] == ["#adm3+code", "#adm3+name", "#adm4+code", "#adm4+name",
                                                     "#loc+name"]
    hxl = list(csv.DictReader(io.StringIO((await _bytes(database, ExportFormat.HXL, "ar")).decode("utf-8-sig"))))
    assert hxl[0]["adm3_pcode"] == "#adm3+code"
    row = hxl[1]
    assert (row["adm3_pcode"], row["adm3_name"], row["adm4_pcode"], row["adm4_name"], row["location"]) == (
        "SY020003", "ناحية تل عران", "C1234", "تل عران", "Tell Aran")
    geojson = json.loads(await _bytes(database, ExportFormat.GEOJSON))
    props = geojson["features"][0]["properties"]
    assert props["id"] == incident_id
    assert (props["adm3_pcode"], props["adm4_name"], props["location"]) == ("SY020003", "Tell Aran", "Tell Aran")
    with zipfile.ZipFile(io.BytesIO(await _bytes(database, ExportFormat.DATAPACKAGE))) as archive:
        package = json.loads(archive.read("datapackage.json"))
        incidents = next(r for r in package["resources"] if r["name"] == "incidents")
        fields = {f["name"]: f for f in incidents["schema"]["fields"]}
        assert all(name in fields for name in NEW_COLUMNS)
        keys = {field for k in incidents["schema"]["foreignKeys"]
                for field in (k["fields"] if isinstance(k["fields"], list) else [k["fields"]])}
        assert {"adm3_pcode", "adm4_pcode"} <= keys
        places = archive.read("data/places.csv").decode("utf-8-sig")
        assert "C1234" in places and "SY020003" in places
        table = list(csv.DictReader(io.StringIO(archive.read("data/incidents.csv").decode("utf-8-sig"))))
        assert table[0]["adm4_pcode"] == "C1234"


async def test_a_sensitive_event_publishes_its_district_only(database):
    await _published(database, event_type="sexual_violence")
    row = next(csv.DictReader(io.StringIO((await _bytes(database, ExportFormat.CSV)).decode("utf-8-sig"))))
    assert row["adm2_pcode"] == "SY0200"
    assert all(row[name] == "" for name in NEW_COLUMNS)

"""The published record is the monitor's decision: the values a monitor assessed while
verifying reach the incident and the NGO API; the reporter's own answer stays on the report."""

import csv
import re
import io

from harmwatch.forms import Choice, PlaceCode, Text
from harmwatch.reports.models import Report
from tests.api.desk.conftest import post
from tests.api.desk.test_incidents import FORM, edit
from tests.api.ngo.conftest import bearer, make_token
from tests.harmwatch.incidents.through_forms import submitted

HARM = {"event_type": Choice("shelling_artillery_missile"), "place": PlaceCode("SY0200"),
        "occurred_on": Choice("yesterday"), "time_precision": Choice("1"), "killed": Text("5"),
        "injured": Text("7"), "sources": ["witness"]}


async def claimed_report(client, database, settings, form_id="harm", given=HARM) -> Report:
    async with database.transaction() as session:
        report = await submitted(session, settings, form_id, given)
    await post(client, f"/reports/{report.id}/claim")
    return report


async def verify_and_publish(client, report, values) -> int:
    response = await post(client, f"/reports/{report.id}/verify", {"grade": "fair", "incident": "new", **values})
    assert response.status_code == 303 and response.headers["location"].startswith("/incidents/"), response.text
    incident_id = int(response.headers["location"].rsplit("/", 1)[1])
    await post(client, f"/incidents/{incident_id}/publish")
    return incident_id


async def test_the_monitors_assessed_values_are_what_the_api_serves(as_monitor, database, settings):
    report = await claimed_report(as_monitor, database, settings)
    incident_id = await verify_and_publish(as_monitor, report, {
        "normalised_category": "air_drone_strike", "killed_min": "4", "killed_max": "6",
        "injured_min": "7", "injured_max": "9"})
    token = await make_token(database)
    served = (await as_monitor.get(f"/api/v1/incidents/{incident_id}", headers=bearer(token))).json()
    assert served["event_type"] == "air_drone_strike"
    assert (served["killed_min"], served["killed_max"], served["injured_min"], served["injured_max"]) == (4, 6, 7, 9)
    async with database.transaction() as session:
        kept = await session.get(Report, report.id)
        assert (kept.event_type, kept.killed_min, kept.killed_max, kept.injured_min) == ("shelling_artillery_missile",
                                                                                         5, 5, 7)
        assert kept.answers["killed"] == {"min": 5, "max": 5}


async def test_values_the_monitor_left_as_reported_come_from_the_report(as_monitor, database, settings):
    report = await claimed_report(as_monitor, database, settings)
    incident_id = await verify_and_publish(as_monitor, report, {"killed_min": "4", "killed_max": "6",
                                                                "injured_min": "", "injured_max": ""})
    token = await make_token(database)
    served = (await as_monitor.get(f"/api/v1/incidents/{incident_id}", headers=bearer(token))).json()
    assert served["event_type"] == "shelling_artillery_missile"
    assert (served["killed_min"], served["killed_max"], served["injured_min"], served["injured_max"]) == (4, 6, 7, 7)


async def test_a_reporters_about_ten_is_a_range_around_ten(as_monitor, database, settings):
    report = await claimed_report(as_monitor, database, settings, given={**HARM, "killed": Text("about 10")})
    async with database.transaction() as session:
        kept = await session.get(Report, report.id)
        assert kept.answers["killed"] == {"min": 10, "max": 10, "approximate": True}  # the words, as said
        assert (kept.killed_min, kept.killed_max) == (8, 12)
    incident_id = await verify_and_publish(as_monitor, report, {})
    token = await make_token(database)
    served = (await as_monitor.get(f"/api/v1/incidents/{incident_id}", headers=bearer(token))).json()
    assert (served["killed_min"], served["killed_max"]) == (8, 12)


ACCESS = {"constraint": Choice("movement_restriction"), "place": PlaceCode("SY0200"),
          "occurred_on": Choice("yesterday"), "time_precision": Choice("1"), "actor_type": ["local_ngo", "un_agency"],
          "sectors": ["food"], "duration": Choice("days"), "resolved": Choice("no")}


async def test_the_affected_actors_of_an_access_report_reach_the_incident_and_every_export(
        as_monitor, database, settings):
    report = await claimed_report(as_monitor, database, settings, "access", ACCESS)
    incident_id = await verify_and_publish(as_monitor, report, {})
    token = await make_token(database)
    served = (await as_monitor.get(f"/api/v1/incidents/{incident_id}", headers=bearer(token))).json()
    assert served["actor_types"] == ["un_agency", "local_ngo"] and served["sectors"] == ["food"]
    text = (await as_monitor.get("/api/v1/incidents", params={"format": "csv"}, headers=bearer(token))).text
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [row["actor_types"] for row in rows] == ["un_agency;local_ngo"]


async def test_the_incident_shows_which_report_and_monitor_each_value_came_from(as_monitor, database, settings):
    report = await claimed_report(as_monitor, database, settings)
    incident_id = await verify_and_publish(as_monitor, report, {"killed_min": "4", "killed_max": "6"})
    await edit(as_monitor, incident_id, {**FORM, "killed_min": "4", "killed_max": "8", "injured_min": "7",
                                         "injured_max": "7"})
    page = (await as_monitor.get(f"/incidents/{incident_id}")).text
    sources = dict(re.findall(r'<dd data-field="(\w+)">(.*?)</dd>', page, re.S))
    assert report.ref_code in sources["killed_min"] and "as assessed by mona" in sources["killed_min"]
    assert "edited by mona" in sources["killed_max"]
    assert "as reported, verified by mona" in sources["injured_min"]
    assert report.ref_code in sources["event_type"]

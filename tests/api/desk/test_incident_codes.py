"""Weapon, objects hit and the monitor's perpetrator, editable on a harm incident from the form's
codes, each beside what the reporters said (kept apart, never overwritten); audited, and
checked for coherence like the other edits."""

from __future__ import annotations

import re

import sqlalchemy as sa

from harmwatch.audit.models import AuditEvent
from harmwatch.incidents.models import Incident
from harmwatch.reports.models import Report
from harmwatch.review import service as review
from tests.api.desk.conftest import post
from tests.factories import make_report

VERSION = re.compile(r'name="version" value="([0-9a-f]+)"')
FORM = {"time_precision": "1", "export_decimals": "2", "occurred_on": "2026-11-20", "adm1_pcode": "SY02",
        "adm2_pcode": "SY0200", "codes_shown": "1"}
ANSWERS = {"weapon": "artillery_shell", "objects_hit": ["market"], "attribution": "The ones on the hill",
           "description": "Shelling hit the market."}


async def _incident(database, monitor, **fields) -> Incident:
    async with database.transaction() as session:
        report = await make_report(session, answers=dict(ANSWERS), **fields)
        await review.claim(session, report, user=monitor)
        return await review.verify(session, report, user=monitor, grade="fair")


async def _edit(client, incident_id, data):
    version = VERSION.search((await client.get(f"/incidents/{incident_id}")).text).group(1)
    return await post(client, f"/incidents/{incident_id}", {"version": version, **data})


def _section(html: str, ident: str) -> str:
    start = html.index(f'id="{ident}"')
    return html[start:html.index("</aside>", start)]


async def test_the_monitor_edits_weapon_objects_and_perpetrator_audited(as_monitor, database, monitor):
    incident = await _incident(database, monitor)
    page = (await as_monitor.get(f"/incidents/{incident.id}")).text
    # What the reporter said, shown apart beside each field.
    assert "Artillery shell" in _section(page, "claims-weapon")
    assert "Market" in _section(page, "claims-objects_hit")
    assert '<q class="own-words" lang="en" dir="auto">The ones on the hill</q>' in _section(page, "claims-perpetrator")

    await _edit(as_monitor, incident.id, {**FORM, "weapon": ["rocket", "mortar"],
                                          "objects_hit": ["market", "school"], "perpetrator": "unknown"})
    async with database.transaction() as session:
        stored = await session.get(Incident, incident.id)
        assert stored.codes["weapon"] == ["rocket", "mortar"]
        assert stored.codes["objects_hit"] == ["market", "school"]
        assert stored.codes["perpetrator"] == "unknown"
        report = await session.scalar(sa.select(Report).where(Report.incident_id == incident.id))
        assert report.answers["weapon"] == "artillery_shell"  # the reporter's answer is kept as it was
        assert report.answers["attribution"] == "The ones on the hill"
        event = await session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "incident.updated"))
        assert event.before["codes"]["weapon"] == "artillery_shell"
        assert event.after["codes"]["weapon"] == ["rocket", "mortar"]
    page = (await as_monitor.get(f"/incidents/{incident.id}")).text
    assert 'name="weapon" value="rocket" checked' in page and 'name="weapon" value="artillery_shell" checked' not in page
    assert '<option value="unknown" selected>' in page
    assert "Artillery shell" in _section(page, "claims-weapon")  # still shown apart

    # Unticking everything clears the monitor's values.
    await _edit(as_monitor, incident.id, {**FORM, "perpetrator": ""})
    async with database.transaction() as session:
        codes = (await session.get(Incident, incident.id)).codes
        assert "weapon" not in codes and "objects_hit" not in codes and "perpetrator" not in codes


async def test_a_weapon_for_an_event_without_one_is_refused_keeping_what_was_typed(as_monitor, database, monitor):
    incident = await _incident(database, monitor, event_type="arrest_detention")
    await _edit(as_monitor, incident.id, {**FORM, "weapon": ["small_arms"], "summary_public": "Typed summary"})
    page = (await as_monitor.get(f"/incidents/{incident.id}")).text
    assert "Weapon does not apply to this kind of event." in page
    assert 'name="weapon" value="small_arms" checked' in page  # the form comes back as typed
    assert "Typed summary" in page
    async with database.transaction() as session:
        stored = await session.get(Incident, incident.id)
        assert stored.codes.get("weapon") == "artillery_shell" and stored.summary_public == ""


async def test_codes_outside_the_form_are_refused(as_monitor, database, monitor):
    incident = await _incident(database, monitor)
    for bad in ({"weapon": ["laser"]}, {"objects_hit": ["moon"]}, {"perpetrator": "someone_else"}):
        await _edit(as_monitor, incident.id, {**FORM, **bad})
        assert "Choose one of the offered values." in (await as_monitor.get(f"/incidents/{incident.id}")).text
    async with database.transaction() as session:
        stored = await session.get(Incident, incident.id)
        assert stored.codes["weapon"] == "artillery_shell" and "perpetrator" not in stored.codes


async def test_a_form_without_the_codes_leaves_them_as_they_are(as_monitor, database, monitor):
    incident = await _incident(database, monitor)
    form = {k: v for k, v in FORM.items() if k != "codes_shown"}
    await _edit(as_monitor, incident.id, {**form, "summary_public": "Only the summary"})
    async with database.transaction() as session:
        stored = await session.get(Incident, incident.id)
        assert stored.summary_public == "Only the summary" and stored.codes["weapon"] == "artillery_shell"


async def test_an_access_incident_has_no_weapon_fields(as_monitor, database, monitor):
    incident = await _incident(database, monitor, report_type="access", form_id="access", event_type=None,
                               access_constraint="movement_restriction")
    assert 'id="assessed-codes"' not in (await as_monitor.get(f"/incidents/{incident.id}")).text

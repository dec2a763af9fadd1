"""Incoherent edits and verify values in the desk: a clear, translated message, nothing saved,
and the monitor's typed values shown back; a stale incident form is refused."""

import re

from harmwatch.incidents.models import Incident
from harmwatch.reports.models import Report
from harmwatch.review import service as review
from tests.api.desk.conftest import post
from tests.api.desk.test_incidents import FORM, VERSION, edit, verified_incident
from tests.factories import make_report


async def test_an_unknown_district_is_refused_and_the_typed_values_come_back(as_monitor, database, monitor):
    incident = await verified_incident(database, monitor)
    await edit(as_monitor, incident.id, {**FORM, "adm2_pcode": "ZZ9999", "killed_min": "3", "killed_max": "4",
                                         "summary_public": "Typed, not lost."})
    page = (await as_monitor.get(f"/incidents/{incident.id}")).text
    assert "District: ZZ9999 is not a place in the gazetteer." in page
    assert 'value="ZZ9999"' in page and 'value="3"' in page and "Typed, not lost." in page
    async with database.transaction() as session:
        stored = await session.get(Incident, incident.id)
        assert (stored.adm2_pcode, stored.killed_min, stored.summary_public) == ("SY0200", 2, "")
    again = (await as_monitor.get(f"/incidents/{incident.id}")).text  # shown back once, then the stored values
    assert 'value="ZZ9999"' not in again


async def test_each_incoherence_has_its_own_message(as_monitor, database, monitor):
    incident = await verified_incident(database, monitor, killed_min=5, killed_max=5)
    cases = [
        ({"adm1_pcode": "SY01"}, "District: SY0200 is not in the governorate SY01."),
        ({"killed_min": "5", "killed_max": "5", "children_killed_min": "9", "children_killed_max": "9"},
         "Children killed, minimum cannot be more than the total it is part of (at most 5)."),
        ({"geo_precision": "exact"}, "A place precision needs a point"),
        ({"lat": "36.2"}, "Longitude: a point needs both latitude and longitude."),
    ]
    for changes, message in cases:
        await edit(as_monitor, incident.id, {**FORM, "killed_min": "5", "killed_max": "5", **changes})
        assert message in (await as_monitor.get(f"/incidents/{incident.id}")).text, message
    async with database.transaction() as session:
        stored = await session.get(Incident, incident.id)
        assert (stored.adm1_pcode, stored.children_killed_min, stored.geo_precision, stored.lat) == (
            "SY02", None, None, None)


async def test_messages_are_translated(as_monitor, database, monitor):
    incident = await verified_incident(database, monitor)
    await post(as_monitor, "/account/language", {"lang": "fr"})
    await edit(as_monitor, incident.id, {**FORM, "adm2_pcode": "ZZ9999"})
    page = (await as_monitor.get(f"/incidents/{incident.id}")).text
    assert "ZZ9999" in page and "is not a place in the gazetteer" not in page


async def test_a_stale_incident_form_is_refused(as_monitor, database, monitor):
    incident = await verified_incident(database, monitor)
    loaded = VERSION.search((await as_monitor.get(f"/incidents/{incident.id}")).text).group(1)
    async with database.transaction() as session:
        other = await session.get(Incident, incident.id)
        other.killed_max = 40  # another monitor saved meanwhile
    await post(as_monitor, f"/incidents/{incident.id}", {**FORM, "version": loaded, "killed_min": "2",
                                                         "killed_max": "4"})
    assert "changed by someone else" in (await as_monitor.get(f"/incidents/{incident.id}")).text
    async with database.transaction() as session:
        assert (await session.get(Incident, incident.id)).killed_max == 40


async def test_incoherent_verify_values_keep_what_the_monitor_typed(as_monitor, database, monitor):
    async with database.transaction() as session:
        report = await make_report(session, killed_min=5, killed_max=5, children_killed_min=3,
                                   children_killed_max=3)
        await review.claim(session, report, user=monitor)
    await post(as_monitor, f"/reports/{report.id}/verify", {
        "grade": "weak", "killed_min": "1", "killed_max": "2", "note": "Checked with the hospital."})
    page = (await as_monitor.get(f"/reports/{report.id}")).text
    assert "Children killed, minimum cannot be more than the total it is part of (at most 2)." in page
    form = re.search(r'<form[^>]+id="verify-form".*?</form>', page, re.S).group(0)
    assert 'name="killed_min" inputmode="numeric" placeholder="min" aria-label="Killed min" value="1"' in form
    assert '<option value="weak" selected>' in form and "Checked with the hospital." in form
    async with database.transaction() as session:
        stored = await session.get(Report, report.id)
        assert (stored.status, stored.incident_id) == ("in_review", None)

"""The incident list filters by type, event or constraint, place (from the stored gazetteer),
grade, state and date of the event, on the server, and its keyset pages keep the filters."""

from __future__ import annotations

import re
from datetime import date

from harmwatch.incidents.models import Incident
from harmwatch.places.service import import_csv

PLACES = """pcode,name,parent_pcode,level,lat,lon
UA63,Kharkivska,,1,49.99,36.23
UA6302,Kharkivskyi,UA63,2,49.99,36.23
UA6304,Izium,UA63,2,49.2,37.3
UA46,Lvivska,,1,49.84,24.03
"""


def shown(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'<td data-label="#"><a href="/incidents/(\d+)">', html)}


async def _incidents(database) -> dict[str, int]:
    rows = {
        "shelling_kharkivskyi": Incident(report_type="harm", event_type="shelling_artillery_missile", adm1_pcode="UA63",
                                         adm2_pcode="UA6302", occurred_on=date(2026, 3, 1), grade="fair",
                                         state="published"),
        "airstrike_izium": Incident(report_type="harm", event_type="air_drone_strike", adm1_pcode="UA63",
                                    adm2_pcode="UA6304", occurred_on=date(2026, 5, 10), grade="confirmed"),
        "access_lviv": Incident(report_type="access", access_constraint="movement_restriction", adm1_pcode="UA46",
                                occurred_on=date(2026, 7, 20), grade="fair", state="withdrawn"),
    }
    async with database.transaction() as session:
        await import_csv(session, PLACES)
        session.add_all(rows.values())
        await session.flush()
        return {name: row.id for name, row in rows.items()}


async def test_each_filter_narrows_the_list(as_monitor, database):
    ids = await _incidents(database)

    async def listed(query: str) -> set[str]:
        html = (await as_monitor.get(f"/incidents?{query}")).text
        return {name for name, i in ids.items() if i in shown(html)}

    assert await listed("") == set(ids)
    assert await listed("type=access") == {"access_lviv"}
    assert await listed("category=shelling_artillery_missile") == {"shelling_kharkivskyi"}
    assert await listed("place=UA63") == {"shelling_kharkivskyi", "airstrike_izium"}  # a governorate
    assert await listed("place=UA6304") == {"airstrike_izium"}  # a district
    assert await listed("grade=fair") == {"shelling_kharkivskyi", "access_lviv"}
    assert await listed("state=withdrawn") == {"access_lviv"}
    assert await listed("from=2026-04-01&to=2026-06-30") == {"airstrike_izium"}
    assert await listed("place=UA63&grade=fair&type=harm") == {"shelling_kharkivskyi"}


async def test_the_place_picker_lists_the_stored_gazetteer(as_monitor, database):
    await _incidents(database)
    html = (await as_monitor.get("/incidents?place=UA6304")).text
    picker = html[html.index('id="incident-place"'):html.index("</select>", html.index('id="incident-place"'))]
    codes = re.findall(r'<option value="([A-Z0-9]+)"', picker)
    assert sorted(codes) == sorted(["UA46", "UA63", "UA6302", "UA6304"])
    assert codes.index("UA63") + 1 == codes.index("UA6302")  # districts under their governorate
    assert '<option value="UA6304" selected>' in picker
    assert "SY" not in picker  # not the built-in Syria list


async def test_a_bad_value_is_said_and_left_out(as_monitor, database):
    ids = await _incidents(database)
    html = (await as_monitor.get("/incidents?place=ZZ9999&grade=fair")).text
    assert "Place" in html and 'class="flash error"' in html
    assert shown(html) == {ids["shelling_kharkivskyi"], ids["access_lviv"]}  # the grade still applies


async def test_the_next_page_keeps_the_filters(as_monitor, database):
    async with database.transaction() as session:
        session.add_all([Incident(report_type="harm", event_type="shelling_artillery_missile", grade="weak") for _ in range(53)])
        session.add_all([Incident(report_type="harm", event_type="shelling_artillery_missile", grade="fair") for _ in range(3)])
    first = (await as_monitor.get("/incidents?grade=weak")).text
    assert len(shown(first)) == 50
    link = re.search(r'href="(/incidents\?[^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    assert "grade=weak" in link
    second = (await as_monitor.get(link)).text
    assert len(shown(second)) == 3 and not shown(first) & shown(second)
    assert 'rel="next"' not in second


async def test_the_incidents_district_is_picked_from_the_stored_gazetteer(as_monitor, database):
    ids = await _incidents(database)
    async with database.transaction() as session:
        legacy = Incident(report_type="harm", event_type="shelling_artillery_missile", adm2_pcode="ZZ9999")
        session.add(legacy)
    html = (await as_monitor.get(f"/incidents/{ids['airstrike_izium']}")).text
    picker = html[html.index('id="incident-adm2"'):html.index("</select>", html.index('id="incident-adm2"'))]
    assert '<option value="UA6304" selected>Izium (UA6304)</option>' in picker
    assert '<optgroup label="Kharkivska">' in picker and "UA6302" in picker and "SY" not in picker
    html = (await as_monitor.get(f"/incidents/{legacy.id}")).text
    picker = html[html.index('id="incident-adm2"'):html.index("</select>", html.index('id="incident-adm2"'))]
    assert '<option value="ZZ9999" selected>ZZ9999</option>' in picker  # shown as stored, not lost

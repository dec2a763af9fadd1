"""The desk names places from the stored gazetteer: after `places import`, the queue's filter,
the report page and the dashboard show the imported country's areas, not Syria's."""

from __future__ import annotations

from harmwatch.places.service import import_csv
from tests.factories import make_report

UKRAINE = """pcode,name,parent_pcode,level,lat,lon,name_uk
UA63,Kharkivska,,1,49.99,36.23,Харківська
UA6302,Kharkivskyi,UA63,2,49.99,36.23,Харківський
UA46,Lvivska,,1,49.84,24.03,Львівська
"""


async def test_the_desk_shows_imported_names(as_monitor, database):
    async with database.transaction() as session:
        await import_csv(session, UKRAINE)
        report = await make_report(session, adm1_pcode="UA63", adm2_pcode="UA6302")
    queue = (await as_monitor.get("/")).text
    assert "Kharkivska (UA63)" in queue and "Lvivska (UA46)" in queue
    assert "Aleppo" not in queue
    page = (await as_monitor.get(f"/reports/{report.id}")).text
    assert "Kharkivskyi" in page
    dashboard = (await as_monitor.get("/dashboard")).text
    assert "Kharkivska" in dashboard


async def test_a_second_import_renames_in_place(as_monitor, database):
    async with database.transaction() as session:
        await import_csv(session, UKRAINE)
    assert "Lvivska (UA46)" in (await as_monitor.get("/")).text
    async with database.transaction() as session:
        await import_csv(session, UKRAINE.replace("46,Lvivska", "46,Lviv oblast"))
    assert "Lviv oblast (UA46)" in (await as_monitor.get("/")).text

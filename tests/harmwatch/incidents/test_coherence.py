"""Incoherent records are refused before anything is saved: unknown P-codes, a district outside
its governorate, a part above its total, min above max, a precision without a point, a stale edit."""

import pytest

from harmwatch.incidents import service as incidents
from harmwatch.incidents.service import IncidentError, version_of
from harmwatch.places.service import import_csv
from harmwatch.review import service as review
from harmwatch.review.service import ReviewError
from tests.factories import make_report, make_user


async def incident_of(session):
    monitor = await make_user(session)
    report = await make_report(session, killed_min=5, killed_max=5)
    await review.claim(session, report, user=monitor)
    return await review.verify(session, report, user=monitor, grade="fair")


@pytest.mark.parametrize("changes, code, field", [
    ({"adm2_pcode": "ZZ9999"}, "unknown_pcode", "adm2_pcode"),
    ({"adm1_pcode": "SY0200"}, "unknown_pcode", "adm1_pcode"),  # a district is no governorate
    ({"adm1_pcode": "SY01"}, "adm2_outside_adm1", "adm2_pcode"),  # SY0200 lies in SY02
    ({"children_killed_min": 9, "children_killed_max": 9}, "part_above_total", "children_killed_min"),
    ({"killed_min": 6}, "min_above_max", "killed_min"),
    ({"injured_max": -1}, "negative_count", "injured_max"),
    ({"geo_precision": "exact"}, "precision_needs_point", "geo_precision"),
    ({"lat": 36.2}, "point_needs_both", "lon"),
])
async def test_incoherent_edits_are_refused_and_change_nothing(database, changes, code, field):
    async with database.transaction() as session:
        incident = await incident_of(session)
        before = version_of(incident)
        with pytest.raises(IncidentError) as error:
            await incidents.update(session, incident, actor="user:m", changes=changes)
        assert (error.value.code, error.value.field) == (code, field)
        assert version_of(incident) == before


async def test_coherent_edits_pass(database):
    async with database.transaction() as session:
        incident = await incident_of(session)
        await incidents.update(session, incident, actor="user:m", changes={
            "adm1_pcode": "SY01", "adm2_pcode": "SY0100", "children_killed_min": 1, "children_killed_max": 5,
            "lat": 33.5, "lon": 36.3, "geo_precision": "exact"})
        assert (incident.adm2_pcode, incident.children_killed_max) == ("SY0100", 5)


async def test_p_codes_come_from_the_stored_gazetteer_once_one_is_loaded(database, tmp_path):
    table = tmp_path / "places.csv"
    table.write_text("pcode,name,parent_pcode,level,lat,lon\nUA01,Crimea,,1,,\nUA0102,Bakhchysarai,UA01,2,,\n")
    async with database.transaction() as session:
        await import_csv(session, table)
        incident = await incident_of(session)
        with pytest.raises(IncidentError) as error:
            await incidents.update(session, incident, actor="user:m", changes={})  # SY02 is not stored here
        assert error.value.code == "unknown_pcode"
        await incidents.update(session, incident, actor="user:m",
                               changes={"adm1_pcode": "UA01", "adm2_pcode": "UA0102"})


async def test_an_edit_made_on_an_older_version_is_stale(database):
    async with database.transaction() as session:
        incident = await incident_of(session)
        seen = version_of(incident)
        await incidents.update(session, incident, actor="user:a", changes={"killed_max": 8}, version=seen)
        with pytest.raises(IncidentError) as error:
            await incidents.update(session, incident, actor="user:b", changes={"killed_max": 6}, version=seen)
        assert error.value.code == "stale" and incident.killed_max == 8


async def test_assessed_counts_must_hold_the_reports_parts(database):
    async with database.transaction() as session:
        monitor = await make_user(session)
        report = await make_report(session, killed_min=5, killed_max=5, children_killed_min=3, children_killed_max=3)
        await review.claim(session, report, user=monitor)
        with pytest.raises(ReviewError) as error:
            await review.verify(session, report, user=monitor, grade="fair",
                                assessment={"normalised": {"killed": {"min": 1, "max": 2}}})
        assert (error.value.code, error.value.field) == ("part_above_total", "children_killed_min")
        assert report.status == "in_review" and report.incident_id is None

"""HXL tags that tools can sum: a total's tag matches no part column (children, aid workers),
checked with libhxl's own pattern matching on a real HXL export; the country column."""

from __future__ import annotations

import hxl

from harmwatch.exports.columns import COLUMNS
from harmwatch.exports.query import IncidentFilter
from tests.api.ngo.conftest import make_incident
from tests.harmwatch.exports.test_pg_copy import python_bytes

TOTALS = ("killed", "injured", "missing")


def _matching(pattern: str) -> list[str]:
    tag = hxl.TagPattern.parse(pattern)
    return [c.name for c in COLUMNS if tag.match(hxl.Column.parse(c.hxl))]


def test_no_tag_of_a_total_matches_a_part_column():
    for total in TOTALS:
        for end in ("min", "max"):
            assert _matching(f"#affected+{total}+total+{end}") == [f"{total}_{end}"]
        assert _matching(f"#affected+{total}+total") == [f"{total}_min", f"{total}_max"]
    assert _matching("#affected+killed+children+min") == ["children_killed_min"]
    assert _matching("#affected+killed+aid_workers") == ["aid_workers_killed_min", "aid_workers_killed_max"]
    # And no column's full tag selects another count column.
    counts = [c for c in COLUMNS if c.hxl.startswith("#affected")]
    for column in counts:
        assert _matching(column.hxl) == [column.name]


def test_every_tag_is_valid_hxl_and_the_country_is_iso3():
    for column in COLUMNS:
        assert hxl.Column.parse(column.hxl).display_tag == column.hxl
    assert _matching("#country+code") == ["country_code"]


async def test_libhxl_sums_only_the_totals_of_a_real_export(database, tmp_path):
    async with database.transaction() as session:
        await make_incident(session, killed_min=5, killed_max=7, children_killed_min=2, children_killed_max=3,
                            aid_workers_killed_min=1, aid_workers_killed_max=1)
        await make_incident(session, killed_min=1, killed_max=2)
    path = tmp_path / "incidents-hxl.csv"
    path.write_bytes(await python_bytes(database, IncidentFilter(), hxl=True))
    rows = list(hxl.data(str(path), hxl.InputOptions(allow_local=True)))
    totals = [sum(int(v) for r in rows for v in r.get_all(f"#affected+killed+total+{end}")) for end in ("min", "max")]
    assert totals == [6, 9]  # before: #affected+killed matched children and aid workers too
    assert [len(r.get_all("#affected+killed+total+min")) for r in rows] == [1, 1]
    assert {r.get("#country+code") for r in rows} == {"SYR"}

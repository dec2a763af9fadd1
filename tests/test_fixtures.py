"""The shared fixtures keep their promise: each test gets a migrated, empty database whose ids
start at 1, whatever the tests before it wrote (or rolled back), on SQLite and PostgreSQL."""

import pytest
import sqlalchemy as sa

from harmwatch.models import metadata
from tests.factories import make_report, make_reporter, make_user


class Rollback(Exception):
    pass


@pytest.mark.parametrize("turn", [1, 2, 3])
async def test_each_test_starts_on_an_empty_database_with_fresh_ids(database, settings, turn):
    async with database.transaction() as session:
        for table in metadata.sorted_tables:
            assert await session.scalar(sa.select(sa.func.count()).select_from(table)) == 0, table.name
    async with database.transaction() as session:  # rows in parents and children, for the next test
        user = await make_user(session, name=f"turn-{turn}")
        reporter = await make_reporter(session, settings)
        report = await make_report(session, reporter=reporter)
    assert (user.id, reporter.id, report.id) == (1, 1, 1)
    with pytest.raises(Rollback):  # an id taken by an insert that is rolled back
        async with database.transaction() as session:
            await make_user(session, name=f"gone-{turn}")
            raise Rollback

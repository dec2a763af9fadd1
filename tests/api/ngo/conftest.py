"""Fixtures for the NGO API: the app with its lifespan, an NGO token, and a small known set of
incidents (two published, one not) whose exports the tests check cell by cell."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from api.main import create_app
from harmwatch.accounts.models import Role
from harmwatch.accounts.service import create_token
from harmwatch.incidents.models import Incident
from tests.factories import make_user

# A fixed moment in the past, so that exports can be checked cell by cell.
EARLIER = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)


async def make_incident(session, **overrides: Any) -> Incident:
    fields: dict[str, Any] = {
        "report_type": "harm",
        "event_type": "shelling_artillery_missile",
        "occurred_on": date(2026, 11, 20),
        "adm1_pcode": "SY02",
        "adm2_pcode": "SY0200",
        "grade": "fair",
        "state": "published",
        "created_at": EARLIER - timedelta(days=1),
        "updated_at": EARLIER,
    }
    fields.update(overrides)
    incident = Incident(**fields)
    session.add(incident)
    await session.flush()
    return incident


async def make_token(database, *, role: Role = Role.NGO) -> str:
    async with database.transaction() as session:
        user = await make_user(session, role=role, password=None)
        plain, _ = await create_token(session, user=user, name="tests")
    return plain


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def token(database) -> str:
    return await make_token(database)


@pytest.fixture
async def known(database) -> dict[str, int]:
    """A harm incident with a point, an access incident without one, an unpublished one."""
    async with database.transaction() as session:
        harm = await make_incident(
            session, lat=36.123456, lon=37.654321, export_decimals=2, geo_precision="near",
            killed_min=2, killed_max=4, children_killed_min=0, children_killed_max=0,
            codes={"objects_hit": ["market", "home"], "weapon": "artillery_shell", "sources": ["witness"]},
            summary_public='Shelling hit the "central" market, 3 shops', time_precision=1,
        )
        access = await make_incident(
            session, report_type="access", event_type=None, access_constraint="movement_restriction",
            adm1_pcode="SY01", adm2_pcode=None, grade="confirmed", occurred_on=date(2026, 10, 2),
            people_not_reached_min=100, people_not_reached_max=200, time_precision=2,
            codes={"sectors": ["food", "health"], "actor_types": ["local_ngo"], "duration": "days", "resolved": "no"},
            updated_at=EARLIER + timedelta(minutes=5),
        )
        hidden = await make_incident(session, state="unpublished", killed_min=9, killed_max=9)
    return {"harm": harm.id, "access": access.id, "hidden": hidden.id}


@pytest.fixture
async def app(settings):
    """The real application, lifespan and all, on the test database."""
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def bulk_incidents(database, count: int, *, batch: int = 5000) -> None:
    """Many published incidents at once (Core inserts), for streaming tests."""
    import sqlalchemy as sa

    table = Incident.__table__
    for start in range(0, count, batch):
        rows = [{
            "report_type": "harm", "event_type": "air_drone_strike",
            "occurred_on": date(2026, 1, 1) + timedelta(days=i % 300),
            "time_precision": 1, "adm1_pcode": "SY02", "adm2_pcode": "SY0200", "lat": 36.2 + i * 1e-6, "lon": 37.1,
            "geo_precision": "near", "export_decimals": 2, "grade": "weak", "codes": {"objects_hit": ["home"]},
            "killed_min": i % 7, "killed_max": i % 7 + 2, "summary_public": "", "notes_private": "",
            "state": "published", "withdrawn_reason": "", "created_at": EARLIER, "updated_at": EARLIER,
        } for i in range(start, min(start + batch, count))]
        async with database.transaction() as session:
            await session.execute(sa.insert(table), rows)

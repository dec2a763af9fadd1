"""Places in the database: load the built-in gazetteer, import another country's CSV, and
build the in-memory `Gazetteer` from what is stored. Renaming a place changes the names every
export of its incidents carries, so it is a change of those incidents for the change feed.
Services flush; the caller commits."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from harmwatch.database import utcnow
from harmwatch.i18n import N_
from harmwatch.incidents.models import Incident
from harmwatch.places.csv_format import PlaceImportError, PlaceRow, check_parents, parse_places_csv
from harmwatch.places.gazetteer import Gazetteer, builtin_gazetteer, builtin_rows
from harmwatch.places.models import Place

__all__ = ["PlaceImportError", "gazetteer", "import_csv", "load_builtin"]


async def load_builtin(session: AsyncSession) -> int:
    """Store the deployment's gazetteer (built in: Syria), updating rows already there;
    returns the count."""
    from harmwatch.deployment import current

    return await _upsert(session, builtin_rows(current().places))


async def import_csv(session: AsyncSession, source: str | Path) -> int:
    """Import a gazetteer CSV (a path, or the CSV text itself); returns the number of places
    stored. Every row is checked first; on any error PlaceImportError names the line and
    nothing is stored."""
    text = _read(source)
    rows = parse_places_csv(text)
    outside = {row.parent_pcode for row in rows if row.parent_pcode} - {row.pcode for row in rows}
    known: dict[str, int] = {}
    if outside:
        result = await session.execute(select(Place.pcode, Place.level).where(Place.pcode.in_(outside)))
        known = {pcode: level for pcode, level in result.all()}
    check_parents(rows, known)
    return await _upsert(session, rows)


# Per database: the stamp (count, last import) the cached gazetteer was built at, and it.
_CACHE: dict[str, tuple[tuple, Gazetteer]] = {}


async def gazetteer(session: AsyncSession) -> Gazetteer:
    """The gazetteer of the stored places; the built-in one while none are stored. Built once
    per import: each call costs one small aggregate query, so the desk, the API and the bot
    see an import made by `harmwatch places import` on any machine at their next request."""
    stamp = tuple((await session.execute(select(func.count(), func.max(Place.updated_at)))).one())
    if not stamp[0]:
        return builtin_gazetteer()
    key = session.bind.url.render_as_string(hide_password=True)
    cached = _CACHE.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    places = (await session.execute(select(Place).order_by(Place.pcode))).scalars().all()
    built = Gazetteer.from_places(places)
    _CACHE[key] = (stamp, built)
    return built


async def _upsert(session: AsyncSession, rows: list[PlaceRow]) -> int:
    pcodes = [row.pcode for row in rows]
    result = await session.execute(select(Place).where(Place.pcode.in_(pcodes)))
    stored = {place.pcode: place for place in result.scalars()}
    now = utcnow()
    renamed = [row.pcode for row in rows if row.pcode in stored
               and (stored[row.pcode].name, stored[row.pcode].names) != (row.name, dict(row.names))]
    for row in rows:
        place = stored.get(row.pcode)
        if place is None:
            place = Place(pcode=row.pcode, level=row.level, name=row.name)
            session.add(place)
        place.level = row.level
        place.parent_pcode = row.parent_pcode
        place.name = row.name
        place.names = dict(row.names)
        place.lat = row.lat
        place.lon = row.lon
        place.updated_at = now
    await session.flush()
    if renamed:
        await _touch_incidents_in(session, renamed)
    return len(rows)


async def _touch_incidents_in(session: AsyncSession, pcodes: list[str]) -> None:
    """Every incident in these places changed now (its exported names did): the database gives
    each a new position in the change feed, and updated_since sees it."""
    incidents = Incident.__table__
    for start in range(0, len(pcodes), 500):
        chunk = pcodes[start:start + 500]
        await session.execute(sa.update(incidents).where(
            sa.or_(incidents.c.adm1_pcode.in_(chunk), incidents.c.adm2_pcode.in_(chunk))).values(updated_at=utcnow()))


def _read(source: str | Path) -> str:
    # A str with a line break or a comma is CSV text; anything else names a file.
    if isinstance(source, str) and ("\n" in source or "," in source):
        return source
    data = Path(source).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PlaceImportError(line, N_("This line is not UTF-8 text.")) from None

"""A reporter who types a town's name near enough is offered it with its area, and the
report keeps the town's district."""

from __future__ import annotations

import sqlalchemy as sa

from harmwatch.places.gazetteer import builtin_gazetteer
from harmwatch.reports.models import Draft
from tests.bot.chatting import Chatter


async def place_chosen(sandbox, database, *, typed: str, offered: str) -> dict:
    """A harm report's place typed as `typed`, then the suggestion `offered` tapped: the place
    the draft keeps."""
    chatter = await Chatter.create(sandbox.client, lang="en")
    await chatter.say("/start")
    await chatter.tap("Civilians harmed")
    await chatter.tap("Air or drone strike")
    reply = await chatter.say(typed)
    assert offered in Chatter.buttons(reply)
    await chatter.tap(offered)
    async with database.transaction() as session:
        draft = (await session.scalars(sa.select(Draft))).one()
    return draft.answers["place"]


async def test_a_misspelt_town_is_offered_with_its_governorate(sandbox, reporter_bot, database):
    place = await place_chosen(sandbox, database, typed="Saraqeb", offered="Saraqib, Idleb")
    saraqib = builtin_gazetteer().best("Saraqib")
    # The town's own level (4 in the built-in gazetteer) comes with it, for the adm4 export columns.
    assert place == {"adm1": "SY07", "adm2": "SY0700", "pcode": saraqib.pcode,
                                      f"adm{saraqib.level}": saraqib.pcode, "text": "Saraqeb"}


async def test_a_geonames_village_typed_keeps_its_district_governorate_and_point(sandbox, reporter_bot, database):
    # Al Atarib is not among Harmwatch's own 62 towns: it comes from the GeoNames file.
    place = await place_chosen(sandbox, database, typed="Atareb", offered="Al Atarib, Aleppo")
    assert place == {"adm1": "SY02", "adm2": "SY0200", "pcode": "GN174030",
                                      "adm4": "GN174030", "text": "Atareb"}
    atarib = builtin_gazetteer().get("GN174030")
    assert (atarib.lat, atarib.lon) == (36.13907, 36.82504)

"""A reporter who types a town's name near enough is offered it with its area, and the
report keeps the town's district."""

from __future__ import annotations

import sqlalchemy as sa

from harmwatch.places.gazetteer import builtin_gazetteer
from harmwatch.reports.models import Draft
from tests.bot.chatting import Chatter


async def test_a_misspelt_town_is_offered_with_its_governorate(sandbox, reporter_bot, database):
    chatter = await Chatter.create(sandbox.client, lang="en")
    await chatter.say("/start")
    await chatter.tap("Civilians harmed")
    await chatter.tap("Air or drone strike")
    reply = await chatter.say("Saraqeb")
    assert "Saraqib, Idleb" in Chatter.buttons(reply)
    await chatter.tap("Saraqib, Idleb")
    async with database.transaction() as session:
        draft = (await session.scalars(sa.select(Draft))).one()
    saraqib = builtin_gazetteer().best("Saraqib")
    # The town's own level (4 in the built-in gazetteer) comes with it, for the adm4 export columns.
    assert draft.answers["place"] == {"adm1": "SY07", "adm2": "SY0700", "pcode": saraqib.pcode,
                                      f"adm{saraqib.level}": saraqib.pcode, "text": "Saraqeb"}


async def test_a_geonames_village_typed_keeps_its_district_governorate_and_point(sandbox, reporter_bot, database):
    # Al Atarib is not among Harmwatch's own 62 towns: it comes from the GeoNames file.
    chatter = await Chatter.create(sandbox.client, lang="en")
    await chatter.say("/start")
    await chatter.tap("Civilians harmed")
    await chatter.tap("Air or drone strike")
    reply = await chatter.say("Atareb")
    assert "Al Atarib, Aleppo" in Chatter.buttons(reply)
    await chatter.tap("Al Atarib, Aleppo")
    async with database.transaction() as session:
        draft = (await session.scalars(sa.select(Draft))).one()
    assert draft.answers["place"] == {"adm1": "SY02", "adm2": "SY0200", "pcode": "GN174030",
                                      "adm4": "GN174030", "text": "Atareb"}
    atarib = builtin_gazetteer().get("GN174030")
    assert (atarib.lat, atarib.lon) == (36.13907, 36.82504)

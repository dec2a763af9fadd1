"""GET /api/v1/changes, the change feed: every change an NGO can see comes once, in order,
whoever made it and however long its saving took; withdrawn and merged incidents come as
tombstones; a renamed place is a change of its incidents; unpublished ones never appear."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from harmwatch.database import utcnow
from harmwatch.exports.changes import POSITION_SALT
from harmwatch.exports.cursor import CursorSigner, Position
from harmwatch.incidents import lifecycle, service
from harmwatch.incidents.models import Incident
from harmwatch.places.service import import_csv, load_builtin
from tests.api.ngo.conftest import bearer, make_incident


async def feed(client, token, **params) -> dict:
    response = await client.get("/api/v1/changes", params=params, headers=bearer(token))
    assert response.status_code == 200, response.text
    return response.json()


async def follow(client, token, after: str | None = None, *, limit: int = 100, **params) -> tuple[list[dict], str]:
    """Every change after `after`, call after call, and the position to resume from."""
    served: list[dict] = []
    while True:
        body = await feed(client, token, limit=limit, **params, **({"after": after} if after else {}))
        served += body["data"]
        after = body["next_position"]
        if not body["more"]:
            return served, after


async def edit(database, incident_id: int, **values) -> None:
    async with database.transaction() as session:
        incident = await session.get(Incident, incident_id)
        for name, value in values.items():
            setattr(incident, name, value)


async def test_the_feed_serves_each_incident_once_in_the_order_of_its_changes(client, token, database, known):
    served, position = await follow(client, token, limit=1)
    assert [c["id"] for c in served] == [known["harm"], known["access"]]  # not the unpublished one
    assert served[0]["killed_max"] == 4 and served[0]["status"] == "verified"
    await edit(database, known["harm"], killed_max=6, updated_at=utcnow())
    again, position = await follow(client, token, position)
    assert [(c["id"], c["killed_max"]) for c in again] == [(known["harm"], 6)]
    assert (await follow(client, token, position))[0] == []  # nothing new: nothing served


async def test_an_edit_whose_saving_took_long_is_served_not_skipped(client, token, database):
    """The edit's timestamp is older than what the reader has already seen (it was taken before
    a lock wait): no timestamp margin could serve it, its position does."""
    now = utcnow()
    async with database.transaction() as session:
        first = (await make_incident(session, updated_at=now - timedelta(seconds=30))).id
        seen = (await make_incident(session, updated_at=now - timedelta(seconds=10))).id
    served, position = await follow(client, token)
    async with database.transaction() as session:  # saved now, stamped 20 s ago
        late = (await make_incident(session, updated_at=now - timedelta(seconds=20))).id
    cursor_page = await client.get("/api/v1/incidents", params={"limit": 1}, headers=bearer(token))
    after_first = cursor_page.json()["next_cursor"]
    rest = await client.get("/api/v1/incidents", params={"limit": 10, "cursor": after_first}, headers=bearer(token))
    assert [c["id"] for c in served] == [first, seen]
    assert [c["id"] for c in (await follow(client, token, position))[0]] == [late]
    assert [r["id"] for r in rest.json()["data"]] == [seen, late]


async def test_a_change_made_without_the_orm_gets_a_position_too(client, token, database, known):
    _, position = await follow(client, token)
    async with database.transaction() as session:
        await session.execute(sa.update(Incident).where(Incident.id == known["access"]).values(grade="weak"))
    served, _ = await follow(client, token, position)
    assert [(c["id"], c["grade"]) for c in served] == [(known["access"], "weak")]


async def test_withdrawn_and_merged_incidents_come_as_tombstones(client, token, database, known):
    _, position = await follow(client, token)
    withdrawn_at = utcnow().replace(microsecond=0)
    await edit(database, known["harm"], state="withdrawn", withdrawn_reason="a duplicate post", updated_at=withdrawn_at)
    await edit(database, known["access"], state="merged", merged_into_id=known["hidden"], updated_at=withdrawn_at)
    served, _ = await follow(client, token, position)
    assert served == [
        {"id": known["harm"], "status": "withdrawn", "merged_into": None,
         "updated_at": withdrawn_at.strftime("%Y-%m-%dT%H:%M:%SZ")},
        {"id": known["access"], "status": "merged", "merged_into": known["hidden"],
         "updated_at": withdrawn_at.strftime("%Y-%m-%dT%H:%M:%SZ")},
    ]
    listed = await client.get("/api/v1/incidents", headers=bearer(token))
    assert listed.json()["data"] == []  # tombstones are in the feed only


async def test_every_move_of_the_lifecycle_through_the_services_is_in_the_feed(client, token, database):
    async with database.transaction() as session:
        a, b, c = [(await make_incident(session, state="unpublished")).id for _ in range(3)]
    nothing, position = await follow(client, token)
    assert nothing == []

    async def act(move) -> list[dict]:
        nonlocal position
        async with database.transaction() as session:
            await move(session, *[await session.get(Incident, i) for i in (a, b, c)])
        served, position = await follow(client, token, position)
        return served

    async def publish(session, *incidents):
        for incident in incidents:
            await service.set_published(session, incident, actor="test", published=True)

    assert [(x["id"], x["status"]) for x in await act(publish)] == [(a, "verified"), (b, "verified"),
                                                                  (c, "verified")]
    edited = await act(lambda s, ia, ib, ic: service.update(s, ia, actor="test", changes={"killed_max": 9}))
    assert [(x["id"], x["killed_max"]) for x in edited] == [(a, 9)]
    withdrawn = await act(lambda s, ia, ib, ic: lifecycle.withdraw(s, ib, actor="test", reason="wrong district"))
    assert [(x["id"], x["status"], x["merged_into"]) for x in withdrawn] == [(b, "withdrawn", None)]
    merged = await act(lambda s, ia, ib, ic: service.merge(s, target=ia, others=[ic], actor="test"))
    assert sorted((x["id"], x["status"], x.get("merged_into")) for x in merged) == [(a, "verified", None),
                                                                                   (c, "merged", a)]
    reopened = await act(lambda s, ia, ib, ic: lifecycle.reopen(s, ib, actor="test"))
    assert reopened == []  # unpublished again: nothing NGOs see has changed (they hold its tombstone)
    assert [x["id"] for x in await act(lambda s, ia, ib, ic: publish(s, ib))] == [b]


async def test_unpublished_incidents_never_appear_in_the_feed(client, token, database, known):
    _, position = await follow(client, token)
    await edit(database, known["hidden"], killed_max=12)
    assert (await follow(client, token, position))[0] == []
    await edit(database, known["hidden"], state="published")
    assert [c["id"] for c in (await follow(client, token, position))[0]] == [known["hidden"]]


async def test_renaming_a_place_is_a_change_of_the_incidents_in_it(client, token, database, known):
    async with database.transaction() as session:
        await load_builtin(session)
    _, position = await follow(client, token)
    async with database.transaction() as session:  # the access incident is in SY01, the harm one in SY02
        await import_csv(session, "pcode,name,parent_pcode,level,lat,lon\nSY01,Damascus City,,1,33.5,36.3\n")
    served, position = await follow(client, token, position)
    assert [(c["id"], c["adm1_name"]) for c in served] == [(known["access"], "Damascus City")]
    async with database.transaction() as session:  # the same name again is no change
        await import_csv(session, "pcode,name,parent_pcode,level,lat,lon\nSY01,Damascus City,,1,33.5,36.3\n")
    assert (await follow(client, token, position))[0] == []


async def test_filters_apply_to_the_feed(client, token, known):
    served, _ = await follow(client, token, report_type="access")
    assert [c["id"] for c in served] == [known["access"]]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_transaction_held_open_holds_back_the_changes_after_it_until_it_commits(client, token, database,
                                                                                       known):
    """PostgreSQL numbers changes as they are made, not as they commit: a transaction that took an
    earlier position and is still open must hold back every later one, or a reader would page
    past its position before it commits and never see it."""
    _, position = await follow(client, token)
    async with database.sessions() as held:
        incident = await held.get(Incident, known["harm"])
        incident.killed_max = 7
        await held.flush()  # this change has its position now, and is not committed
        await edit(database, known["access"], grade="weak")  # a later change, committed
        body = await feed(client, token, after=position)
        assert (body["data"], body["more"]) == ([], False)  # the later change waits: it is not served
        position = body["next_position"]
        await held.commit()
    served, position = await follow(client, token, position)
    assert [(c["id"], c["killed_max"], c["grade"]) for c in served] == [(known["harm"], 7, "fair"),
                                                                        (known["access"], None, "weak")]
    assert (await follow(client, token, position))[0] == []


def position_signer(settings):
    return CursorSigner(settings.derived_key("cursor"), salt=POSITION_SALT)


@pytest.mark.parametrize("case", ["forged", "edited", "other_filters", "future", "a_cursor"])
async def test_a_bad_position_is_a_400_naming_it(client, token, settings, known, case):
    _, position = await follow(client, token, report_type="harm")
    cursor = (await client.get("/api/v1/incidents", params={"limit": 1}, headers=bearer(token))).json()["next_cursor"]
    params = {
        "forged": {"after": CursorSigner(b"not the key" * 3, salt=POSITION_SALT).dump(Position(1, 1), {})},
        "edited": {"after": position[:12] + ("A" if position[12] != "A" else "B") + position[13:],
                   "report_type": "harm"},
        "other_filters": {"after": position, "report_type": "access"},
        "future": {"after": position_signer(settings).dump(Position(2**40, 2**40), {})},
        "a_cursor": {"after": cursor},
    }[case]
    response = await client.get("/api/v1/changes", params=params, headers=bearer(token))
    assert response.status_code == 400, response.text
    body = response.json()
    expected = {"other_filters": "position_other_filters", "future": "position_future"}.get(case, "position_invalid")
    assert (body["error"], body["parameter"]) == (expected, "after") and body["message"]


async def test_a_cursor_ahead_of_every_change_is_a_400(client, token, settings, known):
    future = CursorSigner(settings.derived_key("cursor")).dump(Position(2**40, 2**40), {})
    response = await client.get("/api/v1/incidents", params={"cursor": future}, headers=bearer(token))
    assert response.status_code == 400
    assert (response.json()["error"], response.json()["parameter"]) == ("cursor_future", "cursor")


async def test_a_bad_limit_or_an_unknown_parameter_is_a_422(client, token):
    for params, parameter in (({"limit": 0}, "limit"), ({"updated_since": "2026-01-01"}, "updated_since"),
                              ({"format": "csv"}, "format")):
        response = await client.get("/api/v1/changes", params=params, headers=bearer(token))
        assert response.status_code == 422 and response.json()["parameter"] == parameter

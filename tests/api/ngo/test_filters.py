"""List filters take several values, comma-separated or repeated (before, `grade=fair&grade=
confirmed` silently kept the last); an unknown P-code, checked against the stored gazetteer, is
refused with 422 naming it (before: 200 and no data). Every format filters alike."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from harmwatch.places.models import Place
from tests.api.ngo.conftest import bearer, make_incident


@pytest.fixture
async def graded(database) -> dict[str, int]:
    async with database.transaction() as session:
        made = {}
        for grade, adm1, adm2, kind in (("confirmed", "SY01", None, "air_drone_strike"),
                                        ("fair", "SY02", "SY0200", "shelling_artillery_missile"),
                                        ("weak", "SY02", "SY0202", "armed_clash"),
                                        ("contested", "SY03", None, "grenade")):
            made[grade] = (await make_incident(session, grade=grade, adm1_pcode=adm1, adm2_pcode=adm2,
                                               event_type=kind, occurred_on=date(2026, 11, 1))).id
    return made


async def _ids(client, token, params) -> list[int]:
    response = await client.get("/api/v1/incidents", params=params, headers=bearer(token))
    assert response.status_code == 200, response.text
    return sorted(r["id"] for r in response.json()["data"])


@pytest.mark.parametrize("params", [
    {"grade": "confirmed,fair"},
    [("grade", "fair"), ("grade", "confirmed")],
    [("grade", "fair,confirmed"), ("grade", "fair")],
])
async def test_a_list_filter_takes_several_values(client, token, graded, params):
    assert await _ids(client, token, params) == sorted([graded["confirmed"], graded["fair"]])


async def test_every_list_filter_takes_several_values(client, token, graded):
    assert await _ids(client, token, {"adm1": "SY01,SY03"}) == sorted([graded["confirmed"], graded["contested"]])
    assert await _ids(client, token, [("adm2", "SY0200"), ("adm2", "SY0202")]) == sorted(
        [graded["fair"], graded["weak"]])
    assert await _ids(client, token, {"event_type": "grenade,armed_clash", "report_type": "harm,access"}) == sorted(
        [graded["weak"], graded["contested"]])
    assert await _ids(client, token, {"grade": "weak", "adm1": "SY02,SY03"}) == [graded["weak"]]


async def test_several_values_filter_the_csv_too(client, token, graded):
    response = await client.get("/api/v1/incidents", params={"format": "csv", "grade": "confirmed,fair"},
                                headers=bearer(token))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(int(r["id"]) for r in rows) == sorted([graded["confirmed"], graded["fair"]])


async def test_the_cursor_belongs_to_the_set_of_values_not_their_order(client, token, graded):
    first = (await client.get("/api/v1/incidents", params={"grade": "confirmed,fair", "limit": 1},
                              headers=bearer(token))).json()
    rest = await client.get("/api/v1/incidents", params={"grade": "fair,confirmed", "limit": 1,
                                                         "cursor": first["next_cursor"]}, headers=bearer(token))
    assert rest.status_code == 200 and len(first["data"]) == len(rest.json()["data"]) == 1


@pytest.mark.parametrize("params, parameter", [
    ({"adm1": "SY99"}, "adm1"),
    ({"adm1": "SY01,ZZ01"}, "adm1"),
    ({"adm2": "ZZ9999"}, "adm2"),
    ({"adm2": "SY02"}, "adm2"),  # an admin-1 P-code is no admin-2 area
    ({"adm1": "SY0200"}, "adm1"),
    ({"format": "csv", "adm2": "SY0299"}, "adm2"),
    ({"grade": "fair,excellent"}, "grade"),
    ({"grade": "fair,"}, "grade"),
])
async def test_unknown_codes_and_p_codes_are_refused_with_their_name(client, token, graded, params, parameter):
    response = await client.get("/api/v1/incidents", params=params, headers=bearer(token))
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["parameter"] == parameter and body["error"] == "invalid_parameter"


async def test_p_codes_are_those_of_the_stored_gazetteer(client, token, database, graded):
    async with database.transaction() as session:
        session.add(Place(pcode="UA80", level=1, name="Kyiv"))
    assert (await client.get("/api/v1/incidents", params={"adm1": "UA80"}, headers=bearer(token))).status_code == 200
    refused = await client.get("/api/v1/incidents", params={"adm1": "SY01"}, headers=bearer(token))
    assert refused.status_code == 422 and refused.json()["parameter"] == "adm1"
    french = await client.get("/api/v1/incidents", params={"adm1": "SY01"},
                              headers={**bearer(token), "Accept-Language": "fr"})
    assert french.json()["message"] != refused.json()["message"]  # translated

"""Places, the taxonomy, the OpenAPI document and the docs page: described field by field, with
examples, and the page served without any outside asset."""

from __future__ import annotations

import re

from harmwatch.exports.columns import COLUMN_NAMES
from harmwatch.i18n import LANGUAGES
from tests.api.ngo.conftest import bearer
from tests.conftest import one_database


async def test_places_by_level_and_parent_with_names_in_every_language(client, token):
    governorates = (await client.get("/api/v1/places", params={"level": 1}, headers=bearer(token))).json()["data"]
    assert len(governorates) == 14 and governorates[0]["pcode"] == "SY01"
    districts = (await client.get("/api/v1/places", params={"parent": "SY02", "lang": "ar"},
                                  headers=bearer(token))).json()["data"]
    assert districts and all(d["parent_pcode"] == "SY02" and d["level"] == 2 for d in districts)
    jebel = next(d for d in districts if d["pcode"] == "SY0200")
    assert jebel["name"] == "جبل سمعان" and jebel["names"]["en"] == "Jebel Saman" and jebel["names"]["fr"]


async def test_places_of_levels_three_and_four_after_an_import(client, token, database):
    from harmwatch.places.service import import_csv
    from tests.live import ROOT

    async with database.transaction() as session:
        await import_csv(session, ROOT / "deploy" / "examples" / "ukraine-places.csv")

    async def places(**params):
        response = await client.get("/api/v1/places", params=params, headers=bearer(token))
        assert response.status_code == 200, response.text
        return response.json()["data"]

    hromadas = await places(level=3)
    assert {h["pcode"] for h in hromadas} >= {"UA6312001", "UA1412013"} and all(h["level"] == 3 for h in hromadas)
    settlements = await places(level=4, lang="uk")
    kharkiv = next(p for p in settlements if p["pcode"] == "UA6312001001")
    assert kharkiv["name"] == "Харків" and kharkiv["parent_pcode"] == "UA6312001" and kharkiv["lat"] == 49.99
    under = await places(parent="UA1412")
    assert sorted(p["pcode"] for p in under) == ["UA1412013", "UA1412015"]
    refused = await client.get("/api/v1/places", params={"level": 5}, headers=bearer(token))
    assert refused.status_code == 422 and refused.json()["parameter"] == "level"


async def test_the_taxonomy_has_every_code_in_every_language_or_one(client, token):
    every = (await client.get("/api/v1/taxonomy", headers=bearer(token))).json()
    assert every["languages"] == list(LANGUAGES)
    kinds = {k["kind"]: k for k in every["kinds"]}
    assert kinds["object_hit"]["column"] == "objects_hit"
    strike = kinds["event_type"]["codes"][0]
    assert strike["code"] == "air_drone_strike" and set(strike["labels"]) == set(LANGUAGES)
    movement = next(c for c in kinds["access_constraint"]["codes"] if c["code"] == "movement_restriction")
    assert (movement["pillar"], movement["number"]) == (2, 4)
    arabic = (await client.get("/api/v1/taxonomy", params={"lang": "ar"}, headers=bearer(token))).json()
    assert arabic["languages"] == ["ar"]
    assert [c["code"] for c in arabic["kinds"][1]["codes"]] == [c["code"] for c in every["kinds"][1]["codes"]]


@one_database
async def test_every_field_and_parameter_has_a_description_and_an_example(client):
    document = (await client.get("/api/v1/openapi.json")).json()
    incident = document["components"]["schemas"]["IncidentRecord"]["properties"]
    assert list(incident) == list(COLUMN_NAMES)
    for name in ("IncidentRecord", "IncidentPage", "Place", "Code", "Kind", "Taxonomy", "ErrorBody"):
        for field, spec in document["components"]["schemas"][name]["properties"].items():
            assert spec.get("description"), (name, field)
            assert spec.get("examples") or name in ("IncidentPage", "PlaceList", "Kind", "Taxonomy") and \
                field in ("data", "codes", "kinds"), (name, field)
    for path, methods in document["paths"].items():
        for operation in methods.values():
            assert operation["description"], path
            assert operation["security"] == [{"token": []}]
            for parameter in operation["parameters"]:
                assert parameter.get("description"), (path, parameter["name"])
                assert parameter["schema"].get("examples") or parameter.get("examples"), (path, parameter["name"])


@one_database
async def test_the_docs_page_is_served_without_a_token_or_anything_from_elsewhere(client):
    response = await client.get("/api/v1/docs")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    assert not re.search(r"<script|(src|href)=\"(https?:)?//", page)
    for name in ("updated_since", "occurred_from", "cursor", "Accept-Language", *COLUMN_NAMES):
        assert name in page

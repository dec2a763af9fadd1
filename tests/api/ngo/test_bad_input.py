"""Bad input is refused with 400 or 422 and a JSON error naming the parameter, never a 500:
unknown parameters, bad and reversed dates, tampered, expired or foreign cursors, unknown
formats and codes, huge limits and ids."""

from __future__ import annotations

import time

import pytest

from harmwatch.exports.cursor import CursorSigner, Position
from tests.api.ngo.conftest import bearer
from tests.conftest import one_database


@pytest.mark.parametrize("path, params, parameter, error", [
    ("/api/v1/incidents", {"colour": "red"}, "colour", "unknown_parameter"),
    ("/api/v1/incidents", {"limit": 10, "sort": "id"}, "sort", "unknown_parameter"),
    ("/api/v1/incidents", {"occurred_from": "2026-02-30"}, "occurred_from", "invalid_parameter"),
    ("/api/v1/incidents", {"occurred_to": "yesterday"}, "occurred_to", "invalid_parameter"),
    ("/api/v1/incidents", {"occurred_from": "2026-05-01", "occurred_to": "2026-04-01"}, "occurred_to",
     "invalid_parameter"),
    ("/api/v1/incidents", {"updated_since": "not a time"}, "updated_since", "invalid_parameter"),
    ("/api/v1/incidents", {"updated_since": "0001-01-01T00:00:00+05:00"}, "updated_since", "invalid_parameter"),
    ("/api/v1/incidents", {"format": "xlsx"}, "format", "invalid_parameter"),
    ("/api/v1/incidents", {"limit": 1001}, "limit", "invalid_parameter"),
    ("/api/v1/incidents", {"limit": 10**30}, "limit", "invalid_parameter"),
    ("/api/v1/incidents", {"limit": 0}, "limit", "invalid_parameter"),
    ("/api/v1/incidents", {"event_type": "drone\x00"}, "event_type", "invalid_parameter"),
    ("/api/v1/incidents", {"adm1": "SY01'; drop table incidents; --"}, "adm1", "invalid_parameter"),
    ("/api/v1/incidents", {"grade": "excellent"}, "grade", "invalid_parameter"),
    ("/api/v1/incidents", {"format": "csv", "cursor": "abc"}, "cursor", "invalid_parameter"),
    ("/api/v1/incidents", {"format": "geojson", "limit": 5}, "limit", "invalid_parameter"),
    ("/api/v1/incidents", {"lang": "xx"}, "lang", "invalid_parameter"),
    ("/api/v1/incidents/99999999999", {}, "incident_id", "invalid_parameter"),
    ("/api/v1/incidents/abc", {}, "incident_id", "invalid_parameter"),
    ("/api/v1/incidents/1", {"format": "csv"}, "format", "unknown_parameter"),
    ("/api/v1/places", {"level": 5}, "level", "invalid_parameter"),
    ("/api/v1/taxonomy", {"lang": "klingon"}, "lang", "invalid_parameter"),
])
async def test_bad_parameters_are_named_in_a_422(client, token, known, path, params, parameter, error):
    response = await client.get(path, params=params, headers=bearer(token))
    assert response.status_code == 422, response.text
    body = response.json()
    assert (body["error"], body["parameter"]) == (error, parameter)
    assert body["message"]


@one_database
async def test_a_tampered_cursor_is_a_400(client, token, known):
    first = (await client.get("/api/v1/incidents", params={"limit": 1}, headers=bearer(token))).json()
    cursor = first["next_cursor"]
    for bad in (cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB"), "x" + cursor, "garbage", "é" * 40):
        response = await client.get("/api/v1/incidents", params={"limit": 1, "cursor": bad}, headers=bearer(token))
        assert response.status_code == 400
        assert response.json() | {"message": ""} == {"error": "cursor_invalid", "parameter": "cursor",
                                                      "message": "", "detail": None}


async def test_a_cursor_made_for_other_filters_or_expired_is_a_400(client, token, known, settings, monkeypatch):
    first = (await client.get("/api/v1/incidents", params={"limit": 1}, headers=bearer(token))).json()
    response = await client.get("/api/v1/incidents", params={"limit": 1, "cursor": first["next_cursor"],
                                                              "grade": "fair"}, headers=bearer(token))
    assert response.status_code == 400 and response.json()["error"] == "cursor_other_filters"

    signer = CursorSigner(settings.derived_key("cursor"))
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - 3 * 24 * 3600)
    old = signer.dump(Position(1, 1), {})
    monkeypatch.setattr(time, "time", real_time)
    response = await client.get("/api/v1/incidents", params={"cursor": old}, headers=bearer(token))
    assert response.status_code == 400 and response.json()["error"] == "cursor_expired"


@one_database
async def test_a_cursor_signed_with_another_key_is_refused(client, token, known):
    forged = CursorSigner(b"k" * 32).dump(Position(1, 1), {})
    response = await client.get("/api/v1/incidents", params={"cursor": forged}, headers=bearer(token))
    assert response.status_code == 400 and response.json()["error"] == "cursor_invalid"


@one_database
async def test_unknown_paths_and_methods_are_not_server_errors(client, token):
    assert (await client.get("/api/v1/nothing", headers=bearer(token))).status_code == 404
    response = await client.post("/api/v1/incidents", headers=bearer(token))
    assert response.status_code == 405 and "GET" in response.headers["allow"]

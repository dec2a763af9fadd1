"""Each export format's content for a small known set, through a real `harmwatch serve`:
exact columns, HXL tags (read back with libhxl), GeoJSON order, ranges, and a data package that
passes `frictionless validate`."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import httpx
import hxl
import pytest

from tests.api.ngo.conftest import bearer

COLUMNS = [
    "id", "report_type", "report_type_label", "event_type", "event_type_label", "access_constraint",
    "access_constraint_label", "occurred_on", "time_precision", "recorded_on", "country_code", "adm1_pcode", "adm1_name",
    "adm2_pcode", "adm2_name", "adm3_pcode", "adm3_name", "adm4_pcode", "adm4_name", "location", "lat", "lon",
    "geo_precision", "grade", "grade_label", "status", "weapon",
    "objects_hit", "sectors", "actor_types", "sources", "duration", "resolved", "time_of_day",
    "killed_min", "killed_max", "injured_min", "injured_max", "missing_min", "missing_max",
    "children_killed_min", "children_killed_max", "children_injured_min", "children_injured_max",
    "aid_workers_killed_min", "aid_workers_killed_max", "aid_workers_injured_min", "aid_workers_injured_max",
    "aid_workers_abducted_min", "aid_workers_abducted_max", "people_not_reached_min", "people_not_reached_max",
    "summary", "updated_at",
]
# DOMAIN.md's tags, each on the column it names.
DOMAIN_TAGS = {
    "id": "#event+id", "occurred_on": "#date+occurred", "recorded_on": "#date+reported", "adm1_name": "#adm1+name",
    "adm1_pcode": "#adm1+code", "adm2_name": "#adm2+name", "adm2_pcode": "#adm2+code", "lat": "#geo+lat",
    "lon": "#geo+lon", "event_type": "#event+type", "killed_min": "#affected+killed+total+min",
    "killed_max": "#affected+killed+total+max", "injured_min": "#affected+injured+total+min",
    "children_killed_min": "#affected+killed+children+min", "access_constraint": "#access+type",
    "sectors": "#sector", "actor_types": "#org+type", "status": "#status", "grade": "#meta+grade",
    "country_code": "#country+code", "adm3_pcode": "#adm3+code", "adm4_name": "#adm4+name", "location": "#loc+name",
}


def get(base: str, token: str, **params) -> httpx.Response:
    response = httpx.get(f"{base}/api/v1/incidents", params=params, headers=bearer(token), timeout=30)
    assert response.status_code == 200, response.text
    return response


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_a_bom_the_stable_columns_and_ranges_with_unknown_left_empty(live_server, token, known):
    response = get(live_server, token, format="csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbfid,report_type,")
    text = response.content.decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text))) == COLUMNS
    harm, access = rows_of(text)  # the unpublished incident is not there
    assert harm["id"] == str(known["harm"]) and access["id"] == str(known["access"])
    assert (harm["killed_min"], harm["killed_max"]) == ("2", "4")
    assert (harm["injured_min"], harm["injured_max"]) == ("", "")  # unknown, never 0
    assert (harm["children_killed_min"], harm["children_killed_max"]) == ("0", "0")  # a known zero stays 0
    assert (harm["lat"], harm["lon"]) == ("36.12", "37.65")  # rounded to the incident's 2 decimals
    assert harm["objects_hit"] == "market;home" and harm["weapon"] == "artillery_shell"
    assert harm["adm2_name"] == "Jebel Saman" and harm["event_type_label"] == "Shelling, artillery or missile attack"
    assert harm["summary"] == 'Shelling hit the "central" market, 3 shops'
    assert harm["updated_at"] == "2026-11-21T09:30:00Z" and harm["status"] == "verified"
    assert (access["people_not_reached_min"], access["people_not_reached_max"]) == ("100", "200")
    assert access["killed_min"] == "" and access["lat"] == "" and access["adm2_pcode"] == ""
    assert access["sectors"] == "food;health" and access["resolved"] == "no"


def test_hxl_adds_the_hashtag_row_and_libhxl_reads_it(live_server, token, known, tmp_path):
    response = get(live_server, token, format="hxl")
    text = response.content.decode("utf-8-sig")
    header, tags = list(csv.reader(io.StringIO(text)))[:2]
    assert header == COLUMNS
    for column, tag in DOMAIN_TAGS.items():
        assert tags[header.index(column)] == tag
    path = tmp_path / "incidents-hxl.csv"
    path.write_bytes(response.content)
    dataset = hxl.data(str(path), hxl.InputOptions(allow_local=True))
    assert [c.display_tag for c in dataset.columns] == tags
    records = list(dataset)
    assert len(records) == 2
    first = records[0]
    assert first.get("#affected+killed+total+min") == "2" and first.get("#affected+killed+total+max") == "4"
    assert first.get("#adm1+code") == "SY02" and first.get("#geo+lat") == "36.12"
    assert first.get("#affected+injured+total+min") in ("", None)  # libhxl reads an empty cell as None
    assert records[1].get("#access+type") == "movement_restriction"
    confirmed = hxl.data(str(path), hxl.InputOptions(allow_local=True)).with_rows("#meta+grade=confirmed")
    assert [row[0] for row in confirmed.values] == [str(known["access"])]


def test_geojson_is_rfc7946_lon_lat_with_null_geometry_without_a_point(live_server, token, known):
    response = get(live_server, token, format="geojson")
    assert response.headers["content-type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    harm, access = collection["features"]
    assert harm["type"] == "Feature" and harm["id"] == known["harm"]
    assert harm["geometry"] == {"type": "Point", "coordinates": [37.65, 36.12]}  # lon first
    assert access["geometry"] is None
    assert harm["properties"]["killed_min"] == 2 and harm["properties"]["injured_min"] is None
    assert harm["properties"]["objects_hit"] == ["market", "home"]
    assert list(harm["properties"]) == COLUMNS


def test_data_package_passes_frictionless_validate(live_server, token, known, tmp_path):
    response = get(live_server, token, format="datapackage")
    assert response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["data/incidents.csv", "data/places.csv", "data/taxonomy.csv",
                                              "datapackage.json"]
        archive.extractall(tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    incidents = descriptor["resources"][0]
    assert [f["name"] for f in incidents["schema"]["fields"]] == COLUMNS
    assert all(f.get("description") for f in incidents["schema"]["fields"])
    assert len(rows_of((tmp_path / "data/incidents.csv").read_text())) == 2
    taxonomy = rows_of((tmp_path / "data/taxonomy.csv").read_text())
    assert {"kind": "event_type", "code": "air_drone_strike"}.items() <= taxonomy[2].items()
    assert "label_ar" in taxonomy[0] and "name_ar" in rows_of((tmp_path / "data/places.csv").read_text())[0]
    cli = Path(sys.executable).parent / "frictionless"
    result = subprocess.run([str(cli), "validate", "--json", str(tmp_path / "datapackage.json")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert json.loads(result.stdout)["valid"] is True


def test_accept_language_changes_names_and_labels_never_codes(live_server, token, known):
    arabic = httpx.get(f"{live_server}/api/v1/incidents", params={"format": "csv"},
                       headers={**bearer(token), "Accept-Language": "ar-SY, en;q=0.5"}, timeout=30)
    assert arabic.headers["content-language"] == "ar"
    harm = rows_of(arabic.content.decode("utf-8-sig"))[0]
    assert harm["adm1_name"] == "حلب" and harm["adm2_name"] == "جبل سمعان"
    assert harm["event_type"] == "shelling_artillery_missile" and harm["adm1_pcode"] == "SY02"
    french = get(live_server, token, format="json", lang="fr").json()["data"][0]
    assert french["adm1_name"] == "Alep" and french["grade"] == "fair"


@pytest.mark.parametrize("format", ["csv", "hxl", "geojson", "datapackage"])
def test_an_empty_selection_is_still_a_valid_file(live_server, token, known, format):
    response = get(live_server, token, format=format, occurred_from="2030-01-01")
    if format == "geojson":
        assert response.json() == {"type": "FeatureCollection", "features": []}
    elif format == "datapackage":
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            assert archive.read("data/incidents.csv").decode().count("\n") == 1
    else:
        assert response.content.decode("utf-8-sig").count("\n") == (2 if format == "hxl" else 1)

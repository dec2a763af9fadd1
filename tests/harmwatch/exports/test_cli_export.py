"""`harmwatch export` writes the same bytes as the API, for every format, to a file or stdout."""

from __future__ import annotations

import io
import json
import zipfile

import httpx
import pytest

from tests.api.ngo.conftest import bearer
from tests.commands import harmwatch


@pytest.mark.parametrize("format", ["csv", "hxl", "geojson", "datapackage"])
def test_the_cli_writes_the_same_bytes_as_the_api(live_server, database_url, token, known, tmp_path, format):
    target = tmp_path / f"export.{format}"
    done = harmwatch(database_url, tmp_path, "export", "--format", format, "-o", str(target))
    assert done.returncode == 0, done.stderr[-2000:]
    api = httpx.get(f"{live_server}/api/v1/incidents", params={"format": format}, headers=bearer(token), timeout=30)
    assert f"Audit head: {_head(done.stderr)}" in done.stderr
    if format == "datapackage":  # the same files; the descriptor differs in its creation time and audit head
        cli, served = _unzipped(target.read_bytes()), _unzipped(api.content)
        assert cli.keys() == served.keys() and all(cli[n] == served[n] for n in cli if n.startswith("data/"))
        moments = ("created", "harmwatch")
        cli_package, served_package = json.loads(cli["datapackage.json"]), json.loads(served["datapackage.json"])
        assert cli_package["harmwatch"]["audit_head"]["anchor"] == _head(done.stderr)
        assert served_package["harmwatch"]["audit_head"]["anchor"] == api.headers["x-harmwatch-audit-head"]
        assert {k: v for k, v in cli_package.items() if k not in moments} == {
            k: v for k, v in served_package.items() if k not in moments}
        return
    assert target.read_bytes() == api.content
    if format == "csv":
        to_stdout = harmwatch(database_url, tmp_path, "export", "--format", "csv")
        assert to_stdout.stdout_bytes == api.content


def _head(stderr: str) -> str:
    return stderr.split("Audit head: ", 1)[1].split(" ", 1)[0]


def _unzipped(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_an_unknown_format_is_refused(database_url, tmp_path):
    done = harmwatch(database_url, tmp_path, "export", "--format", "xlsx")
    assert done.returncode == 2 and "Unknown format" in done.stderr

"""`harmwatch export` writes the same bytes as the API, for every format, to a file or stdout."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest

from tests.api.ngo.conftest import bearer
from tests.live import ROOT


def harmwatch(database_url: str, tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HARMWATCH_DATABASE_URL": database_url, "HARMWATCH_DATA_DIR": str(tmp_path),
           "HARMWATCH_SECRET_KEY": "test-secret-key-not-for-production"}
    return subprocess.run([sys.executable, "-m", "harmwatch.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          timeout=120)


@pytest.mark.parametrize("format", ["csv", "hxl", "geojson", "datapackage"])
def test_the_cli_writes_the_same_bytes_as_the_api(live_server, database_url, token, known, tmp_path, format):
    target = tmp_path / f"export.{format}"
    done = harmwatch(database_url, tmp_path, "export", "--format", format, "-o", str(target))
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    api = httpx.get(f"{live_server}/api/v1/incidents", params={"format": format}, headers=bearer(token), timeout=30)
    assert target.read_bytes() == api.content
    if format == "csv":
        to_stdout = harmwatch(database_url, tmp_path, "export", "--format", "csv")
        assert to_stdout.stdout == api.content


def test_an_unknown_format_is_refused(database_url, tmp_path):
    done = harmwatch(database_url, tmp_path, "export", "--format", "xlsx")
    assert done.returncode == 2 and b"Unknown format" in done.stderr

"""Every export and feed page carries the audit chain's head (X-Harmwatch-Audit-Head, and in
the JSON page and the data package), which `harmwatch audit verify --expect` then checks."""

from __future__ import annotations

import io
import json
import zipfile

from harmwatch.audit.service import AuditHead, head
from tests.api.ngo.conftest import bearer
from tests.harmwatch.test_audit_anchor import _log
from tests.test_cli import harmwatch


async def test_exports_and_feed_pages_carry_the_head_an_ngo_can_check(client, database, database_url, token,
                                                                     known, tmp_path):
    await _log(database, 2)
    headers = bearer(token)
    page = await client.get("/api/v1/incidents", headers=headers)
    assert page.status_code == 200
    assert page.json()["audit_head"] == page.headers["x-harmwatch-audit-head"]
    before = AuditHead.parse(page.headers["x-harmwatch-audit-head"])
    assert before.length >= 2
    one = await client.get(f"/api/v1/incidents/{known['harm']}", headers=headers)
    assert one.headers["x-harmwatch-audit-head"] == str(before)
    csv = await client.get("/api/v1/incidents", params={"format": "csv"}, headers=headers)
    anchor = AuditHead.parse(csv.headers["x-harmwatch-audit-head"])
    async with database.transaction() as session:
        assert anchor == await head(session)  # the export's own audit event included
    assert anchor.length == before.length + 1  # a page is not logged, an export is
    package = await client.get("/api/v1/incidents", params={"format": "datapackage"}, headers=headers)
    with zipfile.ZipFile(io.BytesIO(package.content)) as archive:
        stated = json.loads(archive.read("datapackage.json"))["harmwatch"]["audit_head"]["anchor"]
    assert stated == package.headers["x-harmwatch-audit-head"] != str(anchor)
    assert harmwatch(database_url, tmp_path, "audit", "verify", "--expect", stated).returncode == 0


async def test_json_pages_and_the_change_feed_carry_the_head_in_their_body(client, database, token, known):
    """A consumer that keeps only the JSON body (no headers) still has the anchor: the change feed
    and the JSON pages carry {"audit": {"head": HASH, "length": N}}, the header's value."""
    await _log(database, 2)
    headers = bearer(token)
    for path in ("/api/v1/changes", "/api/v1/incidents"):
        page = await client.get(path, headers=headers)
        assert page.status_code == 200, page.text
        stated = AuditHead.parse(page.headers["x-harmwatch-audit-head"])
        assert page.json()["audit"] == {"head": stated.hash, "length": stated.length}
        assert stated.length >= 2

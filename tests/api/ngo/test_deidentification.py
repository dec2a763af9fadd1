"""De-identification, enforced: secrets seeded into every private field (monitor notes, the
reporter's answers, description and place text, victims' names, pseudonym, Telegram id, chat id,
media paths, messages, the monitor's assessment, codes that are not codes, exact coordinates) appear
in no format, no page and no error of the NGO API."""

from __future__ import annotations

import io
import zipfile

import httpx
import sqlalchemy as sa

from harmwatch.incidents import service as incidents
from harmwatch.incidents.models import Incident
from harmwatch.messaging.models import OutboxMessage
from harmwatch.reports.models import Media, ReportMessage
from harmwatch.review import service as review
from tests.api.ngo.conftest import EARLIER, bearer
from tests.factories import make_report, make_reporter, make_user

TELEGRAM_ID = 7_362_919_555
SECRETS = {
    "notes_private": "SECRET-monitor-notes-4471",
    "description": "SECRET-description-8812",
    "victim": "SECRET-Victim-Name-Hussein-3390",
    "place_text": "SECRET-place-text-5521",
    "attribution": "SECRET-attribution-6610",
    "weapon": "SECRET-weapon-free-text-2207",
    "code_note": "SECRET-code-note-9154",
    "media_path": "SECRET-media-path-7731",
    "message": "SECRET-message-body-1198",
    "assessment": "SECRET-assessment-4420",
    "outbox": "SECRET-outbox-3307",
    "hidden_summary": "SECRET-unpublished-summary-2290",
}
EXACT_POINT = (35.987654, 36.123987)


async def seed_secrets(database, settings) -> dict[str, str]:
    """A reporter, their report with every private field filled, verified into a published incident."""
    async with database.transaction() as session:
        reporter = await make_reporter(session, settings, telegram_user_id=TELEGRAM_ID)
        monitor = await make_user(session)
        report = await make_report(
            session, reporter=reporter, lat=EXACT_POINT[0], lon=EXACT_POINT[1], place_text=SECRETS["place_text"],
            answers={"description": SECRETS["description"], "weapon": SECRETS["weapon"],
                     "objects_hit": ["market", SECRETS["code_note"]], "attribution": SECRETS["attribution"],
                     "victims": [{"name": SECRETS["victim"], "age": 7, "sex": "f"}]},
        )
        session.add(Media(sha256="ab" * 32, size=10, mime_type="image/jpeg", report_id=report.id,
                          path=f"media/{SECRETS['media_path']}.jpg"))
        session.add(ReportMessage(report_id=report.id, direction="from_reporter", body=SECRETS["message"]))
        session.add(OutboxMessage(reporter_id=reporter.id, report_id=report.id, kind="question",
                                  params={"text": SECRETS["outbox"]}))
        await review.claim(session, report, user=monitor)
        incident = await review.verify(session, report, user=monitor, grade="fair",
                                       assessment={"note": SECRETS["assessment"]})
        await incidents.update(session, incident, actor="user:m", changes={
            "notes_private": SECRETS["notes_private"],
            "codes": {**incident.codes, "note": SECRETS["code_note"], "sources": [SECRETS["code_note"]]},
        })
        await incidents.set_published(session, incident, actor="user:m", published=True)
        hidden = Incident(report_type="harm", state="unpublished", summary_public=SECRETS["hidden_summary"],
                          notes_private=SECRETS["notes_private"])
        session.add(hidden)
        await session.flush()
        # Out of the settling margin, so that pages show it at once.
        await session.execute(sa.update(Incident).values(updated_at=EARLIER))
        return {"incident": str(incident.id), "hidden": str(hidden.id), "pseudonym": reporter.pseudonym,
                "chat_id_enc": reporter.chat_id_enc, "ref_code": report.ref_code}


def everything_served(base: str, token: str, ids: dict[str, str]) -> dict[str, bytes]:
    auth = bearer(token)
    requests = {
        "page": ("/api/v1/incidents", {}, auth),
        "one": (f"/api/v1/incidents/{ids['incident']}", {}, auth),
        "hidden": (f"/api/v1/incidents/{ids['hidden']}", {}, auth),
        "places": ("/api/v1/places", {}, auth),
        "taxonomy": ("/api/v1/taxonomy", {}, auth),
        "docs": ("/api/v1/docs", {}, {}),
        "openapi": ("/api/v1/openapi.json", {}, {}),
        "bad_code": ("/api/v1/incidents", {"event_type": SECRETS["victim"]}, auth),
        "bad_param": ("/api/v1/incidents", {"victim_name": "1"}, auth),
        "bad_cursor": ("/api/v1/incidents", {"cursor": SECRETS["victim"]}, auth),
        "bad_token": ("/api/v1/incidents", {}, bearer(SECRETS["victim"])),
        **{fmt: ("/api/v1/incidents", {"format": fmt}, auth) for fmt in ("csv", "hxl", "geojson", "datapackage")},
        **{f"{fmt}_ar": ("/api/v1/incidents", {"format": fmt, "lang": "ar"}, auth) for fmt in ("json", "csv")},
    }
    served = {}
    for name, (path, params, headers) in requests.items():
        response = httpx.get(f"{base}{path}", params=params, headers=headers, timeout=30)
        assert response.status_code < 500, (name, response.text)
        served[name] = response.content + repr(dict(response.headers)).encode()
    with zipfile.ZipFile(io.BytesIO(httpx.get(f"{base}/api/v1/incidents", params={"format": "datapackage"},
                                              headers=auth, timeout=30).content)) as archive:
        for member in archive.namelist():
            served[f"datapackage:{member}"] = archive.read(member)
    return served


async def test_no_private_field_appears_in_any_format_page_or_error(live_server, database, settings, token):
    ids = await seed_secrets(database, settings)
    served = everything_served(live_server, token, ids)
    assert b"market" in served["csv"] and ids["incident"].encode() in served["page"]  # the incident is there
    forbidden = [*SECRETS.values(), ids["pseudonym"], ids["chat_id_enc"], ids["ref_code"], str(TELEGRAM_ID),
                 "35.987", "36.123", "35.9877", "36.1240"]
    for name, content in served.items():
        text = content.decode("utf-8", errors="replace")
        for secret in forbidden:
            assert secret not in text, f"{secret!r} leaked through {name}"
    assert b'"lat":35.99,"lon":36.12' in served["page"]  # rounded to the incident's 2 decimals

"""Every state and code column is wide enough, on PostgreSQL, for every code it may hold: SQLite
stores a longer string in a VARCHAR(16) without a word, PostgreSQL refuses it at the first save."""

import asyncio
import re
from pathlib import Path

import asyncpg

from bot.media import AS_SENT
from harmwatch.accounts.models import Role
from bot.replies import CLEANUPS
from harmwatch.forms import FORM_VERSIONS
from harmwatch.i18n import LANGUAGES
from harmwatch.incidents.enums import IncidentState
from harmwatch.reports.enums import GeoPrecision, Grade, RejectReason, ReportStatus, ReportType
from harmwatch.taxonomy import AccessConstraint, EventType, TimeOfDay

ROOT = Path(__file__).resolve().parent.parent.parent


def _literals(argument: str) -> set[str]:
    """Every code the code base passes as `argument="…"` or sets as `argument = "…"` (audit
    actions, notice kinds…)."""
    found = set()
    for path in (*ROOT.joinpath("harmwatch").rglob("*.py"), *ROOT.joinpath("api").rglob("*.py"),
                 *ROOT.joinpath("bot").glob("*.py")):
        found |= set(re.findall(rf'\b{argument} ?= ?"([a-z_.:]+)"', path.read_text()))
    return found


def _codes(enum) -> set[str]:
    return {str(member.value) for member in enum}


# Each code column and every code it may hold.
CODES: dict[tuple[str, str], set[str]] = {
    ("reports", "status"): _codes(ReportStatus),
    ("reports", "report_type"): _codes(ReportType),
    ("incidents", "report_type"): _codes(ReportType),
    ("reports", "grade"): _codes(Grade),
    ("incidents", "grade"): _codes(Grade),
    ("verification_proposals", "grade"): _codes(Grade),
    ("reports", "reject_reason"): _codes(RejectReason),
    ("reports", "geo_precision"): _codes(GeoPrecision),
    ("incidents", "geo_precision"): _codes(GeoPrecision),
    ("reports", "event_type"): _codes(EventType),
    ("incidents", "event_type"): _codes(EventType),
    ("reports", "access_constraint"): _codes(AccessConstraint),
    ("incidents", "access_constraint"): _codes(AccessConstraint),
    ("reports", "time_of_day"): _codes(TimeOfDay),
    ("incidents", "state"): _codes(IncidentState),
    ("users", "role"): _codes(Role),
    ("users", "lang"): set(LANGUAGES),
    ("reporters", "lang"): set(LANGUAGES),
    ("reports", "lang"): set(LANGUAGES),
    ("export_lines", "lang"): set(LANGUAGES),
    ("reports", "form_id"): {form.id for form in FORM_VERSIONS.values()},
    ("drafts", "form_id"): {form.id for form in FORM_VERSIONS.values()},
    ("drafts", "current"): {question.id for form in FORM_VERSIONS.values() for question in form.questions},
    ("reports", "channel"): _literals("channel") | {"telegram"},
    ("media", "sent_as"): set(AS_SENT) | {"photo"},
    ("outbox", "kind"): _literals("kind") & {"question", "outcome"},
    ("replies", "kind"): {"question", *CLEANUPS},  # bot.replies.owe: a clean-up's kind, or a question's
    ("desk_notices", "kind"): _literals("kind") - {"question", "outcome"},
    ("report_messages", "direction"): {"to_reporter", "from_reporter"},  # review.service writes both
    ("replies", "outcome"): _literals("outcome") | {"expired"},  # also set as `… else "expired"`
    ("audit_events", "action"): _literals("action"),
    ("audit_events", "object_type"): _literals("object_type"),
}
# The short text columns that hold no code: names, P-codes, hashes, keys the code makes itself.
NOT_CODES = {("audit_events", "actor"), ("audit_events", "object_id"), ("audit_events", "prev_hash"),
             ("audit_events", "hash"), ("places", "pcode"), ("places", "parent_pcode"),
             ("processed_updates", "reporter_key"), ("rate_buckets", "key"), ("reporters", "pseudonym"),
             ("reporters", "lookup_key"), ("users", "name"), ("api_tokens", "name"), ("api_tokens", "token_hash"),
             ("api_tokens", "prefix"), ("incidents", "adm1_pcode"), ("incidents", "adm2_pcode"),
             ("login_sessions", "id_hash"), ("saved_filters", "name"), ("reports", "ref_code"),
             ("reports", "adm1_pcode"), ("reports", "adm2_pcode"), ("media", "sha256"),
             ("verification_proposals", "proposed_by_name"), ("reports", "adm3_pcode"), ("reports", "adm4_pcode"),
             ("incidents", "adm3_pcode"), ("incidents", "adm4_pcode"),
             ("export_lines", "key")}  # a SHA-256 in hex: always 64


async def _widths(url: str) -> dict[tuple[str, str], int]:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        rows = await conn.fetch("SELECT table_name, column_name, character_maximum_length FROM "
                                "information_schema.columns WHERE table_schema = current_schema() "
                                "AND data_type = 'character varying' AND table_name <> 'alembic_version'")
    finally:
        await conn.close()
    return {(row[0], row[1]): row[2] for row in rows}


def test_every_code_fits_its_column_on_postgresql(pg_url):
    widths = _widths_of(pg_url)
    too_narrow = {f"{table}.{column} ({widths[table, column]}): {code!r}"
                  for (table, column), codes in CODES.items() for code in codes
                  if len(code) > widths[table, column]}
    assert not too_narrow, sorted(too_narrow)
    assert all(codes for codes in CODES.values())  # a code set found empty would check nothing


def test_every_short_text_column_is_checked_or_said_to_hold_no_code(pg_url):
    short = {key for key, width in _widths_of(pg_url).items() if width is not None and width <= 64}
    assert short - set(CODES) - NOT_CODES == set()


def _widths_of(url: str) -> dict[tuple[str, str], int]:
    return asyncio.run(_widths(url))

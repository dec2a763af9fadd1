"""Reports: reference codes, drafts saved at every answer, and a finished draft turned into
a report in one transaction (a failed submit leaves the draft as it was)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from harmwatch.audit.service import record
from harmwatch.database import utcnow
from harmwatch.errors import DomainError
from harmwatch.forms import frame, get_form, is_complete, settle
from harmwatch.forms.model import PENDING, Kind
from harmwatch.privacy import crockford
from harmwatch.reporters.models import Reporter
from harmwatch.reports.models import Draft, Media, Report


class DraftIncomplete(DomainError):
    """A required question is still unanswered."""

    def __init__(self) -> None:
        super().__init__("draft_incomplete")


def new_ref_code() -> str:
    """An unguessable code the reporter keeps, e.g. HW-7KQ2-M9XA (40 random bits, Crockford)."""
    code = crockford(secrets.token_bytes(5), 8)
    return f"HW-{code[:4]}-{code[4:]}"


async def draft_of(session: AsyncSession, reporter: Reporter) -> Draft | None:
    return await session.scalar(select(Draft).where(Draft.reporter_id == reporter.id))


async def start_draft(session: AsyncSession, reporter: Reporter, *, form_id: str,
                      media_dir: Path | None = None) -> Draft:
    """A new draft for this form, replacing any earlier one (and its files)."""
    form = get_form(form_id)
    await discard_draft(session, reporter, media_dir=media_dir)
    draft = Draft(reporter_id=reporter.id, form_id=form.id, form_version=form.version,
                  current=form.questions[0].id)
    session.add(draft)
    await session.flush()
    return draft


async def save_answers(session: AsyncSession, draft: Draft, answers: dict[str, Any], *,
                       current: str | None, advance: bool = True) -> Draft:
    """Store the answers so far; `advance` makes every button sent earlier stale."""
    draft.answers = answers
    draft.current = current
    draft.editing = False if advance else draft.editing
    draft.step += 1 if advance else 0
    draft.updated_at = utcnow()
    await session.flush()
    return draft


async def discard_draft(session: AsyncSession, reporter: Reporter, *, media_dir: Path | None = None) -> bool:
    """Delete the reporter's draft with its files: their rows, and their bytes under `media_dir`
    unless a report (or another draft) holds the same bytes. Returns whether there was a draft."""
    draft = await draft_of(session, reporter)
    if draft is None:
        return False
    files = (await session.scalars(select(Media).where(Media.draft_id == draft.id))).all()
    paths = {m.path for m in files}
    await session.execute(sa.delete(Media).where(Media.draft_id == draft.id))
    await session.execute(sa.delete(Draft).where(Draft.id == draft.id))
    await session.flush()
    if media_dir is not None and paths:
        still_used = set((await session.scalars(select(Media.path).where(Media.path.in_(paths)))).all())
        for path in paths - still_used:
            (media_dir / path).unlink(missing_ok=True)
    return True


async def add_media(session: AsyncSession, *, draft: Draft | None, sha256: str, size: int, mime_type: str,
                    path: str, sent_as: str | None = None) -> tuple[Media, bool]:
    """Record a received file. The same bytes sent twice to one draft are stored once:
    returns (media, is_new)."""
    if draft is not None:
        existing = await session.scalar(select(Media).where(Media.draft_id == draft.id, Media.sha256 == sha256))
        if existing is not None:
            return existing, False
    media = Media(sha256=sha256, size=size, mime_type=mime_type, path=path, sent_as=sent_as,
                  draft_id=draft.id if draft else None)
    session.add(media)
    await session.flush()
    return media, True


def _media_ids(form, answers: dict[str, Any]) -> list[int]:
    ids: list[int] = []
    for question in form.questions:
        if question.kind is Kind.MEDIA:
            ids.extend(answers.get(question.id) or [])
    return ids


async def submit_draft(session: AsyncSession, draft: Draft, *, reporter: Reporter, channel: str = "telegram",
                       lang: str = "en") -> Report:
    """The draft becomes a report with a fresh reference code; its files move onto the report."""
    form = get_form(draft.form_id, draft.form_version)  # the report answered the draft's version
    if not is_complete(form, draft.answers):
        raise DraftIncomplete()
    _, kept = settle(form, draft.answers)
    kept.pop(PENDING, None)
    for _ in range(5):  # 40 random bits: a clash is rare, but possible
        report = Report(ref_code=new_ref_code(), reporter_id=reporter.id, channel=channel, lang=lang,
                        answers=kept, **frame(form, kept))
        try:
            async with session.begin_nested():
                session.add(report)
            break
        except IntegrityError:
            continue
    else:
        raise RuntimeError("could not find a free reference code")
    media_ids = _media_ids(form, kept)
    if media_ids:
        await session.execute(
            sa.update(Media).where(Media.id.in_(media_ids), Media.draft_id == draft.id)
            .values(report_id=report.id, draft_id=None)
        )
    await session.delete(draft)
    await session.flush()
    await record(session, actor="reporter", action="report.submitted",
                 object_type="report", object_id=report.id,
                 after={"ref_code": report.ref_code, "type": report.report_type, "channel": channel})
    return report
